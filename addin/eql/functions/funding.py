"""How much may be funded on a date and whether a draw may be: the room under the terms' limits,
and the conditions to funding with the share caps checked too when their inputs are given."""

from __future__ import annotations

from typing import Any

from eql import tables
from eql.amendments import terms_on
from eql.caps import Cap, cap, facts_for
from eql.conditions import Failure, judged, status_text
from eql.functions.arguments import (
    CASH_USED,
    CHECK_HOLDINGS,
    CHECK_ISSUED,
    CHECK_OUTSTANDING,
    DRAWS,
    MARKET_PRICES,
    MILESTONES,
    REDUCTIONS,
    TERMS,
    market,
    share_inputs,
    terms_of,
)
from eql.functions.declaration import Param, declare
from eql.ledger import check_draw, share_cap_failures
from eql.pricing import share_count
from eql.share_caps import IssuedShares
from eql.values import cell_number, parse_amount, parse_date


def _cap(
    draw_date: Any, draws: Any, cash_used: Any, reductions: Any, terms: Any, prices: Any
) -> Cap:
    chosen = terms_of(terms)
    day = parse_date(draw_date, "draw_date")
    return cap(
        day,
        tables.draws(draws),
        tables.cash_used(cash_used, chosen),
        tables.reductions(reductions),
        chosen,
        market(prices),
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
    return cell_number(_cap(draw_date, draws, cash_used, reductions, terms, prices).amount)


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
            [
                room.name,
                cell_number(room.allowed),
                cell_number(room.used),
                cell_number(room.room),
                room.basis,
            ]
        )
    table.append(["cap", "", "", cell_number(result.amount), f"binds: {result.binds}"])
    return table


FUNDING_DATE = Param("funding_date", "The proposed funding date")


@declare(
    "OK, or BLOCKED with each condition to funding that fails on the date and why.",
    FUNDING_DATE,
    MILESTONES,
    TERMS,
)
def EQL_STATUS(funding_date: Any, milestones: Any, terms: Any = None) -> Any:
    chosen = terms_of(terms)
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
    chosen = terms_of(terms)
    day = parse_date(funding_date, "funding_date")
    asked = parse_amount(amount, "amount")
    facts = facts_for(
        tables.draws(draws),
        tables.cash_used(cash_used, chosen),
        tables.reductions(reductions),
        chosen,
        market(prices),
    )
    shares_checked: tuple[Failure, ...] = ()
    inputs = share_inputs(issued, outstanding, holdings)
    if inputs is not None and terms_on(day, chosen).share_caps:
        at = parse_amount(price, "price")
        shares = share_count(asked, at, chosen)
        issued_so_far = IssuedShares(inputs.issued)
        shares_checked = share_cap_failures(day, shares, at, issued_so_far, inputs, chosen)
    reached = tables.milestones(milestones, chosen)
    return check_draw(day, asked, facts, reached, chosen, shares_checked).text
