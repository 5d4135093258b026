"""Accelerated purchases of the built-in Lincoln Park-style facility through the EQL_ functions,
chosen by the Terms range rows ``facility = lincoln_park`` and ``purchases.kind = accelerated``,
against the hand-worked answers of tests/resources/lincoln_park_accelerated.csv."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from eql import udfs
from eql.terms import facility_terms
from fixtures import accelerated_prices, lincoln_park_answers, lincoln_park_terms

ANSWERS = "lincoln_park_accelerated.csv"


@pytest.mark.parametrize("row", lincoln_park_answers(ANSWERS))
def test_accelerated_purchase(row: dict[str, str]) -> None:
    function, day, expect = row["function"], row["purchase_date"], row["expect"]
    terms = lincoln_park_terms(row["terms"])
    if function == "dates":
        result = udfs.EQL_PRICING_DATES(day, terms)
        assert [r[0].date().isoformat() for r in result] == expect.split(";")
        return
    prices = accelerated_prices(row)
    if function == "schedule":
        table = udfs.EQL_SCHEDULE([[day, float(row["amount"])]], prices, None, None, None, terms)
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
        assert udfs.EQL_DRAW_SHARES(day, float(row["amount"]), prices, terms) == int(expect)
        return
    if function == "most":
        result = udfs.EQL_MAX_SHARES(day, prices, terms)
        assert result == (expect if expect.startswith("#") else int(expect))
        return
    call = udfs.EQL_PRICE if function == "price" else udfs.EQL_AVG_CLOSE
    result = call(day, prices, terms)
    assert result == (expect if expect.startswith("#") else float(Fraction(expect)))


def test_the_terms_file_holds_the_accelerated_purchase() -> None:
    # Typed from the shape as the prospectus summaries word it, not read from the file.
    terms = facility_terms("lincoln_park")
    assert terms.purchase == "regular"
    accelerated = terms.accelerated
    assert accelerated is not None
    rule = accelerated.pricing
    assert (rule.rule, rule.window, rule.sessions, rule.factor, rule.floor) == (
        "lowest",
        "after",
        1,
        Fraction(97, 100),
        1,
    )
    assert accelerated.series == ("vwap", "close")
    assert (accelerated.volume_share, accelerated.regular_multiple) == (Fraction(3, 10), 3)


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        (
            [["purchases.kind", "acc"]],
            "purchases.kind must be one of regular, accelerated, got 'acc'",
        ),
        (
            [["purchases.accelerated.volume_share", 30]],
            "purchases.accelerated.volume_share must be a number more than 0 and at most 1 "
            "(85 % is 0.85), got 30",
        ),
        (
            [["purchases.accelerated.volume_share", 0]],
            "purchases.accelerated.volume_share must be a number more than 0 and at most 1",
        ),
        (
            [["purchases.accelerated.regular_multiple", 300]],
            "purchases.accelerated.regular_multiple must be more than 0 and at most 100 "
            "(300 % is 3), got 300",
        ),
        (
            [["purchases.accelerated.regular_multiple", 0]],
            "purchases.accelerated.regular_multiple must be positive, got 0",
        ),
        (
            [["purchases.accelerated.sessions", 0]],
            "purchases.accelerated.sessions must be a whole number from 1 to 250, got 0",
        ),
        (
            [["purchases.accelerated.factor", 97]],
            "purchases.accelerated.factor must be a number more than 0 and at most 1",
        ),
        (
            [["purchases.accelerated.series", "vwap, ask"]],
            "purchases.accelerated.series must be one of close, bid, vwap, got 'ask'",
        ),
        (
            [["purchases.accelerated.window", "during"]],
            "purchases.accelerated.window must be one of before, after, from, got 'during'",
        ),
        (
            [["purchases.accelerated.rule", "low_or_mean_lowest_closes"]],
            "purchases.accelerated.rule must be one of mean_close, mean_lowest, lowest, got "
            "'low_or_mean_lowest_closes' (an accelerated purchase reads no day's low)",
        ),
        (
            [["purchases.accelerated.price_rounding", "0.0001 nearest"]],
            "purchases.accelerated.price_rounding must be 'none' or a quantum",
        ),
    ],
)
def test_accelerated_terms_that_make_no_sense_are_refused(
    overrides: list[list[Any]], complaint: str
) -> None:
    result = udfs.EQL_PRICING_DATES("2024-07-08", [["facility", "lincoln_park"], *overrides])
    assert isinstance(result, str), result
    assert result.startswith("#VALUE! terms: ")
    assert complaint in result, result


def test_a_facility_without_accelerated_purchases_has_no_such_term() -> None:
    result = udfs.EQL_PRICE("2002-04-02", [], [["purchases.kind", "accelerated"]])
    assert result.startswith("#VALUE! terms: unknown term 'purchases.kind'"), result


def test_an_accelerated_purchase_needs_named_columns() -> None:
    # Without a header a prices range is date, close, low, volume: no VWAP to read.
    prices = [["2024-07-08", 1.24, 1.22, 500000], ["2024-07-09", 1.30, 1.25, 1200000]]
    terms = [["facility", "lincoln_park"], ["purchases.kind", "accelerated"]]
    assert udfs.EQL_PRICE("2024-07-08", prices, terms) == (
        "#N/A prices has no vwap column, needed for the accelerated purchase price: without a "
        "header its columns are date, close, low, volume: name the columns in a header row to "
        "give another"
    )
    # The most shares reads the close and the volume, which a range without a header holds.
    assert udfs.EQL_MAX_SHARES("2024-07-08", prices, terms) == 300000
