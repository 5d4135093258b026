"""Each table of a terms file read into its record: every value checked, every complaint naming
its dotted key (``limits.advance.multiple must be ...``). :func:`eql.terms_reader.build_terms`
puts the records together into the terms."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Any, TypeVar

from eql.errors import EqlError, TermsError
from eql.terms_names import flatten
from eql.terms_records import (
    AcceleratedPurchase,
    Amendment,
    Condition,
    Limit,
    PricingRule,
    ShareCap,
    Waiver,
)
from eql.values import parse_decimal, parse_fiscal_label, show
from eql.vocabulary import (
    ConditionKind,
    LimitKind,
    LimitPrice,
    Period,
    PriceSeries,
    PricingRuleKind,
    PricingWindow,
    PurchaseKind,
    Rounding,
    ShareCapKind,
    allowed,
)

W = TypeVar("W", bound=StrEnum)


class TableReader:
    """Reads one table of a terms file; every complaint names the dotted key."""

    def __init__(self, data: Mapping[str, Any], prefix: str) -> None:
        self.data = data
        self.prefix = prefix

    def _get(self, key: str) -> Any:
        if key not in self.data:
            raise TermsError(detail=f"{self.prefix}{key} is missing")
        return self.data[key]

    def table(self, key: str) -> TableReader:
        value = self._get(key)
        if not isinstance(value, Mapping):
            raise TermsError(detail=f"{self.prefix}{key} must be a table")
        return TableReader(value, f"{self.prefix}{key}.")

    def tables(self) -> list[tuple[str, TableReader]]:
        return [(key, self.table(key)) for key in self.data]

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str) or not value.strip():
            raise TermsError(detail=f"{self.prefix}{key} must be text, got {show(value)}")
        return value

    def choice(self, key: str, vocabulary: type[W]) -> W:
        """A word of ``vocabulary``; the complaint lists every word it holds."""
        return _word(f"{self.prefix}{key}", self.text(key), vocabulary)

    def optional_text(self, key: str, default: str) -> str:
        return self.text(key) if key in self.data else default

    def date(self, key: str) -> dt.date:
        value = self._get(key)
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise TermsError(detail=f"{self.prefix}{key} must be a date, got {show(value)}")
        return value

    def decimal(self, key: str, *, positive: bool = True) -> Decimal:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise TermsError(detail=f"{self.prefix}{key} must be a number, got {show(value)}")
        number = Decimal(value)
        if not number.is_finite():
            raise TermsError(
                detail=f"{self.prefix}{key} must be a finite number, got {show(value)}"
            )
        if number < 0 or (positive and number == 0):
            wanted = "positive" if positive else "0 or more"
            raise TermsError(detail=f"{self.prefix}{key} must be {wanted}, got {show(value)}")
        return number

    def share(self, key: str, *, zero: bool) -> Decimal:
        """A share of a whole, at most 1 (100 %): 85 typed for 0.85 is refused, not priced at
        85 times the mean."""
        value = self._get(key)
        number = Decimal(value) if isinstance(value, int | Decimal) else None
        if (
            isinstance(value, bool)
            or number is None
            or not number.is_finite()
            or not (0 <= number <= 1)
            or (number == 0 and not zero)
        ):
            wanted = "from 0 to 1" if zero else "more than 0 and at most 1"
            raise TermsError(
                detail=f"{self.prefix}{key} must be a number {wanted} (85 % is 0.85), "
                f"got {show(value)}"
            )
        return number

    def multiple(self, key: str, most: int, example: str) -> Decimal:
        """A multiple, more than 0 and at most ``most`` (``example`` shows how a percentage is
        written): 100 typed for 100 % is refused, not read as a hundredfold."""
        number = self.decimal(key)
        if number > most:
            raise TermsError(
                detail=f"{self.prefix}{key} must be more than 0 and at most {most} ({example}), "
                f"got {show(number)}"
            )
        return number

    def integer(self, key: str, low: int, high: int) -> int:
        value = self._get(key)
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise TermsError(
                detail=f"{self.prefix}{key} must be a whole number from {low} to {high}, got {show(value)}"
            )
        return value

    def flag(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            raise TermsError(detail=f"{self.prefix}{key} must be true or false, got {show(value)}")
        return value

    def names(self, key: str) -> tuple[str, ...]:
        value = self._get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise TermsError(
                detail=f"{self.prefix}{key} must be a list of names, got {show(value)}"
            )
        return tuple(value)


def read_share_limits(shares: TableReader) -> tuple[tuple[Decimal, int], ...]:
    """``shares.per_purchase_at_or_above`` (prices, from 0, rising) and ``shares.per_purchase_most``
    (whole shares): at a price at or above each, a purchase is at most that many shares."""
    if "per_purchase_at_or_above" not in shares.data and "per_purchase_most" not in shares.data:
        return ()
    at, most = "shares.per_purchase_at_or_above", "shares.per_purchase_most"
    lists: list[list[Any]] = []
    for name, key in ((at, "per_purchase_at_or_above"), (most, "per_purchase_most")):
        value = shares.data.get(key)
        if not isinstance(value, list) or not value:
            raise TermsError(detail=f"{name} must be a list of numbers, got {show(value)}")
        lists.append(value)
    try:
        prices = [parse_decimal(v, at) for v in lists[0]]
        counts = [parse_decimal(v, most) for v in lists[1]]
    except EqlError as error:
        raise TermsError(detail=str(error)) from None
    if len(prices) != len(counts):
        raise TermsError(
            detail=f"{at} and {most} must have as many entries, got {len(prices)} and {len(counts)}"
        )
    if prices[0] != 0 or any(b <= a for a, b in pairwise(prices)):
        raise TermsError(detail=f"{at} must start at 0 and rise, got {', '.join(map(str, prices))}")
    if any(c <= 0 or c != c.to_integral_value() for c in counts):
        raise TermsError(
            detail=f"{most} must be positive whole numbers, got {', '.join(map(str, counts))}"
        )
    return tuple((price, int(count)) for price, count in zip(prices, counts, strict=True))


def read_pricing_rule(table: TableReader, series: PriceSeries) -> PricingRule:
    """A pricing rule from a table of ``[pricing]``'s keys (the regular purchase's, or an
    accelerated purchase's), its daily price ``series`` read by the caller."""
    rule = PricingRule(
        rule=table.choice("rule", PricingRuleKind),
        sessions=table.integer("sessions", 1, 250),
        window=table.choice("window", PricingWindow),
        factor=table.share("factor", zero=False),
        rounding=_rounding(table.text("price_rounding"), f"{table.prefix}price_rounding"),
        series=series,
    )
    if rule.rule in (PricingRuleKind.MEAN_LOWEST, PricingRuleKind.LOW_OR_MEAN_LOWEST_CLOSES):
        rule = replace(rule, lowest=table.integer("lowest", 1, rule.sessions))
    if "floor" in table.data:
        rule = replace(rule, floor=table.decimal("floor"))
    return rule


# The most an accelerated purchase may be, as a multiple of the regular purchase share limit: a
# multiple above this is a percentage typed for a multiple (300 for 300 %, which is 3).
MOST_REGULAR_MULTIPLE = 100


def read_purchases(root: TableReader) -> dict[str, Any]:
    """``[purchases]``: which purchase the functions compute (``kind``, ``regular`` unless the
    terms say otherwise), and the accelerated purchase's terms (``[purchases.accelerated]``)."""
    if "purchases" not in root.data:
        return {}
    purchases = root.table("purchases")
    kind = (
        purchases.choice("kind", PurchaseKind) if "kind" in purchases.data else PurchaseKind.REGULAR
    )
    accelerated = None
    if "accelerated" in purchases.data:
        accelerated = _accelerated(purchases.table("accelerated"))
    elif kind is PurchaseKind.ACCELERATED:
        raise TermsError(
            detail="purchases.kind is accelerated, but the terms have no [purchases.accelerated] table"
        )
    return {"purchase": kind, "accelerated": accelerated}


def _accelerated(table: TableReader) -> AcceleratedPurchase:
    name = f"{table.prefix}series"
    given = table.data.get("series")
    words = [given] if isinstance(given, str) else given
    if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
        raise TermsError(
            detail=f"{name} must be one or more of {allowed(PriceSeries)}, got {show(given)}"
        )
    series = tuple(dict.fromkeys(_word(name, word.strip(), PriceSeries) for word in words))
    reads_low = PricingRuleKind.LOW_OR_MEAN_LOWEST_CLOSES
    if table.choice("rule", PricingRuleKind) is reads_low:
        words = ", ".join(kind.value for kind in PricingRuleKind if kind is not reads_low)
        raise TermsError(
            detail=f"{table.prefix}rule must be one of {words}, got {show(reads_low.value)} "
            "(an accelerated purchase reads no day's low)"
        )
    rule = read_pricing_rule(table, series[0])
    multiple = table.multiple("regular_multiple", MOST_REGULAR_MULTIPLE, "300 % is 3")
    return AcceleratedPurchase(
        pricing=rule,
        series=series,
        volume_share=table.share("volume_share", zero=False),
        regular_multiple=multiple,
    )


def read_limit_price(shares: TableReader) -> LimitPrice:
    """``shares.limit_price``: the price the per-purchase limits' thresholds are compared with;
    the closing price on the purchase date unless the terms say otherwise. It means nothing
    without those limits, and is refused there."""
    if "limit_price" not in shares.data:
        return LimitPrice.CLOSE
    if "per_purchase_at_or_above" not in shares.data:
        raise TermsError(
            detail="shares.limit_price is given, but the terms set no per-purchase share limit "
            "(shares.per_purchase_at_or_above and shares.per_purchase_most)"
        )
    return shares.choice("limit_price", LimitPrice)


# The terms each kind of share cap reads; any other key in its table is refused, so a term
# written for the other kind (a minimum price on an ownership cap) is never silently ignored.
_SHARE_CAP_KEYS = {
    ShareCapKind.EXCHANGE: (
        "kind",
        "share",
        "label",
        "source",
        "signed",
        "minimum_price",
        "approved",
        "approved_on",
        "unpaid_in_average",
    ),
    ShareCapKind.OWNERSHIP: ("kind", "share", "label", "source", "count_issued_since"),
}


def read_share_cap(key: str, table: TableReader, signed: dt.date) -> ShareCap:
    """``[share_caps.<key>]``: its share of the shares outstanding (19.99 % is 0.1999, never
    19.99) and, for the exchange cap, the signing date (``signed`` when the table gives none: the
    term sheet's date), the minimum price and the approval."""
    kind = table.choice("kind", ShareCapKind)
    for name in table.data:
        if name not in _SHARE_CAP_KEYS[kind]:
            raise TermsError(
                detail=f"{table.prefix}{name} is not a term of a {kind} cap "
                f"(its terms: {', '.join(_SHARE_CAP_KEYS[kind])})"
            )
    share = table.data.get("share")
    number = Decimal(share) if isinstance(share, int | Decimal) else None
    if isinstance(share, bool) or number is None or not number.is_finite() or not 0 < number < 1:
        raise TermsError(
            detail=f"{table.prefix}share must be a number more than 0 and less than 1 "
            f"(19.99 % is 0.1999), got {show(share)}"
        )
    cap = ShareCap(
        key=key,
        kind=kind,
        share=number,
        label=table.optional_text("label", key),
        source=table.text("source"),
        count_issued_since=table.flag("count_issued_since")
        if "count_issued_since" in table.data
        else True,
    )
    if kind is not ShareCapKind.EXCHANGE:
        return cap
    approved_on = table.date("approved_on") if "approved_on" in table.data else None
    approved = table.flag("approved") if "approved" in table.data else approved_on is not None
    if approved and approved_on is None:
        raise TermsError(
            detail=f"{table.prefix}approved_on is missing: the date stockholders approved issuing "
            "more (or approved = false)"
        )
    return replace(
        cap,
        signed=table.date("signed") if "signed" in table.data else signed,
        minimum_price=table.decimal("minimum_price") if "minimum_price" in table.data else None,
        approved=approved,
        approved_on=approved_on,
        unpaid_in_average=table.flag("unpaid_in_average")
        if "unpaid_in_average" in table.data
        else False,
    )


def optional_tables(root: TableReader, key: str) -> list[tuple[str, TableReader]]:
    return root.table(key).tables() if key in root.data else []


def read_waiver(key: str, table: TableReader, conditions: Sequence[str]) -> Waiver:
    """``[waivers.<key>]``: the conditions it waives, among ``conditions`` (the terms' keys), and
    from when to when."""
    waiver = Waiver(
        key=key,
        conditions=table.names("conditions"),
        start=table.date("from"),
        end=table.date("to"),
        source=table.text("source"),
        applies=table.flag("applies") if "applies" in table.data else True,
    )
    known = list(conditions)
    for name in waiver.conditions:
        if name not in known:
            raise TermsError(
                detail=f"waivers.{key}.conditions names {show(name)}, not a condition of the terms ({', '.join(known)})"
            )
    if waiver.end < waiver.start:
        raise TermsError(
            detail=f"waivers.{key}.to ({waiver.end}) is before waivers.{key}.from "
            f"({waiver.start}); it must be on or after it"
        )
    return waiver


def read_amendment(key: str, table: TableReader, settable: Mapping[str, Any]) -> Amendment:
    """``[amendments.<key>]``: from when it is effective, and the terms it sets, each one of
    ``settable`` (see :attr:`eql.terms_reader.Terms.settable`)."""
    changes = tuple(flatten(table.table("set").data))
    if not changes:
        raise TermsError(detail=f"amendments.{key}.set changes no term")
    known = settable
    for name, _ in changes:
        if name.startswith(("waivers.", "amendments.")) or name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise TermsError(detail=f"amendments.{key}.set names unknown term {show(name)}{hint}")
    return Amendment(
        key=key,
        effective=table.date("effective"),
        changes=changes,
        source=table.text("source"),
        applies=table.flag("applies") if "applies" in table.data else True,
    )


def _rounding(text: str, name: str = "pricing.price_rounding") -> str:
    if text == "none":
        return text
    parts = text.split()
    valid = len(parts) == 2 and parts[1] in set(Rounding)
    if valid:
        try:
            quantum = Decimal(parts[0])
        except ArithmeticError:
            valid = False
        else:
            valid = quantum.is_finite() and quantum > 0
    if not valid:
        raise TermsError(
            detail=f"{name} must be 'none' or a quantum and one of {allowed(Rounding)} (e.g. '0.0001 half_up'), got {text!r}"
        )
    return text


def read_limit(key: str, table: TableReader) -> Limit:
    kind = table.choice("kind", LimitKind)
    schedule: tuple[tuple[str, Decimal], ...] = ()
    amount = None
    period: str = ""
    if kind is LimitKind.PER_DRAW:
        amount = table.decimal("amount")
    if kind is LimitKind.PER_PERIOD:
        amount = table.decimal("amount")
        period = table.choice("period", Period)
    if kind is LimitKind.CASH_USED:
        period = table.choice("period", Period)
        if period is not Period.FISCAL_QUARTER:  # cash used is reported by fiscal quarter
            raise TermsError(
                detail=f"limits.{key}.period must be {Period.FISCAL_QUARTER} for a cash_used limit, got {show(period.value)}"
            )
        pct = table.table("pct")
        try:
            ordered = sorted(
                (parse_fiscal_label(label, "limits.cash_used.pct"), label) for label in pct.data
            )
        except EqlError as error:
            raise TermsError(detail=str(error)) from None
        schedule = tuple((label, pct.share(label, zero=True)) for _, label in ordered)
        if not schedule:
            raise TermsError(detail=f"limits.{key}.pct has no quarters")
    limit = Limit(
        key=key,
        kind=kind,
        label=table.optional_text("label", key),
        clause=table.optional_text("clause", ""),
        period=period,
        amount=amount,
        schedule=schedule,
    )
    if kind is LimitKind.TRADED_VALUE:
        limit = _traded_value(table, limit)
    return limit


# The most a limit by traded value may multiply the mean: 1 is 100 % of it, so 100 typed for
# 100 % is refused rather than read as a hundred days' trading.
MOST_TRADED_VALUE_MULTIPLE = 10


def _traded_value(table: TableReader, limit: Limit) -> Limit:
    """``multiple`` (more than 0, at most 10), ``sessions`` (1 to 250) and ``price`` (optional,
    ``vwap``): each advance at most the multiple of the mean daily traded value."""
    multiple = table.multiple("multiple", MOST_TRADED_VALUE_MULTIPLE, "100 % of the mean is 1")
    return replace(
        limit,
        multiple=multiple,
        sessions=table.integer("sessions", 1, 250),
        price=table.choice("price", PriceSeries) if "price" in table.data else PriceSeries.VWAP,
    )


def read_condition(key: str, table: TableReader) -> Condition:
    kind = table.choice("kind", ConditionKind)
    return Condition(
        key=key,
        kind=kind,
        clause=table.text("clause"),
        text=table.text("text"),
        event=table.text("event") if kind is ConditionKind.NO_EVENT else None,
        after=table.date("after") if kind is ConditionKind.MILESTONES else None,
        requires=table.names("requires") if kind is ConditionKind.MILESTONES else (),
    )


def _word(name: str, value: str, vocabulary: type[W]) -> W:
    try:
        return vocabulary(value)
    except ValueError:
        words = list(vocabulary)
        wanted = f"'{words[0]}'" if len(words) == 1 else f"one of {allowed(vocabulary)}"
        raise TermsError(detail=f"{name} must be {wanted}, got {show(value)}") from None
