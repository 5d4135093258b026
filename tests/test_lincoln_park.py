"""The built-in Lincoln Park-style facility through the EQL_ functions, named by a Terms range row
``facility = lincoln_park``, against the hand-worked answers of
tests/resources/lincoln_park.csv."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from eql import udfs
from eql.terms import facility_terms
from fixtures import lincoln_park_answers, lincoln_park_prices, lincoln_park_terms


@pytest.mark.parametrize("row", lincoln_park_answers())
def test_lincoln_park(row: dict[str, str]) -> None:
    function, day, expect = row["function"], row["purchase_date"], row["expect"]
    terms = lincoln_park_terms(row["terms"])
    if function == "dates":
        result = udfs.EQL_PRICING_DATES(day, terms)
        assert [r[0].date().isoformat() for r in result] == expect.split(";")
        return
    if function == "schedule":
        requests = [[day, float(row["amount"])]]
        table = udfs.EQL_SCHEDULE(requests, lincoln_park_prices(row), None, None, None, terms)
        assert isinstance(table, list), table
        heading, request = table
        status = request[heading.index("status")]
        if expect.startswith("OK:"):
            assert status == "OK"
            assert request[heading.index("shares")] == int(expect[3:])
        else:
            assert status == expect
            assert request[heading.index("amount funded")] == 0
        return
    if function == "shares":
        result = udfs.EQL_DRAW_SHARES(day, float(row["amount"]), lincoln_park_prices(row), terms)
        assert result == int(expect)
        return
    call = udfs.EQL_PRICE if function == "price" else udfs.EQL_AVG_CLOSE
    result = call(day, lincoln_park_prices(row), terms)
    assert result == (expect if expect.startswith("#") else float(Fraction(expect)))


def test_the_terms_file_holds_the_rule() -> None:
    # Typed from the rule as the agreements word it, not read from the file.
    terms = facility_terms("lincoln_park")
    rule = terms.pricing
    assert (rule.rule, rule.sessions, rule.lowest, rule.window) == (
        "low_or_mean_lowest_closes",
        10,
        3,
        "before",
    )
    assert (rule.factor, rule.floor, terms.calendar, terms.share_rounding) == (1, 1, "XNAS", "down")
    assert terms.share_limits == ((0, 100_000), (3, 125_000), (5, 150_000))
    assert terms.share_limit_price == "close"


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        (
            [["pricing.lowest", 11]],
            "pricing.lowest must be a whole number from 1 to 10, got 11",
        ),
        (
            [["shares.per_purchase_most", "100000, 90000"]],
            "shares.per_purchase_at_or_above and shares.per_purchase_most must have as many entries, got 3 and 2",
        ),
        (
            [["shares.per_purchase_at_or_above", "1, 3, 5"]],
            "shares.per_purchase_at_or_above must start at 0 and rise, got 1, 3, 5",
        ),
        (
            [["shares.per_purchase_most", "100000, 125000.5, 150000"]],
            "shares.per_purchase_most must be positive whole numbers, got 100000, 125000.5, 150000",
        ),
        (
            [["pricing.lowest", 0]],
            "pricing.lowest must be a whole number from 1 to 10, got 0",
        ),
        ([["pricing.floor", -1]], "pricing.floor must be positive, got -1"),
        (
            [["shares.limit_price", "price"]],
            "shares.limit_price must be one of close, purchase_price, got 'price'",
        ),
    ],
)
def test_terms_that_make_no_sense_are_refused(overrides: list[list[Any]], complaint: str) -> None:
    result = udfs.EQL_PRICING_DATES("2024-07-08", [["facility", "lincoln_park"], *overrides])
    assert isinstance(result, str), result
    assert result.startswith("#VALUE! terms: ")
    assert complaint in result, result


def test_the_built_in_terms_have_no_floor_and_ignore_no_low() -> None:
    # The Valence terms price on closes alone: a third column is never read, and a price far
    # below one dollar is allowed.
    prices = [
        ["2002-03-25", 0.40, 0.01],
        ["2002-03-26", 0.50, 0.01],
        ["2002-03-27", 0.60, 0.01],
        ["2002-03-28", 0.45, 0.01],
        ["2002-04-01", 0.55, 0.01],
    ]
    assert udfs.EQL_PRICE("2002-04-02", prices) == 0.425  # 0.85 x 2.50/5


def test_a_request_below_the_floor_is_blocked_in_the_schedule() -> None:
    # Worked by hand: 2024-07-08's window (06-21 .. 07-05, Independence Day closed) has 3 lowest
    # closes 1.20, 1.25, 1.30 (mean 1.25) and the day's low is 0.95: price 0.95 < the 1.00 floor,
    # so nothing is funded. 2024-07-09's window (06-24 .. 07-08) takes 07-08's close 1.00: lowest
    # 1.00, 1.20, 1.25, mean 3.45/3 = 1.15 < its low 1.22; 100,000 / 1.15 = 86,956.52 -> 86,956.
    closes = {
        "2024-06-21": 1.50,
        "2024-06-24": 1.40,
        "2024-06-25": 1.30,
        "2024-06-26": 1.20,
        "2024-06-27": 1.25,
        "2024-06-28": 1.60,
        "2024-07-01": 1.70,
        "2024-07-02": 1.80,
        "2024-07-03": 1.90,
        "2024-07-05": 2.00,
    }
    prices = [
        ["Date", "Close", "Low"],
        *([day, close] for day, close in closes.items()),
        ["2024-07-08", 1.00, 0.95],
        ["2024-07-09", 1.30, 1.22],
    ]
    requests = [["2024-07-08", 100000], ["2024-07-09", 100000]]
    table = udfs.EQL_SCHEDULE(requests, prices, None, None, None, [["facility", "lincoln_park"]])
    assert isinstance(table, list), table
    heading, blocked, funded = table
    column = {name: heading.index(name) for name in ("price", "shares", "amount funded", "status")}
    floor = "no purchase on 2024-07-08: the price 0.95 is below the floor price 1.00"
    assert blocked[column["status"]] == f"BLOCKED: {floor}"
    assert blocked[column["amount funded"]] == 0
    assert blocked[column["price"]] == f"#N/A {floor}"
    assert funded[column["price"]] == 1.15
    assert funded[column["shares"]] == 86956
    assert funded[column["amount funded"]] == 100000
    assert funded[column["status"]] == "OK"


def test_a_limit_price_without_share_limits_is_refused(tmp_path: Path) -> None:
    text = (Path(udfs.__file__).parent / "data" / "lincoln_park.toml").read_text(encoding="utf-8")
    kept = [
        line for line in text.splitlines() if not line.startswith(("per_purchase_", "# illustr"))
    ]
    path = tmp_path / "no_limits.toml"
    path.write_text("\n".join(kept), encoding="utf-8")
    result = udfs.EQL_PRICING_DATES("2024-07-08", [["facility", str(path)]])
    assert result == (
        "#VALUE! terms: shares.limit_price is given, but the terms set no per-purchase share "
        "limit (shares.per_purchase_at_or_above and shares.per_purchase_most)"
    )
