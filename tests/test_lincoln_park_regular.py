"""The built-in Lincoln Park-style facility through the EQL_ functions, named by a Terms range row
``facility = lincoln_park_regular``, against the hand-worked answers of
tests/resources/lincoln_park_regular.csv."""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from eql import udfs
from eql.terms import facility_terms

RESOURCES = Path(__file__).parent / "resources"


def _answers() -> list[Any]:
    with (RESOURCES / "lincoln_park_regular.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return [
        pytest.param(row, id=f"{row['function']}-{row['purchase_date']}-{n}")
        for n, row in enumerate(rows)
    ]


def _terms(text: str) -> list[list[Any]]:
    extra = [part.split("=") for part in text.split(";") if part]
    return [["facility", "lincoln_park_regular"], *extra]


def _prices(row: dict[str, str]) -> list[list[Any]]:
    """(date, close, low): the window's closes, then the purchase date with its low."""
    closes = [part.split(":") for part in row["closes"].split(";") if part]
    day: list[Any] = [row["purchase_date"], float(row["close"])]
    if row["low"]:
        day.append(float(row["low"]))
    return [["Date", "Close", "Low"], *([d, float(c)] for d, c in closes), day]


@pytest.mark.parametrize("row", _answers())
def test_lincoln_park(row: dict[str, str]) -> None:
    function, day, expect = row["function"], row["purchase_date"], row["expect"]
    terms = _terms(row["terms"])
    if function == "dates":
        result = udfs.EQL_PRICING_DATES(day, terms)
        assert [r[0].date().isoformat() for r in result] == expect.split(";")
        return
    if function == "shares":
        result = udfs.EQL_DRAW_SHARES(day, float(row["amount"]), _prices(row), terms)
        assert result == int(expect)
        return
    call = udfs.EQL_PRICE if function == "price" else udfs.EQL_AVG_CLOSE
    result = call(day, _prices(row), terms)
    assert result == (expect if expect.startswith("#") else float(Fraction(expect)))


def test_the_terms_file_holds_the_rule() -> None:
    # Typed from the rule as the agreements word it, not read from the file.
    terms = facility_terms("lincoln_park_regular")
    rule = terms.pricing
    assert (rule.rule, rule.sessions, rule.lowest, rule.window) == (
        "low_or_mean_lowest_closes",
        10,
        3,
        "before",
    )
    assert (rule.factor, rule.floor, terms.calendar, terms.share_rounding) == (1, 1, "XNAS", "down")


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        (
            [["pricing.lowest", 11]],
            "pricing.lowest must be a whole number from 1 to 10, got 11",
        ),
        (
            [["pricing.lowest", 0]],
            "pricing.lowest must be a whole number from 1 to 10, got 0",
        ),
        ([["pricing.floor", -1]], "pricing.floor must be positive, got -1"),
    ],
)
def test_terms_that_make_no_sense_are_refused(overrides: list[list[Any]], complaint: str) -> None:
    result = udfs.EQL_PRICING_DATES(
        "2024-07-08", [["facility", "lincoln_park_regular"], *overrides]
    )
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
