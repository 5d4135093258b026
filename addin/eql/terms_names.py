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
