"""The terms as one record (:class:`Terms`), put together from a terms file's tables (each read in
:mod:`eql.terms_tables`), the amended versions built too; and terms with some values overridden,
read again the same way."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from eql.errors import TermsError
from eql.terms_names import OPEN_TABLES, Entry, coerce, flatten, unflatten
from eql.terms_records import (
    AcceleratedPurchase,
    Amendment,
    Condition,
    Limit,
    PricingRule,
    ShareCap,
    Waiver,
)
from eql.terms_tables import (
    TableReader,
    optional_tables,
    read_amendment,
    read_condition,
    read_limit,
    read_limit_price,
    read_pricing_rule,
    read_purchases,
    read_share_cap,
    read_share_limits,
    read_waiver,
)
from eql.values import show
from eql.vocabulary import (
    LimitPrice,
    PriceSeries,
    PurchaseKind,
    Rounding,
    ShareCapKind,
)


@dataclass(frozen=True)
class Terms:
    name: str
    company: str
    investor: str
    term_sheet_date: dt.date
    term_start: dt.date
    term_end: dt.date
    commitment: Decimal
    calendar: str
    currency: str
    pricing: PricingRule
    share_rounding: Rounding
    fiscal_year_end_month: int
    limits: tuple[Limit, ...]
    conditions: tuple[Condition, ...]
    milestones: tuple[tuple[str, str], ...]  # key -> description
    reduction_capped_at_unfunded: bool
    reduction_same_day_draws_funded: bool
    legend: str
    first_draw_note: str
    entries: tuple[Entry, ...]
    waivers: tuple[Waiver, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    # The most shares one purchase may be, by price: (lowest price, most shares) rising; () none.
    share_limits: tuple[tuple[Decimal, int], ...] = ()
    # The price those limits' thresholds are compared with (shares.limit_price).
    share_limit_price: LimitPrice = LimitPrice.CLOSE
    # The caps counted in shares (``[share_caps.<name>]``): exchange and ownership caps; () none.
    share_caps: tuple[ShareCap, ...] = ()
    # Which purchase the functions compute (purchases.kind), and the accelerated purchase's terms.
    purchase: PurchaseKind = PurchaseKind.REGULAR
    accelerated: AcceleratedPurchase | None = None
    # The terms in force from each amendment's effective date on, in date order (see eql.amendments).
    versions: tuple[tuple[dt.date, Terms], ...] = field(default=(), compare=False, repr=False)
    # The facility these terms are of, as a Terms range row names it (FACILITY): a built-in
    # facility's name or a terms file's path; blank for the built-in default.
    source: str = field(default="", compare=False)

    @property
    def milestone_keys(self) -> frozenset[str]:
        return frozenset(key for key, _ in self.milestones)

    def in_term(self, day: dt.date) -> bool:
        return self.term_start <= day <= self.term_end

    @property
    def settable(self) -> dict[str, Any]:
        """Every term an override or an amendment may set, each with a value of the type it
        takes: those the file gives, and an exchange cap's approval date, which the file leaves
        out while the cap is not approved."""
        known = dict(self.entries)
        for cap in self.share_caps:
            if cap.kind is ShareCapKind.EXCHANGE:
                known.setdefault(f"share_caps.{cap.key}.approved_on", self.term_sheet_date)
        return known

    def limit(self, kind: str) -> Limit | None:
        """The first limit of ``kind`` (a :class:`LimitKind` word), if the terms have one."""
        return next((limit for limit in self.limits if limit.kind == kind), None)

    def with_overrides(self, overrides: Iterable[tuple[str, Any]]) -> Terms:
        """These terms with some values replaced; each name must be one the terms know."""
        pairs = tuple(overrides)
        if not pairs:
            return self
        current = dict(self.entries)
        settable = self.settable
        given: set[str] = set()
        for name, value in pairs:
            key = str(name).strip()
            if key in given:  # the last one would win silently
                raise TermsError(detail=f"term {show(key)} is given twice")
            given.add(key)
            if key in settable:
                current[key] = coerce(key, value, settable[key])
            elif key.startswith(OPEN_TABLES):
                current[key] = coerce(key, value, Decimal(0))
            else:
                close = difflib.get_close_matches(key, settable, n=1)
                hint = (
                    f"; did you mean {close[0]!r}?"
                    if close
                    else " (the template's Terms sheet lists every name)"
                )
                raise TermsError(detail=f"unknown term {show(key)}{hint}")
        data = unflatten(current.items())
        for table in ("conditions", "milestones"):  # an empty table has no entry to flatten
            data.setdefault(table, {})
        return replace(build_terms(data), source=self.source)


def build_terms(data: Mapping[str, Any], *, amended: bool = False) -> Terms:
    """Terms from a terms file's tables; with their amended versions unless ``amended`` (the
    build of one amended version, which carries none of its own)."""
    root = TableReader(data, "")
    facility = root.table("facility")
    pricing = root.table("pricing")
    fiscal = root.table("fiscal")
    # A facility may name no condition and no milestone: an empty table, or none at all (an empty
    # table has no dotted name, so terms rebuilt from their names have none).
    milestones = (
        root.table("milestones") if "milestones" in root.data else TableReader({}, "milestones.")
    )
    milestone_rows = tuple((key, milestones.text(key)) for key in milestones.data)

    rule = read_pricing_rule(
        pricing,
        pricing.choice("series", PriceSeries) if "series" in pricing.data else PriceSeries.CLOSE,
    )
    limits = tuple(read_limit(key, table) for key, table in root.table("limits").tables())
    conditions = tuple(
        read_condition(key, table) for key, table in optional_tables(root, "conditions")
    )
    known = {key for key, _ in milestone_rows}
    for condition in conditions:
        for needed in (condition.event,) if condition.event else condition.requires:
            if needed not in known:
                raise TermsError(
                    detail=f"condition {condition.clause} names {needed}, not in [milestones]"
                )
    terms = Terms(
        name=facility.text("name"),
        company=facility.text("company"),
        investor=facility.text("investor"),
        term_sheet_date=facility.date("term_sheet_date"),
        term_start=facility.date("term_start"),
        term_end=facility.date("term_end"),
        commitment=facility.decimal("commitment"),
        calendar=facility.text("calendar"),
        currency=facility.optional_text("currency", "USD"),
        pricing=rule,
        share_rounding=root.table("shares").choice("rounding", Rounding),
        share_limits=read_share_limits(root.table("shares")),
        share_limit_price=read_limit_price(root.table("shares")),
        **read_purchases(root),
        fiscal_year_end_month=fiscal.integer("year_end_month", 1, 12),
        limits=limits,
        conditions=conditions,
        milestones=milestone_rows,
        reduction_capped_at_unfunded=root.table("reductions").flag("cap_at_unfunded"),
        reduction_same_day_draws_funded=root.table("reductions").flag("same_day_draws_funded"),
        legend=root.table("legend").text("text"),
        first_draw_note=root.table("legend").text("first_draw"),
        entries=tuple(flatten(data)),
    )
    if terms.term_end < terms.term_start:
        raise TermsError(
            detail=f"facility.term_end ({terms.term_end}) is before facility.term_start "
            f"({terms.term_start}); it must be on or after it"
        )
    if terms.term_sheet_date > terms.term_start:
        raise TermsError(
            detail=f"facility.term_sheet_date ({terms.term_sheet_date}) is after "
            f"facility.term_start ({terms.term_start}); it must be on or before it"
        )
    waivers = tuple(
        read_waiver(key, table, [condition.key for condition in terms.conditions])
        for key, table in optional_tables(root, "waivers")
    )
    share_caps = tuple(
        read_share_cap(key, table, terms.term_sheet_date)
        for key, table in optional_tables(root, "share_caps")
    )
    terms = replace(terms, waivers=waivers, share_caps=share_caps)
    amendments = tuple(
        read_amendment(key, table, terms.settable)
        for key, table in optional_tables(root, "amendments")
    )
    terms = replace(terms, amendments=amendments)
    if amended:
        return terms
    return replace(terms, versions=_versions(terms, data))


def _versions(terms: Terms, data: Mapping[str, Any]) -> tuple[tuple[dt.date, Terms], ...]:
    """The terms in force from each effective date on: every amendment that applies and is
    effective by then, applied in date order (a later amendment wins where two set one term)."""
    in_effect = sorted(
        (amendment for amendment in terms.amendments if amendment.applies),
        key=lambda amendment: amendment.effective,
    )
    versions: list[tuple[dt.date, Terms]] = []
    current = dict(flatten(data))
    settable = terms.settable
    for amendment in in_effect:
        for name, value in amendment.changes:
            current[name] = coerce(name, value, settable[name])
        amended = build_terms(unflatten(current.items()), amended=True)
        if versions and versions[-1][0] == amendment.effective:
            versions[-1] = (amendment.effective, amended)
        else:
            versions.append((amendment.effective, amended))
    return tuple(versions)
