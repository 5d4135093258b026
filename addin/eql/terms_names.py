"""The flat dotted names of a facility's terms (``pricing.factor``, ``limits.quarter.amount``,
``limits.cash_used.pct.FY2003 Q3``): the tables of a terms file as name/value entries and back,
and an override's value read in the type of the value it replaces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from eql.errors import EqlError, TermsError
from eql.values import parse_bool, parse_date, parse_decimal, show

# A flat entry: dotted name and value; the value is a str, bool, int, Decimal, date or a tuple
# of str. Tables named here may take new keys by override (a new quarter in the schedule).
Entry = tuple[str, Any]
OPEN_TABLES = ("limits.cash_used.pct.",)


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


def unflatten(entries: Iterable[Entry]) -> dict[str, Any]:
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


def coerce(key: str, value: Any, like: Any) -> Any:
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


# The terms a Terms range carries whole (see eql.terms.complete_terms) come as cells: a date as a
# date or a serial number, TRUE as 1 (LibreOffice), a list as text ("vwap, close"). These names
# (``*`` a key the terms file chooses: a cap's, a waiver's ...) take a date, TRUE or FALSE, or a
# list; every other term is read as the cell gives it (a number, a text). An amendment's
# ``set.<term>`` is typed as <term>.
DATE_TERMS = (
    "facility.term_sheet_date",
    "facility.term_start",
    "facility.term_end",
    "conditions.*.after",
    "share_caps.*.signed",
    "share_caps.*.approved_on",
    "waivers.*.from",
    "waivers.*.to",
    "amendments.*.effective",
)
FLAG_TERMS = (
    "reductions.cap_at_unfunded",
    "reductions.same_day_draws_funded",
    "share_caps.*.count_issued_since",
    "share_caps.*.approved",
    "share_caps.*.unpaid_in_average",
    "waivers.*.applies",
    "amendments.*.applies",
)
LIST_TERMS = (
    "shares.per_purchase_at_or_above",
    "shares.per_purchase_most",
    "purchases.accelerated.series",
    "conditions.*.requires",
    "waivers.*.conditions",
)


def _matches(parts: list[str], pattern: str) -> bool:
    wanted = pattern.split(".")
    return len(parts) == len(wanted) and all(
        w in ("*", p) for w, p in zip(wanted, parts, strict=True)
    )


def cell_like(name: str, value: Any) -> Any:
    """A value of the type the term ``name`` takes, for :func:`coerce`ing a cell given for it
    where no terms say its type."""
    parts = _split(name)
    if len(parts) > 3 and parts[0] == "amendments" and parts[2] == "set":
        parts = parts[3:]
    if any(_matches(parts, pattern) for pattern in DATE_TERMS):
        return dt.date.min
    if any(_matches(parts, pattern) for pattern in FLAG_TERMS):
        return False
    if any(_matches(parts, pattern) for pattern in LIST_TERMS):
        return ()
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return Decimal(0)
    if isinstance(value, dt.date):
        return dt.date.min
    return ""
