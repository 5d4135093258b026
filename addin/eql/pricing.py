"""Purchase price and share count.

"85% of the average closing price of the Company Common Stock for the five trading days prior to
the purchase date": the terms name the rule (``mean_close``), the number of sessions, the window
and the factor. Arithmetic is exact: the mean and the price are Decimals, and the share count is
the floor of an exact fraction, so 5,000,000 / 2.5 is 2,000,000 and never 1,999,999.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Context, Decimal
from fractions import Fraction

from eql.calendar import sessions
from eql.errors import ConflictingCloseError, InputError, MissingCloseError
from eql.terms import PricingRule, Terms
from eql.values import parse_amount, parse_decimal, show

# Enough digits that a mean of closes in dollars and cents is never rounded in practice; shares
# are computed from the exact fraction regardless.
EXACT = Context(prec=60)
_DECIMAL_MODES = {
    "down": ROUND_DOWN,
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "up": ROUND_UP,
}


@dataclass(frozen=True)
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


class PriceHistory:
    """Closing prices by date. Rows are checked only where a pricing session needs them, so one bad
    cell far from the draws does not stop the ledger, but a bad or doubled close that is used does.

    ``positions`` maps each date to the indices of the rows that carry it, in range order; it depends
    on the dates alone, so it is built once for a range and shared while the same range comes back.
    The closes are read from ``rows``, the cells of this very call, and only for the sessions used.
    """

    def __init__(
        self, rows: Sequence[Sequence[object]], positions: Mapping[dt.date, Sequence[int]]
    ) -> None:
        self.rows = rows
        self.positions = positions
        self._closes: dict[dt.date, Close] | None = None
        self._conflicts: dict[dt.date, tuple[Close, Close]] | None = None
        self._checked: dict[dt.date, Decimal] = {}  # closes already read and found good

    def _cell(self, index: int) -> Close:
        row = self.rows[index]
        return Close(row[1] if len(row) > 1 else None, index + 1)

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
        where = self.positions.get(day)
        if not where:
            raise MissingCloseError(date=day, n=n, count=count)
        if len(where) > 1:
            conflict = self._conflict(where)
            if conflict is not None:
                first, second = conflict
                raise ConflictingCloseError(
                    date=day, first=show(first.value), second=show(second.value), n=n, count=count
                )
        found = self._cell(where[0])
        if found.value is None or found.value == "":
            raise MissingCloseError(date=day, n=n, count=count)
        value = parse_amount(found.value, f"close for {day} (prices row {found.row})")
        self._checked[day] = value
        return value

    @property
    def closes(self) -> Mapping[dt.date, Close]:
        """The first close given for each date, as handed over (not yet checked)."""
        if self._closes is None:
            self._closes = {day: self._cell(where[0]) for day, where in self.positions.items()}
        return self._closes

    @property
    def conflicts(self) -> Mapping[dt.date, tuple[Close, Close]]:
        """Dates given twice with different closes: the first close and the first that differs."""
        if self._conflicts is None:
            found = {}
            for day, where in self.positions.items():
                conflict = self._conflict(where) if len(where) > 1 else None
                if conflict is not None:
                    found[day] = conflict
            self._conflicts = found
        return self._conflicts


@dataclass(frozen=True)
class PriceQuote:
    purchase_date: dt.date
    sessions: tuple[dt.date, ...]
    closes: tuple[Decimal, ...]
    mean: Decimal
    price: Decimal
    exact_price: Fraction  # the price as an exact fraction; equals ``price`` unless it was rounded


def pricing_sessions(purchase_date: dt.date, terms: Terms) -> tuple[dt.date, ...]:
    """The sessions whose closes set the price for ``purchase_date``."""
    rule = terms.pricing
    calendar = sessions(terms.calendar)
    return _WINDOWS[rule.window](calendar.before, purchase_date, rule.sessions)


def _window_before(
    before: Callable[[dt.date, int], tuple[dt.date, ...]], day: dt.date, count: int
) -> tuple[dt.date, ...]:
    # Reading: "prior to the purchase date" means strictly before it; the date itself never counts.
    return before(day, count)


_WINDOWS = {"before": _window_before}


def _mean_close(closes: tuple[Decimal, ...]) -> Fraction:
    return Fraction(sum(closes, Decimal(0))) / len(closes)


_RULES: dict[str, Callable[[tuple[Decimal, ...]], Fraction]] = {"mean_close": _mean_close}


def quote(purchase_date: dt.date, history: PriceHistory, terms: Terms) -> PriceQuote:
    """The purchase price for ``purchase_date``, with the sessions and closes behind it."""
    days = pricing_sessions(purchase_date, terms)
    closes = tuple(history.close(day, n, len(days)) for n, day in enumerate(days, start=1))
    rule = terms.pricing
    mean = _RULES[rule.rule](closes)
    exact = Fraction(rule.factor) * mean
    price = _round_price(exact, rule)
    exact_price = exact if rule.rounding == "none" else Fraction(price)
    return PriceQuote(purchase_date, days, closes, _to_decimal(mean), price, exact_price)


def _to_decimal(value: Fraction) -> Decimal:
    return EXACT.divide(Decimal(value.numerator), Decimal(value.denominator))


def _round_price(exact: Fraction, rule: PricingRule) -> Decimal:
    value = _to_decimal(exact)
    if rule.rounding == "none":
        return value
    quantum, mode = rule.rounding.split()
    return value.quantize(Decimal(quantum), rounding=_DECIMAL_MODES[mode])


def share_count(amount: Decimal | Fraction, price: Decimal | Fraction, terms: Terms) -> int:
    """Whole shares for ``amount`` at ``price``: the exact quotient, rounded as the terms say."""
    if price <= 0:
        raise InputError(name="price", problem="must be positive", value=show(price))
    quotient = Fraction(amount) / Fraction(price)
    mode = terms.share_rounding
    if mode == "down":
        return math.floor(quotient)
    if mode == "up":
        return math.ceil(quotient)
    whole = math.floor(quotient)
    rest = quotient - whole
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and (mode == "half_up" or whole % 2 == 1)):
        return whole + 1
    return whole
