"""The most shares one purchase may be, as the terms limit it.

A regular purchase is at most the per-purchase share limit of the price it is read at
(``shares.per_purchase_at_or_above``, ``shares.per_purchase_most``, ``shares.limit_price``). An
accelerated purchase (``[purchases.accelerated]``) is made on a day of a regular purchase of that
most, and is at most the lesser of a multiple of it and a share of the shares traded on the
accelerated purchase date.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from eql.amendments import terms_on
from eql.errors import NoShareLimitError
from eql.market import MarketColumn
from eql.money import fmt_price
from eql.price_history import PriceHistory
from eql.pricing import PriceQuote, accelerated_pending, pricing_sessions, regular_quote
from eql.terms import Terms
from eql.values import show
from eql.vocabulary import LimitPrice, PurchaseKind, registry


@dataclass(frozen=True, slots=True)
class MostShares:
    """The most shares one purchase may be (None: no limit), and how it is reached, as a
    complaint about a request over it says so."""

    most: int | None
    basis: str


def share_limit(price: Decimal | Fraction, terms: Terms) -> int | None:
    """The most shares one purchase may be at ``price``: the entry of the highest threshold at or
    below it; None when the terms set no limit."""
    found = None
    for at_or_above, most in terms.share_limits:
        if price >= at_or_above:
            found = most
    return found


def most_shares(
    day: dt.date, history: PriceHistory, terms: Terms, price: PriceQuote | None = None
) -> MostShares:
    """The most shares the purchase the terms compute (``purchases.kind``) may be on ``day``;
    ``price`` is the day's regular quote when the caller has it."""
    in_force = terms_on(day, terms)
    return _MOST[in_force.purchase](day, history, in_force, price)


def _regular(
    day: dt.date, history: PriceHistory, terms: Terms, price: PriceQuote | None
) -> MostShares:
    if not terms.share_limits:
        return MostShares(None, "no per-purchase share limit")
    at, basis = _LIMIT_AT[terms.share_limit_price](day, history, terms, price)
    return MostShares(share_limit(at, terms), basis)


def _at_close(
    day: dt.date, history: PriceHistory, terms: Terms, _price: PriceQuote | None
) -> tuple[Decimal | Fraction, str]:
    # "if the closing sale price ... on the applicable purchase date is not below $X": the close
    # of the purchase date itself.
    source = history.of(terms.pricing.series)
    close = source.daily(
        MarketColumn.CLOSE, day, "the per-purchase share limit on the purchase date"
    )
    return close, f"with the purchase date's close at {fmt_price(close)}"


def _at_purchase_price(
    day: dt.date, history: PriceHistory, terms: Terms, price: PriceQuote | None
) -> tuple[Decimal | Fraction, str]:
    # The regular purchase's price, also when the limit is that of an accelerated purchase's day.
    if price is None or terms.purchase is not PurchaseKind.REGULAR:
        price = regular_quote(day, history, terms)
    return price.exact_price, "at that price"


# The price a per-purchase share limit's thresholds are compared with (shares.limit_price).
_LIMIT_AT: Mapping[
    LimitPrice,
    Callable[[dt.date, PriceHistory, Terms, PriceQuote | None], tuple[Decimal | Fraction, str]],
] = registry(
    LimitPrice,
    {LimitPrice.CLOSE: _at_close, LimitPrice.PURCHASE_PRICE: _at_purchase_price},
    "share limit prices",
)


def _accelerated(
    day: dt.date, history: PriceHistory, terms: Terms, _price: PriceQuote | None
) -> MostShares:
    accelerated = terms.accelerated
    assert accelerated is not None  # the terms refuse an accelerated kind without its table
    days = pricing_sessions(day, terms)
    accelerated_pending(day, days, history, (MarketColumn.VOLUME,))
    source = history.of(terms.pricing.series)
    use = "the accelerated purchase share limit"
    # Reading: the shares traded in the window, its one session's volume by default.
    volume = sum((source.daily(MarketColumn.VOLUME, session, use) for session in days), Decimal(0))
    # Reading: whole shares, rounded down, so neither limit is exceeded by a fraction.
    by_volume = math.floor(accelerated.volume_share * volume)
    dates = ", ".join(map(str, days))
    basis = f"{show(accelerated.volume_share)} of the volume {volume:,} of {dates} ({by_volume:,})"
    regular = _regular(day, history, terms, None)
    if regular.most is None:
        return MostShares(by_volume, f"for an accelerated purchase: {basis}")
    by_regular = math.floor(accelerated.regular_multiple * regular.most)
    return MostShares(
        min(by_volume, by_regular),
        f"for an accelerated purchase: the lesser of {show(accelerated.regular_multiple)} x the "
        f"regular purchase limit {regular.most:,} ({by_regular:,}) and {basis}",
    )


_MOST: Mapping[
    PurchaseKind, Callable[[dt.date, PriceHistory, Terms, PriceQuote | None], MostShares]
] = registry(
    PurchaseKind,
    {PurchaseKind.REGULAR: _regular, PurchaseKind.ACCELERATED: _accelerated},
    "purchase share limits",
)


def most_shares_number(day: dt.date, history: PriceHistory, terms: Terms) -> int:
    """What a spreadsheet is given: the most shares, or a complaint when the terms set none."""
    found = most_shares(day, history, terms)
    if found.most is None:
        raise NoShareLimitError(
            detail="shares.per_purchase_at_or_above and shares.per_purchase_most"
        )
    return found.most
