"""The words a terms file may use for a kind of rule, each vocabulary declared once.

A terms file names its pricing rule, its limits' kinds and periods, its conditions' kinds and
its roundings by these words. The terms are checked against them when they are read, and every
module that implements a vocabulary keys its table by it through :func:`registry`, which refuses
to load the module when the table and the vocabulary disagree. A kind added here without its
implementation (or the reverse) stops eql at import with both named, never a cell that says
"could not evaluate" later.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar


class PricingRuleKind(StrEnum):
    """What a purchase price is a factor of (``pricing.rule``)."""

    MEAN_CLOSE = "mean_close"  # the mean of the window's daily prices
    MEAN_LOWEST = "mean_lowest"  # the mean of the ``pricing.lowest`` lowest of them
    LOWEST = "lowest"  # the lowest of them
    # The lesser of the purchase date's lowest sale price and the mean of the ``pricing.lowest``
    # lowest closes of the window.
    LOW_OR_MEAN_LOWEST_CLOSES = "low_or_mean_lowest_closes"


class PricingWindow(StrEnum):
    """Which sessions the pricing rule reads (``pricing.window``)."""

    BEFORE = "before"  # the sessions strictly before the purchase (or notice) date
    AFTER = "after"  # the sessions strictly after it: the price is pending until they are past
    FROM = "from"  # the sessions commencing on it (the date itself when a session), pending too


class PriceSeries(StrEnum):
    """Which daily price the pricing rule averages (``pricing.series``): the closing price, or
    the closing bid. The prices range's second column holds that series."""

    CLOSE = "close"
    BID = "bid"
    VWAP = "vwap"  # the daily volume-weighted average price


class MarketColumn(StrEnum):
    """A column of a prices range: one daily fact of the market for the company's shares (see
    :mod:`eql.market` for the headings each is known by, and which columns a facility reads)."""

    DATE = "date"  # the trading session
    CLOSE = "close"  # the closing price
    BID = "bid"  # the closing bid
    VWAP = "vwap"  # the daily volume-weighted average price
    LOW = "low"  # the lowest sale price of the day
    VOLUME = "volume"  # the shares traded that day, a whole number


class LimitKind(StrEnum):
    """What a limit counts against (``limits.<name>.kind``)."""

    PER_DRAW = "per_draw"
    PER_PERIOD = "per_period"
    COMMITMENT = "commitment"
    CASH_USED = "cash_used"
    # Each advance at most ``multiple`` x the mean daily traded value (a session's price x its
    # volume) of the ``sessions`` sessions before the notice date.
    TRADED_VALUE = "traded_value"


class Period(StrEnum):
    """The period a limit per period is counted over (``limits.<name>.period``)."""

    TERM_QUARTER = "term_quarter"
    FISCAL_QUARTER = "fiscal_quarter"


class ConditionKind(StrEnum):
    """What a condition to funding looks at (``conditions.<name>.kind``)."""

    NO_EVENT = "no_event"
    MILESTONES = "milestones"


class Rounding(StrEnum):
    """How a share count or a rounded price is rounded (``shares.rounding``, and the mode of
    ``pricing.price_rounding``)."""

    DOWN = "down"
    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    UP = "up"


class LimitPrice(StrEnum):
    """Which price a per-purchase share limit's thresholds are compared with
    (``shares.limit_price``)."""

    CLOSE = "close"  # the closing price on the purchase date
    PURCHASE_PRICE = "purchase_price"  # the purchase price


class ShareCapKind(StrEnum):
    """What a cap counted in shares limits (``share_caps.<name>.kind``)."""

    # The shares issued under the agreement, at most a share of those outstanding at signing.
    EXCHANGE = "exchange"
    # The investor's holdings, at most a share of those outstanding after the purchase.
    OWNERSHIP = "ownership"


class PurchaseKind(StrEnum):
    """Which purchase the functions compute (``purchases.kind``): a regular purchase, priced by
    ``[pricing]``, or an accelerated one, priced by ``[purchases.accelerated]``."""

    REGULAR = "regular"
    ACCELERATED = "accelerated"


VOCABULARIES: tuple[type[StrEnum], ...] = (
    PricingRuleKind,
    PricingWindow,
    PriceSeries,
    MarketColumn,
    LimitKind,
    Period,
    ConditionKind,
    Rounding,
    LimitPrice,
    ShareCapKind,
    PurchaseKind,
)


class VocabularyError(TypeError):
    """A table of implementations that does not cover its vocabulary word for word: a mistake
    in eql itself, raised when the module holding the table is imported."""


K = TypeVar("K", bound=StrEnum)
V = TypeVar("V")


def registry(vocabulary: type[K], implementations: Mapping[K, V], where: str) -> Mapping[K, V]:
    """``implementations``, read-only, once checked to hold exactly one entry per word."""
    words = set(vocabulary)
    missing = sorted(word.value for word in words if word not in implementations)
    unknown = sorted(str(key) for key in implementations if key not in words)
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"no implementation of {', '.join(missing)}")
        if unknown:
            parts.append(f"{', '.join(unknown)} not declared in {vocabulary.__name__}")
        raise VocabularyError(f"{where}: {'; '.join(parts)}")
    return MappingProxyType(dict(implementations))


def allowed(vocabulary: type[StrEnum]) -> str:
    """The words of a vocabulary as a complaint lists them: ``before`` or ``down, half_up, up``."""
    words = [word.value for word in vocabulary]
    return words[0] if len(words) == 1 else ", ".join(words)
