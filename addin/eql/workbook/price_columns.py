"""What a facility's prices are called wherever a workbook shows them: the market columns its
terms read (:func:`eql.market.columns_needed`), each under its heading; the value the pricing
rule takes of the window before the factor is headed as :mod:`eql.rule_words` says it.

The template's headings and the pack's follow the terms, so a facility priced on VWAPs never
shows a column headed "Close", and a Low column appears only where the rule reads the day's low.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from eql.errors import EqlError
from eql.facility import Facility
from eql.market import columns_needed, market_column
from eql.price_history import PriceHistory
from eql.pricing import purchase_rule
from eql.rule_words import rule_heading
from eql.terms import PricingRule, Terms
from eql.vocabulary import MarketColumn, PricingRuleKind, PurchaseKind, registry

# rule_heading is eql.rule_words', given here beside the other headings a workbook writes.
__all__ = [
    "CLOSE_HEADING",
    "HEADINGS",
    "LOW_HEADING",
    "WORDS",
    "prices_headings",
    "prices_in_words",
    "prices_rows",
    "purchase_series",
    "reads_low",
    "rule_heading",
    "series_heading",
    "series_words",
]

# The heading of each market column in a workbook eql writes (each is one the prices range's
# header is read by, eql.market.HEADINGS).
HEADINGS: Mapping[MarketColumn, str] = registry(
    MarketColumn,
    {
        MarketColumn.DATE: "Date",
        MarketColumn.CLOSE: "Close",
        MarketColumn.BID: "Bid",
        MarketColumn.VWAP: "VWAP",
        MarketColumn.LOW: "Low",
        MarketColumn.VOLUME: "Volume",
    },
    "workbook market column headings",
)
# What a column of each daily price holds, in words.
WORDS: Mapping[MarketColumn, str] = registry(
    MarketColumn,
    {
        MarketColumn.DATE: "dates",
        MarketColumn.CLOSE: "closing prices",
        MarketColumn.BID: "closing bids",
        MarketColumn.VWAP: "daily VWAPs",
        MarketColumn.LOW: "the days' lows",
        MarketColumn.VOLUME: "volumes",
    },
    "workbook market columns in words",
)
LOW_HEADING = HEADINGS[MarketColumn.LOW]
CLOSE_HEADING = HEADINGS[MarketColumn.CLOSE]


def series_heading(rule: PricingRule) -> str:
    """``Close``, ``Bid`` or ``VWAP``: the daily price the rule reads."""
    return HEADINGS[market_column(rule.series)]


def purchase_series(terms: Terms) -> tuple[str, ...]:
    """The headings of the daily prices the purchase the terms compute (``purchases.kind``) is
    priced on: the one the regular rule reads, or each an accelerated purchase takes the lesser of."""
    if terms.purchase is PurchaseKind.ACCELERATED and terms.accelerated is not None:
        return tuple(HEADINGS[market_column(series)] for series in terms.accelerated.series)
    return (series_heading(terms.pricing),)


def reads_low(terms: Terms) -> bool:
    """Whether the purchase the terms compute is priced with the purchase date's lowest sale
    price (the regular Lincoln Park-style rule)."""
    return purchase_rule(terms).rule is PricingRuleKind.LOW_OR_MEAN_LOWEST_CLOSES


def prices_headings(terms: Terms) -> tuple[str, ...]:
    """The columns of a facility's prices, as a workbook heads them: the market columns its
    terms read and no others, the date first."""
    return tuple(HEADINGS[column] for column in columns_needed(terms))


def series_words(terms: Terms) -> str:
    """The daily price the terms price on, in words: ``closing prices``, ``daily VWAPs``."""
    return WORDS[market_column(terms.pricing.series)]


def prices_in_words(terms: Terms) -> str:
    """What a facility's prices hold: ``closing prices``, ``daily VWAPs and volumes``."""
    words = [WORDS[column] for column in columns_needed(terms)[1:]]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def prices_rows(facility: Facility) -> list[tuple[dt.date | Decimal | None, ...]]:
    """Each day of a facility's prices under :func:`prices_headings`, in date order; a value the
    prices do not give is blank (only the days a rule or a limit reads need one)."""
    columns = columns_needed(facility.terms)[1:]
    # Read as the terms read the range: a range without a header holds their price second.
    history = facility.prices.of(facility.terms.pricing.series)
    return [
        (day, *(_daily(history, column, day) for column in columns)) for day, _ in facility.closes
    ]


def _daily(history: PriceHistory, column: MarketColumn, day: dt.date) -> Decimal | None:
    try:
        return history.daily(column, day, "a workbook's prices")
    except EqlError:
        return None
