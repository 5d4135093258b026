"""Parsers for values as a spreadsheet hands them over: one parser per kind, each with one job.

Excel gives floats (dates as serial numbers when unformatted), ``datetime`` for date cells, ``None``
for blanks and strings for anything else. These turn them into ``date`` and ``Decimal`` once, at
the boundary, and raise :class:`~eql.errors.InputError` naming the input and the value otherwise.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from decimal import Decimal
from typing import Any

from eql.errors import InputError, ResultRangeError

# Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 is the fictitious 1900-02-29
# (kept for Lotus 1-2-3 compatibility), so from serial 61 on, day 0 is 1899-12-30.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_FIRST_SERIAL = 1
EXCEL_FAKE_LEAP_DAY = 60
EXCEL_LAST_SERIAL = 2958465  # 9999-12-31
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(9999, 12, 31)

# Excel keeps 15 significant digits; a float it hands over is read back at that precision, so the
# cell that shows 2.24 is 2.24 and 0.1 + 0.2 computed in a cell is 0.3.
EXCEL_DIGITS = 15

# No amount, price or share count of a facility comes near this; larger is a typing error.
LARGEST = Decimal("1E+15")
_LARGEST_FLOAT = float(LARGEST)
# The smallest size of a number other than 0 that an Excel cell holds (Excel's specifications
# and limits: "Smallest allowed positive number 2.2251E-308"); a smaller one is refused, never
# read as 0 or carried into a result no cell can show.
SMALLEST = Decimal("2.2251E-308")
_SMALLEST_FLOAT = float(SMALLEST)

# How long a value may be where a message quotes it; a longer one is shown by its start and size.
SHOWN = 40

# Numeric text as a US spreadsheet reads it when typed: digits with an optional decimal point,
# thousands separated by commas in groups of three, a leading sign or accounting parentheses for
# a negative, a dollar sign, a trailing percent sign, or an exponent (5E6). Anything else (2,24
# or 1.000,50 in a European locale, $$5$$, 1_000) is refused, never read as some other number.
_NUMBER_TEXT = re.compile(
    r"""\s*(?P<open>\()?\s*
    (?P<sign>[-+])?\s*(?P<dollar>\$)?\s*(?P<sign_after_dollar>[-+])?
    (?P<digits>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
    (?P<exponent>[eE][-+]?[0-9]+)?
    \s*(?P<percent>%)?\s*(?P<close>\))?\s*""",
    re.VERBOSE | re.ASCII,
)
NUMBER_TEXT_EXAMPLES = "1,000,000.50, $5,000,000, 85% or 5E6"

_ISO_DATE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?\s*$", re.ASCII
)
# Fiscal quarter labels as finance teams write them: FY2003 Q1, FY2003-Q1, Q1 FY2003, FY03 Q1,
# Q1 FY03. A year without "FY" (Q1 2003) could be a calendar or a fiscal quarter, so it is read
# only when the fiscal year is the calendar year.
_FISCAL_LABELS = (
    re.compile(
        r"FY\s*(?P<year>\d{4}|\d{2})\s*[- ]?\s*Q(?P<number>[1-4])", re.IGNORECASE | re.ASCII
    ),
    re.compile(
        r"Q(?P<number>[1-4])\s*[- ]?\s*FY\s*(?P<year>\d{4}|\d{2})", re.IGNORECASE | re.ASCII
    ),
)
_YEAR_QUARTER_LABELS = (
    re.compile(r"Q(?P<number>[1-4])\s*[- ]?\s*(?P<year>\d{4})", re.IGNORECASE | re.ASCII),
    re.compile(r"(?P<year>\d{4})\s*[- ]?\s*Q(?P<number>[1-4])", re.IGNORECASE | re.ASCII),
)
# Two-digit years as Excel reads them when typed: 00 to 29 are 2000 to 2029, 30 to 99 are 1930
# to 1999 (Microsoft's "How Excel works with two-digit year numbers").
TWO_DIGIT_YEAR_PIVOT = 30
FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 1900, 9999
_EXCEL_ERROR = re.compile(
    r"^#(?:N/A|VALUE!|REF!|DIV/0!|NUM!|NAME\?|NULL!|SPILL!|CALC!|GETTING_DATA)"
)
# The types a spreadsheet hands over, which a message quotes as they are; any other is named.
_PLAIN = frozenset({str, bool, int, float, Decimal, dt.date, dt.datetime, list, tuple})


def show(value: Any) -> str:
    """A value as an error message quotes it: short, blank for None, a long one by its start
    and size, and a value of an unusual type with its type.

    >>> show(None), show(2.0), show("x" * 50), show(10**50), show([[1]] * 3), show([[1]] * 50)
    ('blank', '2', "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (50 characters)", '10000000000000000000... (51 digits)', '[[1], [1], [1]]', 'a range of 50 rows')
    """
    kind = type(value)
    if value is None or (kind is str and value == ""):
        return "blank"
    if isinstance(value, str):
        if len(value) <= SHOWN:
            return repr(value)
        return f"{value[: SHOWN - 3] + '...'!r} ({len(value):,} characters)"
    if isinstance(value, list | tuple) and len(value) > SHOWN:  # not even read: a range is big
        return f"a range of {len(value):,} rows"
    if isinstance(value, dt.datetime) and kind in _PLAIN:
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**SHOWN:
        text = str(abs(value))
        return f"{'-' if value < 0 else ''}{text[:20]}... ({len(text):,} digits)"
    try:
        text = str(value)
    except Exception:  # an object whose text fails is still named by its type
        text = "?"
    if len(text) > SHOWN:
        text = f"{text[: SHOWN - 3]}... ({len(text):,} characters)"
    if kind in _PLAIN:
        return text
    module = kind.__module__.split(".")[0]
    named = kind.__name__ if module == "builtins" else f"{module} {kind.__name__}"
    return f"{text} ({named})"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def is_excel_error(value: Any) -> bool:
    return isinstance(value, str) and _EXCEL_ERROR.match(value.strip()) is not None


def from_serial(serial: float, name: str) -> dt.date:
    """The date of an Excel serial number (1900 system); a time of day is dropped.

    >>> from_serial(37347, "d"), from_serial(37347.75, "d"), from_serial(59, "d"), from_serial(61, "d")
    (datetime.date(2002, 4, 1), datetime.date(2002, 4, 1), datetime.date(1900, 2, 28), datetime.date(1900, 3, 1))
    """
    return _serial_date(serial, name)


def _serial_day(serial: Any) -> int | None:
    """The whole day of a serial number of any real type, or None when it is not finite."""
    if isinstance(serial, numbers.Integral):
        return int(serial)
    if isinstance(serial, Decimal):
        return math.floor(serial) if serial.is_finite() else None
    if isinstance(serial, numbers.Rational):
        return math.floor(serial)  # type: ignore[return-value]
    number = float(serial)  # a float, or another real type (NumPy's)
    return math.floor(number) if math.isfinite(number) else None


def _serial_date(serial: Any, name: str) -> dt.date:
    try:
        day = _serial_day(serial)
    except (OverflowError, ValueError, TypeError):
        day = None
    if day is None:
        raise InputError(name=name, problem="must be a date", value=show(serial))
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


def is_real(value: Any) -> bool:
    """Whether a value is a number that is neither a truth value nor text: an int, a float, a
    Decimal, a Fraction or a NumPy number. A number of any such type is read as the same number,
    so equal values always read alike (a cache comparing values can never change an answer).
    """
    return isinstance(value, numbers.Real | Decimal) and not isinstance(value, bool)


def _calendar_date(value: dt.date, name: str) -> dt.date:
    """The calendar date of a date or datetime object (a time of day is dropped)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # A moment in a time zone has no one calendar date; a spreadsheet date has none.
        raise InputError(name=name, problem="must be a date without a time zone", value=show(value))
    if type(value) is dt.date:
        given = value
    else:  # a datetime, or a subclass such as pandas' Timestamp (whose NaT has no date)
        try:
            given = dt.date(value.year, value.month, value.day)
        except (TypeError, ValueError):
            raise InputError(name=name, problem="must be a date", value=show(value)) from None
    if given < FIRST_DATE:  # no Excel cell holds one; a caller's slip
        raise InputError(
            name=name, problem="must be a date between 1900-01-01 and 9999-12-31", value=show(value)
        )
    return given


def parse_date(value: Any, name: str) -> dt.date:
    """A date from a datetime, an Excel serial number or ISO text (YYYY-MM-DD)."""
    if isinstance(value, dt.date):
        return _calendar_date(value, name)
    if is_real(value):
        return _serial_date(value, name)
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
    name a complaint would need; every other value goes to :func:`parse_date`. It pays in the
    benchmark: without the quick paths the first parse of a 5,000-row price range took about
    1.4 times as long, and EQL_SCHEDULE of 10,000 draws about 1.25 times.
    """
    if type(value) is dt.datetime and value.tzinfo is None:
        day = value.date()
        if day >= FIRST_DATE:
            return day
    return None


def plain_decimal(value: Any) -> Decimal | None:
    """A float cell that a cell can hold and no larger than 1E+15 (in size) as its Decimal,
    else None.

    The quick path of :func:`parse_decimal` for the common cell, taken before a caller builds the
    name a complaint would need (see :func:`plain_date` for what it saves); every other value
    (NaN and infinities too) goes to :func:`parse_decimal`.
    """
    if type(value) is float and (_SMALLEST_FLOAT <= abs(value) < _LARGEST_FLOAT or value == 0):
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
    """A finite number a cell can hold: from a float, an int, a Decimal or another real number,
    or from text as a US spreadsheet reads it (``5,000,000``, ``$5,000,000``, ``75%``, ``5E6``)."""
    if is_real(value):
        number = _real_number(value, name)
    elif is_blank(value):
        raise InputError(name=name, problem="is required (a number)", value="blank")
    elif isinstance(value, str):
        if is_excel_error(value):
            raise InputError(name=name, problem="is an Excel error", value=show(value))
        number = _number_text(value, name)
    else:
        raise InputError(name=name, problem="must be a number", value=show(value))
    if abs(number) > LARGEST:
        raise InputError(name=name, problem="is too large (at most 1E+15)", value=show(value))
    if number and abs(number) < SMALLEST:
        raise InputError(
            name=name,
            problem="is too small for a spreadsheet cell (the smallest is 2.2251E-308)",
            value=show(value),
        )
    return number


def _real_number(value: Any, name: str) -> Decimal:
    """A number of any real type as the Decimal a cell holding it shows."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, numbers.Integral):
        number = Decimal(int(value))
    else:  # a float, or a Fraction or NumPy number: read as the float a cell would hold
        try:
            as_float = float(value)
        except OverflowError:
            as_float = math.inf
        if not math.isfinite(as_float):
            raise InputError(name=name, problem="must be a finite number", value=show(value))
        if as_float and abs(as_float) < _SMALLEST_FLOAT:  # checked before the 15 digits are read
            raise InputError(
                name=name,
                problem="is too small for a spreadsheet cell (the smallest is 2.2251E-308)",
                value=show(value),
            )
        number = decimal_from_float(as_float)
    if not number.is_finite():
        raise InputError(name=name, problem="must be a finite number", value=show(value))
    return number


def _number_text(value: str, name: str) -> Decimal:
    match = _NUMBER_TEXT.fullmatch(value)
    parts = match.groupdict() if match else {}
    signs = [parts[key] for key in ("sign", "sign_after_dollar") if parts.get(key)]
    well_formed = (
        match is not None
        and len(signs) <= 1
        and bool(parts["open"]) == bool(parts["close"])
        and not (parts["open"] and signs)
        and not (
            parts["exponent"] and ("," in parts["digits"] or parts["dollar"] or parts["percent"])
        )
        and not (parts["dollar"] and parts["percent"])
    )
    if not well_formed:
        raise InputError(
            name=name,
            problem=f"must be a number (such as {NUMBER_TEXT_EXAMPLES})",
            value=show(value),
        )
    number = Decimal(parts["digits"].replace(",", "") + (parts["exponent"] or ""))
    if parts["percent"]:
        number = number.scaleb(-2)
    if parts["open"] or signs == ["-"]:
        number = -number
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


def parse_fiscal_label(value: Any, name: str, *, calendar_year: bool = False) -> tuple[int, int]:
    """(fiscal year, quarter number) from a label such as ``FY2003 Q1`` (also ``fy2003-q1``,
    ``Q1 FY2003``, ``FY03 Q1``); ``Q1 2003`` is read only when ``calendar_year`` says the fiscal
    year is the calendar year, and refused as ambiguous otherwise.

    >>> parse_fiscal_label("FY2003 Q1", "q"), parse_fiscal_label(" fy2004-q4 ", "q")
    ((2003, 1), (2004, 4))
    >>> parse_fiscal_label("Q1 FY03", "q"), parse_fiscal_label("Q3 2003", "q", calendar_year=True)
    ((2003, 1), (2003, 3))
    """
    text = value.strip() if isinstance(value, str) else None
    match = next(
        (found for pattern in _FISCAL_LABELS if text and (found := pattern.fullmatch(text))),
        None,
    )
    if match is None and text:
        bare = next((found for p in _YEAR_QUARTER_LABELS if (found := p.fullmatch(text))), None)
        if bare is not None and not calendar_year:
            raise InputError(
                name=name,
                problem=(
                    "is ambiguous (a calendar or a fiscal quarter?): write the fiscal quarter "
                    f"as 'FY{bare['year']} Q{bare['number']}'"
                ),
                value=show(value),
            )
        match = bare
    if match is None:
        raise InputError(
            name=name, problem="must be a fiscal quarter such as 'FY2003 Q1'", value=show(value)
        )
    year = int(match["year"])
    if len(match["year"]) == 2:
        year += 2000 if year < TWO_DIGIT_YEAR_PIVOT else 1900
    if not FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR:
        raise InputError(
            name=name,
            problem=f"must be a fiscal year from FY{FIRST_FISCAL_YEAR} to FY{LAST_FISCAL_YEAR}",
            value=show(value),
        )
    return year, int(match["number"])


def cell_number(value: Decimal, what: str = "the result") -> float:
    """A result as the float a spreadsheet cell holds; refused when no cell can hold it (beyond
    1E+15, or nearer zero than 2.2251E-308), never returned as a number that is not it."""
    if abs(value) > LARGEST:
        problem = "more than a spreadsheet cell holds exactly (at most 1E+15)"
    elif value and abs(value) < SMALLEST:
        problem = "nearer zero than a spreadsheet cell holds (2.2251E-308)"
    else:
        return float(value)
    raise ResultRangeError(what=what, value=show(value), problem=problem)


def cell_date(day: dt.date) -> dt.datetime:
    """A date as a spreadsheet cell takes it: the datetime at its midnight."""
    return dt.datetime(day.year, day.month, day.day)
