"""The EQL_ spreadsheet functions, declared once for every spreadsheet that hosts them.

Each function is plain Python: it converts what a spreadsheet hands over (datetimes, serial
numbers, text, ``None`` or ``""`` for blank cells, ranges as rows), calls the engine, and formats
the result. None of them ever raises: a problem comes back as cell text that starts with a
spreadsheet error code and names the input and the value, such as ``#N/A no closing price for
2002-06-10 (pricing session 3 of 5)``.

The declaration beside each function (its description, each parameter's help text, whether a
parameter is a range and whether it may be left out, whether the result is a table) is the one
source both adapters read: ``eql.udfs`` makes xlwings functions of them for Excel, and
``eql.libreoffice`` makes the LibreOffice Calc add-in's interface and Function Wizard texts. Help
texts say what an argument is, never one facility's numbers: those are the terms'.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from eql import tables
from eql.amendments import terms_on
from eql.caps import cap
from eql.caps import facts_for as _facts_for
from eql.collector import paused_collection
from eql.conditions import Failure, judged, status_text
from eql.errors import EqlError
from eql.ledger import (
    SCHEDULE_HEADER,
    ScheduleRow,
    ShareInputs,
    check_draw,
    evaluate_schedule,
    share_cap_failures,
)
from eql.pricing import PriceHistory, PriceQuote, pricing_sessions, quote, share_count
from eql.purchase_limits import most_shares_number
from eql.quarters import fiscal_quarter, term_quarter
from eql.share_caps import IssuedShares, ShareFacts, ShareRoom, share_room
from eql.terms import Terms, default_terms, terms_with
from eql.values import cell_number, is_blank, parse_amount, parse_date


@dataclass(frozen=True)
class Param:
    """One argument as the function wizard shows it."""

    name: str
    help: str
    is_range: bool = False  # a block of cells, handed over as rows
    optional: bool = False


@dataclass(frozen=True)
class Declared:
    """A spreadsheet function: what it does, its arguments, and whether it returns a table."""

    name: str
    description: str
    params: tuple[Param, ...]
    returns_table: bool
    compute: Callable[..., Any]


FUNCTIONS: dict[str, Declared] = {}

TERMS = Param(
    "terms",
    "Optional: a two-column range of term names and values that replace the built-in terms",
    is_range=True,
    optional=True,
)
PRICES = Param(
    "prices",
    "Daily market data, one row per session in any order: date and the price the terms price on (then low, volume), or columns named by a header row: date, close, bid, vwap, low, volume",
    is_range=True,
)
DRAWS = Param(
    "draws",
    "Two columns: funding date and amount of the draws already funded (later rows are ignored)",
    is_range=True,
)
CASH_USED = Param(
    "cash_used",
    "Two columns: fiscal quarter (a label such as FY2003 Q1, or a date inside it) and cash used in operations, a positive amount",
    is_range=True,
)
MILESTONES = Param(
    "milestones",
    "Two columns: milestone key, as the terms name it, and the date it was achieved; blank if not yet",
    is_range=True,
)
# The market data a limit may read (an advance limit by traded value), last so that formulas
# written before it keep working.
MARKET_PRICES = Param(
    "prices",
    "Optional: daily market data as for EQL_PRICE, needed only when a limit reads it (an advance limit by traded value needs each session's price and volume)",
    is_range=True,
    optional=True,
)
REDUCTIONS = Param(
    "reductions",
    "Optional: date and amount elected of each commitment reduction (or date, third-party financing, amount elected)",
    is_range=True,
    optional=True,
)


def declare(
    description: str, *params: Param, returns_table: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Registers a function under its own name; every error it raises becomes cell text."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        safe = _cell_errors(function)
        FUNCTIONS[function.__name__] = Declared(
            function.__name__, description, params, returns_table, safe
        )
        return safe

    return register


def _cell_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """Turns every error into cell text, in one place, so no function raises into a sheet."""

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

    return safe


# The dates of the price ranges a spreadsheet hands over again and again, parsed once (see
# PriceRanges); owned here, by the functions, and by nothing else.
PRICE_RANGES = tables.PriceRanges()


def _terms(value: Any) -> Terms:
    pairs = tables.term_overrides(value)
    return terms_with(pairs) if pairs else default_terms()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def _number(value: Decimal) -> float:
    return cell_number(value)


def _quote(purchase_date: Any, prices: Any, terms: Any) -> PriceQuote:
    chosen = _terms(terms)
    day = parse_date(purchase_date, "purchase_date")
    return quote(day, PRICE_RANGES.history(prices), chosen)


@declare(
    "Purchase price per share: the terms' price factor times the average close of the pricing sessions before the purchase date.",
    Param("purchase_date", "The purchase date: the price uses the trading sessions before it"),
    PRICES,
    TERMS,
)
def EQL_PRICE(purchase_date: Any, prices: Any, terms: Any = None) -> Any:
    return _number(_quote(purchase_date, prices, terms).price)


@declare(
    "Average closing price of the pricing sessions before the purchase date.",
    Param("purchase_date", "The purchase date: the average uses the trading sessions before it"),
    PRICES,
    TERMS,
)
def EQL_AVG_CLOSE(purchase_date: Any, prices: Any, terms: Any = None) -> Any:
    return _number(_quote(purchase_date, prices, terms).mean)


@declare(
    "The trading sessions whose closes set the price, oldest first, as a column.",
    Param("purchase_date", "The purchase date"),
    TERMS,
    returns_table=True,
)
def EQL_PRICING_DATES(purchase_date: Any, terms: Any = None) -> Any:
    chosen = _terms(terms)
    day = parse_date(purchase_date, "purchase_date")
    return [[_midnight(session)] for session in pricing_sessions(day, chosen)]


@declare(
    "Whole shares issued: the amount divided by the price, rounded as the terms say, in exact arithmetic.",
    Param("amount", "The draw down amount in dollars"),
    Param("price", "The purchase price per share"),
    TERMS,
)
def EQL_SHARES(amount: Any, price: Any, terms: Any = None) -> Any:
    chosen = _terms(terms)
    return share_count(parse_amount(amount, "amount"), parse_amount(price, "price"), chosen)


@declare(
    "Whole shares a draw buys on the purchase date: the amount divided by the exact purchase price, rounded as the terms say. Unlike EQL_SHARES of a price cell, the price never passes through a cell's 15 digits.",
    Param("purchase_date", "The purchase date: the price uses the trading sessions before it"),
    Param("amount", "The draw down amount in dollars"),
    PRICES,
    TERMS,
)
def EQL_DRAW_SHARES(purchase_date: Any, amount: Any, prices: Any, terms: Any = None) -> Any:
    # A price such as 0.85 x 6.02 / 3 = 1.705666... has no 15-digit form: 1,705,700.78 buys
    # exactly 1,000,020 shares, but 1,000,019 at the price a cell holds.
    chosen = _terms(terms)
    asked = parse_amount(amount, "amount")
    day = parse_date(purchase_date, "purchase_date")
    priced = quote(day, PRICE_RANGES.history(prices), chosen)
    return share_count(asked, priced.exact_price, chosen)


@declare(
    "The company's fiscal quarter of a date, such as FY2003 Q1.",
    Param("day", "Any date"),
    TERMS,
)
def EQL_FISCAL_QUARTER(day: Any, terms: Any = None) -> Any:
    return fiscal_quarter(parse_date(day, "day"), _terms(terms)).label


@declare(
    "The quarter of the term a date falls in, counting from 1 at the start of the term.",
    Param("day", "A date inside the term"),
    TERMS,
)
def EQL_TERM_QUARTER(day: Any, terms: Any = None) -> Any:
    return term_quarter(parse_date(day, "day"), _terms(terms)).number


def _market(prices: Any) -> PriceHistory | None:
    """The market data of an optional prices argument; None when it was left out."""
    return None if prices is None or prices == "" else PRICE_RANGES.history(prices)


def _cap(
    draw_date: Any, draws: Any, cash_used: Any, reductions: Any, terms: Any, prices: Any
) -> Any:
    chosen = _terms(terms)
    day = parse_date(draw_date, "draw_date")
    return cap(
        day,
        tables.draws(draws),
        tables.cash_used(cash_used, chosen),
        tables.reductions(reductions),
        chosen,
        _market(prices),
    )


DRAW_DATE = Param("draw_date", "The proposed funding date")


@declare(
    "The most that may be funded on a date: the smallest room left under the terms' limits.",
    DRAW_DATE,
    DRAWS,
    CASH_USED,
    REDUCTIONS,
    TERMS,
    MARKET_PRICES,
)
def EQL_CAP(
    draw_date: Any,
    draws: Any,
    cash_used: Any,
    reductions: Any = None,
    terms: Any = None,
    prices: Any = None,
) -> Any:
    return _number(_cap(draw_date, draws, cash_used, reductions, terms, prices).amount)


@declare(
    "A table of every limit on the date: allowed, used, room left, and which limit binds.",
    DRAW_DATE,
    DRAWS,
    CASH_USED,
    REDUCTIONS,
    TERMS,
    MARKET_PRICES,
    returns_table=True,
)
def EQL_CAP_DETAIL(
    draw_date: Any,
    draws: Any,
    cash_used: Any,
    reductions: Any = None,
    terms: Any = None,
    prices: Any = None,
) -> Any:
    result = _cap(draw_date, draws, cash_used, reductions, terms, prices)
    table: list[list[Any]] = [["limit", "allowed", "used", "room", "basis"]]
    for room in result.rooms:
        table.append(
            [room.name, _number(room.allowed), _number(room.used), _number(room.room), room.basis]
        )
    table.append(["cap", "", "", _number(result.amount), f"binds: {result.binds}"])
    return table


SHARE_DAY = Param("day", "The proposed purchase date: counts dated on or before it apply")
ISSUED = Param(
    "issued",
    "Three columns: date, shares issued under the agreement and amount paid for them (0 for shares issued for no cash), with or without a header row; later rows are ignored",
    is_range=True,
)
OUTSTANDING = Param(
    "outstanding",
    "Two columns: date and the company's shares outstanding on it; the latest on or before each date the caps need applies",
    is_range=True,
)
HOLDINGS = Param(
    "holdings",
    "Two columns: date and the shares the investor holds on it; the latest on or before the purchase date applies (blank when the terms have no ownership cap)",
    is_range=True,
)
PURCHASE_PRICE = Param(
    "price",
    "Optional: the proposed purchase's price per share, which the exchange cap's minimum-price exception needs",
    optional=True,
)
# The same inputs, optional, appended last to EQL_CHECK and EQL_SCHEDULE: given the outstanding
# range, they check the share caps too.
CHECK_ISSUED = Param(
    "issued",
    "Optional: date, shares issued under the agreement and amount paid, as for EQL_SHARE_ROOM; with outstanding, the share caps are checked too",
    is_range=True,
    optional=True,
)
CHECK_OUTSTANDING = Param(
    "outstanding",
    "Optional: date and shares outstanding, as for EQL_SHARE_ROOM; without it the share caps are not checked",
    is_range=True,
    optional=True,
)
CHECK_HOLDINGS = Param(
    "holdings",
    "Optional: date and the investor's holdings, as for EQL_SHARE_ROOM",
    is_range=True,
    optional=True,
)


def _share_inputs(issued: Any, outstanding: Any, holdings: Any) -> ShareInputs | None:
    """The share caps' inputs of EQL_CHECK or EQL_SCHEDULE; None when no outstanding range is
    given (the share caps are then not checked, as the argument's help says)."""
    if is_blank(outstanding):
        return None
    return ShareInputs(
        tables.issued(issued), tables.shares_outstanding(outstanding), tables.holdings(holdings)
    )


FUNDING_DATE = Param("funding_date", "The proposed funding date")


@declare(
    "OK, or BLOCKED with each condition to funding that fails on the date and why.",
    FUNDING_DATE,
    MILESTONES,
    TERMS,
)
def EQL_STATUS(funding_date: Any, milestones: Any, terms: Any = None) -> Any:
    chosen = _terms(terms)
    day = parse_date(funding_date, "funding_date")
    reached = tables.milestones(milestones, chosen)
    return status_text(*judged(day, reached, chosen))


@declare(
    "OK, or every reason the draw may not be funded: conditions, and limits exceeded with the room left.",
    FUNDING_DATE,
    Param("amount", "The amount to be funded"),
    DRAWS,
    CASH_USED,
    MILESTONES,
    REDUCTIONS,
    TERMS,
    MARKET_PRICES,
    CHECK_ISSUED,
    CHECK_OUTSTANDING,
    CHECK_HOLDINGS,
    Param(
        "price",
        "Optional: the purchase price per share, needed to count the draw's shares against the share caps",
        optional=True,
    ),
)
def EQL_CHECK(
    funding_date: Any,
    amount: Any,
    draws: Any,
    cash_used: Any,
    milestones: Any,
    reductions: Any = None,
    terms: Any = None,
    prices: Any = None,
    issued: Any = None,
    outstanding: Any = None,
    holdings: Any = None,
    price: Any = None,
) -> Any:
    chosen = _terms(terms)
    day = parse_date(funding_date, "funding_date")
    asked = parse_amount(amount, "amount")
    facts = _facts_for(
        tables.draws(draws),
        tables.cash_used(cash_used, chosen),
        tables.reductions(reductions),
        chosen,
        _market(prices),
    )
    shares_checked: tuple[Failure, ...] = ()
    inputs = _share_inputs(issued, outstanding, holdings)
    if inputs is not None and terms_on(day, chosen).share_caps:
        at = parse_amount(price, "price")
        shares = share_count(asked, at, chosen)
        issued_so_far = IssuedShares(inputs.issued)
        shares_checked = share_cap_failures(day, shares, at, issued_so_far, inputs, chosen)
    reached = tables.milestones(milestones, chosen)
    return check_draw(day, asked, facts, reached, chosen, shares_checked).text


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


@declare(
    "The whole ledger in one call: every request in date order with its quarters, pricing sessions, average close, price, shares, the room before it and what binds, the amount funded and the status. A blocked request funds nothing.",
    Param(
        "draws",
        "Two columns: funding date and amount requested, one row per draw request, with or without a header row",
        is_range=True,
    ),
    PRICES,
    CASH_USED,
    MILESTONES,
    REDUCTIONS,
    TERMS,
    CHECK_ISSUED,
    CHECK_OUTSTANDING,
    CHECK_HOLDINGS,
    returns_table=True,
)
def EQL_SCHEDULE(
    draws: Any,
    prices: Any,
    cash_used: Any,
    milestones: Any,
    reductions: Any = None,
    terms: Any = None,
    issued: Any = None,
    outstanding: Any = None,
    holdings: Any = None,
) -> Any:
    with paused_collection():  # see eql.collector: the whole call builds, nothing to free
        return _schedule(
            draws, prices, cash_used, milestones, reductions, terms, issued, outstanding, holdings
        )


def _schedule(
    draws: Any,
    prices: Any,
    cash_used: Any,
    milestones: Any,
    reductions: Any,
    terms: Any,
    issued: Any = None,
    outstanding: Any = None,
    holdings: Any = None,
) -> list[list[Any]]:
    chosen = _terms(terms)
    requests = tables.draws(draws)
    schedule = evaluate_schedule(
        requests,
        PRICE_RANGES.history(prices),
        tables.cash_used(cash_used, chosen),
        tables.milestones(milestones, chosen),
        tables.reductions(reductions),
        chosen,
        _share_inputs(issued, outstanding, holdings),
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


NO_SHARE_CAP = "no share cap: the terms name none"


def _share_room(
    day: Any, issued: Any, outstanding: Any, holdings: Any, price: Any, terms: Any
) -> ShareRoom:
    chosen = _terms(terms)
    facts = ShareFacts(
        parse_date(day, "day"),
        IssuedShares(tables.issued(issued)),
        tables.shares_outstanding(outstanding),
        tables.holdings(holdings),
        None if is_blank(price) else parse_amount(price, "price"),
    )
    return share_room(facts, chosen)


def _no_limit(room: ShareRoom) -> str:
    if not room.rooms:
        return NO_SHARE_CAP
    return f"no share cap limits {room.date}: each is lifted (see EQL_SHARE_ROOM_DETAIL)"


@declare(
    "Whole shares that may be issued on a date under every share cap of the terms (the exchange cap, the investor's ownership cap): the least room, rounded down. Text, not a number, when the terms name no share cap or none limits the date.",
    SHARE_DAY,
    ISSUED,
    OUTSTANDING,
    HOLDINGS,
    PURCHASE_PRICE,
    TERMS,
)
def EQL_SHARE_ROOM(
    day: Any, issued: Any, outstanding: Any, holdings: Any, price: Any = None, terms: Any = None
) -> Any:
    room = _share_room(day, issued, outstanding, holdings, price, terms)
    if room.shares is None:
        return _no_limit(room)
    return room.shares


@declare(
    "A table of every share cap on the date: its share, the shares outstanding it counts from, the shares counted against it, the room left and how it was reached, and which cap binds.",
    SHARE_DAY,
    ISSUED,
    OUTSTANDING,
    HOLDINGS,
    PURCHASE_PRICE,
    TERMS,
    returns_table=True,
)
def EQL_SHARE_ROOM_DETAIL(
    day: Any, issued: Any, outstanding: Any, holdings: Any, price: Any = None, terms: Any = None
) -> Any:
    room = _share_room(day, issued, outstanding, holdings, price, terms)
    table: list[list[Any]] = [["share cap", "share", "outstanding", "counted", "room", "basis"]]
    for each in room.rooms:
        table.append(
            [
                each.name,
                _number(each.cap.share),
                each.base,
                each.counted,
                "no limit" if each.room is None else each.room,
                each.basis,
            ]
        )
    if room.shares is None:
        table.append(["share room", "", "", "", "no limit", _no_limit(room)])
    else:
        table.append(["share room", "", "", "", room.shares, f"binds: {room.binds}"])
    return table


@declare(
    "The most shares one purchase may be on the purchase date, as the terms limit it: a regular purchase by the per-purchase share limit at the price the terms compare; an accelerated purchase by the lesser of a multiple of that limit and a share of the shares traded on its date.",
    Param(
        "purchase_date", "The purchase date (of the regular purchase an accelerated one follows)"
    ),
    PRICES,
    TERMS,
)
def EQL_MAX_SHARES(purchase_date: Any, prices: Any, terms: Any = None) -> Any:
    chosen = _terms(terms)
    day = parse_date(purchase_date, "purchase_date")
    return most_shares_number(day, PRICE_RANGES.history(prices), chosen)
