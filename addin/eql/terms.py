"""The terms of a facility: a data file loaded into frozen dataclasses.

The Valence 2002 term sheet (``data/valence_2002.toml``) is the default. A terms file is TOML;
every value in it also has a flat dotted name (``pricing.factor``, ``limits.quarter.amount``,
``limits.cash_used.pct.FY2003 Q3``, ``conditions.ii.after``) by which one value can be overridden,
from a name/value range in Excel or from the command line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from eql.errors import EqlError, TermsError
from eql.values import parse_bool, parse_date, parse_decimal, parse_fiscal_label, show
from eql.vocabulary import (
    ConditionKind,
    LimitKind,
    Period,
    PriceSeries,
    PricingRuleKind,
    PricingWindow,
    Rounding,
    allowed,
)

DEFAULT_TERMS = "valence_2002.toml"

W = TypeVar("W", bound=StrEnum)

# A flat entry: dotted name and value; the value is a str, bool, int, Decimal, date or a tuple
# of str. Tables named here may take new keys by override (a new quarter in the schedule).
Entry = tuple[str, Any]
OPEN_TABLES = ("limits.cash_used.pct.",)


@dataclass(frozen=True)
class PricingRule:
    """How a purchase price is set: ``factor`` × the ``rule`` over ``sessions`` sessions."""

    rule: PricingRuleKind
    sessions: int
    window: PricingWindow
    factor: Decimal
    rounding: str  # "none", or "<quantum> <mode>" such as "0.0001 half_up"
    series: PriceSeries = PriceSeries.CLOSE  # the daily price averaged: close, or closing bid
    lowest: int = 0  # for mean_lowest: how many of the lowest daily prices are averaged
    floor: Decimal | None = None  # no purchase at a price below it; None: no floor


@dataclass(frozen=True)
class Limit:
    """One limit on funding, named by the terms: per period, the commitment, or cash used."""

    key: str
    kind: LimitKind
    label: str
    clause: str
    period: str  # a Period, or "" for a limit not counted per period (the commitment)
    amount: Decimal | None
    schedule: tuple[tuple[str, Decimal], ...]  # fiscal quarter label -> share of cash used


@dataclass(frozen=True)
class Condition:
    """One condition to funding: no event since the term sheet, or milestones after a date."""

    key: str
    kind: ConditionKind
    clause: str
    text: str
    event: str | None
    after: dt.date | None
    requires: tuple[str, ...]


@dataclass(frozen=True)
class Waiver:
    """The investor's waiver of named conditions for funding dates from ``start`` to ``end``
    inclusive (``[waivers.<name>]``): a waived condition that fails does not block funding, and the
    status says it passed only because it was waived. ``applies = false`` sets it aside."""

    key: str
    conditions: tuple[str, ...]  # keys of [conditions.<key>] tables
    start: dt.date
    end: dt.date
    source: str
    applies: bool


@dataclass(frozen=True)
class Amendment:
    """Terms changed from a date on (``[amendments.<name>]``): from ``effective``, every term named
    in ``changes`` takes its new value for funding and purchase dates on or after it."""

    key: str
    effective: dt.date
    changes: tuple[Entry, ...]  # dotted term name -> new value
    source: str
    applies: bool


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

    def limit(self, kind: str) -> Limit | None:
        """The first limit of ``kind`` (a :class:`LimitKind` word), if the terms have one."""
        return next((limit for limit in self.limits if limit.kind == kind), None)

    def with_overrides(self, overrides: Iterable[tuple[str, Any]]) -> Terms:
        """These terms with some values replaced; each name must be one the terms know."""
        pairs = tuple(overrides)
        if not pairs:
            return self
        current = dict(self.entries)
        given: set[str] = set()
        for name, value in pairs:
            key = str(name).strip()
            if key in given:  # the last one would win silently
                raise TermsError(detail=f"term {show(key)} is given twice")
            given.add(key)
            if key in current:
                current[key] = _coerce(key, value, current[key])
            elif key.startswith(OPEN_TABLES):
                current[key] = _coerce(key, value, Decimal(0))
            else:
                close = difflib.get_close_matches(key, current, n=1)
                hint = (
                    f"; did you mean {close[0]!r}?"
                    if close
                    else " (the template's Terms sheet lists every name)"
                )
                raise TermsError(detail=f"unknown term {show(key)}{hint}")
        data = _unflatten(current.items())
        for table in ("conditions", "milestones"):  # an empty table has no entry to flatten
            data.setdefault(table, {})
        return replace(_build(data), source=self.source)


def load_terms(path: str | Path | None = None) -> Terms:
    """Terms from a TOML file, or the built-in Valence 2002 terms when no path is given."""
    if path is None:
        return default_terms()
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"), parse_float=Decimal)
    except FileNotFoundError:
        raise TermsError(detail=f"no terms file at {file}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise TermsError(detail=f"cannot read {file}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise TermsError(detail=f"{file} is not valid TOML: {error}") from None
    return replace(_build(data), source=str(file.resolve()))


@lru_cache(maxsize=1)
def default_terms() -> Terms:
    text = resources.files("eql").joinpath("data", DEFAULT_TERMS).read_text(encoding="utf-8")
    return _build(tomllib.loads(text, parse_float=Decimal))


def terms_with(overrides: tuple[tuple[str, Any], ...]) -> Terms:
    """The default terms with overrides.

    Excel passes the same Terms range again and again, so the terms are kept by the overrides'
    names, types and exact values: TRUE and 1, or 1 and 1.0, are different overrides (one may be
    refused where the other is read), and a value of any other type is read afresh each time.
    """
    key = _override_key(overrides)
    if key is None:
        return _overridden(overrides)
    return _kept_terms(_Overrides(key, overrides))


# The name of a Terms range row naming the facility whose terms the other rows override.
FACILITY = "facility"


def facility_terms(name: str) -> Terms:
    """A facility's terms by name: a built-in one (the stem of a file of eql's data folder, such as
    ``berg_2004``), or a terms file's path ending in ``.toml``, read afresh each time."""
    stem = name.strip()
    if _is_file(stem):
        return load_terms(stem)
    return _builtin_facility(stem)


def _is_file(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower().endswith(".toml")


@lru_cache(maxsize=16)
def _builtin_facility(stem: str) -> Terms:
    builtin = resources.files("eql").joinpath("data", f"{stem}.toml")
    if stem and "/" not in stem and "\\" not in stem and builtin.is_file():
        terms = _build(tomllib.loads(builtin.read_text(encoding="utf-8"), parse_float=Decimal))
        return terms if stem == DEFAULT_TERMS[: -len(".toml")] else replace(terms, source=stem)
    raise TermsError(
        detail=f"no facility named {show(stem)}; built-in: {', '.join(builtin_facilities())}, or a terms file ending in .toml"
    )


def builtin_facilities() -> list[str]:
    """The names of the facilities shipped with eql."""
    folder = resources.files("eql").joinpath("data")
    return sorted(
        item.name[: -len(".toml")] for item in folder.iterdir() if item.name.endswith(".toml")
    )


def _overridden(overrides: tuple[tuple[str, Any], ...]) -> Terms:
    """The terms a Terms range gives: those of the facility it names (the built-in default when
    none), with every other row as an override."""
    base = default_terms()
    rest = []
    for name, value in overrides:
        if str(name).strip() == FACILITY:
            if not isinstance(value, str):
                raise TermsError(detail=f"{FACILITY} must name a facility, got {show(value)}")
            base = facility_terms(value)
        else:
            rest.append((name, value))
    return base.with_overrides(rest)


# The types whose repr tells apart every value that reads differently.
_KEYED_TYPES = frozenset({str, bool, int, float, Decimal, dt.date, dt.datetime})


def _override_key(overrides: tuple[tuple[str, Any], ...]) -> tuple[tuple[str, str], ...] | None:
    if not all(type(value) in _KEYED_TYPES for _, value in overrides):
        return None
    if any(str(name).strip() == FACILITY and _is_file(value) for name, value in overrides):
        return None  # a terms file may change between calls: it is read afresh each time
    return tuple((str(name), f"{type(value).__name__} {value!r}") for name, value in overrides)


@dataclass(frozen=True)
class _Overrides:
    """Overrides as the terms cache keeps them: compared and hashed by their key alone."""

    key: tuple[tuple[str, str], ...]
    pairs: tuple[tuple[str, Any], ...] = field(compare=False, hash=False)


@lru_cache(maxsize=64)
def _kept_terms(overrides: _Overrides) -> Terms:
    return _overridden(overrides.pairs)


def flatten(data: Mapping[str, Any], prefix: str = "") -> list[Entry]:
    entries: list[Entry] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            entries.extend(flatten(value, f"{name}."))
        elif isinstance(value, list):
            entries.append((name, tuple(str(item) for item in value)))
        elif isinstance(value, int) and not isinstance(value, bool):
            entries.append((name, Decimal(value)))
        else:
            entries.append((name, value))
    return entries


def _unflatten(entries: Iterable[Entry]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for name, value in entries:
        *parents, leaf = _split(name)
        table = nested
        for part in parents:
            table = table.setdefault(part, {})
        table[leaf] = list(value) if isinstance(value, tuple) else value
    return nested


def _split(name: str) -> list[str]:
    # The cash-used schedule is keyed by quarter labels, which hold a space but never a dot.
    return name.split(".")


def _coerce(key: str, value: Any, like: Any) -> Any:
    """An override value in the type of the value it replaces."""
    try:
        if isinstance(like, bool):
            return parse_bool(value, f"term {key}")
        if isinstance(like, Decimal):
            return parse_decimal(value, f"term {key}")
        if isinstance(like, dt.date):
            return parse_date(value, f"term {key}")
        if isinstance(like, tuple):
            if isinstance(value, tuple) and all(isinstance(part, str) for part in value):
                return value
            if not isinstance(value, str):
                raise TermsError(detail=f"{key} must be a list of names, got {show(value)}")
            return tuple(part for part in value.replace(",", " ").split() if part)
        if not isinstance(value, str) or not value.strip():
            raise TermsError(detail=f"{key} must be text, got {show(value)}")
        return value.strip()
    except TermsError:
        raise
    except EqlError as error:
        raise TermsError(detail=str(error)) from None


class _Reader:
    """Reads one table of a terms file; every complaint names the dotted key."""

    def __init__(self, data: Mapping[str, Any], prefix: str) -> None:
        self.data = data
        self.prefix = prefix

    def _get(self, key: str) -> Any:
        if key not in self.data:
            raise TermsError(detail=f"{self.prefix}{key} is missing")
        return self.data[key]

    def table(self, key: str) -> _Reader:
        value = self._get(key)
        if not isinstance(value, Mapping):
            raise TermsError(detail=f"{self.prefix}{key} must be a table")
        return _Reader(value, f"{self.prefix}{key}.")

    def tables(self) -> list[tuple[str, _Reader]]:
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


def _build(data: Mapping[str, Any], *, amended: bool = False) -> Terms:
    """Terms from a terms file's tables; with their amended versions unless ``amended`` (the
    build of one amended version, which carries none of its own)."""
    root = _Reader(data, "")
    facility = root.table("facility")
    pricing = root.table("pricing")
    fiscal = root.table("fiscal")
    # A facility may name no condition and no milestone: an empty table, or none at all (an empty
    # table has no dotted name, so terms rebuilt from their names have none).
    milestones = (
        root.table("milestones") if "milestones" in root.data else _Reader({}, "milestones.")
    )
    milestone_rows = tuple((key, milestones.text(key)) for key in milestones.data)

    rule = PricingRule(
        rule=pricing.choice("rule", PricingRuleKind),
        sessions=pricing.integer("sessions", 1, 250),
        window=pricing.choice("window", PricingWindow),
        factor=pricing.share("factor", zero=False),
        rounding=_rounding(pricing.text("price_rounding")),
        series=pricing.choice("series", PriceSeries)
        if "series" in pricing.data
        else PriceSeries.CLOSE,
    )
    if rule.rule in (PricingRuleKind.MEAN_LOWEST, PricingRuleKind.LOW_OR_MEAN_LOWEST_CLOSES):
        rule = replace(rule, lowest=pricing.integer("lowest", 1, rule.sessions))
    if "floor" in pricing.data:
        rule = replace(rule, floor=pricing.decimal("floor"))
    limits = tuple(_limit(key, table) for key, table in root.table("limits").tables())
    conditions = tuple(
        _condition(key, table) for key, table in _optional_tables(root, "conditions")
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
    waivers = tuple(_waiver(key, table, terms) for key, table in _optional_tables(root, "waivers"))
    amendments = tuple(
        _amendment(key, table, terms) for key, table in _optional_tables(root, "amendments")
    )
    terms = replace(terms, waivers=waivers, amendments=amendments)
    if amended:
        return terms
    return replace(terms, versions=_versions(terms, data))


def _optional_tables(root: _Reader, key: str) -> list[tuple[str, _Reader]]:
    return root.table(key).tables() if key in root.data else []


def _waiver(key: str, table: _Reader, terms: Terms) -> Waiver:
    waiver = Waiver(
        key=key,
        conditions=table.names("conditions"),
        start=table.date("from"),
        end=table.date("to"),
        source=table.text("source"),
        applies=table.flag("applies") if "applies" in table.data else True,
    )
    known = [condition.key for condition in terms.conditions]
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


def _amendment(key: str, table: _Reader, terms: Terms) -> Amendment:
    changes = tuple(flatten(table.table("set").data))
    if not changes:
        raise TermsError(detail=f"amendments.{key}.set changes no term")
    known = dict(terms.entries)
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


def _versions(terms: Terms, data: Mapping[str, Any]) -> tuple[tuple[dt.date, Terms], ...]:
    """The terms in force from each effective date on: every amendment that applies and is
    effective by then, applied in date order (a later amendment wins where two set one term)."""
    in_effect = sorted(
        (amendment for amendment in terms.amendments if amendment.applies),
        key=lambda amendment: amendment.effective,
    )
    versions: list[tuple[dt.date, Terms]] = []
    current = dict(flatten(data))
    for amendment in in_effect:
        for name, value in amendment.changes:
            current[name] = _coerce(name, value, current[name])
        amended = _build(_unflatten(current.items()), amended=True)
        if versions and versions[-1][0] == amendment.effective:
            versions[-1] = (amendment.effective, amended)
        else:
            versions.append((amendment.effective, amended))
    return tuple(versions)


def _rounding(text: str) -> str:
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
            detail=f"pricing.price_rounding must be 'none' or a quantum and one of {allowed(Rounding)} (e.g. '0.0001 half_up'), got {text!r}"
        )
    return text


def _limit(key: str, table: _Reader) -> Limit:
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
    return Limit(
        key=key,
        kind=kind,
        label=table.optional_text("label", key),
        clause=table.optional_text("clause", ""),
        period=period,
        amount=amount,
        schedule=schedule,
    )


def _condition(key: str, table: _Reader) -> Condition:
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
