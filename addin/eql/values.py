"""Parsers for values as a spreadsheet hands them over: one parser per kind, each with one job.

Excel gives floats (dates as serial numbers when unformatted), ``datetime`` for date cells, ``None``
for blanks and strings for anything else. These turn them into ``date`` and ``Decimal`` once, at
the boundary, and raise :class:`~eql.errors.InputError` naming the input and the value otherwise.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from eql.errors import InputError

# Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 is the fictitious 1900-02-29
# (kept for Lotus 1-2-3 compatibility), so from serial 61 on, day 0 is 1899-12-30.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_FIRST_SERIAL = 1
EXCEL_FAKE_LEAP_DAY = 60
EXCEL_LAST_SERIAL = 2958465  # 9999-12-31
FIRST_DATE = dt.date(1900, 1, 1)

# Excel keeps 15 significant digits; a float it hands over is read back at that precision, so the
# cell that shows 2.24 is 2.24 and 0.1 + 0.2 computed in a cell is 0.3.
EXCEL_DIGITS = 15

# No amount, price or share count of a facility comes near this; larger is a typing error.
LARGEST = Decimal("1E+15")
_LARGEST_FLOAT = float(LARGEST)

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?\s*$")
_FISCAL_LABEL = re.compile(r"^\s*FY\s*(\d{4})\s*[- ]?\s*Q([1-4])\s*$", re.IGNORECASE)
_EXCEL_ERROR = re.compile(
    r"^#(?:N/A|VALUE!|REF!|DIV/0!|NUM!|NAME\?|NULL!|SPILL!|CALC!|GETTING_DATA)"
)


def show(value: Any) -> str:
    """A value as an error message quotes it: short, and blank for None."""
    if value is None or value == "":
        return "blank"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return repr(text)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def is_excel_error(value: Any) -> bool:
    return isinstance(value, str) and _EXCEL_ERROR.match(value.strip()) is not None


def from_serial(serial: float, name: str) -> dt.date:
    """The date of an Excel serial number (1900 system); a time of day is dropped.

    >>> from_serial(37347, "d"), from_serial(37347.75, "d"), from_serial(59, "d"), from_serial(61, "d")
    (datetime.date(2002, 4, 1), datetime.date(2002, 4, 1), datetime.date(1900, 2, 28), datetime.date(1900, 3, 1))
    """
    if not math.isfinite(serial):
        raise InputError(name=name, problem="must be a date", value=show(serial))
    day = math.floor(serial)
    if day == EXCEL_FAKE_LEAP_DAY:
        raise InputError(
            name=name,
            problem="is Excel's nonexistent day 1900-02-29 (serial 60)",
            value=show(serial),
        )
    if not EXCEL_FIRST_SERIAL <= day <= EXCEL_LAST_SERIAL:
        raise InputError(
            name=name,
            problem="must be a date between 1900-01-01 and 9999-12-31",
            value=show(serial),
        )
    offset = day if day > EXCEL_FAKE_LEAP_DAY else day + 1
    return EXCEL_EPOCH + dt.timedelta(days=offset)


def to_serial(day: dt.date) -> int:
    """The Excel serial number of a date (1900 system)."""
    offset = (day - EXCEL_EPOCH).days
    return offset if offset > EXCEL_FAKE_LEAP_DAY else offset - 1


def parse_date(value: Any, name: str) -> dt.date:
    """A date from a datetime, an Excel serial number or ISO text (YYYY-MM-DD)."""
    if isinstance(value, dt.date):
        given = value.date() if isinstance(value, dt.datetime) else value
        if given < FIRST_DATE:  # no Excel cell holds one; a caller's slip
            raise InputError(
                name=name,
                problem="must be a date between 1900-01-01 and 9999-12-31",
                value=show(value),
            )
        return given
    if isinstance(value, bool):
        raise InputError(name=name, problem="must be a date", value=show(value))
    if isinstance(value, int | float):
        return from_serial(float(value), name)
    if isinstance(value, Decimal):
        return from_serial(float(value), name)
    if is_blank(value):
        raise InputError(name=name, problem="is required (a date)", value="blank")
    if isinstance(value, str):
        if is_excel_error(value):
            raise InputError(name=name, problem="is an Excel error", value=show(value))
        match = _ISO_DATE.match(value)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                parsed = dt.date(year, month, day)
            except ValueError:
                raise InputError(
                    name=name, problem="is not a real date", value=show(value)
                ) from None
            # Excel's dates start in 1900; an earlier year typed as text is a slip, not a date.
            if parsed < FIRST_DATE:
                raise InputError(
                    name=name,
                    problem="must be a date between 1900-01-01 and 9999-12-31",
                    value=show(value),
                )
            return parsed
        raise InputError(name=name, problem="must be a date (YYYY-MM-DD)", value=show(value))
    raise InputError(name=name, problem="must be a date", value=show(value))


def plain_date(value: Any) -> dt.date | None:
    """The date of a date cell as Excel hands it over (a ``datetime`` from 1900 on), else None.

    The quick path of :func:`parse_date` for the common cell, taken before a caller builds the
    name a complaint would need; every other value goes to :func:`parse_date`.
    """
    if type(value) is dt.datetime:
        day = value.date()
        if day >= FIRST_DATE:
            return day
    return None


def plain_decimal(value: Any) -> Decimal | None:
    """A float cell below 1E+15 (in size) as its Decimal, else None.

    The quick path of :func:`parse_decimal` for the common cell, taken before a caller builds the
    name a complaint would need; every other value (NaN and infinities too) goes to
    :func:`parse_decimal`.
    """
    if type(value) is float and -_LARGEST_FLOAT < value < _LARGEST_FLOAT:
        return decimal_from_float(value)
    return None


def decimal_from_float(value: float) -> Decimal:
    """A float from a cell as the decimal Excel shows: 15 significant digits, trailing zeros cut.

    >>> decimal_from_float(2.24), decimal_from_float(0.1 + 0.2), decimal_from_float(5e6)
    (Decimal('2.24'), Decimal('0.3'), Decimal('5000000'))
    """
    if value.is_integer() and -_LARGEST_FLOAT < value < _LARGEST_FLOAT:
        return Decimal(int(value))  # exact, and zero is Decimal(0) whatever its sign
    text = repr(value)
    if len(text) <= EXCEL_DIGITS + 1 and "e" not in text:
        # At most 15 digits and a point, no trailing zero: already the decimal Excel shows.
        return Decimal(text)
    exact = Decimal(text)
    digits = exact.adjusted() + 1
    rounded = round(exact, EXCEL_DIGITS - digits)
    if rounded == rounded.to_integral_value():
        return Decimal(int(rounded))
    return rounded.normalize()


def parse_decimal(value: Any, name: str) -> Decimal:
    """A finite number from a float, an int, a Decimal or text such as ``5,000,000`` or ``75%``."""
    if isinstance(value, bool):
        raise InputError(name=name, problem="must be a number", value=show(value))
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(name=name, problem="must be a finite number", value=show(value))
        number = decimal_from_float(value)
    elif is_blank(value):
        raise InputError(name=name, problem="is required (a number)", value="blank")
    elif isinstance(value, str):
        if is_excel_error(value):
            raise InputError(name=name, problem="is an Excel error", value=show(value))
        text = value.strip().replace(",", "").replace("$", "").replace("_", "")
        percent = text.endswith("%")
        if percent:
            text = text[:-1].strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise InputError(name=name, problem="must be a number", value=show(value)) from None
        if percent:
            number = number / 100
    else:
        raise InputError(name=name, problem="must be a number", value=show(value))
    if not number.is_finite():
        raise InputError(name=name, problem="must be a finite number", value=show(value))
    if abs(number) > LARGEST:
        raise InputError(name=name, problem="is too large (at most 1E+15)", value=show(value))
    return number


def parse_amount(value: Any, name: str) -> Decimal:
    """A dollar amount that must be more than zero."""
    number = parse_decimal(value, name)
    if number <= 0:
        raise InputError(name=name, problem="must be positive", value=show(value))
    return number


def parse_bool(value: Any, name: str) -> bool:
    """TRUE or FALSE from a logical cell, its text, or 1 and 0: LibreOffice hands a TRUE cell to
    an add-in as the number 1 (its logical values are numbers), so 1 and 0 are how it says them."""
    if isinstance(value, bool):
        return value
    if type(value) in (int, float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().upper() in {"TRUE", "FALSE", "YES", "NO"}:
        return value.strip().upper() in {"TRUE", "YES"}
    raise InputError(name=name, problem="must be TRUE or FALSE", value=show(value))


def parse_fiscal_label(value: Any, name: str) -> tuple[int, int]:
    """(fiscal year, quarter number) from a label such as ``FY2003 Q1`` (also ``fy2003-q1``).

    >>> parse_fiscal_label("FY2003 Q1", "q"), parse_fiscal_label(" fy2004-q4 ", "q")
    ((2003, 1), (2004, 4))
    """
    match = _FISCAL_LABEL.match(value) if isinstance(value, str) else None
    if match is None:
        raise InputError(
            name=name, problem="must be a fiscal quarter such as 'FY2003 Q1'", value=show(value)
        )
    return int(match.group(1)), int(match.group(2))
