"""The prices range's columns: found by a header's headings in any order, or by position without
one; and the columns each facility's terms read. Prices and expected values are worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from eql import tables, udfs
from eql.errors import EqlError
from eql.market import MarketColumn, columns_needed
from eql.terms import facility_terms

C = MarketColumn

# Five Valence sessions before 2002-04-02 (Good Friday 03-29 closed): closes 2.40, 2.50, 2.60,
# 2.45, 2.55 average 2.50, and 0.85 x 2.50 = 2.125.
DAYS = ["2002-03-25", "2002-03-26", "2002-03-27", "2002-03-28", "2002-04-01"]
CLOSES = [2.40, 2.50, 2.60, 2.45, 2.55]
BIDS = [2.30, 2.40, 2.50, 2.35, 2.45]  # average 2.40


def _rows(*columns: list[Any]) -> list[list[Any]]:
    return [list(cells) for cells in zip(*columns, strict=True)]


@pytest.mark.parametrize(
    ("facility", "needed"),
    [
        # Typed from each facility's description, not read from its file.
        ("valence_2002", (C.DATE, C.CLOSE)),  # the average closing price
        ("berg_2004", (C.DATE, C.BID)),  # the average closing bid
        ("lincoln_park", (C.DATE, C.CLOSE, C.LOW)),  # the lesser of the day's low and a mean
        ("yorkville_sepa", (C.DATE, C.VWAP, C.VOLUME)),  # VWAPs, and volumes for the limit
    ],
)
def test_columns_needed_by_each_facility(facility: str, needed: tuple[MarketColumn, ...]) -> None:
    assert columns_needed(facility_terms(facility)) == needed


@pytest.mark.parametrize(
    ("prices", "expect", "why"),
    [
        (
            [["Date", "Close"], *_rows(DAYS, CLOSES)],
            2.125,
            "the template's own heading: date and close",
        ),
        (
            [["CLOSE", "Volume", "date"], *_rows(CLOSES, [100, 200, 300, 400, 500], DAYS)],
            2.125,
            "named in an odd order, any case: the date is read from the third column",
        ),
        (
            [["Trading date", "Closing price", "Notes"], *_rows(DAYS, CLOSES, ["x"] * 5)],
            2.125,
            "synonyms, and a column of no market data left alone",
        ),
        (
            [["Date", "Bid", "Close"], *_rows(DAYS, BIDS, CLOSES)],
            2.125,
            "the close found by its heading though a bid stands second",
        ),
        (
            _rows(DAYS, CLOSES, [1.0] * 5, [100] * 5),
            2.125,
            "four columns without a header: date, close, low, volume by position",
        ),
        (
            [["Date", "Bid"], *_rows(DAYS, BIDS)],
            "#N/A prices has no close column, needed for the daily close the terms price on: "
            "its header names date, bid",
            "a range of bids named so is never read as closes",
        ),
        (
            [["Close", "Low"], *_rows(CLOSES, CLOSES)],
            "#VALUE! prices: the header names close, low but no date column "
            "(a heading such as 'Date')",
            "a header naming market columns but no date",
        ),
        (
            [["Date", "Close", "close"], *_rows(DAYS, CLOSES, CLOSES)],
            "#VALUE! prices: the header names the close column twice, in columns 2 and 3 ('close')",
            "one column named twice: neither is taken",
        ),
        (
            [["Close", "Date"], [2.40, "2002-03-25"], [2.45, "28/03/2002"]],
            "#VALUE! prices row 3: date (column 2) must be a date (YYYY-MM-DD), got '28/03/2002'",
            "a bad date in a date column named second says which column",
        ),
    ],
)
def test_eql_price_reads_the_named_columns(
    prices: list[list[Any]], expect: object, why: str
) -> None:
    assert udfs.EQL_PRICE("2002-04-02", prices) == expect, why


def test_a_bid_facility_reads_bids_by_heading_or_in_a_date_and_close_range() -> None:
    # Berg 2004: the mean of 5 closing bids, no discount. Sessions before 2004-07-12: 07-02, 07-06
    # (07-05 closed), 07-07, 07-08, 07-09 (3.0, 3.1, 3.2, 3.3, 3.4 mean 3.2); the closes, 1 more.
    terms = [["facility", "berg_2004"]]
    days = ["2004-07-02", "2004-07-06", "2004-07-07", "2004-07-08", "2004-07-09"]
    bids = [3.0, 3.1, 3.2, 3.3, 3.4]
    closes = [4.0, 4.1, 4.2, 4.3, 4.4]
    named = [["Close", "Date", "Closing bid"], *_rows(closes, days, bids)]
    assert udfs.EQL_PRICE("2004-07-12", named, terms) == 3.2
    # A range of a date and one price headed "Close", as eql's template heads it for every
    # facility, holds the price the terms price on.
    assert udfs.EQL_PRICE("2004-07-12", [["Date", "Close"], *_rows(days, bids)], terms) == 3.2


def _history(rows: list[list[Any]]) -> Any:
    return tables.price_history(rows)


@pytest.mark.parametrize(
    ("cell", "expect"),
    [
        (1234567.0, Decimal(1234567)),
        ("1,000", Decimal(1000)),
        (0.0, Decimal(0)),  # no trade that day: a volume of nothing, not a missing one
        (
            1.5,
            "volume for 2024-06-10 (prices row 2) must be a whole number of shares, 0 or more, got 1.5",
        ),
        (
            -100.0,
            "volume for 2024-06-10 (prices row 2) must be a whole number of shares, 0 or more, got -100",
        ),
        (
            "lots",
            "volume for 2024-06-10 (prices row 2) must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6), got 'lots'",
        ),
        (None, "no volume for 2024-06-10 (prices row 2), needed for the test"),
    ],
)
def test_a_volume_is_whole_shares(cell: Any, expect: object) -> None:
    history = _history([["Date", "VWAP", "Volume"], [dt.datetime(2024, 6, 10), 2.5, cell]])
    if isinstance(expect, Decimal):
        assert history.daily(C.VOLUME, dt.date(2024, 6, 10), "the test") == expect
    else:
        with pytest.raises(EqlError) as raised:
            history.daily(C.VOLUME, dt.date(2024, 6, 10), "the test")
        assert str(raised.value) == expect


def test_a_missing_day_and_a_missing_column_are_named() -> None:
    history = _history([["Date", "VWAP"], [dt.datetime(2024, 6, 10), 2.5]])
    with pytest.raises(EqlError) as raised:
        history.daily(C.VWAP, dt.date(2024, 6, 11), "the test")
    assert str(raised.value) == "no daily VWAP for 2024-06-11, needed for the test"
    with pytest.raises(EqlError) as raised:
        history.daily(C.VOLUME, dt.date(2024, 6, 10), "the test")
    assert str(raised.value) == (
        "prices has no volume column, needed for the test: its header names date, vwap"
    )
    positional = _history([[dt.datetime(2024, 6, 10), 2.5, 2.4]])
    with pytest.raises(EqlError) as raised:
        positional.daily(C.VWAP, dt.date(2024, 6, 10), "the test")
    assert str(raised.value) == (
        "prices has no vwap column, needed for the test: without a header its columns are date, "
        "close, low, volume: name the columns in a header row to give another"
    )


def test_the_kept_parse_keeps_the_layout() -> None:
    # The second call finds the first's parse: the columns stay where the header put them.
    ranges = tables.PriceRanges()
    prices = [["Close", "Date"], *_rows(CLOSES, [dt.datetime.fromisoformat(d) for d in DAYS])]
    for _ in range(2):
        history = ranges.history(prices)
        assert history.close(dt.date(2002, 3, 27), 3, 5) == Decimal("2.6")
    assert len(ranges) == 1
