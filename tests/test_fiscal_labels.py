"""Fiscal quarter labels as finance teams write them. Valence's fiscal year ends in March and is
named by the year it ends in, so FY2003 Q1 is April to June 2002. Two-digit years follow Excel's
rule for typed years (00-29 are 2000-2029, 30-99 are 1930-1999). A year without "FY" could be a
calendar quarter, so it is read only when the fiscal year is the calendar year."""

from __future__ import annotations

import pytest

from eql import udfs
from eql.errors import InputError
from eql.values import parse_fiscal_label


@pytest.mark.parametrize(
    ("text", "year", "number"),
    [
        ("FY2003 Q1", 2003, 1),
        ("fy2003-q1", 2003, 1),
        ("FY 2003 Q1", 2003, 1),
        ("Q1 FY2003", 2003, 1),
        ("Q1-FY2003", 2003, 1),
        ("Q1 FY03", 2003, 1),
        ("FY03 Q1", 2003, 1),
        ("fy03q4", 2003, 4),
        ("FY29 Q2", 2029, 2),
        ("FY30 Q2", 1930, 2),
        ("FY99 Q3", 1999, 3),
    ],
)
def test_the_common_forms_are_read(text: str, year: int, number: int) -> None:
    assert parse_fiscal_label(text, "quarter") == (year, number)


@pytest.mark.parametrize("text", ["Q1 2003", "2003 Q1", "2003-Q1", "q1-2003"])
def test_a_year_without_fy_is_ambiguous_unless_the_fiscal_year_is_the_calendar_year(
    text: str,
) -> None:
    with pytest.raises(InputError, match="is ambiguous") as refused:
        parse_fiscal_label(text, "quarter")
    assert "write the fiscal quarter as 'FY2003 Q1'" in str(refused.value)
    assert parse_fiscal_label(text, "quarter", calendar_year=True) == (2003, 1)


@pytest.mark.parametrize("text", ["FY2003 Q5", "FY203 Q1", "Q1", "FY2003", "2003", "Q1 FY3"])
def test_other_labels_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="must be a fiscal quarter such as 'FY2003 Q1'"):
        parse_fiscal_label(text, "quarter")


def test_cash_used_labelled_as_the_team_labels_it() -> None:
    # On 2002-05-01 (FY2003 Q1) with 6,000,000 cash used at 100 %, the 5,000,000 quarter binds.
    for label in ("Q1 FY03", "FY03 Q1", "Q1 FY2003"):
        assert udfs.EQL_CAP("2002-05-01", None, [[label, 6e6]]) == 5e6
    assert udfs.EQL_CAP("2002-05-01", None, [["Q1 2003", 6e6]]) == (
        "#VALUE! cash_used row 1: fiscal quarter is ambiguous (a calendar or a fiscal quarter?): "
        "write the fiscal quarter as 'FY2003 Q1', got 'Q1 2003'"
    )


def test_a_calendar_fiscal_year_reads_q1_2003() -> None:
    # With the year ending in December, Q1 2003 is January to March 2003, where 2003-02-03 falls:
    # 2,000,000 cash used at 100 % (FY2003 Q1 of the schedule) is less than the quarter's 5M.
    terms = [["fiscal.year_end_month", 12]]
    assert udfs.EQL_CAP("2003-02-03", None, [["Q1 2003", 2e6]], None, terms) == 2e6
