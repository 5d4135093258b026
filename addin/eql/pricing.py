"""Purchase price and share count.

"85% of the average closing price of the Company Common Stock for the five trading days prior to
the purchase date": the terms name the rule (``mean_close``), the number of sessions, the window
and the factor. Arithmetic is exact: the mean and the price are Decimals, and the share count is
an exact fraction rounded as the terms say, so 5,000,000 / 2.5 is 2,000,000 and never 1,999,999.
The daily prices a rule reads come from a :class:`~eql.price_history.PriceHistory`.
"""

from __future__ import annotations

import datetime as dt
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
    InputError,
    PricePendingError,
    ResultRangeError,
)
from eql.market import DESCRIPTIONS, MarketColumn, market_column
from eql.money import fmt_price
from eql.price_history import PriceHistory
from eql.terms import PricingRule, Terms
from eql.values import LARGEST, show
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
    to_come = history.to_come(days)
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
    to_come = history.to_come(days)
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
        raise BelowFloorError(
            date=purchase_date, price=fmt_price(price), floor=fmt_price(rule.floor)
        )
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
