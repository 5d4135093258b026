"""The answers of tests/resources/traded_value.csv as the ranges a spreadsheet hands over, shared
by the Python and the LibreOffice tests of the advance limit by traded value."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from fixtures import day, facility_answers

ANSWERS = "traded_value.csv"
FACILITY = ["facility", "yorkville_sepa"]
NO_PRICES = "none"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def rows() -> list[Any]:
    return facility_answers(ANSWERS)


def _cell(text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    return day(text) if _DATE.match(text) else float(text)


def prices(row: dict[str, str]) -> list[list[Any]] | None:
    """The prices range of a row: its header, then its rows of cells; None when it gives none."""
    if row["prices"] == NO_PRICES:
        return None
    header = [row["header"].split("|")] if row["header"] else []
    return header + [[_cell(cell) for cell in line.split(":")] for line in row["prices"].split(";")]


def terms(row: dict[str, str]) -> list[list[Any]]:
    """The facility, then each ``name=value`` override (a number when it reads as one)."""
    found: list[list[Any]] = [list(FACILITY)]
    for pair in filter(None, row["terms"].split(";")):
        name, value = pair.split("=")
        found.append([name, float(value) if re.fullmatch(r"[\d.]+", value) else value])
    return found


def draws(row: dict[str, str]) -> list[list[Any]] | None:
    pairs = [part.split(":") for part in row["draws"].split(";") if part]
    return [[day(date), float(amount)] for date, amount in pairs] or None


def expected(row: dict[str, str]) -> Any:
    """The answer as a cell holds it: a number (an exact fraction as its nearest float), or text."""
    expect = row["expect"]
    if row["function"] == "cap" and not expect.startswith("#"):
        return float(Fraction(expect))
    return expect
