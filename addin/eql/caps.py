"""How much may be funded on a date: every limit the terms name, its room, and which one binds.

Each limit is computed by the function registered for its kind (a limit per period, the
commitment less reductions, a share of cash used in operations), so another facility's limits are
another terms file, not another branch here.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from functools import lru_cache
from typing import overload

from eql.amendments import terms_on
from eql.calendar import sessions
from eql.errors import InputError, MissingCashUsedError, MissingPricesError
from eql.market import DESCRIPTIONS, market_column
from eql.money import counted, fmt_money, fmt_pct
from eql.price_history import PriceHistory
from eql.quarters import fiscal_quarter, term_quarter
from eql.records import Draw, Reduction
from eql.terms import Limit, Terms
from eql.values import parse_fiscal_label, show
from eql.vocabulary import LimitKind, MarketColumn, Period, registry

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Allowance:
    """What one limit allows on a date before any draw is counted against it.

    ``since`` is the first date whose draws count against the limit (``None``: every draw up to
    the date). ``describe`` says how ``allowed`` was reached, for a reader ("75 % of 4,000,000
    cash used in FY2003 Q3"); it is written only when someone reads it.
    """

    allowed: Decimal
    since: dt.date | None
    describe: Callable[[], str] = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Room:
    """One limit on one date: the amount it allows, what is already used, and what is left."""

    limit: Limit
    allowance: Allowance
    used: Decimal
    room: Decimal

    @property
    def key(self) -> str:
        return self.limit.key

    @property
    def label(self) -> str:
        return self.limit.label

    @property
    def clause(self) -> str:
        return self.limit.clause

    @property
    def allowed(self) -> Decimal:
        return self.allowance.allowed

    @property
    def basis(self) -> str:
        return self.allowance.describe()

    @property
    def name(self) -> str:
        return f"{self.clause} {self.label}".strip()


@dataclass(frozen=True, slots=True)
class Cap:
    """The most that may be funded on ``date``, and why."""

    date: dt.date
    rooms: tuple[Room, ...]
    amount: Decimal
    binding: tuple[Room, ...]
    outside_term: bool

    @property
    def binds(self) -> str:
        if self.outside_term:
            return "outside the term"
        return " and ".join(room.name for room in self.binding)


@dataclass(frozen=True)
class EffectiveReduction:
    reduction: Reduction
    amount: Decimal  # the reduction in force: elected, capped by the third party and the unfunded
    unfunded: Decimal


# Running totals are added without rounding, so a total over any dates is exact whatever the order.
_EXACT_SUM = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


class FundedDraws(Sequence[Draw]):
    """Funded draws in date order with running totals, so the sum over any dates is two bisects.

    A ledger of 10,000 draws asks the limits about every draw; summing every earlier draw each
    time would be quadratic. Adding a draw returns a new value and leaves this one unchanged; the
    lists are shared while draws are only added at the end, as a ledger in date order does.
    """

    __slots__ = ("_count", "_draws", "_ordinals", "_totals")

    def __init__(self, draws: Iterable[Draw] = ()) -> None:
        self._draws: list[Draw] = []
        self._ordinals: list[int] = []
        self._totals: list[Decimal] = [ZERO]
        for draw in sorted(draws, key=lambda d: (d.date, d.row)):
            self._push(draw)
        self._count = len(self._draws)

    def _push(self, draw: Draw) -> None:
        self._draws.append(draw)
        self._ordinals.append(draw.date.toordinal())
        self._totals.append(_EXACT_SUM.add(self._totals[-1], draw.amount))

    def added(self, draw: Draw) -> FundedDraws:
        """These draws and ``draw``, which must not be dated before the last of them."""
        if self._count and draw.date.toordinal() < self._ordinals[self._count - 1]:
            return FundedDraws([*self, draw])
        grown = FundedDraws.__new__(FundedDraws)
        if self._count == len(self._draws):
            grown._draws, grown._ordinals, grown._totals = self._draws, self._ordinals, self._totals
        else:  # a later value was added to already: this branch gets lists of its own
            grown._draws = self._draws[: self._count]
            grown._ordinals = self._ordinals[: self._count]
            grown._totals = self._totals[: self._count + 1]
        grown._push(draw)
        grown._count = self._count + 1
        return grown

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Draw: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Draw]: ...
    def __getitem__(self, index: int | slice) -> Draw | Sequence[Draw]:
        return self._draws[: self._count][index]

    def __iter__(self) -> Iterator[Draw]:
        return iter(self._draws[: self._count])

    def between(self, first: dt.date, last: dt.date) -> Decimal:
        """The amount funded from ``first`` to ``last``, both included."""
        low = bisect.bisect_left(self._ordinals, first.toordinal(), 0, self._count)
        high = bisect.bisect_right(self._ordinals, last.toordinal(), 0, self._count)
        return _EXACT_SUM.subtract(self._totals[high], self._totals[low]) if high > low else ZERO

    def since(self, firsts: Iterable[dt.date | None], last: dt.date) -> list[Decimal]:
        """The amount funded from each of ``firsts`` (``None``: from the start) to ``last``."""
        high = bisect.bisect_right(self._ordinals, last.toordinal(), 0, self._count)
        found = []
        for first in firsts:
            low = (
                0
                if first is None
                else bisect.bisect_left(self._ordinals, first.toordinal(), 0, self._count)
            )
            found.append(
                _EXACT_SUM.subtract(self._totals[high], self._totals[low]) if high > low else ZERO
            )
        return found

    def through(self, day: dt.date, *, same_day: bool = True) -> Decimal:
        """The amount funded up to ``day`` (including draws on ``day`` when ``same_day``)."""
        find = bisect.bisect_right if same_day else bisect.bisect_left
        return self._totals[find(self._ordinals, day.toordinal(), 0, self._count)]


def funded_draws(draws: Sequence[Draw]) -> FundedDraws:
    return draws if isinstance(draws, FundedDraws) else FundedDraws(draws)


@dataclass(frozen=True)
class Facts:
    """What the limits look at: funded draws, cash used by quarter, reductions in force, and the
    daily market data for a limit that reads it (None: no prices range was given)."""

    draws: Sequence[Draw]
    cash_used: Mapping[str, Decimal]
    reductions: Sequence[EffectiveReduction]
    prices: PriceHistory | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "draws", funded_draws(self.draws))

    @property
    def funded(self) -> FundedDraws:
        assert isinstance(self.draws, FundedDraws)
        return self.draws


def funded_through(draws: Sequence[Draw], day: dt.date, *, same_day: bool = True) -> Decimal:
    return funded_draws(draws).through(day, same_day=same_day)


def effective_reductions(
    reductions: Sequence[Reduction], draws: Sequence[Draw], terms: Terms
) -> list[EffectiveReduction]:
    """Each reduction as it takes effect, in date order.

    TERMINATION: "by up to the amount of such third party financing ... (to a maximum of the Draw
    Down Amount remaining un-funded)". Reading: the unfunded amount is the commitment less earlier
    reductions less what is funded by the reduction's date.
    """
    result: list[EffectiveReduction] = []
    reduced = ZERO
    funded_so_far = funded_draws(draws)
    for reduction in sorted(reductions, key=lambda r: (r.date, r.row)):
        if not terms.in_term(reduction.date):
            raise InputError(
                name=f"reductions row {reduction.row}: date",
                problem=f"must be inside the term ({terms.term_start} .. {terms.term_end})",
                value=reduction.date,
            )
        funded = funded_so_far.through(
            reduction.date, same_day=terms.reduction_same_day_draws_funded
        )
        unfunded = max(terms.commitment - reduced - funded, ZERO)
        amount = reduction.elected
        if reduction.third_party is not None:
            amount = min(amount, reduction.third_party)
        if terms.reduction_capped_at_unfunded:
            amount = min(amount, unfunded)
        reduced += amount
        result.append(EffectiveReduction(reduction, amount, unfunded))
    return result


def _term_quarter(day: dt.date, terms: Terms) -> tuple[dt.date, dt.date, str]:
    quarter = term_quarter(day, terms)
    return quarter.start, quarter.end, f"term quarter {quarter.number}"


def _fiscal_quarter(day: dt.date, terms: Terms) -> tuple[dt.date, dt.date, str]:
    quarter = fiscal_quarter(day, terms)
    return quarter.start, quarter.end, quarter.label


# The period of ``day`` a limit per period counts over: its first and last day, and its name.
PERIODS = registry(
    Period,
    {Period.TERM_QUARTER: _term_quarter, Period.FISCAL_QUARTER: _fiscal_quarter},
    "caps.PERIODS",
)


def _per_period(limit: Limit, day: dt.date, _facts: Facts, terms: Terms) -> Allowance:
    amount = limit.amount
    assert amount is not None
    start, end, where = PERIODS[Period(limit.period)](day, terms)
    return Allowance(amount, start, lambda: f"{fmt_money(amount)} in {where} ({start} .. {end})")


def _per_draw(limit: Limit, day: dt.date, _facts: Facts, _terms: Terms) -> Allowance:
    # A limit on each draw: no earlier draw counts against it, not even one funded the same day.
    amount = limit.amount
    assert amount is not None
    return Allowance(amount, day + dt.timedelta(days=1), lambda: f"{fmt_money(amount)} a draw")


def _commitment(_limit: Limit, day: dt.date, facts: Facts, terms: Terms) -> Allowance:
    in_force = [r for r in facts.reductions if r.reduction.date <= day]
    reduced = sum((r.amount for r in in_force), ZERO)

    def describe() -> str:
        basis = f"{fmt_money(terms.commitment)} commitment"
        return f"{basis} less {fmt_money(reduced)} reduced" if in_force else basis

    return Allowance(terms.commitment - reduced, None, describe)


def cash_used_share(label: str, limit: Limit) -> Decimal | None:
    """The share of cash used that may be funded in a fiscal quarter; the last entry carries on."""
    return _cash_used_share(label, limit.schedule)


@lru_cache(maxsize=1024)
def _cash_used_share(label: str, schedule: tuple[tuple[str, Decimal], ...]) -> Decimal | None:
    wanted = parse_fiscal_label(label, "fiscal quarter")
    share = None
    for entry, pct in schedule:
        if parse_fiscal_label(entry, "fiscal quarter") <= wanted:
            share = pct
    return share


def _cash_used(limit: Limit, day: dt.date, facts: Facts, terms: Terms) -> Allowance:
    quarter = fiscal_quarter(day, terms)
    label = quarter.label
    share = cash_used_share(label, limit)
    if share is None:
        first = limit.schedule[0][0]
        raise InputError(name=f"{limit.clause} schedule", problem=f"starts at {first}", value=label)
    cash = facts.cash_used.get(label)
    if cash is None:
        raise MissingCashUsedError(quarter=label, clause=limit.clause, date=day)
    return Allowance(
        share * cash,
        quarter.start,
        lambda: f"{fmt_pct(share)} of {fmt_money(cash)} cash used in {label}",
    )


# A session's traded value is a price times whole shares, and the sum of a few of them is exact
# in 60 digits; the mean is exact whenever it terminates (a mean of 5 always does) and is
# otherwise carried to 60 significant digits, never rounded to cents: no rule says so.
_TRADED = Context(prec=60)


def mean_traded_value(
    limit: Limit, day: dt.date, prices: PriceHistory | None, terms: Terms
) -> tuple[tuple[dt.date, ...], Decimal]:
    """The sessions a limit by traded value reads for a notice on ``day``, and the mean of their
    traded values (each session's price x its volume)."""
    days = sessions(terms.calendar).before(day, limit.sessions)
    price = market_column(limit.price)
    if prices is None:
        raise MissingPricesError(
            limit=limit.name, date=day, columns=f"{DESCRIPTIONS[price]} and volume", count=len(days)
        )
    prices = prices.of(terms.pricing.series)  # without a header, the second column holds it
    total = ZERO
    for n, session in enumerate(days, start=1):
        use = f"limit {limit.name} on {day} (session {n} of {len(days)} before it)"
        traded = _TRADED.multiply(
            prices.daily(price, session, use), prices.daily(MarketColumn.VOLUME, session, use)
        )
        total = _TRADED.add(total, traded)
    return days, _TRADED.divide(total, Decimal(len(days)))


def _traded_value(limit: Limit, day: dt.date, facts: Facts, terms: Terms) -> Allowance:
    # Issue 12: "an advance at most a multiple of the average daily traded value of the 5 days
    # before the notice". Readings (the terms file says them with their evidence): the sessions
    # are those strictly before the notice date on the facility's calendar; a session's traded
    # value is its daily price (``price``, VWAP by default) x its volume; an advance is a draw,
    # so no earlier advance counts against the limit, as for a limit per draw.
    days, mean = mean_traded_value(limit, day, facts.prices, terms)
    multiple = limit.multiple
    assert multiple is not None
    allowed = _TRADED.multiply(multiple, mean)

    def describe() -> str:
        return (
            f"{show(multiple)} x mean daily traded value {fmt_money(mean)} of "
            f"{counted(len(days), 'session')} {days[0]} .. {days[-1]}"
        )

    return Allowance(allowed, day + dt.timedelta(days=1), describe)


# What each kind of limit allows on a date. A kind reads the date, the terms, the cash used and
# the reductions in force, never the draws: the draws since ``Allowance.since`` are counted here,
# the same way for every kind, so an allowance holds for every draw of its date.
LIMIT_KINDS: Mapping[LimitKind, Callable[[Limit, dt.date, Facts, Terms], Allowance]] = registry(
    LimitKind,
    {
        LimitKind.PER_DRAW: _per_draw,
        LimitKind.PER_PERIOD: _per_period,
        LimitKind.COMMITMENT: _commitment,
        LimitKind.CASH_USED: _cash_used,
        LimitKind.TRADED_VALUE: _traded_value,
    },
    "caps.LIMIT_KINDS",
)


def allowances(day: dt.date, facts: Facts, terms: Terms) -> tuple[tuple[Limit, Allowance], ...]:
    """Every limit of the terms in force on ``day`` with what it allows then (inside the term)."""
    terms = terms_on(day, terms)
    return tuple(
        (limit, LIMIT_KINDS[limit.kind](limit, day, facts, terms)) for limit in terms.limits
    )


def check_draws_in_term(draws: Sequence[Draw], terms: Terms, name: str = "draws") -> None:
    for draw in draws:
        if not terms.in_term(draw.date):
            raise InputError(
                name=f"{name} row {draw.row}: funding date",
                problem=f"must be inside the term ({terms.term_start} .. {terms.term_end})",
                value=draw.date,
            )


def facts_for(
    draws: Sequence[Draw],
    cash_used: Mapping[str, Decimal],
    reductions: Sequence[Reduction],
    terms: Terms,
    prices: PriceHistory | None = None,
) -> Facts:
    """The funded draws, cash used, reductions in force and market data, checked once for many
    cap questions."""
    funded = FundedDraws(d for d in draws if d.amount > 0)
    check_draws_in_term(funded, terms)
    return Facts(funded, cash_used, effective_reductions(reductions, funded, terms), prices)


def cap_on(day: dt.date, facts: Facts, terms: Terms) -> Cap:
    """The most that may be funded on ``day``, given draws funded on or before it.

    Draws dated after ``day`` are ignored; a draw funded the same day counts as funded.
    """
    if not terms.in_term(day):
        return Cap(day, (), ZERO, (), outside_term=True)
    return cap_from(day, allowances(day, facts, terms), facts.funded)


def room_on(day: dt.date, limit: Limit, facts: Facts, terms: Terms) -> Room:
    """One limit's room on ``day`` (inside the term), the other limits not asked: a limit that
    reads market data needs its sessions only when it is the one asked about."""
    in_force = terms_on(day, terms)
    limit = next((found for found in in_force.limits if found.key == limit.key), limit)
    allowance = LIMIT_KINDS[limit.kind](limit, day, facts, in_force)
    used = facts.funded.since([allowance.since], day)[0]
    return Room(limit, allowance, used, allowance.allowed - used)


def cap_from(day: dt.date, allowed: Iterable[tuple[Limit, Allowance]], funded: FundedDraws) -> Cap:
    """The cap on ``day`` from each limit's allowance, counting the draws in ``funded``."""
    # Every limit counts draws up to ``day`` only, so later draws are ignored.
    rooms = [
        Room(limit, allowance, used, allowance.allowed - used)
        for (limit, allowance), used in zip(
            allowed, funded.since([a.since for _, a in allowed], day), strict=True
        )
    ]
    least = min(room.room for room in rooms)
    binding = tuple(room for room in rooms if room.room == least)
    return Cap(day, tuple(rooms), max(least, ZERO), binding, outside_term=False)


def cap(
    day: dt.date,
    draws: Sequence[Draw],
    cash_used: Mapping[str, Decimal],
    reductions: Sequence[Reduction],
    terms: Terms,
    prices: PriceHistory | None = None,
) -> Cap:
    """The cap on ``day`` from raw draws, cash used, reductions and market data."""
    return cap_on(day, facts_for(draws, cash_used, reductions, terms, prices), terms)
