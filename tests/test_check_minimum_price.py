"""``eql check`` holds each purchase against the share caps at its exact price: at the exchange
cap's minimum-price edge a price that is a repeating decimal decides by its exact value, never by
the 60 digits a Decimal keeps of it.

Worked by hand from the Lincoln Park shape's terms (lincoln_park.toml): a regular purchase at the
lesser of the day's low and the mean of the 3 lowest closes of the 10 sessions before it (factor
1, no price rounding), shares rounded down; the exchange cap, 19.99 % of the shares outstanding at
signing (2024-06-03), lifted to the extent the average price of all shares sold, the purchase's
included, stays at or above the minimum price 1.25.

Outstanding at signing 10,000,000: the cap allows 1,999,000 shares; 1,998,701 were sold before
(outside the ledger), so 299 are within it. The ten sessions before 2024-07-15 are 06-28 .. 07-12
(07-04 closed); the day's low is 1.30.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from eql.check.recompute import check_rows
from eql.check.rows import LedgerRow, LedgerRows
from eql.ledger import ShareInputs
from eql.records import DatedCount, Issue
from eql.tables import price_history
from eql.terms import facility_terms

SESSIONS = ["2024-06-28", "2024-07-01", "2024-07-02", "2024-07-03", "2024-07-05"]
SESSIONS += ["2024-07-08", "2024-07-09", "2024-07-10", "2024-07-11", "2024-07-12"]
SOLD = 1_998_701
SIGNING = DatedCount(dt.date(2024, 6, 1), 10_000_000)

# (the three lowest closes, paid for the shares sold before, amount, shares, why)
CASES = [
    (
        # Mean 3.7501 / 3 = 1.2500333... (37501/30000), above the minimum price by 1/30000. The
        # sales so far paid 1.25 x 1,998,701 - 0.01: N shares at the price lift the average to
        # 1.25 when N / 30000 >= 0.01, so 300 or more do, and up to 299 are within the cap: no
        # count is refused. 400 buys 12,000,000 / 37,501 = 319.99, 319 shares: allowed. (The
        # 60-digit Decimal 1.2500333...3 is below the price, and makes it 301 or more.)
        ("1.2500", "1.2500", "1.2501"),
        Decimal("2498376.24"),
        Decimal("400"),
        319,
        "just above the minimum price",
    ),
    (
        # Mean 3.7498 / 3 = 1.2499333... (18749/15000), below the minimum price by 1/15000. The
        # sales so far paid 1.25 x 1,998,701 + 0.02: N shares at the price keep the average at
        # or above 1.25 while N / 15000 <= 0.02, up to 300 shares, one more than the 299 within
        # the cap. 374.98 buys exactly 374.98 x 15000 / 18749 = 300 shares: allowed. (The
        # 60-digit Decimal 1.2499333...3 is below the price, and allows only 299.)
        ("1.2499", "1.2500", "1.2499"),
        Decimal("2498376.27"),
        Decimal("374.98"),
        300,
        "just below the minimum price",
    ),
]


@pytest.mark.parametrize(("lowest", "paid", "amount", "shares", "why"), CASES)
def test_the_exact_price_decides_at_the_minimum_price(
    lowest: tuple[str, str, str], paid: Decimal, amount: Decimal, shares: int, why: str
) -> None:
    closes = [*lowest, *["1.30"] * 7]
    rows: list[list[str]] = [["Date", "Close", "Low"]]
    rows += ([day, close] for day, close in zip(SESSIONS, closes, strict=True))
    rows.append(["2024-07-15", "1.31", "1.30"])
    ledger = LedgerRows(
        [
            LedgerRow(
                5,
                dt.date(2024, 7, 15),
                amount,
                None,
                Decimal(shares),
                {"date": "A5", "amount": "B5", "shares": "C5"},
            )
        ]
    )
    inputs = ShareInputs(
        (Issue(dt.date(2024, 6, 10), SOLD, paid),),
        (SIGNING, DatedCount(dt.date(2024, 7, 1), 12_000_000)),
        (DatedCount(dt.date(2024, 7, 1), 0),),
    )
    terms = facility_terms("lincoln_park")
    result = check_rows(ledger, price_history(rows), {}, {}, [], terms, inputs)
    (row,) = result.rows
    assert row.shares == shares, why
    assert row.findings == (), why


def test_a_repeating_price_is_given_to_six_places_in_the_findings() -> None:
    # The first case's price, 1.2500333... (37501/30000), the sales so far 0.02 below the
    # minimum price: only 0.02 x 30000 = 600 or more shares would lift the average, more than the
    # 300 the cap leaves room for, so the room is the 299 within it and 319 shares break the cap.
    # The ledger records a price of 1.26, more than half a cent off. Every price is written to six
    # places, rounded and marked (~1.250033), the closes and the day's low as entered.
    closes = ["1.2500", "1.2500", "1.2501", *["1.30"] * 7]
    rows: list[list[str]] = [["Date", "Close", "Low"]]
    rows += ([day, close] for day, close in zip(SESSIONS, closes, strict=True))
    rows.append(["2024-07-15", "1.31", "1.30"])
    cells = {"date": "A5", "amount": "B5", "price": "C5", "shares": "D5"}
    ledger = LedgerRows(
        [LedgerRow(5, dt.date(2024, 7, 15), Decimal(400), Decimal("1.26"), Decimal(319), cells)]
    )
    inputs = ShareInputs(
        (Issue(dt.date(2024, 6, 10), SOLD, Decimal("2498376.23")),),
        (SIGNING, DatedCount(dt.date(2024, 7, 1), 12_000_000)),
        (DatedCount(dt.date(2024, 7, 1), 0),),
    )
    result = check_rows(
        ledger, price_history(rows), {}, {}, [], facility_terms("lincoln_park"), inputs
    )
    assert [finding.message for finding in result.rows[0].findings] == [
        "price 1.26 recorded, ~1.250033 by the terms (the lesser of the day's low 1.30 and the "
        "mean of 3 lowest closes ~1.250033 of 2024-06-28 .. 2024-07-12); off by more than half "
        "a cent",
        "funded 400 on 2024-07-15 but exchange cap exceeded: 319 shares asked, 299 room left "
        "(19.99 % of 10,000,000 shares outstanding on 2024-06-01 (the latest count on or before "
        "signing, 2024-06-03) is 1,999,000 shares; 1,998,701 issued on or before 2024-07-15; "
        "room 299: 1,998,701 shares sold for 2,498,376.23, and only 600 or more at ~1.250033 "
        "would lift the average price to the minimum price 1.25)",
    ]
