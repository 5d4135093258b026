"""Daily market data by date, as a prices range gives it: the closes (or the closing bids, or
the VWAPs) the terms price on, and the other columns a rule or a limit reads (the day's low, the
volume), each checked only where a session needs it."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from eql.errors import (
    ConflictingCloseError,
    ConflictingLowError,
    ConflictingMarketDataError,
    InputError,
    MissingBidError,
    MissingCloseError,
    MissingColumnError,
    MissingLowError,
    MissingMarketDataError,
    MissingVwapError,
)
from eql.market import BY_POSITION, DESCRIPTIONS, Layout, MarketColumn, market_column
from eql.values import parse_amount, parse_decimal, plain_decimal, show
from eql.vocabulary import PriceSeries, registry

# The complaint when a day's price of a series is missing.
_MISSING: Mapping[PriceSeries, type[MissingCloseError]] = registry(
    PriceSeries,
    {
        PriceSeries.CLOSE: MissingCloseError,
        PriceSeries.BID: MissingBidError,
        PriceSeries.VWAP: MissingVwapError,
    },
    "pricing series",
)


@dataclass(frozen=True, slots=True)
class Close:
    """One row of a price history: the close as given, and the row it came from."""

    value: object  # the cell as handed over; checked only when the session is used
    row: int


def same_close(first: object, second: object) -> bool:
    """Whether two cells give one date the same close (2.5 and "2.50" do; "2.5" and 2.6 do not)."""
    try:
        return bool(parse_decimal(first, "close") == parse_decimal(second, "close"))
    except InputError:
        return bool(first == second)


def whole_shares(value: object, name: str) -> Decimal:
    """A day's volume: a whole number of shares, 0 or more (1.5 shares or -100 is refused)."""
    number = plain_decimal(value)
    if number is None:
        number = parse_decimal(value, name)
    if number < 0 or number != number.to_integral_value():
        raise InputError(
            name=name, problem="must be a whole number of shares, 0 or more", value=show(value)
        )
    return number


class PriceHistory:
    """Daily market data by date: the closes (or the closing bids, or the VWAPs) the terms price
    on, and the other columns a rule or a limit reads. Rows are checked only where a session
    needs them, so one bad cell far from the draws does not stop the ledger, but a bad or doubled
    value that is used does.

    ``positions`` maps each date to the indices of the rows that carry it, in range order, and
    ``layout`` says where each column sits (by the header's headings, or by position); both
    depend on the range alone, so they are built once for a range and shared while the same range
    comes back. The values are read from ``rows``, the cells of this very call, and only for the
    sessions used.
    """

    def __init__(
        self,
        rows: Sequence[Sequence[object]],
        positions: Mapping[dt.date, Sequence[int]],
        series: PriceSeries = PriceSeries.CLOSE,
        layout: Layout = BY_POSITION,
    ) -> None:
        self.rows = rows
        self.positions = positions
        self.series = series
        self.layout = layout
        self._column = layout.index(market_column(series), series)
        self._missing = _MISSING[series]
        self._closes: dict[dt.date, Close] | None = None
        self._checked: dict[dt.date, Decimal] = {}  # closes already read and found good
        self._others: dict[PriceSeries, PriceHistory] = {}

    def of(self, series: PriceSeries) -> PriceHistory:
        """The same rows read for the daily price the terms price on, sharing the dates: a range
        without a header holds that price second, whichever it is."""
        if series is self.series:
            return self
        other = self._others.get(series)
        if other is None:
            other = self._others[series] = PriceHistory(
                self.rows, self.positions, series, self.layout
            )
        return other

    def _index(self, column: MarketColumn, use: str) -> int:
        index = self.layout.index(column, self.series)
        if index is None:
            raise MissingColumnError(
                column=column.value, use=use, layout=self.layout.describe(self.series)
            )
        return index

    def _cell(self, index: int) -> Close:
        row = self.rows[index]
        column = self._column
        assert column is not None
        return Close(row[column] if len(row) > column else None, index + 1)

    def _conflict(self, where: Sequence[int]) -> tuple[Close, Close] | None:
        first = self._cell(where[0])
        for index in where[1:]:
            other = self._cell(index)
            if not same_close(first.value, other.value):
                return first, other
        return None

    def close(self, day: dt.date, n: int, count: int) -> Decimal:
        checked = self._checked.get(day)
        if checked is not None:
            return checked
        if self._column is None:
            self._index(market_column(self.series), f"the daily {self.series} the terms price on")
        where = self.positions.get(day)
        if not where:
            raise self._missing(date=day, n=n, count=count)
        if len(where) > 1:
            conflict = self._conflict(where)
            if conflict is not None:
                first, second = conflict
                raise ConflictingCloseError(
                    date=day, first=show(first.value), second=show(second.value), n=n, count=count
                )
        found = self._cell(where[0])
        if found.value is None or found.value == "":
            raise self._missing(date=day, n=n, count=count)
        value = plain_decimal(found.value)
        if value is None or value <= 0:  # the name of a complaint is built only when needed
            value = parse_amount(found.value, f"close for {day} (prices row {found.row})")
        self._checked[day] = value
        return value

    def _given(self, day: dt.date, index: int) -> list[tuple[int, object]]:
        """The non-blank cells of column ``index`` in the rows of ``day``: (row index, cell)."""
        return [
            (row, self.rows[row][index])
            for row in self.positions.get(day, ())
            if len(self.rows[row]) > index and self.rows[row][index] not in (None, "")
        ]

    def low(self, day: dt.date) -> Decimal:
        """The lowest sale price of ``day``, a purchase date (the low column of its row)."""
        index = self._index(MarketColumn.LOW, "the purchase date's low")
        given = self._given(day, index)
        if not given:
            where = "third column" if index == 2 else f"low column, column {index + 1},"
            raise MissingLowError(date=day, where=where)
        row, first = given[0]
        for _, other in given[1:]:
            if not same_close(first, other):
                raise ConflictingLowError(date=day, first=show(first), second=show(other))
        return parse_amount(first, f"lowest sale price for {day} (prices row {row + 1})")

    def daily(self, column: MarketColumn, day: dt.date, use: str) -> Decimal:
        """The value of ``column`` on ``day`` for ``use`` (what reads it, for the complaint): a
        price more than 0, a volume a whole number of shares, 0 or more."""
        what = DESCRIPTIONS[column]
        given = self._given(day, self._index(column, use))
        if not given:
            rows = self.positions.get(day)
            at = f" (prices row {rows[0] + 1})" if rows else ""
            raise MissingMarketDataError(what=what, date=day, row=at, use=use)
        row, first = given[0]
        for _, other in given[1:]:
            if not same_close(first, other):
                raise ConflictingMarketDataError(
                    what=f"{what}s", date=day, first=show(first), second=show(other), use=use
                )
        name = f"{what} for {day} (prices row {row + 1})"
        if column is MarketColumn.VOLUME:
            return whole_shares(first, name)
        return parse_amount(first, name)

    def closes_of(self, days: Sequence[dt.date]) -> tuple[Decimal, ...]:
        """The close of each of ``days``, the pricing sessions of one date, in order."""
        return tuple(self.close(day, n, len(days)) for n, day in enumerate(days, start=1))

    @property
    def closes(self) -> Mapping[dt.date, Close]:
        """The first close given for each date, as handed over (not yet checked); none when the
        range has no column of this series."""
        if self._closes is None:
            self._closes = (
                {}
                if self._column is None
                else {day: self._cell(where[0]) for day, where in self.positions.items()}
            )
        return self._closes

    @functools.cached_property
    def latest(self) -> dt.date | None:
        """The latest date the range holds (None when it holds none), found once per range read."""
        return max(self.positions, default=None)

    def to_come(self, days: Sequence[dt.date]) -> list[dt.date]:
        """Those of ``days`` later than every date the range holds: their data is still to come,
        not missing."""
        latest = self.latest
        return [day for day in days if latest is None or day > latest]
