"""Invariants that hold for any input (Hypothesis): share counts are the nearest share, drawing the
cap every time never breaks a limit, and labels and dates survive a round trip."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from eql import udfs
from eql.errors import InputError
from eql.money import fmt_money
from eql.quarters import fiscal_quarter
from eql.terms import default_terms
from eql.values import from_serial, parse_decimal, parse_fiscal_label, to_serial

# The term sheet's limits, typed from it: 5M a term quarter, 30M in all, and condition (v)'s
# share of cash used by fiscal quarter (100 %, 100 %, 75 %, then 50 % from FY2003 Q4 on).
QUARTER_LIMIT = Decimal(5_000_000)
TOTAL_LIMIT = Decimal(30_000_000)
CASH_SHARE = {"FY2003 Q1": Decimal(1), "FY2003 Q2": Decimal(1), "FY2003 Q3": Decimal("0.75")}
# Every milestone reached before the term, no CEO change and no material adverse change.
ALL_MET = [[key, "2002-01-02"] for key in ("POLYMER_265", "SAMPLES_30", "LICENSE", "MFG_420")]
TERM_START, TERM_END = dt.date(2002, 4, 1), dt.date(2004, 3, 31)

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=4)
amounts = st.decimals(min_value=Decimal("1"), max_value=Decimal("50000000"), places=2)


@given(amount=amounts, price=prices)
def test_shares_are_the_nearest_whole_share(amount: Decimal, price: Decimal) -> None:
    # The built-in terms round to the nearest share, a half up: |shares - amount / price| <= 1/2.
    shares = udfs.EQL_SHARES(str(amount), str(price))
    assert isinstance(shares, int)
    assert (shares - Decimal("0.5")) * price <= amount < (shares + Decimal("0.5")) * price


@given(amount=amounts, price=prices)
def test_shares_rounded_down_bracket_the_amount(amount: Decimal, price: Decimal) -> None:
    shares = udfs.EQL_SHARES(str(amount), str(price), [["shares.rounding", "down"]])
    assert isinstance(shares, int)
    assert shares * price <= amount < (shares + 1) * price


@given(
    closes=st.lists(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99"), places=2),
        min_size=5,
        max_size=5,
    )
)
def test_price_is_85_percent_of_the_mean(closes: list[Decimal]) -> None:
    # The five sessions before 2002-04-02 (Good Friday 2002-03-29 closed), from the XNAS calendar.
    days = ["2002-03-25", "2002-03-26", "2002-03-27", "2002-03-28", "2002-04-01"]
    rows = [[day, str(close)] for day, close in zip(days, closes, strict=True)]
    expected = Fraction(sum(closes)) / 5 * Fraction(85, 100)
    price = udfs.EQL_PRICE("2002-04-02", rows)
    assert price == float(expected)
    # The share count uses the exact price, so it is the exact quotient rounded to the nearest
    # share, a half up: floor(quotient + 1/2).
    assert udfs.EQL_SHARES(
        5e6, str(Decimal(expected.numerator) / Decimal(expected.denominator))
    ) == math.floor(Fraction(5_000_000) / expected + Fraction(1, 2))


def _fiscal_label(day: dt.date) -> str:
    # Independently of eql: the fiscal year ends in March and is named by the year it ends in.
    year = day.year + (day.month > 3)
    quarter = (day.month - 4) % 12 // 3 + 1
    return f"FY{year} Q{quarter}"


def _term_quarter(day: dt.date) -> int:
    return ((day.year - 2002) * 12 + day.month - 4) // 3 + 1


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(
        st.integers(min_value=0, max_value=(TERM_END - TERM_START).days), min_size=1, max_size=25
    ),
    cash=st.lists(st.integers(min_value=0, max_value=12_000_000), min_size=8, max_size=8),
    fractions=st.lists(
        st.sampled_from([Decimal(1), Decimal("0.5"), Decimal("0.37")]), min_size=25, max_size=25
    ),
)
def test_drawing_the_cap_never_breaks_a_limit(
    offsets: list[int], cash: list[int], fractions: list[Decimal]
) -> None:
    labels = [f"FY{2003 + i // 4} Q{i % 4 + 1}" for i in range(8)]
    cash_used = [[label, float(amount)] for label, amount in zip(labels, cash, strict=True)]
    draws: list[list[object]] = []
    for offset, part in zip(sorted(offsets), fractions, strict=False):
        day = TERM_START + dt.timedelta(days=offset)
        cap = udfs.EQL_CAP(day.isoformat(), draws or None, cash_used)
        assert isinstance(cap, float), cap
        assert cap >= 0, cap
        amount = (Decimal(repr(cap)) * part).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        if amount > 0:
            assert (
                udfs.EQL_CHECK(day.isoformat(), str(amount), draws or None, cash_used, ALL_MET)
                == "OK"
            )
            draws.append([day.isoformat(), str(amount)])
    funded = [(dt.date.fromisoformat(str(d)), Decimal(str(a))) for d, a in draws]
    assert sum(a for _, a in funded) <= TOTAL_LIMIT
    for number in range(1, 9):
        assert sum(a for d, a in funded if _term_quarter(d) == number) <= QUARTER_LIMIT
    cash_by_label = dict(zip(labels, cash, strict=True))
    for label in labels:
        share = CASH_SHARE.get(label, Decimal("0.5"))
        assert (
            sum(a for d, a in funded if _fiscal_label(d) == label) <= share * cash_by_label[label]
        )


@given(st.integers(min_value=1990, max_value=2100), st.integers(min_value=1, max_value=4))
def test_fiscal_labels_round_trip(year: int, number: int) -> None:
    label = f"FY{year} Q{number}"
    assert parse_fiscal_label(label, "q") == (year, number)
    quarter = fiscal_quarter(
        dt.date(year - 1, 4, 1) + dt.timedelta(days=91 * (number - 1) + 5), default_terms()
    )
    assert quarter.label == label
    assert parse_fiscal_label(quarter.label, "q") == (quarter.year, quarter.number)


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)))
def test_serial_dates_round_trip(day: dt.date) -> None:
    assert from_serial(float(to_serial(day)), "d") == day


@given(st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2029, 12, 31)))
def test_fiscal_quarter_matches_a_plain_reading(day: dt.date) -> None:
    assert udfs.EQL_FISCAL_QUARTER(day.isoformat()) == _fiscal_label(day)


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=6))
def test_decimal_text_round_trips(number: Decimal) -> None:
    assert parse_decimal(str(number), "x") == number


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2))
def test_numbers_as_a_us_spreadsheet_shows_them_read_back(number: Decimal) -> None:
    grouped = f"{abs(number):,}"
    sign = "-" if number < 0 else ""
    assert parse_decimal(f"{sign}{grouped}", "x") == number
    assert parse_decimal(f"{sign}${grouped}", "x") == number
    assert parse_decimal(f"({grouped})", "x") == -abs(number)
    assert parse_decimal(f"{number * 100:f}%", "x") == number
    assert parse_decimal(fmt_money(number), "x") == number  # eql's own messages read back


@given(st.decimals(min_value=Decimal("1e3"), max_value=Decimal("1e12"), places=0))
def test_a_misplaced_separator_is_never_read_as_a_number(number: Decimal) -> None:
    # Thousands grouped by twos (Indian style) or a decimal comma: refused, never another number.
    digits = str(number)
    for text in (f"{digits[:-2]},{digits[-2:]}", f"{digits[:-3]}.{digits[-3:]},5"):
        try:
            parse_decimal(text, "x")
        except InputError:
            continue
        raise AssertionError(f"{text!r} was read as a number")
