"""Rows copied as Excel hands them over on every call, for the tests of the fast paths and for
the benchmark (bench/), which must hand the functions what xlwings would."""

from __future__ import annotations

import datetime as dt
from typing import Any


def excel_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """The rows as Excel hands them over on every call: new lists and new cell objects (dates as
    naive midnight datetimes, numbers as floats), so nothing is shared with an earlier call."""
    return [[_excel_cell(cell) for cell in row] for row in rows]


def _excel_cell(cell: Any) -> Any:
    if isinstance(cell, dt.datetime):
        return dt.datetime(cell.year, cell.month, cell.day)
    if isinstance(cell, float):
        return float(repr(cell))
    return cell
