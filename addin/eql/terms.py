"""The terms of a facility: a data file loaded into frozen dataclasses.

The Valence 2002 term sheet (``data/valence_2002.toml``) is the default. A terms file is TOML;
every value in it also has a flat dotted name (``pricing.factor``, ``limits.quarter.amount``,
``limits.cash_used.pct.FY2003 Q3``, ``conditions.ii.after``) by which one value can be overridden,
from a name/value range in Excel or from the command line.

This module finds the terms: a file, a built-in facility by name, or a Terms range (kept by its
overrides, as Excel passes the same range again and again). The records are in
:mod:`eql.terms_records`, reading each of a file's tables into them in :mod:`eql.terms_tables`,
putting them together into the terms in :mod:`eql.terms_reader`, and the flat names in
:mod:`eql.terms_names`.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from eql.errors import TermsError
from eql.terms_names import cell_like, coerce, unflatten
from eql.terms_reader import Terms, build_terms
from eql.terms_records import Amendment, Condition, Limit, PricingRule, Waiver
from eql.values import show

__all__ = [
    "DEFAULT_TERMS",
    "FACILITY",
    "TERMS_FILE",
    "Amendment",
    "Condition",
    "Limit",
    "PricingRule",
    "Terms",
    "Waiver",
    "builtin_facilities",
    "complete_terms",
    "default_terms",
    "facility_terms",
    "load_terms",
    "range_terms",
    "terms_with",
]

DEFAULT_TERMS = "valence_2002.toml"


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
    return replace(build_terms(data), source=str(file.resolve()))


@lru_cache(maxsize=1)
def default_terms() -> Terms:
    return _builtin_facility(DEFAULT_TERMS[: -len(".toml")])


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
        terms = build_terms(tomllib.loads(builtin.read_text(encoding="utf-8"), parse_float=Decimal))
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
    return range_terms(overrides, default_terms())


def range_terms(rows: Sequence[tuple[str, Any]], base: Terms) -> Terms:
    """The terms a Terms range gives: with a ``terms_file`` row (TERMS_FILE), its rows are the
    whole terms; otherwise those of the facility it names (``base`` when none), with every other
    row as an override."""
    named = [str(name).strip() for name, _ in rows]
    if TERMS_FILE in named:
        if FACILITY in named:
            raise TermsError(
                detail=f"a Terms range names a {FACILITY} or carries its terms whole "
                f"({TERMS_FILE}), not both"
            )
        return complete_terms(rows)
    rest = []
    for name, value in rows:
        if str(name).strip() == FACILITY:
            if not isinstance(value, str):
                raise TermsError(detail=f"{FACILITY} must name a facility, got {show(value)}")
            base = facility_terms(value)
        else:
            rest.append((name, value))
    return base.with_overrides(rest)


# The name of a Terms range row saying that the range carries every term itself, as the terms
# file named by its value (information only: the file is never read) held them.
TERMS_FILE = "terms_file"


def complete_terms(rows: Sequence[tuple[str, Any]]) -> Terms:
    """Terms from a Terms range that holds every term (``eql template --terms FILE`` writes
    one), each cell read in the type its term takes; nothing else is read."""
    source = ""
    values: dict[str, Any] = {}
    for name, value in rows:
        key = str(name).strip()
        if key in values or (key == TERMS_FILE and source):
            raise TermsError(detail=f"term {show(key)} is given twice")
        if key == TERMS_FILE:
            source = str(value).strip() if isinstance(value, str) else ""
            if not _is_file(source):
                raise TermsError(
                    detail=f"{TERMS_FILE} must name a file ending in .toml, got {show(value)}"
                )
            continue
        values[key] = coerce(key, value, cell_like(key, value))
    data = unflatten(values.items())
    for table in ("conditions", "milestones"):  # an empty table has no entry to flatten
        data.setdefault(table, {})
    return replace(build_terms(data), source=source)


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
