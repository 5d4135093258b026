"""Prices and share counts are exact ratios, whatever the number of sessions or the rounding.

Five sessions always give a mean that terminates (a division by 5); three need not. Every answer
below is worked by hand from the numbers in its comment.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from eql import udfs
from eql.ledger import ScheduleColumn


def day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# 2002-04-15 is a Monday; its three sessions before are Wed 04-10, Thu 04-11 and Fri 04-12.
THREE_SESSIONS = [["pricing.sessions", 3]]
CLOSES_1_1_2 = [
    ["Date", "Close"],
    [day("2002-04-09"), 9.0],  # the fourth session back: never used
    [day("2002-04-10"), 1.0],
    [day("2002-04-11"), 1.0],
    [day("2002-04-12"), 2.0],
    [day("2002-04-15"), 9.0],  # the purchase date itself: never used
]
ALL_MET = [[key, day("2002-01-02")] for key in ("POLYMER_265", "SAMPLES_30", "LICENSE", "MFG_420")]


def test_a_mean_that_does_not_terminate() -> None:
    # (1 + 1 + 2) / 3 = 4/3; 0.85 x 4/3 = 17/15 = 1.1333...
    assert udfs.EQL_AVG_CLOSE(day("2002-04-15"), CLOSES_1_1_2, THREE_SESSIONS) == 4 / 3
    assert udfs.EQL_PRICE(day("2002-04-15"), CLOSES_1_1_2, THREE_SESSIONS) == 17 / 15


def test_shares_at_a_price_that_does_not_terminate_are_exact() -> None:
    # 1,700,000 / (17/15) = 1,500,000 exactly; at 1.13333... cut to any number of digits the
    # quotient is a little more or less than 1,500,000.
    table = udfs.EQL_SCHEDULE(
        [[day("2002-04-15"), 1_700_000.0]],
        CLOSES_1_1_2,
        [["FY2003 Q1", 6_000_000.0]],
        ALL_MET,
        None,
        THREE_SESSIONS,
    )
    assert isinstance(table, list), table
    row = dict(zip(ScheduleColumn, table[1], strict=True))
    assert row[ScheduleColumn.AVERAGE_CLOSE] == 4 / 3
    assert row[ScheduleColumn.PRICE] == 17 / 15
    assert row[ScheduleColumn.SHARES] == 1_500_000


@pytest.mark.parametrize(
    ("amount", "price", "mode", "shares"),
    [
        (5, 2, "down", 2),  # 2.5
        (5, 2, "up", 3),
        (5, 2, "half_up", 3),
        (5, 2, "half_even", 2),  # 2.5 -> the even 2
        (7, 2, "half_even", 4),  # 3.5 -> the even 4
        (7, 2, "half_up", 4),
        (4.5, 2, "half_up", 2),  # 2.25
        (4.5, 2, "half_even", 2),
        (4.5, 2, "up", 3),
        (5.5, 2, "half_up", 3),  # 2.75
        (5.5, 2, "half_even", 3),
        (6, 2, "up", 3),  # 3 exactly: nothing to round
        (6, 2, "half_even", 3),
        (1, 3, "half_up", 0),  # 1/3
        (2, 3, "half_up", 1),  # 2/3
        (2, 3, "down", 0),
    ],
)
def test_share_rounding_modes(amount: Any, price: Any, mode: str, shares: int) -> None:
    assert udfs.EQL_SHARES(amount, price, [["shares.rounding", mode]]) == shares
