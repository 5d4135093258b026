"""Fiscal quarters (``FY2003 Q1``) and term quarters (1 .. 8).

Valence's fiscal year ends in March and is named by the calendar year it ends in; the terms'
``fiscal.year_end_month`` says so, and another company's year is another value.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from eql.errors import FiscalRangeError, OutsideTermError
from eql.terms import Terms
from eql.values import parse_fiscal_label


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    year: int
    number: int
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"FY{self.year} Q{self.number}"


@dataclass(frozen=True)
class TermQuarter:
    number: int
    start: dt.date
    end: dt.date


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later, clamped to the month's end.

    >>> add_months(dt.date(2002, 4, 1), 3), add_months(dt.date(2003, 8, 31), 6)
    (datetime.date(2002, 7, 1), datetime.date(2004, 2, 29))
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: dt.date) -> dt.date:
    """The last day of the month of ``day`` (9999-12 included, which has no next month)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def fiscal_quarter_of(year: int, number: int, terms: Terms) -> FiscalQuarter:
    """Quarter ``number`` of fiscal year ``year``: the year ends with month ``year_end_month``."""
    return _fiscal_quarter_of(year, number, terms.fiscal_year_end_month)


# A ledger asks for the quarters of the same few dates again and again (each limit, each row);
# the answers depend on the date and one or two terms, so they are kept.
@lru_cache(maxsize=4096)
def _fiscal_quarter_of(year: int, number: int, end_month: int) -> FiscalQuarter:
    # The fiscal year ``year`` ends on the last day of end_month in calendar year ``year``.
    year_start = add_months(dt.date(year, end_month, 1), -11)
    start = add_months(year_start, 3 * (number - 1))
    return FiscalQuarter(year, number, start, month_end(add_months(start, 2)))


def fiscal_quarter(day: dt.date, terms: Terms) -> FiscalQuarter:
    end_month = terms.fiscal_year_end_month
    year = day.year + (1 if day.month > end_month else 0)
    months_in = (day.month - end_month - 1) % 12
    if year > dt.MAXYEAR:  # the last months of 9999 in a fiscal year ending early in the next
        raise FiscalRangeError(date=day, year=year)
    return _fiscal_quarter_of(year, months_in // 3 + 1, end_month)


CALENDAR_YEAR_END = 12  # a fiscal year ending in December is the calendar year


def fiscal_quarter_from_label(value: object, name: str, terms: Terms) -> FiscalQuarter:
    year, number = parse_fiscal_label(
        value, name, calendar_year=terms.fiscal_year_end_month == CALENDAR_YEAR_END
    )
    return fiscal_quarter_of(year, number, terms)


def term_quarters(terms: Terms) -> list[TermQuarter]:
    """The quarters of the term: three months each from the term start, the last cut at the end."""
    quarters = [_term_quarter_number(1, terms.term_start, terms.term_end)]
    while quarters[-1].end < terms.term_end:
        quarters.append(_term_quarter_number(len(quarters) + 1, terms.term_start, terms.term_end))
    return quarters


def term_quarter(day: dt.date, terms: Terms) -> TermQuarter:
    if not terms.in_term(day):
        raise OutsideTermError(date=day, start=terms.term_start, end=terms.term_end)
    return _term_quarter(day, terms.term_start, terms.term_end)


def _term_quarter(day: dt.date, term_start: dt.date, term_end: dt.date) -> TermQuarter:
    months = (day.year - term_start.year) * 12 + day.month - term_start.month
    quarter = _term_quarter_number(months // 3 + 1, term_start, term_end)
    if day < quarter.start:  # a term that starts mid-month
        quarter = _term_quarter_number(quarter.number - 1, term_start, term_end)
    return quarter


# Kept by quarter rather than by date: a ledger over a long term asks about thousands of dates.
@lru_cache(maxsize=1024)
def _term_quarter_number(number: int, term_start: dt.date, term_end: dt.date) -> TermQuarter:
    start = add_months(term_start, 3 * (number - 1))
    try:
        end = min(add_months(term_start, 3 * number) - dt.timedelta(days=1), term_end)
    except ValueError:  # the next quarter would start after 9999-12-31: this one ends the term
        end = term_end
    return TermQuarter(number, start, end)
