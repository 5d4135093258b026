"""The EQL_ Excel functions (xlwings user-defined functions).

Each function converts what Excel hands over (datetimes, serial numbers, text, ``None`` for blank
cells, ranges as lists of rows), calls the engine, and formats the result. None of them ever
raises into Excel: a problem comes back as cell text that starts with an Excel error code and names
the input and the value, such as ``#N/A no closing price for 2002-06-10 (pricing session 3 of 5)``.

Parameters carry no type annotations on purpose: xlwings reads annotations as converters.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import xlwings as xw

from eql import tables
from eql.caps import cap
from eql.caps import facts_for as _facts_for
from eql.conditions import failures, status_text
from eql.errors import EqlError
from eql.ledger import ScheduleRow, check_draw, evaluate_schedule, paused_collection
from eql.pricing import PriceQuote, pricing_sessions, quote, share_count
from eql.quarters import fiscal_quarter, term_quarter
from eql.terms import Terms, default_terms, terms_with
from eql.values import parse_amount, parse_date

F = TypeVar("F", bound=Callable[..., Any])

TERMS_DOC = "Optional: a two-column range of term names and values overriding the built-in terms"
PRICES_DOC = (
    "Two columns: trading date and closing price, in any order, with or without a header row"
)
DRAWS_DOC = (
    "Two columns: funding date and amount of the draws already funded (later rows are ignored)"
)
CASH_DOC = (
    "Two columns: fiscal quarter (e.g. FY2003 Q1) and cash used in operations, a positive amount"
)
REQUESTS_DOC = "Two columns: funding date and amount requested, one row per draw request, with or without a header row"
MILESTONES_DOC = "Two columns: milestone key (CEO_CHANGE, MAC, POLYMER_265, SAMPLES_30, LICENSE, MFG_420) and the date it happened; blank if not yet"
REDUCTIONS_DOC = "Optional: date and amount elected of each commitment reduction (or date, third-party financing, amount elected)"


def excel_function(function: F) -> F:
    """Turns every error into cell text, in one place, so no function raises into Excel."""

    @functools.wraps(function)
    def safe(*args: Any) -> Any:
        try:
            return function(*args)
        except EqlError as error:
            return error.cell_text()
        except RecursionError:
            return f"#VALUE! {function.__name__}: the input is nested too deeply"
        except Exception as error:  # the last line of defence: a cell, never a traceback
            return f"#VALUE! {function.__name__} could not evaluate this input ({type(error).__name__}: {error})"

    return safe  # type: ignore[return-value]


def _terms(value: Any) -> Terms:
    pairs = tables.term_overrides(value)
    return terms_with(pairs) if pairs else default_terms()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def _number(value: Decimal) -> float:
    return float(value)


def _quote(purchase_date: Any, prices: Any, terms: Any) -> PriceQuote:
    chosen = _terms(terms)
    day = parse_date(purchase_date, "purchase_date")
    return quote(day, tables.price_history(prices), chosen)


@xw.func
@xw.arg("purchase_date", doc="The purchase date: the price uses the trading days before it")
@xw.arg("prices", ndim=2, doc=PRICES_DOC)
@xw.arg("terms", ndim=2, doc=TERMS_DOC)
@excel_function
def EQL_PRICE(purchase_date, prices, terms=None):  # noqa: N802
    """Purchase price per share: the terms' factor (85 %) times the average close of the pricing sessions before the purchase date."""
    return _number(_quote(purchase_date, prices, terms).price)


@xw.func
@xw.arg("purchase_date", doc="The purchase date: the average uses the trading days before it")
@xw.arg("prices", ndim=2, doc=PRICES_DOC)
@xw.arg("terms", ndim=2, doc=TERMS_DOC)
@excel_function
def EQL_AVG_CLOSE(purchase_date, prices, terms=None):  # noqa: N802
    """Average closing price of the pricing sessions before the purchase date."""
    return _number(_quote(purchase_date, prices, terms).mean)


@xw.func
@xw.arg("purchase_date", doc="The purchase date")
@xw.arg("terms", ndim=2, doc=TERMS_DOC)
@excel_function
def EQL_PRICING_DATES(purchase_date, terms=None):  # noqa: N802
    """The trading sessions whose closes set the price, oldest first, as a column."""
    chosen = _terms(terms)
    day = parse_date(purchase_date, "purchase_date")
    return [[_midnight(session)] for session in pricing_sessions(day, chosen)]


@xw.func
@xw.arg("amount", doc="The draw down amount in dollars")
@xw.arg("price", doc="The purchase price per share")
@xw.arg("terms", ndim=2, doc=TERMS_DOC)
@excel_function
def EQL_SHARES(amount, price, terms=None):  # noqa: N802
    """Whole shares issued: the amount divided by the price, rounded down, in exact arithmetic."""
    chosen = _terms(terms)
    return share_count(parse_amount(amount, "amount"), parse_amount(price, "price"), chosen)


@xw.func
@xw.arg("date", doc="Any date")
@xw.arg("terms", ndim=2, doc=TERMS_DOC)
@excel_function
def EQL_FISCAL_QUARTER(date, terms=None):  # noqa: N802
    """The company's fiscal quarter of a date, such as FY2003 Q1."""
    return fiscal_quarter(parse_date(date, "date"), _terms(terms)).label


@xw.func
@xw.arg("date", doc="A date inside the term")
@xw.arg("terms", ndim=2, doc=TERMS_DOC)
@excel_function
def EQL_TERM_QUARTER(date, terms=None):  # noqa: N802
    """The quarter of the term (1 to 8) a date falls in."""
    return term_quarter(parse_date(date, "date"), _terms(terms)).number


def _cap(draw_date: Any, draws: Any, cash_used: Any, reductions: Any, terms: Any) -> Any:
    chosen = _terms(terms)
    day = parse_date(draw_date, "draw_date")
    return cap(
        day,
        tables.draws(draws),
        tables.cash_used(cash_used, chosen),
        tables.reductions(reductions),
        chosen,
    )


@xw.func
@xw.arg("draw_date", doc="The proposed funding date")
@xw.arg("draws", ndim=2, doc=DRAWS_DOC)
@xw.arg("cash_used", ndim=2, doc=CASH_DOC)
@xw.arg("reductions", ndim=2, doc=REDUCTIONS_DOC)
@xw.arg("terms", ndim=2, doc=TERMS_DOC)
@excel_function
def EQL_CAP(draw_date, draws, cash_used, reductions=None, terms=None):  # noqa: N802
    """The most that may be funded on a date: the smallest room of the quarter, total and cash-used limits."""
    return _number(_cap(draw_date, draws, cash_used, reductions, terms).amount)


@xw.func
@xw.arg("draw_date", doc="The proposed funding date")
@xw.arg("draws", ndim=2, doc=DRAWS_DOC)
@xw.arg("cash_used", ndim=2, doc=CASH_DOC)
@xw.arg("reductions", ndim=2, doc=REDUCTIONS_DOC)
@xw.arg("terms", ndim=2, doc=TERMS_DOC)
@excel_function
def EQL_CAP_DETAIL(draw_date, draws, cash_used, reductions=None, terms=None):  # noqa: N802
    """A table of every limit on the date: allowed, used, room left, and which limit binds."""
    result = _cap(draw_date, draws, cash_used, reductions, terms)
    table: list[list[Any]] = [["limit", "allowed", "used", "room", "basis"]]
    for room in result.rooms:
        table.append(
            [room.name, _number(room.allowed), _number(room.used), _number(room.room), room.basis]
        )
    table.append(["cap", "", "", _number(result.amount), f"binds: {result.binds}"])
    return table


@xw.func
@xw.arg("funding_date", doc="The proposed funding date")
@xw.arg("milestones", ndim=2, doc=MILESTONES_DOC)
@xw.arg("terms", ndim=2, doc=TERMS_DOC)
@excel_function
def EQL_STATUS(funding_date, milestones, terms=None):  # noqa: N802
    """OK, or BLOCKED with each condition to funding that fails on the date and why."""
    chosen = _terms(terms)
    day = parse_date(funding_date, "funding_date")
    return status_text(failures(day, tables.milestones(milestones, chosen), chosen))


@xw.func
@xw.arg("funding_date", doc="The proposed funding date")
@xw.arg("amount", doc="The amount to be funded")
@xw.arg("draws", ndim=2, doc=DRAWS_DOC)
@xw.arg("cash_used", ndim=2, doc=CASH_DOC)
@xw.arg("milestones", ndim=2, doc=MILESTONES_DOC)
@xw.arg("reductions", ndim=2, doc=REDUCTIONS_DOC)
@xw.arg("terms", ndim=2, doc=TERMS_DOC)
@excel_function
def EQL_CHECK(funding_date, amount, draws, cash_used, milestones, reductions=None, terms=None):  # noqa: N802
    """OK, or every reason the draw may not be funded: conditions, and limits exceeded with the room left."""
    chosen = _terms(terms)
    day = parse_date(funding_date, "funding_date")
    asked = parse_amount(amount, "amount")
    facts = _facts_for(
        tables.draws(draws),
        tables.cash_used(cash_used, chosen),
        tables.reductions(reductions),
        chosen,
    )
    return check_draw(day, asked, facts, tables.milestones(milestones, chosen), chosen).text


SCHEDULE_HEADER = (
    "funding date",
    "amount requested",
    "fiscal quarter",
    "term quarter",
    "first pricing session",
    "last pricing session",
    "average close",
    "price",
    "shares",
    "room before the draw",
    "binds",
    "amount funded",
    "status",
)


def _cell(compute: Callable[[], Any]) -> Any:
    """What a single-cell function gives: the value, or the error's cell text."""
    try:
        return compute()
    except EqlError as error:
        return error.cell_text()


def _date_cells(row: ScheduleRow, terms: Terms) -> tuple[Any, ...]:
    """The cells of a ledger row that depend on its date alone, shared by every row of the date:
    funding date, fiscal and term quarter, first and last pricing session, average close, price,
    and the price error's text (blank when priced)."""
    day = row.request.date
    quote = row.quote
    sessions = quote.sessions if quote is not None else _cell(lambda: pricing_sessions(day, terms))
    first, last = (
        (sessions, sessions)
        if isinstance(sessions, str)
        else (_midnight(sessions[0]), _midnight(sessions[-1]))
    )
    unpriced = row.price_error.cell_text() if row.price_error is not None else ""
    return (
        _midnight(day),
        row.fiscal_quarter.label,
        row.term_quarter
        if row.term_quarter is not None
        else _cell(lambda: term_quarter(day, terms)),
        first,
        last,
        unpriced if quote is None else _number(quote.mean),
        unpriced if quote is None else _number(quote.price),
        unpriced,
    )


def _schedule_cells(row: ScheduleRow, dated: tuple[Any, ...], status: str) -> list[Any]:
    """One ledger row, each cell as the single-cell function of its column gives it."""
    day, fiscal, term, first, last, mean, price, unpriced = dated
    return [
        day,
        _number(row.request.amount),
        fiscal,
        term,
        first,
        last,
        mean,
        price,
        unpriced if row.shares is None else row.shares,
        _number(row.check.cap.amount),
        row.check.cap.binds,
        _number(row.funded),
        status,
    ]


@xw.func
@xw.arg("draws", ndim=2, doc=REQUESTS_DOC)
@xw.arg("prices", ndim=2, doc=PRICES_DOC)
@xw.arg("cash_used", ndim=2, doc=CASH_DOC)
@xw.arg("milestones", ndim=2, doc=MILESTONES_DOC)
@xw.arg("reductions", ndim=2, doc=REDUCTIONS_DOC)
@xw.arg("terms", ndim=2, doc=TERMS_DOC)
@excel_function
def EQL_SCHEDULE(draws, prices, cash_used, milestones, reductions=None, terms=None):  # noqa: N802
    """The whole ledger in one call: every request in date order with its quarters, pricing sessions, average close, price, shares, the room before it and what binds, the amount funded and the status. A blocked request funds nothing."""
    with paused_collection():  # see paused_collection: the whole call builds, nothing to free
        return _schedule(draws, prices, cash_used, milestones, reductions, terms)


def _schedule(
    draws: Any, prices: Any, cash_used: Any, milestones: Any, reductions: Any, terms: Any
) -> list[list[Any]]:
    chosen = _terms(terms)
    requests = tables.draws(draws)
    schedule = evaluate_schedule(
        requests,
        tables.price_history(prices),
        tables.cash_used(cash_used, chosen),
        tables.milestones(milestones, chosen),
        tables.reductions(reductions),
        chosen,
    )
    table: list[list[Any]] = [list(SCHEDULE_HEADER)]
    dates: dict[dt.date, tuple[Any, ...]] = {}
    cells: list[list[Any]] | None = None
    for row in schedule:
        dated = dates.get(row.request.date)
        if dated is None:
            dated = dates[row.request.date] = _date_cells(row, chosen)
        status = row.check.text
        if row.request.amount <= 0:  # EQL_CHECK refuses to check a request of nothing
            cells = cells or tables.as_rows(draws, "draws")
            asked = cells[row.request.row - 1][1]
            status = _cell(lambda: parse_amount(asked, "amount"))  # noqa: B023  (called at once)
        table.append(_schedule_cells(row, dated, status))
    return table
