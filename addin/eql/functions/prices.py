"""What a purchase is priced at and buys: the price, the average it is taken from, the sessions
it reads, and the whole shares an amount buys."""

from __future__ import annotations

from typing import Any

from eql.functions.arguments import PRICE_RANGES, PRICES, TERMS, terms_of
from eql.functions.declaration import Param, declare
from eql.pricing import PriceQuote, pricing_sessions, quote, share_count
from eql.values import cell_date, cell_number, parse_amount, parse_date


def _quote(purchase_date: Any, prices: Any, terms: Any) -> PriceQuote:
    chosen = terms_of(terms)
    day = parse_date(purchase_date, "purchase_date")
    return quote(day, PRICE_RANGES.history(prices), chosen)


# The date a price is for: the pricing sessions are the window the terms give around it.
PURCHASE_DATE = Param(
    "purchase_date",
    "The purchase date (or advance notice date): the price uses the pricing sessions the terms' window gives, before or after it",
)


@declare(
    "Purchase price per share: the terms' price factor times the value their pricing rule takes of the pricing sessions' prices (an average close, a lowest VWAP ...).",
    PURCHASE_DATE,
    PRICES,
    TERMS,
)
def EQL_PRICE(purchase_date: Any, prices: Any, terms: Any = None) -> Any:
    return cell_number(_quote(purchase_date, prices, terms).price)


@declare(
    "The value the terms' pricing rule takes of the pricing sessions' prices, before the price factor: the average close or bid, the lowest VWAP, the mean of the lowest closes ...",
    PURCHASE_DATE,
    PRICES,
    TERMS,
)
def EQL_AVG_CLOSE(purchase_date: Any, prices: Any, terms: Any = None) -> Any:
    return cell_number(_quote(purchase_date, prices, terms).mean)


@declare(
    "The trading sessions whose prices set the price (the window the terms give, before or after the date), oldest first, as a column.",
    Param("purchase_date", "The purchase date"),
    TERMS,
    returns_table=True,
)
def EQL_PRICING_DATES(purchase_date: Any, terms: Any = None) -> Any:
    chosen = terms_of(terms)
    day = parse_date(purchase_date, "purchase_date")
    return [[cell_date(session)] for session in pricing_sessions(day, chosen)]


@declare(
    "Whole shares issued: the amount divided by the price, rounded as the terms say, in exact arithmetic.",
    Param("amount", "The draw down amount in dollars"),
    Param("price", "The purchase price per share"),
    TERMS,
)
def EQL_SHARES(amount: Any, price: Any, terms: Any = None) -> Any:
    chosen = terms_of(terms)
    return share_count(parse_amount(amount, "amount"), parse_amount(price, "price"), chosen)


@declare(
    "Whole shares a draw buys on the purchase date: the amount divided by the exact purchase price, rounded as the terms say. Unlike EQL_SHARES of a price cell, the price never passes through a cell's 15 digits.",
    PURCHASE_DATE,
    Param("amount", "The draw down amount in dollars"),
    PRICES,
    TERMS,
)
def EQL_DRAW_SHARES(purchase_date: Any, amount: Any, prices: Any, terms: Any = None) -> Any:
    # A price such as 0.85 x 6.02 / 3 = 1.705666... has no 15-digit form: 1,705,700.78 buys
    # exactly 1,000,020 shares, but 1,000,019 at the price a cell holds.
    chosen = terms_of(terms)
    asked = parse_amount(amount, "amount")
    day = parse_date(purchase_date, "purchase_date")
    priced = quote(day, PRICE_RANGES.history(prices), chosen)
    return share_count(asked, priced.exact_price, chosen)
