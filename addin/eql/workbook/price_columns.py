"""What a facility's prices are called wherever a workbook shows them: the daily price the terms
price on (Close, Bid or VWAP, ``pricing.series``), and the value the pricing rule takes of the
window before the factor (``Average close``, ``Lowest VWAP``, ``Mean of 3 lowest closes``).

The template's headings and the pack's follow the terms, so a facility priced on VWAPs never
shows a column headed "Close".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal

from eql.errors import EqlError
from eql.facility import Facility
from eql.terms import PricingRule, Terms
from eql.vocabulary import PriceSeries, PricingRuleKind, registry

# The heading of a column of the daily price each series is.
SERIES_HEADINGS: Mapping[PriceSeries, str] = registry(
    PriceSeries,
    {PriceSeries.CLOSE: "Close", PriceSeries.BID: "Bid", PriceSeries.VWAP: "VWAP"},
    "workbook price column headings",
)
# What a column of each series holds, in words.
SERIES_WORDS: Mapping[PriceSeries, str] = registry(
    PriceSeries,
    {
        PriceSeries.CLOSE: "closing prices",
        PriceSeries.BID: "closing bids",
        PriceSeries.VWAP: "daily VWAPs",
    },
    "workbook price series in words",
)
# The day's lowest sale price, read on the purchase date by a rule that takes it.
LOW_HEADING = "Low"


def _plural(series: str) -> str:
    return f"{series.lower() if series != 'VWAP' else series}s"


def _word(series: str) -> str:
    return series.lower() if series != "VWAP" else series


# What each rule takes of the window's daily prices, as a column heading.
RULE_HEADINGS: Mapping[PricingRuleKind, Callable[[PricingRule], str]] = registry(
    PricingRuleKind,
    {
        PricingRuleKind.MEAN_CLOSE: lambda rule: f"Average {_word(series_heading(rule))}",
        PricingRuleKind.MEAN_LOWEST: lambda rule: (
            f"Mean of {rule.lowest} lowest {_plural(series_heading(rule))}"
        ),
        PricingRuleKind.LOWEST: lambda rule: f"Lowest {_word(series_heading(rule))}",
        PricingRuleKind.LOW_OR_MEAN_LOWEST_CLOSES: lambda rule: (
            f"Mean of {rule.lowest} lowest {_plural(series_heading(rule))}"
        ),
    },
    "workbook pricing rule headings",
)


def series_heading(rule: PricingRule) -> str:
    """``Close``, ``Bid`` or ``VWAP``: the daily price the rule reads."""
    return SERIES_HEADINGS[rule.series]


def prices_in_words(terms: Terms) -> str:
    """What a facility's prices range holds: ``closing prices``, ``daily VWAPs``, ``closing
    prices and the days' lows``."""
    low = " and the days' lows" if reads_low(terms) else ""
    return f"{SERIES_WORDS[terms.pricing.series]}{low}"


def rule_heading(terms: Terms) -> str:
    """The heading of the value the pricing rule takes of the window (what the factor applies
    to, except that a rule reading the day's low takes the lesser of the two)."""
    return RULE_HEADINGS[terms.pricing.rule](terms.pricing)


def reads_low(terms: Terms) -> bool:
    """Whether the pricing rule reads the purchase date's lowest sale price."""
    return terms.pricing.rule is PricingRuleKind.LOW_OR_MEAN_LOWEST_CLOSES


def prices_headings(terms: Terms) -> tuple[str, ...]:
    """The columns of a facility's prices, as a workbook heads them: the date, the daily price the
    terms price on, and the day's low where the rule reads it."""
    low = (LOW_HEADING,) if reads_low(terms) else ()
    return ("Date", series_heading(terms.pricing), *low)


def prices_rows(facility: Facility) -> list[tuple[dt.date | Decimal | None, ...]]:
    """Each day of a facility's prices under :func:`prices_headings`, in date order; a day's low
    is blank where the prices give none (only a purchase date's low is required)."""
    low = reads_low(facility.terms)
    return [
        (day, price, *((_low(facility, day),) if low else ())) for day, price in facility.closes
    ]


def _low(facility: Facility, day: dt.date) -> Decimal | None:
    try:
        return facility.prices.low(day)
    except EqlError:
        return None
