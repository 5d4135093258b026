"""eql from Python, for analysts who work in notebooks: a facility, its schedule as a pandas
DataFrame, and its caps on a date.

>>> from eql import api
>>> facility = api.load()  # the example facility; api.load("facility.xlsx") or a CSV folder
>>> frame = api.schedule(facility)
>>> len(frame), list(frame.columns[:3])
(13, ['date', 'requested', 'fiscal_quarter'])
>>> first = frame.iloc[0]
>>> first["date"], first["price"], int(first["shares"])
(Timestamp('2002-04-15 00:00:00'), Decimal('2.1539'), 2321371)
>>> frame["funded"].sum()
Decimal('22000000')
>>> caps = api.caps(facility, "2002-11-15")
>>> caps.loc["(v) cash used in operations", ["allowed", "used", "room"]].tolist()
[Decimal('3000000.00'), Decimal('2000000'), Decimal('1000000.00')]
>>> api.cap_on(facility, "2002-11-15").amount
Decimal('1000000.00')

Conversions, made once here: dates are pandas Timestamps (a ``datetime64`` column); amounts,
prices and closes stay :class:`~decimal.Decimal` (an ``object`` column: exact, and
``frame["price"].astype(float)`` when a float is wanted); share counts and term quarters are
nullable integers (``Int64``). A value the engine could not compute is missing (``NaN``/``NaT``/
``<NA>``), and the reason is in the ``price_error`` column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from eql.caps import Cap, facts_for
from eql.caps import cap_on as _cap_on
from eql.facility import Facility
from eql.ledger import ScheduleRow
from eql.records import Draw
from eql.schedule_view import COLUMNS, Kind, values
from eql.sources import read_inputs
from eql.terms import Terms, load_terms
from eql.values import parse_date

__all__ = ["cap_on", "caps", "load", "schedule"]


def load(
    source: str | Path | None = None,
    *,
    terms: str | Path | Terms | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Facility:
    """A facility from a filled template workbook or a folder of CSV files (the example facility
    when ``source`` is None), with the terms of a terms file or object and any ``overrides``
    (``{"pricing.factor": "0.80"}``, as ``--set`` takes them)."""
    chosen = terms if isinstance(terms, Terms) else load_terms(terms)
    if overrides:
        chosen = chosen.with_overrides(overrides.items())
    return read_inputs(None if source is None else Path(source), chosen)


def schedule(facility: Facility) -> pd.DataFrame:
    """Every request in date order, checked against the requests funded before it; one column
    per column of ``eql schedule`` (keyed as its ``--columns`` and JSON are), and ``price_error``."""
    rows = facility.schedule()
    table = values(rows, facility.terms, COLUMNS)
    data: dict[str, Any] = {}
    for i, column in enumerate(COLUMNS):
        cells = [row[i] for row in table]
        if column.kind is Kind.TEXT:
            data[column.key] = pd.Series(cells, dtype=object)
            continue
        known = [None if isinstance(cell, str) else cell for cell in cells]  # an error's text
        if column.kind is Kind.DATE:
            data[column.key] = pd.to_datetime(pd.Series(known, dtype=object))
        elif column.kind in (Kind.COUNT, Kind.NUMBER):
            data[column.key] = pd.Series(known, dtype="Int64")
        else:
            data[column.key] = pd.Series(known, dtype=object)
    data["price_error"] = pd.Series([_price_error(row) for row in rows], dtype=object)
    return pd.DataFrame(data)


def _price_error(row: ScheduleRow) -> str | None:
    return None if row.price_error is None else str(row.price_error)


def cap_on(facility: Facility, day: dt.date | str) -> Cap:
    """The most that may be funded on ``day`` after the draws the schedule funds on or before it
    (the engine's record: ``amount``, ``binds``, and each limit's ``rooms``)."""
    when = parse_date(day, "day")
    funded = [
        Draw(row.request.date, row.funded, row.request.row)
        for row in facility.schedule()
        if row.funded
    ]
    facts = facts_for(
        funded, facility.cash_used, facility.reductions, facility.terms, facility.prices
    )
    return _cap_on(when, facts, facility.terms)


def caps(facility: Facility, day: dt.date | str) -> pd.DataFrame:
    """Each limit on ``day``, indexed by its name: what it allows, what is used, the room left,
    whether it binds, and how the allowance is reached. Empty outside the term."""
    found = cap_on(facility, day)
    binding = {room.name for room in found.binding}
    return pd.DataFrame(
        {
            "allowed": [room.allowed for room in found.rooms],
            "used": [room.used for room in found.rooms],
            "room": [room.room for room in found.rooms],
            "binds": [room.name in binding for room in found.rooms],
            "basis": [room.basis for room in found.rooms],
        },
        index=pd.Index([room.name for room in found.rooms], name="limit"),
    )
