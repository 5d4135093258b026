"""How much may be funded on a date: every limit the terms name, its room, and which one binds.

Each limit is computed by the function registered for its kind (a limit per period, the
commitment less reductions, a share of cash used in operations), so another facility's limits are
another terms file, not another branch here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from eql.errors import InputError, MissingCashUsedError
from eql.money import fmt_money, fmt_pct
from eql.quarters import fiscal_quarter, parse_fiscal_label, term_quarter
from eql.tables import Draw, Reduction
from eql.terms import Limit, Terms

ZERO = Decimal(0)


@dataclass(frozen=True)
class Room:
    """One limit on one date: the amount it allows, what is already used, and what is left."""

    key: str
    label: str
    clause: str
    allowed: Decimal
    used: Decimal
    room: Decimal
    basis: (
        str  # how ``allowed`` was reached, for a reader: "75 % of 4,000,000 cash used in FY2003 Q3"
    )

    @property
    def name(self) -> str:
        return f"{self.clause} {self.label}".strip()


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Facts:
    """What the limits look at: funded draws, cash used by quarter, reductions in force."""

    draws: Sequence[Draw]
    cash_used: Mapping[str, Decimal]
    reductions: Sequence[EffectiveReduction]


def funded_through(draws: Sequence[Draw], day: dt.date, *, same_day: bool = True) -> Decimal:
    return sum((d.amount for d in draws if d.date < day or (same_day and d.date == day)), ZERO)


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
    for reduction in sorted(reductions, key=lambda r: (r.date, r.row)):
        if not terms.in_term(reduction.date):
            raise InputError(
                name=f"reductions row {reduction.row}: date",
                problem=f"must be inside the term ({terms.term_start} .. {terms.term_end})",
                value=reduction.date,
            )
        funded = funded_through(
            draws, reduction.date, same_day=terms.reduction_same_day_draws_funded
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


def _per_period(limit: Limit, day: dt.date, facts: Facts, terms: Terms) -> Room:
    assert limit.amount is not None
    if limit.period == "term_quarter":
        quarter = term_quarter(day, terms)
        start, end, where = quarter.start, quarter.end, f"term quarter {quarter.number}"
    else:
        fiscal = fiscal_quarter(day, terms)
        start, end, where = fiscal.start, fiscal.end, fiscal.label
    used = sum((d.amount for d in facts.draws if start <= d.date <= day), ZERO)
    basis = f"{fmt_money(limit.amount)} in {where} ({start} .. {end})"
    return Room(
        limit.key, limit.label, limit.clause, limit.amount, used, limit.amount - used, basis
    )


def _commitment(limit: Limit, day: dt.date, facts: Facts, terms: Terms) -> Room:
    in_force = [r for r in facts.reductions if r.reduction.date <= day]
    reduced = sum((r.amount for r in in_force), ZERO)
    allowed = terms.commitment - reduced
    used = funded_through(facts.draws, day)
    basis = f"{fmt_money(terms.commitment)} commitment"
    if in_force:
        basis += f" less {fmt_money(reduced)} reduced"
    return Room(limit.key, limit.label, limit.clause, allowed, used, allowed - used, basis)


def cash_used_share(label: str, limit: Limit) -> Decimal | None:
    """The share of cash used that may be funded in a fiscal quarter; the last entry carries on."""
    wanted = parse_fiscal_label(label, "fiscal quarter")
    share = None
    for entry, pct in limit.schedule:
        if parse_fiscal_label(entry, "fiscal quarter") <= wanted:
            share = pct
    return share


def _cash_used(limit: Limit, day: dt.date, facts: Facts, terms: Terms) -> Room:
    quarter = fiscal_quarter(day, terms)
    share = cash_used_share(quarter.label, limit)
    if share is None:
        first = limit.schedule[0][0]
        raise InputError(
            name=f"{limit.clause} schedule", problem=f"starts at {first}", value=quarter.label
        )
    if quarter.label not in facts.cash_used:
        raise MissingCashUsedError(quarter=quarter.label, clause=limit.clause, date=day)
    cash = facts.cash_used[quarter.label]
    allowed = share * cash
    used = sum((d.amount for d in facts.draws if quarter.start <= d.date <= day), ZERO)
    basis = f"{fmt_pct(share)} of {fmt_money(cash)} cash used in {quarter.label}"
    return Room(limit.key, limit.label, limit.clause, allowed, used, allowed - used, basis)


LIMIT_KINDS: dict[str, Callable[[Limit, dt.date, Facts, Terms], Room]] = {
    "per_period": _per_period,
    "commitment": _commitment,
    "cash_used": _cash_used,
}


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
) -> Facts:
    """The funded draws, cash used and reductions in force, checked once for many cap questions."""
    funded = [d for d in draws if d.amount > 0]
    check_draws_in_term(funded, terms)
    return Facts(funded, cash_used, effective_reductions(reductions, funded, terms))


def cap_on(day: dt.date, facts: Facts, terms: Terms) -> Cap:
    """The most that may be funded on ``day``, given draws funded on or before it.

    Draws dated after ``day`` are ignored; a draw funded the same day counts as funded.
    """
    if not terms.in_term(day):
        return Cap(day, (), ZERO, (), outside_term=True)
    known = [d for d in facts.draws if d.date <= day]
    scoped = Facts(known, facts.cash_used, facts.reductions)
    rooms = tuple(LIMIT_KINDS[limit.kind](limit, day, scoped, terms) for limit in terms.limits)
    least = min(room.room for room in rooms)
    binding = tuple(room for room in rooms if room.room == least)
    return Cap(day, rooms, max(least, ZERO), binding, outside_term=False)


def cap(
    day: dt.date,
    draws: Sequence[Draw],
    cash_used: Mapping[str, Decimal],
    reductions: Sequence[Reduction],
    terms: Terms,
) -> Cap:
    """The cap on ``day`` from raw draws, cash used and reductions."""
    return cap_on(day, facts_for(draws, cash_used, reductions, terms), terms)
