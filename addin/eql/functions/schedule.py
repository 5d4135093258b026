"""The whole ledger in one call (EQL_SCHEDULE): every request evaluated in date order, each cell of
a row as the single-cell function of its column would give it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from eql import tables
from eql.collector import paused_collection
from eql.errors import EqlError
from eql.functions.arguments import (
    CASH_USED,
    CHECK_HOLDINGS,
    CHECK_ISSUED,
    CHECK_OUTSTANDING,
    MILESTONES,
    PRICE_RANGES,
    PRICES,
    REDUCTIONS,
    TERMS,
    share_inputs,
    terms_of,
)
from eql.functions.declaration import Param, declare
from eql.ledger import ScheduleRow, evaluate_schedule, schedule_header
from eql.pricing import pricing_sessions
from eql.quarters import term_quarter
from eql.terms import Terms
from eql.values import cell_date, cell_number, parse_amount


def _cell(compute: Callable[[], Any]) -> Any:
    """What a single-cell function gives: the value, or the error's cell text."""
    try:
        return compute()
    except EqlError as error:
        return error.cell_text()


def _date_cells(row: ScheduleRow, terms: Terms) -> tuple[Any, ...]:
    """The cells of a ledger row that depend on its date alone, shared by every row of the date:
    funding date, fiscal and term quarter, first and last pricing session, the rule's value, price,
    and the price error's text (blank when priced)."""
    day = row.request.date
    quote = row.quote
    sessions = quote.sessions if quote is not None else _cell(lambda: pricing_sessions(day, terms))
    first, last = (
        (sessions, sessions)
        if isinstance(sessions, str)
        else (cell_date(sessions[0]), cell_date(sessions[-1]))
    )
    unpriced = row.price_error.cell_text() if row.price_error is not None else ""
    return (
        cell_date(day),
        row.fiscal_quarter.label,
        row.term_quarter
        if row.term_quarter is not None
        else _cell(lambda: term_quarter(day, terms)),
        first,
        last,
        unpriced if quote is None else cell_number(quote.mean),
        unpriced if quote is None else cell_number(quote.price),
        unpriced,
    )


def _schedule_cells(row: ScheduleRow, dated: tuple[Any, ...], status: str) -> list[Any]:
    """One ledger row, each cell as the single-cell function of its column gives it."""
    day, fiscal, term, first, last, mean, price, unpriced = dated
    return [
        day,
        cell_number(row.request.amount),
        fiscal,
        term,
        first,
        last,
        mean,
        price,
        unpriced if row.shares is None else row.shares,
        cell_number(row.check.cap.amount),
        row.check.cap.binds,
        cell_number(row.funded),
        status,
    ]


@declare(
    "The whole ledger in one call: every request in date order with its quarters, pricing sessions, the value the pricing rule takes of them (the average close, the lowest VWAP ...), price, shares, the room before it and what binds, the amount funded and the status. A blocked request funds nothing.",
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
    chosen = terms_of(terms)
    requests = tables.draws(draws)
    schedule = evaluate_schedule(
        requests,
        PRICE_RANGES.history(prices),
        tables.cash_used(cash_used, chosen),
        tables.milestones(milestones, chosen),
        tables.reductions(reductions),
        chosen,
        share_inputs(issued, outstanding, holdings),
    )
    table: list[list[Any]] = [list(schedule_header(chosen))]
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
