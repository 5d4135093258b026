"""Cells of a ledger the finance team keeps themselves: dates however they were typed, headings
however they were spelled, column letters.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

from eql.errors import InputError
from eql.values import is_blank, is_excel_error, parse_date, show

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# The finance team is American: a slashed date is month/day/year, as Excel in the US types it.
_US = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})[- ]([A-Za-z]{3,9})\.?[- ,]+(\d{4})\s*$")
_MONTH_DAY_YEAR = re.compile(r"^\s*([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\s*$")


def ledger_date(value: Any, name: str) -> dt.date:
    """A date from a date cell, a serial number, ISO text, or text as typed in a US workbook:
    ``4/15/2002``, ``15-Apr-2002``, ``April 15, 2002``.
    """
    if isinstance(value, str) and not is_blank(value):
        text = value.strip()
        parts: tuple[int, int, int] | None = None
        if match := _US.match(text):
            month, day, year = (int(part) for part in match.groups())
            parts = (year, month, day)
        elif match := _DAY_MONTH_YEAR.match(text):
            day_text, month_text, year_text = match.groups()
            month_number = _MONTHS.get(month_text.lower())
            if month_number:
                parts = (int(year_text), month_number, int(day_text))
        elif match := _MONTH_DAY_YEAR.match(text):
            month_text, day_text, year_text = match.groups()
            month_number = _MONTHS.get(month_text.lower())
            if month_number:
                parts = (int(year_text), month_number, int(day_text))
        if parts is not None:
            try:
                return dt.date(*parts)
            except ValueError:
                raise InputError(
                    name=name, problem="is not a real date", value=show(value)
                ) from None
    return parse_date(value, name)


def heading(value: Any) -> str:
    """A heading reduced to its words: ``Purchase Price ($/share):`` reads ``purchase price share``."""
    if not isinstance(value, str) or is_excel_error(value):
        return (
            ""  # an error (#NAME? where a spreadsheet lacks the add-in) is a value, not a heading
        )
    text = value.lower().replace("#", " number ").replace("no.", "number")
    words = re.findall(r"[a-z]+", text)
    return " ".join(word for word in words if word not in {"usd", "us", "the", "of", "in"})


def column_letter(index: int) -> str:
    return str(get_column_letter(index))


def column_index(letter: str) -> int:
    """A column letter (``B``, ``AA``) as a 1-based index; anything else is refused by name."""
    text = letter.strip().upper()
    if not re.fullmatch(r"[A-Z]{1,3}", text):
        raise InputError(
            name="--map column", problem="must be a column letter such as B", value=show(letter)
        )
    try:
        return int(column_index_from_string(text))
    except ValueError:
        raise InputError(
            name="--map column", problem="is past Excel's last column XFD", value=show(letter)
        ) from None


def coordinate(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"
