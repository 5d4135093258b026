"""Purchase price and share count.

"85% of the average closing price of the Company Common Stock for the five trading days prior to
the purchase date": the terms name the rule (``mean_close``), the number of sessions, the window
and the factor. Arithmetic is exact: the mean and the price are Decimals, and the share count is
an exact fraction rounded as the terms say, so 5,000,000 / 2.5 is 2,000,000 and never 1,999,999.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Context, Decimal
from fractions import Fraction

from eql.amendments import terms_on
from eql.calendar import Sessions, sessions
from eql.errors import (
    AcceleratedPendingError,
    BelowFloorError,
    CalendarRangeError,
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
    PricePendingError,
    ResultRangeError,
)
from eql.market import BY_POSITION, DESCRIPTIONS, Layout, MarketColumn, market_column
from eql.terms import PricingRule, Terms
from eql.values import LARGEST, parse_amount, parse_decimal, plain_decimal, show
from eql.vocabulary import (
    PriceSeries,
    PricingRuleKind,
    PricingWindow,
    PurchaseKind,
    Rounding,
    registry,
)

# Enough digits that a mean of closes in dollars and cents is never rounded in practice; shares
# are computed from the exact fraction regardless.
EXACT = Context(prec=60)
# How a rounded price is rounded to its quantum, in Decimal's own words.
_DECIMAL_MODES = registry(
    Rounding,
    {
        Rounding.DOWN: ROUND_DOWN,
        Rounding.HALF_UP: ROUND_HALF_UP,
        Rounding.HALF_EVEN: ROUND_HALF_EVEN,
        Rounding.UP: ROUND_UP,
    },
    "pricing price rounding",
)


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


@dataclass(frozen=True, slots=True)
class PriceQuote:
    purchase_date: dt.date
    sessions: tuple[dt.date, ...]
    closes: tuple[Decimal, ...]
    mean: Decimal
    price: Decimal
    exact_price: Fraction  # the price as an exact fraction; equals ``price`` unless it was rounded


def pricing_sessions(purchase_date: dt.date, terms: Terms) -> tuple[dt.date, ...]:
    """The sessions whose prices set the price for ``purchase_date`` (terms in force then): for
    an accelerated purchase, the sessions of its own window (the accelerated purchase date)."""
    rule = purchase_rule(terms_on(purchase_date, terms))
    calendar = sessions(terms.calendar)
    return _WINDOWS[rule.window](calendar, purchase_date, rule.sessions)


def purchase_rule(terms: Terms) -> PricingRule:
    """The pricing rule of the purchase the terms compute (``purchases.kind``)."""
    if terms.purchase is PurchaseKind.ACCELERATED and terms.accelerated is not None:
        return terms.accelerated.pricing
    return terms.pricing


def _window_before(calendar: Sessions, day: dt.date, count: int) -> tuple[dt.date, ...]:
    # Reading: "prior to the purchase date" means strictly before it; the date itself never counts.
    return calendar.before(day, count)


def _window_after(calendar: Sessions, day: dt.date, count: int) -> tuple[dt.date, ...]:
    # The sessions strictly after the notice date; 2 x count + 14 days hold count sessions.
    found = calendar.between(day + dt.timedelta(days=1), day + dt.timedelta(days=2 * count + 14))
    if len(found) < count:
        raise CalendarRangeError(
            date=day, calendar=calendar.calendar, first=calendar.first, last=calendar.last
        )
    return found[:count]


def _window_from(calendar: Sessions, day: dt.date, count: int) -> tuple[dt.date, ...]:
    # "the trading days commencing on the Advance Notice Date": the notice date itself when it is
    # a session, then the sessions after it.
    return _window_after(calendar, day - dt.timedelta(days=1), count)


_WINDOWS = registry(
    PricingWindow,
    {
        PricingWindow.BEFORE: _window_before,
        PricingWindow.AFTER: _window_after,
        PricingWindow.FROM: _window_from,
    },
    "pricing windows",
)


# A rule gives its value as an exact ratio of whole numbers (numerator, denominator): exact like a
# Fraction, at the cost of a few integer operations rather than Fraction's own bookkeeping.
Ratio = tuple[int, int]


def _mean(closes: Sequence[Decimal]) -> Ratio:
    numerator, denominator = sum(closes, Decimal(0)).as_integer_ratio()
    return numerator, denominator * len(closes)


# A rule reads the daily prices of the window, its terms and, only if it needs it, the purchase
# date's lowest sale price; it gives the mean it takes of the prices (what EQL_AVG_CLOSE shows)
# and the value the factor applies to.
Rule = Callable[[tuple[Decimal, ...], PricingRule, Callable[[], Decimal]], tuple[Ratio, Ratio]]


def _mean_close(
    closes: tuple[Decimal, ...], _rule: PricingRule, _low: Callable[[], Decimal]
) -> tuple[Ratio, Ratio]:
    mean = _mean(closes)
    return mean, mean


def _mean_lowest(
    closes: tuple[Decimal, ...], rule: PricingRule, _low: Callable[[], Decimal]
) -> tuple[Ratio, Ratio]:
    # "the average of the 3 lowest closing prices in the 10 business days before": equal prices
    # count once each, so three equal lowest closes are the three lowest.
    mean = _mean(sorted(closes)[: rule.lowest])
    return mean, mean


def _lowest(
    closes: tuple[Decimal, ...], _rule: PricingRule, _low: Callable[[], Decimal]
) -> tuple[Ratio, Ratio]:
    lowest = min(closes).as_integer_ratio()
    return lowest, lowest


def _low_or_mean_lowest_closes(
    closes: tuple[Decimal, ...], rule: PricingRule, low: Callable[[], Decimal]
) -> tuple[Ratio, Ratio]:
    # "the lesser of the lowest sale price on the purchase date and the arithmetic mean of the
    # 3 lowest closing sale prices of the 10 business days before it".
    mean_n, mean_d = _mean(sorted(closes)[: rule.lowest])
    low_n, low_d = low().as_integer_ratio()
    lesser = (low_n, low_d) if low_n * mean_d < mean_n * low_d else (mean_n, mean_d)
    return (mean_n, mean_d), lesser


_RULES: Mapping[PricingRuleKind, Rule] = registry(
    PricingRuleKind,
    {
        PricingRuleKind.MEAN_CLOSE: _mean_close,
        PricingRuleKind.MEAN_LOWEST: _mean_lowest,
        PricingRuleKind.LOWEST: _lowest,
        PricingRuleKind.LOW_OR_MEAN_LOWEST_CLOSES: _low_or_mean_lowest_closes,
    },
    "pricing rules",
)


def _pending(days: tuple[dt.date, ...], history: PriceHistory) -> None:
    """A window after the notice is pending while its last sessions are later than every date
    the prices range holds: those prices are still to come, not missing."""
    latest = history.latest
    to_come = [day for day in days if latest is None or day > latest]
    if to_come:
        raise PricePendingError(
            pending=len(to_come), count=len(days), days=", ".join(map(str, to_come))
        )


def _lowest_terms(numerator: int, denominator: int) -> Ratio:
    common = math.gcd(numerator, denominator)
    return numerator // common, denominator // common


def quote(purchase_date: dt.date, history: PriceHistory, terms: Terms) -> PriceQuote:
    """The purchase price for ``purchase_date``, with the sessions and prices behind it: of the
    purchase the terms in force compute, regular or accelerated (``purchases.kind``)."""
    in_force = terms_on(purchase_date, terms)
    return _QUOTES[in_force.purchase](purchase_date, history, in_force)


def regular_quote(purchase_date: dt.date, history: PriceHistory, terms: Terms) -> PriceQuote:
    """The price of a regular purchase on ``purchase_date`` under ``terms`` (those in force)."""
    days = pricing_sessions(purchase_date, terms)
    rule = terms.pricing
    if days[-1] >= purchase_date:  # a window on or after the date: its prices may be to come
        _pending(days, history)
    closes = history.of(rule.series).closes_of(days)
    mean, base = _RULES[rule.rule](closes, rule, lambda: history.low(purchase_date))
    return _priced(purchase_date, days, closes, mean, base, rule)


def _accelerated_quote(purchase_date: dt.date, history: PriceHistory, terms: Terms) -> PriceQuote:
    """The price of an accelerated purchase: the lesser of its rule over each of its series
    (the daily VWAP and the close of the accelerated purchase date), times its factor."""
    accelerated = terms.accelerated
    assert accelerated is not None  # the terms refuse an accelerated kind without its table
    rule = accelerated.pricing
    days = pricing_sessions(purchase_date, terms)
    accelerated_pending(purchase_date, days, history, accelerated.series)
    # Named columns, or by position the regular series second: a column the range lacks is named.
    source = history.of(terms.pricing.series)
    use = "the accelerated purchase price"
    by_series = [
        tuple(source.daily(market_column(series), day, use) for day in days)
        for series in accelerated.series
    ]
    values = [_RULES[rule.rule](prices, rule, _no_low)[1] for prices in by_series]
    lesser = min(values, key=lambda ratio: Fraction(*ratio))
    daily = tuple(min(day) for day in zip(*by_series, strict=True))
    return _priced(purchase_date, days, daily, lesser, lesser, rule)


def accelerated_pending(
    purchase_date: dt.date,
    days: tuple[dt.date, ...],
    history: PriceHistory,
    series: Sequence[PriceSeries | MarketColumn],
) -> None:
    """An accelerated purchase waits for its date's market data: pending while the prices range
    holds no date as late as the sessions of its window after the purchase date, naming what is
    still to come (a window before the date is never to come: its data is missing)."""
    if days[-1] < purchase_date:
        return
    latest = history.latest
    to_come = [day for day in days if latest is None or day > latest]
    if to_come:
        columns = [MarketColumn(item.value) for item in series]
        raise AcceleratedPendingError(
            what=" and ".join(DESCRIPTIONS[column] for column in columns),
            days=", ".join(map(str, to_come)),
            dates="date" if len(to_come) == 1 else "dates",
            pending=len(to_come),
            count=len(days),
        )


def _no_low() -> Decimal:
    raise AssertionError("an accelerated purchase's rule reads no day's low")


def _priced(
    purchase_date: dt.date,
    days: tuple[dt.date, ...],
    closes: tuple[Decimal, ...],
    mean: Ratio,
    base: Ratio,
    rule: PricingRule,
) -> PriceQuote:
    """The quote of a rule's ``mean`` and of ``base``, its value the factor applies to: the
    factor, the rounding and the floor of ``rule``."""
    mean_n, mean_d = _lowest_terms(*mean)
    base_n, base_d = base
    factor_n, factor_d = rule.factor.as_integer_ratio()
    exact_n, exact_d = _lowest_terms(base_n * factor_n, base_d * factor_d)
    exact = _to_decimal(exact_n, exact_d)
    if rule.rounding == "none":
        price, exact_price = exact, Fraction(exact_n, exact_d)
    else:
        quantum, mode = rule.rounding.split()
        price = exact.quantize(Decimal(quantum), rounding=_DECIMAL_MODES[Rounding(mode)])
        exact_price = Fraction(price)
    if rule.floor is not None and exact_price < Fraction(rule.floor):
        raise BelowFloorError(date=purchase_date, price=show(price), floor=show(rule.floor))
    return PriceQuote(purchase_date, days, closes, _to_decimal(mean_n, mean_d), price, exact_price)


_QUOTES: Mapping[PurchaseKind, Callable[[dt.date, PriceHistory, Terms], PriceQuote]] = registry(
    PurchaseKind,
    {PurchaseKind.REGULAR: regular_quote, PurchaseKind.ACCELERATED: _accelerated_quote},
    "pricing purchases",
)


def _to_decimal(numerator: int, denominator: int) -> Decimal:
    """A ratio in lowest terms as a Decimal: exact when it terminates within 60 digits."""
    return EXACT.divide(Decimal(numerator), Decimal(denominator))


def share_count(amount: Decimal | Fraction, price: Decimal | Fraction, terms: Terms) -> int:
    """Whole shares for ``amount`` at ``price``: the exact quotient, rounded as the terms say."""
    if price <= 0:
        raise InputError(name="price", problem="must be positive", value=show(price))
    # The exact quotient as whole numbers: amount_n / amount_d divided by price_n / price_d.
    amount_n, amount_d = amount.as_integer_ratio()
    price_n, price_d = price.as_integer_ratio()
    divisor = amount_d * price_n
    whole, rest = divmod(amount_n * price_d, divisor)  # 0 <= rest < divisor
    if rest:
        whole += _SHARE_ROUNDING[terms.share_rounding](whole, 2 * rest, divisor)
    if whole > LARGEST:  # a price of a millionth of a cent: no cell holds the count exactly
        raise ResultRangeError(
            what=f"the share count for {show(amount)} at {show(price)}",
            value=show(whole),
            problem="more than a spreadsheet cell holds exactly (at most 1E+15)",
        )
    return whole


# Whether a quotient ``whole`` + rest / divisor (0 < rest < divisor) goes up to the next whole
# share, from ``whole``, twice the rest and the divisor: 1 to go up, 0 to stay.
_SHARE_ROUNDING: Mapping[Rounding, Callable[[int, int, int], int]] = registry(
    Rounding,
    {
        Rounding.DOWN: lambda _whole, _twice, _divisor: 0,
        Rounding.UP: lambda _whole, _twice, _divisor: 1,
        Rounding.HALF_UP: lambda _whole, twice, divisor: int(twice >= divisor),
        Rounding.HALF_EVEN: lambda whole, twice, divisor: int(
            twice > divisor or (twice == divisor and whole % 2 == 1)
        ),
    },
    "pricing share rounding",
)
