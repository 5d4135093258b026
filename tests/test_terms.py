"""The built-in terms hold the term sheet's numbers, and every one can be overridden by name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from eql import udfs
from eql.errors import TermsError
from eql.terms import default_terms, load_terms

# Closes for 2002-03-25 .. 2002-04-01, the sessions before 2002-04-02 (Good Friday 03-29 closed).
PRICES = [
    ["Date", "Close"],
    ["2002-03-25", 2.40],
    ["2002-03-26", 2.50],
    ["2002-03-27", 2.60],
    ["2002-03-28", 2.45],
    ["2002-04-01", 2.55],
]


def test_the_term_sheet_numbers() -> None:
    # Typed from term_sheet.txt, not read from the terms file.
    terms = default_terms()
    assert terms.term_sheet_date == dt.date(2002, 3, 12)
    assert (terms.term_start, terms.term_end) == (dt.date(2002, 4, 1), dt.date(2004, 3, 31))
    assert terms.commitment == Decimal(30_000_000)
    assert terms.pricing.factor == Decimal("0.85")
    assert terms.pricing.sessions == 5
    assert terms.calendar == "XNAS"
    quarter = terms.limit("per_period")
    assert quarter is not None
    assert quarter.amount == Decimal(5_000_000)
    cash = terms.limit("cash_used")
    assert cash is not None
    assert dict(cash.schedule) == {
        "FY2003 Q1": Decimal(1),
        "FY2003 Q2": Decimal(1),
        "FY2003 Q3": Decimal("0.75"),
        "FY2003 Q4": Decimal("0.5"),
    }
    assert [c.clause for c in terms.conditions] == ["(i)", "(ii)", "(iii)", "(iv)", "(vi)"]


def test_a_factor_override_changes_the_price() -> None:
    # mean 2.50: 80 % is 2.00, 85 % is 2.125.
    assert udfs.EQL_PRICE("2002-04-02", PRICES) == 2.125
    assert udfs.EQL_PRICE("2002-04-02", PRICES, [["pricing.factor", 0.80]]) == 2.0
    assert (
        udfs.EQL_PRICE("2002-04-02", PRICES, [["name", "value"], ["pricing.factor", "80%"]]) == 2.0
    )


def test_a_price_rounding_override() -> None:
    # 0.85 x 2.452 = 2.0842; to the cent, half up, 2.08.
    prices = [
        ["2002-03-25", 2.40],
        ["2002-03-26", 2.50],
        ["2002-03-27", 2.60],
        ["2002-03-28", 2.45],
        ["2002-04-01", 2.31],
    ]
    assert udfs.EQL_PRICE("2002-04-02", prices) == 2.0842
    assert (
        udfs.EQL_PRICE("2002-04-02", prices, [["pricing.price_rounding", "0.01 half_up"]]) == 2.08
    )


def test_a_quarter_limit_and_schedule_override() -> None:
    cash = [["FY2003 Q1", 6e6]]
    assert udfs.EQL_CAP("2002-04-15", None, cash) == 5e6
    assert udfs.EQL_CAP("2002-04-15", None, cash, None, [["limits.quarter.amount", 3e6]]) == 3e6
    assert (
        udfs.EQL_CAP("2002-04-15", None, cash, None, [["limits.cash_used.pct.FY2003 Q1", 0.5]])
        == 3e6
    )


def test_a_deadline_override() -> None:
    milestones = [["POLYMER_265", None], ["SAMPLES_30", None]]
    assert udfs.EQL_STATUS("2002-10-01", milestones).startswith("BLOCKED: (ii)")
    assert (
        udfs.EQL_STATUS("2002-10-01", milestones, [["conditions.ii.after", "2002-12-31"]]) == "OK"
    )


def test_a_date_override_arrives_as_a_datetime() -> None:
    terms = [["facility.term_end", dt.datetime(2004, 6, 30)]]
    assert udfs.EQL_TERM_QUARTER("2004-04-01", terms) == 9


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        (
            [["pricing.discount", 0.8]],
            "#VALUE! terms: unknown term 'pricing.discount'; did you mean 'pricing.sessions'?",
        ),
        (
            [["pricing.factor", "cheap"]],
            "#VALUE! terms: term pricing.factor must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6), got 'cheap'",
        ),
        (
            [["pricing.factor", None]],
            "#VALUE! terms row 1: pricing.factor needs a value, got blank",
        ),
        (
            [["pricing.sessions", 0]],
            "#VALUE! terms: pricing.sessions must be a whole number from 1 to 250, got 0",
        ),
        (
            [["pricing.window", "during"]],
            "#VALUE! terms: pricing.window must be one of before, after, from, got 'during'",
        ),
        (
            [["facility.term_end", "2001-01-01"]],
            "#VALUE! terms: facility.term_end (2001-01-01) is before facility.term_start "
            "(2002-04-01); it must be on or after it",
        ),
        ([["pricing.factor", 0.8, 1]], "#VALUE! terms: must have 2 columns (name, value), got 3"),
    ],
)
def test_bad_overrides_name_the_term(terms: list[list[object]], expected: str) -> None:
    assert udfs.EQL_PRICE("2002-04-02", PRICES, terms) == expected


def test_another_terms_file(tmp_path: Path) -> None:
    source = (Path(__file__).parents[1] / "addin/eql/data/valence_2002.toml").read_text()
    other = tmp_path / "other.toml"
    other.write_text(source.replace("factor = 0.85", "factor = 0.90"))
    assert load_terms(other).pricing.factor == Decimal("0.90")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("factor = 0.85", "factor = -1"),
            "pricing.factor must be a number more than 0 and at most 1 (85 % is 0.85), got -1",
        ),
        (("[pricing]", "[pricingx]"), "pricing is missing"),
        (
            ('requires = ["LICENSE"]', 'requires = ["LICENCE"]'),
            "condition (iii) names LICENCE, not in [milestones]",
        ),
        (("term_start = 2002-04-01", "term_start = 2002-04-01x"), "is not valid TOML"),
    ],
)
def test_a_broken_terms_file_is_named(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    source = (Path(__file__).parents[1] / "addin/eql/data/valence_2002.toml").read_text()
    broken = tmp_path / "broken.toml"
    broken.write_text(source.replace(*edit))
    with pytest.raises(
        TermsError,
        match=message.replace("(", r"\(")
        .replace(")", r"\)")
        .replace("[", r"\[")
        .replace("]", r"\]"),
    ):
        load_terms(broken)


def test_flat_names_round_trip() -> None:
    terms = default_terms()
    assert terms.with_overrides(list(terms.entries)) == terms


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        # A percentage typed as a whole number: 85 would price at 85 times the mean.
        (
            "pricing.factor",
            85,
            "pricing.factor must be a number more than 0 and at most 1 (85 % is 0.85), got 85",
        ),
        (
            "pricing.factor",
            "85",
            "pricing.factor must be a number more than 0 and at most 1 (85 % is 0.85), got 85",
        ),
        (
            "pricing.factor",
            0,
            "pricing.factor must be a number more than 0 and at most 1 (85 % is 0.85), got 0",
        ),
        ("pricing.sessions", 0, "pricing.sessions must be a whole number from 1 to 250, got 0"),
        ("pricing.sessions", 251, "pricing.sessions must be a whole number from 1 to 250, got 251"),
        (
            "facility.term_end",
            "2002-03-31",
            "facility.term_end (2002-03-31) is before facility.term_start (2002-04-01); "
            "it must be on or after it",
        ),
        (
            "facility.term_start",
            "2002-03-01",
            "facility.term_sheet_date (2002-03-12) is after facility.term_start (2002-03-01); "
            "it must be on or before it",
        ),
        (
            "limits.cash_used.pct.FY2003 Q3",
            75,
            "limits.cash_used.pct.FY2003 Q3 must be a number from 0 to 1 (85 % is 0.85), got 75",
        ),
        (
            "limits.cash_used.pct.FY2003 Q3",
            "150%",
            "limits.cash_used.pct.FY2003 Q3 must be a number from 0 to 1 (85 % is 0.85), got 1.50",
        ),
        ("facility.commitment", 0, "facility.commitment must be positive, got 0"),
    ],
)
def test_a_term_that_makes_no_sense_is_refused_with_its_range(
    name: str, value: object, message: str
) -> None:
    with pytest.raises(TermsError) as refused:
        default_terms().with_overrides([(name, value)])
    assert str(refused.value) == f"terms: {message}"


def test_terms_at_the_edges_of_their_ranges_are_read() -> None:
    # No discount (a factor of 1, Berg's 2004 line) and no cash-used allowance in a quarter.
    terms = default_terms().with_overrides(
        [("pricing.factor", 1), ("limits.cash_used.pct.FY2003 Q3", 0), ("pricing.sessions", 250)]
    )
    assert terms.pricing.factor == 1
    assert terms.pricing.sessions == 250
