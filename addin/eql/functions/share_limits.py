"""How many shares may be issued: the room under the share caps on a date, and the most shares
one purchase may be."""

from __future__ import annotations

from typing import Any

from eql import tables
from eql.functions.arguments import PRICE_RANGES, PRICES, TERMS, terms_of
from eql.functions.declaration import Param, declare
from eql.purchase_limits import most_shares_number
from eql.share_caps import IssuedShares, ShareFacts, ShareRoom, share_room
from eql.values import cell_number, is_blank, parse_amount, parse_date

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

NO_SHARE_CAP = "no share cap: the terms name none"


def _share_room(
    day: Any, issued: Any, outstanding: Any, holdings: Any, price: Any, terms: Any
) -> ShareRoom:
    chosen = terms_of(terms)
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
                cell_number(each.cap.share),
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
    chosen = terms_of(terms)
    day = parse_date(purchase_date, "purchase_date")
    return most_shares_number(day, PRICE_RANGES.history(prices), chosen)
