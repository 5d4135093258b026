"""What the value a facility's pricing rule takes of its window is called, said once for every
surface that shows it: the schedule's column (``eql schedule``, EQL_SCHEDULE's header), the
template's and the packs' Draws heading, the checker's messages.

The value is the one EQL_AVG_CLOSE gives (:class:`eql.pricing.PriceQuote` ``mean``): the mean of
the window's closes under the Valence and Berg 2004 rules ("average close", "average bid"), the
lowest daily VWAP under a SEPA-style rule ("lowest VWAP"), the mean of the lowest closes under a
Lincoln Park-style regular purchase ("mean of 3 lowest closes": the day's low it is compared with
has a column of its own), and for an accelerated purchase the lesser over each of its series.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

from eql.pricing import purchase_rule
from eql.terms import PricingRule, Terms
from eql.vocabulary import PriceSeries, PricingRuleKind, PurchaseKind, registry

# Each daily price series in a phrase, one and many.
_SERIES: Mapping[PriceSeries, tuple[str, str]] = registry(
    PriceSeries,
    {
        PriceSeries.CLOSE: ("close", "closes"),
        PriceSeries.BID: ("bid", "bids"),
        PriceSeries.VWAP: ("VWAP", "VWAPs"),
    },
    "rule_words series",
)


def _one(rule: PricingRule) -> str:
    return _SERIES[rule.series][0]


def _many(rule: PricingRule) -> str:
    return _SERIES[rule.series][1]


# What each rule takes of the window's daily prices, in lower case.
_RULES: Mapping[PricingRuleKind, Callable[[PricingRule], str]] = registry(
    PricingRuleKind,
    {
        PricingRuleKind.MEAN_CLOSE: lambda rule: f"average {_one(rule)}",
        PricingRuleKind.MEAN_LOWEST: lambda rule: f"mean of {rule.lowest} lowest {_many(rule)}",
        PricingRuleKind.LOWEST: lambda rule: f"lowest {_one(rule)}",
        PricingRuleKind.LOW_OR_MEAN_LOWEST_CLOSES: lambda rule: (
            f"mean of {rule.lowest} lowest {_many(rule)}"
        ),
    },
    "rule_words rules",
)


def rule_value(terms: Terms) -> str:
    """The value the pricing rule of the purchase the terms compute (``purchases.kind``) takes of
    its window, in lower case: ``average close``, ``average bid``, ``lowest VWAP``, ``mean of 3
    lowest closes``, ``lesser of lowest VWAP and lowest close``."""
    rule = purchase_rule(terms)
    if terms.purchase is PurchaseKind.ACCELERATED and terms.accelerated is not None:
        each = [
            _RULES[rule.rule](dataclasses.replace(rule, series=series))
            for series in terms.accelerated.series
        ]
        if len(each) > 1:
            return "lesser of " + " and ".join(each)
    return _RULES[rule.rule](rule)


def rule_heading(terms: Terms) -> str:
    """:func:`rule_value` as a heading starts: ``Average close``, ``Lowest VWAP``."""
    value = rule_value(terms)
    return value[:1].upper() + value[1:]


def rule_short(terms: Terms) -> str:
    """:func:`rule_value` as a narrow table heads it: ``avg close``, ``lowest VWAP``."""
    value = rule_value(terms)
    return "avg " + value.removeprefix("average ") if value.startswith("average ") else value
