"""A draw checked against the terms, and a whole ledger of draws evaluated in order.

A draw may be funded when no condition blocks it and the amount fits every limit's room. In a
ledger, requests are taken in date order (rows of one date in their order); a request that is
blocked funds nothing and does not use room for the requests after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from eql.caps import ZERO, Cap, Facts, FundedDraws, cap_on, effective_reductions
from eql.conditions import Failure, Milestones, failures, status_text
from eql.errors import EqlError
from eql.money import fmt_money
from eql.pricing import PriceHistory, PriceQuote, quote, share_count
from eql.quarters import FiscalQuarter, fiscal_quarter, term_quarter
from eql.tables import Draw, Reduction
from eql.terms import Terms


@dataclass(frozen=True)
class DrawCheck:
    date: dt.date
    amount: Decimal
    cap: Cap
    failures: tuple[Failure, ...]

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def text(self) -> str:
        return status_text(self.failures)


def limit_failures(amount: Decimal, cap: Cap) -> tuple[Failure, ...]:
    """Each limit whose room is smaller than ``amount``, with the room left."""
    found = []
    for room in cap.rooms:
        if amount > room.room:
            left = max(room.room, ZERO)
            reason = (
                f"{room.label} exceeded: {fmt_money(amount)} asked, {fmt_money(left)} room left "
                f"({room.basis}, {fmt_money(room.used)} already funded)"
            )
            found.append(Failure(room.clause, reason))
    return tuple(found)


def check_draw(
    day: dt.date, amount: Decimal, facts: Facts, milestones: Milestones, terms: Terms
) -> DrawCheck:
    """Whether ``amount`` may be funded on ``day`` after the draws in ``facts``."""
    blocked = failures(day, milestones, terms)
    current = cap_on(day, facts, terms)
    if current.outside_term:
        return DrawCheck(day, amount, current, blocked)
    return DrawCheck(day, amount, current, blocked + limit_failures(amount, current))


@dataclass(frozen=True)
class ScheduleRow:
    """One request of a ledger, evaluated as of its funding date."""

    request: Draw
    fiscal_quarter: FiscalQuarter
    term_quarter: int | None
    quote: PriceQuote | None
    price_error: EqlError | None
    check: DrawCheck
    funded: Decimal
    shares: int | None  # shares issued for the funded amount; None when no price could be set


def evaluate_schedule(
    requests: Sequence[Draw],
    history: PriceHistory,
    cash_used: Mapping[str, Decimal],
    milestones: Milestones,
    reductions: Sequence[Reduction],
    terms: Terms,
) -> list[ScheduleRow]:
    """Every request in date order, each checked against the requests funded before it.

    The funded draws keep running totals, so each request costs the same however long the ledger
    is. A funded request is inside the term (one outside it is blocked), so none needs rechecking.
    """
    funded = FundedDraws()
    rows: list[ScheduleRow] = []
    quotes: dict[dt.date, PriceQuote | EqlError] = {}  # requests on one date share its price
    for request in sorted(requests, key=lambda d: (d.date, d.row)):
        facts = Facts(funded, cash_used, effective_reductions(reductions, funded, terms))
        check = check_draw(request.date, request.amount, facts, milestones, terms)
        amount = request.amount if check.ok else ZERO
        price: PriceQuote | None = None
        error: EqlError | None = None
        known = quotes.get(request.date)
        if known is None:
            try:
                known = quote(request.date, history, terms)
            except EqlError as problem:
                known = problem
            quotes[request.date] = known
        if isinstance(known, EqlError):
            error = known
        else:
            price = known
        shares = (
            None
            if price is None
            else (share_count(amount, price.exact_price, terms) if amount else 0)
        )
        if amount:
            funded = funded.added(Draw(request.date, amount, request.row))
        term_number = (
            term_quarter(request.date, terms).number if terms.in_term(request.date) else None
        )
        rows.append(
            ScheduleRow(
                request,
                fiscal_quarter(request.date, terms),
                term_number,
                price,
                error,
                check,
                amount,
                shares,
            )
        )
    return rows
