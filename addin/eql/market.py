"""The columns of a prices range: the daily market data a facility's rules read, named once.

A prices range holds one row per trading session. When its first row is a header whose headings
name columns of :class:`MarketColumn` (``Date``, ``VWAP``, ``Volume`` ...; any case, any order),
each column is found by its heading; headings of no market column (``Notes``) are left alone.
Without such a header the columns are read by position: the date, the daily price the terms
price on (close, closing bid or VWAP, ``pricing.series``), the day's lowest sale price, and the
day's volume in shares.

:func:`columns_needed` says which columns a facility's terms read, so a template or a pack shows
those and no others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from eql.errors import LedgerError
from eql.terms import Limit, Terms
from eql.values import show
from eql.vocabulary import (
    LimitKind,
    LimitPrice,
    MarketColumn,
    PriceSeries,
    PricingRuleKind,
    PurchaseKind,
    registry,
)

__all__ = ["HEADINGS", "Layout", "MarketColumn", "columns_needed", "layout"]


# The headings each column is known by (compared in lower case, spaces collapsed): the column's
# own word and a few obvious spellings of it, never one that could name another column.
HEADINGS: Mapping[MarketColumn, tuple[str, ...]] = registry(
    MarketColumn,
    {
        MarketColumn.DATE: ("date", "trading date", "trade date", "session", "day", "trading day"),
        MarketColumn.CLOSE: ("close", "closing price", "close price"),
        MarketColumn.BID: ("bid", "closing bid", "close bid"),
        MarketColumn.VWAP: ("vwap", "daily vwap"),
        MarketColumn.LOW: ("low", "lowest sale price", "low price", "day low"),
        MarketColumn.VOLUME: ("volume", "shares traded", "daily volume"),
    },
    "market.HEADINGS",
)
# What a day's cell of each column is, as a complaint names it.
DESCRIPTIONS: Mapping[MarketColumn, str] = registry(
    MarketColumn,
    {
        MarketColumn.DATE: "date",
        MarketColumn.CLOSE: "closing price",
        MarketColumn.BID: "closing bid",
        MarketColumn.VWAP: "daily VWAP",
        MarketColumn.LOW: "lowest sale price",
        MarketColumn.VOLUME: "volume",
    },
    "market.DESCRIPTIONS",
)
_BY_HEADING = {spelling: column for column, spellings in HEADINGS.items() for spelling in spellings}

# The columns of a range without a header, by position; the second is the terms' price series.
POSITIONAL_WIDTHS = (2, 3, 4)
_POSITIONS = {MarketColumn.DATE: 0, MarketColumn.LOW: 2, MarketColumn.VOLUME: 3}
_SERIES_POSITION = 1


def market_column(series: PriceSeries) -> MarketColumn:
    """The column holding a daily price series (the close, the closing bid, the VWAP)."""
    return MarketColumn(series.value)


def column_of(heading: object) -> MarketColumn | None:
    """The market column a heading names, if any."""
    if not isinstance(heading, str):
        return None
    return _BY_HEADING.get(" ".join(heading.lower().split()))


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each market column sits in a prices range: by its heading, or by position."""

    named: Mapping[MarketColumn, int] | None  # None: a range without a naming header
    headings: tuple[str, ...] = ()  # the market columns the header names, in its order
    # A header of the date and a close alone: the close column holds the daily price the terms
    # price on, as every prices range did before ranges named their columns (eql's template and
    # a ledger's "Date, Close" sheet head a range of closing bids so for a bid-priced facility).
    close_is_series: bool = False

    def index(self, column: MarketColumn, series: PriceSeries) -> int | None:
        """The position of ``column`` in a row, or None when the range has no such column;
        ``series`` is the price the terms price on, which a range without a header holds second."""
        if self.named is not None:
            if self.close_is_series and column is market_column(series):
                return self.named[MarketColumn.CLOSE]
            return self.named.get(column)
        if column is market_column(series):
            return _SERIES_POSITION
        return _POSITIONS.get(column)

    def describe(self, series: PriceSeries) -> str:
        """What the range holds, as a complaint about a missing column says it."""
        if self.named is not None:
            return f"its header names {', '.join(self.headings)}"
        return (
            f"without a header its columns are date, {series.value}, low, volume: "
            "name the columns in a header row to give another"
        )


BY_POSITION = Layout(None)


def layout(header: Sequence[object] | None) -> Layout:
    """The layout a prices range's first row gives: ``header`` is that row when it is a row of
    headings (None otherwise). A header naming the date and at least one other market column
    names the columns; any other header is skipped and the columns are read by position. A
    header of the date and a close alone heads the daily price the terms price on."""
    if header is None:
        return BY_POSITION
    named: dict[MarketColumn, int] = {}
    for index, heading in enumerate(header):
        column = column_of(heading)
        if column is None:
            continue
        if column in named:
            raise LedgerError(
                name="prices",
                detail=f"the header names the {column} column twice, in columns "
                f"{named[column] + 1} and {index + 1} ({show(heading)})",
            )
        named[column] = index
    if len(named) < 2 or MarketColumn.DATE not in named:
        if len(named) >= 1 and MarketColumn.DATE not in named:
            found = ", ".join(named)
            raise LedgerError(
                name="prices",
                detail=f"the header names {found} but no date column (a heading such as 'Date')",
            )
        return BY_POSITION
    ordered = sorted(named, key=named.__getitem__)
    alone = set(named) == {MarketColumn.DATE, MarketColumn.CLOSE}
    return Layout(named, tuple(column.value for column in ordered), close_is_series=alone)


def columns_needed(terms: Terms) -> tuple[MarketColumn, ...]:
    """The market columns the terms read, the date first, in :class:`MarketColumn` order: the
    daily price they price on, the day's low for a rule that reads it, and the columns each
    limit reads (over every version of the terms, amended ones included)."""
    needed = {MarketColumn.DATE}
    for version in (terms, *(amended for _, amended in terms.versions)):
        needed.add(market_column(version.pricing.series))
        if version.pricing.rule is PricingRuleKind.LOW_OR_MEAN_LOWEST_CLOSES:
            needed.add(MarketColumn.LOW)
        for limit in version.limits:
            needed.update(_LIMIT_COLUMNS[limit.kind](limit))
        needed.update(_purchase_columns(version))
    return tuple(column for column in MarketColumn if column in needed)


def _none(_limit: Limit) -> tuple[MarketColumn, ...]:
    return ()


def _traded(limit: Limit) -> tuple[MarketColumn, ...]:
    return market_column(limit.price), MarketColumn.VOLUME


# The market columns each kind of limit reads.
_LIMIT_COLUMNS: Mapping[LimitKind, Callable[[Limit], tuple[MarketColumn, ...]]] = registry(
    LimitKind,
    {
        LimitKind.PER_DRAW: _none,
        LimitKind.PER_PERIOD: _none,
        LimitKind.COMMITMENT: _none,
        LimitKind.CASH_USED: _none,
        LimitKind.TRADED_VALUE: _traded,
    },
    "market._LIMIT_COLUMNS",
)


def _purchase_columns(terms: Terms) -> tuple[MarketColumn, ...]:
    """The columns the purchase the terms compute reads beyond its price: the purchase date's
    close for a share limit read at it; an accelerated purchase's daily prices and volume."""
    found: list[MarketColumn] = []
    if terms.share_limits and terms.share_limit_price is LimitPrice.CLOSE:
        found.append(MarketColumn.CLOSE)
    if terms.purchase is PurchaseKind.ACCELERATED and terms.accelerated is not None:
        found.extend(market_column(series) for series in terms.accelerated.series)
        found.append(MarketColumn.VOLUME)
    return tuple(found)


def limits_read_market(terms: Terms) -> bool:
    """Whether a limit of the terms (as signed or as amended) reads market data, so that its
    room needs the prices (a limit by traded value)."""
    return any(
        _LIMIT_COLUMNS[limit.kind](limit)
        for version in (terms, *(amended for _, amended in terms.versions))
        for limit in version.limits
    )
