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
from enum import Enum
from fractions import Fraction

from eql.caps import (
    ZERO,
    Allowance,
    Cap,
    Facts,
    FundedDraws,
    allowances,
    cap_from,
    cap_on,
    effective_reductions,
)
from eql.conditions import Failure, Milestones, judged, status_text
from eql.errors import BelowFloorError, EqlError
from eql.money import counted, fmt_money, fmt_price
from eql.price_history import PriceHistory
from eql.pricing import PriceQuote, quote, share_count
from eql.purchase_limits import MostShares, most_shares
from eql.quarters import FiscalQuarter, fiscal_quarter, term_quarter
from eql.records import DatedCount, Draw, Issue, Reduction
from eql.rule_words import rule_value
from eql.share_caps import IssuedShares, ShareFacts, exceeded, share_room
from eql.terms import Limit, Terms
from eql.vocabulary import PurchaseKind


@dataclass(frozen=True, slots=True)
class DrawCheck:
    date: dt.date
    amount: Decimal
    cap: Cap
    failures: tuple[Failure, ...]
    waived: tuple[str, ...] = ()  # conditions that passed only because they were waived

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def text(self) -> str:
        return status_text(self.failures, self.waived)


def limit_failures(amount: Decimal, cap: Cap) -> tuple[Failure, ...]:
    """Each limit whose room is smaller than ``amount``, with the room left."""
    if not cap.binding or amount <= cap.binding[0].room:  # fits the smallest room: fits them all
        return ()
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
    day: dt.date,
    amount: Decimal,
    facts: Facts,
    milestones: Milestones,
    terms: Terms,
    also: tuple[Failure, ...] = (),
) -> DrawCheck:
    """Whether ``amount`` may be funded on ``day`` after the draws in ``facts``; ``also`` are
    the reasons found elsewhere that block it too (the share caps)."""
    blocked, passed = judged(day, milestones, terms)
    return _checked(day, amount, blocked + also, cap_on(day, facts, terms), passed)


@dataclass(frozen=True)
class ShareInputs:
    """What the share caps count besides a ledger's own purchases: the shares issued under the
    agreement outside it (commitment shares, earlier purchases), and the dated counts of shares
    outstanding and of the investor's holdings, each oldest first."""

    issued: Sequence[Issue]
    outstanding: Sequence[DatedCount]
    holdings: Sequence[DatedCount]


def share_cap_failures(
    day: dt.date,
    shares: int,
    price: Decimal | Fraction,
    issued: IssuedShares,
    inputs: ShareInputs,
    terms: Terms,
) -> tuple[Failure, ...]:
    """Each share cap a purchase of ``shares`` at ``price`` on ``day`` would break, with the room
    left; a count the caps need and cannot find blocks the purchase, with the reason."""
    try:
        room = share_room(
            ShareFacts(day, issued, inputs.outstanding, inputs.holdings, price), terms
        )
    except EqlError as problem:
        return (Failure("", str(problem)),)
    return tuple(
        Failure(
            "",
            f"{cap.name} exceeded: {counted(shares, 'share')} asked, {cap.room or 0:,} room left "
            f"({cap.basis})",
        )
        for cap in exceeded(shares, room)
    )


def _checked(
    day: dt.date,
    amount: Decimal,
    blocked: tuple[Failure, ...],
    current: Cap,
    passed: tuple[str, ...] = (),
) -> DrawCheck:
    if current.outside_term:
        return DrawCheck(day, amount, current, blocked, passed)
    return DrawCheck(day, amount, current, blocked + limit_failures(amount, current), passed)


class ScheduleColumn(Enum):
    """The columns of a ledger as the schedule lays it out, in order, each with its heading.

    Every view of the schedule (EQL_SCHEDULE's array, the template's Schedule sheet, the command's
    table) takes its columns and their positions from here, and its headings from
    :func:`schedule_heading`: the rule's value is headed as the terms' pricing rule takes it
    (``average close`` is the built-in Valence rule's).
    """

    FUNDING_DATE = "funding date"
    AMOUNT_REQUESTED = "amount requested"
    FISCAL_QUARTER = "fiscal quarter"
    TERM_QUARTER = "term quarter"
    FIRST_SESSION = "first pricing session"
    LAST_SESSION = "last pricing session"
    AVERAGE_CLOSE = "average close"
    PRICE = "price"
    SHARES = "shares"
    ROOM = "room before the draw"
    BINDS = "binds"
    FUNDED = "amount funded"
    STATUS = "status"

    @property
    def index(self) -> int:
        """The column's position in a row, from 0."""
        return _COLUMN_INDEX[self]


_COLUMN_INDEX = {column: index for index, column in enumerate(ScheduleColumn)}
# The header under the built-in Valence rule; its length and positions are every facility's.
SCHEDULE_HEADER = tuple(column.value for column in ScheduleColumn)


def schedule_heading(column: ScheduleColumn, terms: Terms) -> str:
    """A column's heading for a facility: the rule's value named as its pricing rule takes it
    (``average close``, ``average bid``, ``lowest VWAP``), every other column as declared."""
    return rule_value(terms) if column is ScheduleColumn.AVERAGE_CLOSE else column.value


def schedule_header(terms: Terms) -> tuple[str, ...]:
    """EQL_SCHEDULE's header row for a facility, each column as :func:`schedule_heading` heads it."""
    return tuple(schedule_heading(column, terms) for column in ScheduleColumn)


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class _Day:
    """What a ledger needs to know about a funding date whatever was funded before it."""

    fiscal_quarter: FiscalQuarter
    term_quarter: int | None
    quote: PriceQuote | None
    price_error: EqlError | None
    blocked: tuple[Failure, ...]  # the conditions that fail on the date
    waived: tuple[str, ...]  # the conditions that pass on the date only because they are waived
    # The most shares one purchase may be on the date, or why it cannot be read (None: the date
    # has no price, so no share count to hold against it).
    most: MostShares | EqlError | None = None


def _day(
    day: dt.date, history: PriceHistory, milestones: Milestones, terms: Terms, limited: bool
) -> _Day:
    price: PriceQuote | None = None
    error: EqlError | None = None
    try:
        price = quote(day, history, terms)
    except EqlError as problem:
        error = problem.with_traceback(None)
    blocked, passed = judged(day, milestones, terms)
    if isinstance(error, BelowFloorError):  # the terms forbid the purchase: blocked, not unpriced
        blocked = (*blocked, Failure("", str(error)))
    most: MostShares | EqlError | None = None
    if price is not None and limited:
        try:
            most = most_shares(day, history, terms, price)
        except EqlError as problem:
            most = problem.with_traceback(None)
    return _Day(
        fiscal_quarter(day, terms),
        term_quarter(day, terms).number if terms.in_term(day) else None,
        price,
        error,
        blocked,
        passed,
        most,
    )


def _over_share_limit(
    amount: Decimal, price: PriceQuote, most: MostShares | EqlError, terms: Terms
) -> Failure | None:
    """A request for more shares than one purchase may be on its date (the regular limit read at
    the purchase date's close or the purchase price, or an accelerated purchase's), with how the
    limit is reached; a limit that cannot be read blocks the request, with the reason."""
    if isinstance(most, EqlError):
        return Failure("", str(most))
    if most.most is None:
        return None
    shares = share_count(amount, price.exact_price, terms)
    if shares <= most.most:
        return None
    return Failure(
        "",
        f"per-purchase share limit exceeded: {shares:,} shares asked at {fmt_price(price.price)}, "
        f"at most {most.most:,} {most.basis}",
    )


def evaluate_schedule(
    requests: Sequence[Draw],
    history: PriceHistory,
    cash_used: Mapping[str, Decimal],
    milestones: Milestones,
    reductions: Sequence[Reduction],
    terms: Terms,
    share_inputs: ShareInputs | None = None,
) -> list[ScheduleRow]:
    """Every request in date order, each checked against the requests funded before it, and
    against the share caps when ``share_inputs`` are given (the shares of the requests funded
    before it counted as issued, at their amounts).

    The funded draws keep running totals, so each request costs the same however long the ledger
    is. A funded request is inside the term (one outside it is blocked), so none needs rechecking.
    What depends on the date alone (quarters, price, conditions, what each limit allows) is worked
    out once per date; what each limit allows is worked out again when the reductions in force
    change.
    """
    if not requests:  # nothing to check, not even the reductions
        return []
    funded = FundedDraws()
    facts = Facts(funded, cash_used, effective_reductions(reductions, funded, terms), history)
    # Whether any version of the terms limits the shares of one purchase (most facilities do not).
    limited = any(
        version.share_limits or version.purchase is not PurchaseKind.REGULAR
        for version in (terms, *(amended for _, amended in terms.versions))
    )
    days: dict[dt.date, _Day] = {}
    allowed: dict[dt.date, tuple[tuple[Limit, Allowance], ...]] = {}
    rows: list[ScheduleRow] = []
    last: tuple[dt.date, FundedDraws, Cap] | None = None  # the cap of the request before
    issued = IssuedShares(share_inputs.issued if share_inputs is not None else ())
    for request in sorted(requests, key=lambda d: (d.date, d.row)):
        day = request.date
        known = days.get(day)
        if known is None:
            known = days[day] = _day(day, history, milestones, terms, limited)
        if last is not None and last[0] == day and last[1] is funded:
            current = last[2]  # the same date with nothing funded since: the same cap
        elif known.term_quarter is None:  # outside the term: blocked, and no limit is asked
            current = cap_on(day, facts, terms)
        else:
            limits = allowed.get(day)
            if limits is None:
                limits = allowed[day] = allowances(day, facts, terms)
            current = cap_from(day, limits, funded)
        last = day, funded, current
        blocked = known.blocked
        if known.quote is not None and known.most is not None:
            over = _over_share_limit(request.amount, known.quote, known.most, terms)
            blocked = blocked if over is None else (*blocked, over)
        # The request's shares, counted once for the share caps and, if it is funded, the ledger.
        asked = (
            share_count(request.amount, known.quote.exact_price, terms)
            if share_inputs is not None and known.quote is not None and request.amount > 0
            else None
        )
        if asked is not None and known.quote is not None and share_inputs is not None:
            blocked += share_cap_failures(
                day, asked, known.quote.exact_price, issued, share_inputs, terms
            )
        check = _checked(day, request.amount, blocked, current, known.waived)
        amount = request.amount if check.ok else ZERO
        price = known.quote
        shares = (
            None
            if price is None
            else 0
            if not amount
            else asked  # funded: the amount asked, its shares already counted
            if asked is not None
            else share_count(amount, price.exact_price, terms)
        )
        if amount:  # funded: the request itself is the draw
            funded = funded.added(request)
            if share_inputs is not None and shares:
                issued.add(Issue(day, shares, amount, request.row))
            if reductions:
                in_force = effective_reductions(reductions, funded, terms)
                if in_force != facts.reductions:
                    allowed.clear()
                facts = Facts(funded, cash_used, in_force, history)
        rows.append(
            ScheduleRow(
                request,
                known.fiscal_quarter,
                known.term_quarter,
                price,
                known.price_error,
                check,
                amount,
                shares,
            )
        )
    return rows
