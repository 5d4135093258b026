"""Hand-worked answers (tests/resources/*.csv) run against the Excel functions.

Every expected value in the CSV files was worked by hand from the term sheet and the XNAS session
list; none is computed by eql code. Each row carries a ``why`` column saying what it pins down;
the encodings are described in fixtures.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from eql import udfs
from fixtures import (
    CONDITION_CLAUSES,
    answer_rows,
    assert_check_answer,
    assert_error,
    assert_status,
    cash_range,
    closes_range,
    day,
    draws_range,
    exact,
    items,
    milestones_range,
    prices_range,
    reductions_range,
    terms_range,
)

# --- pricing -------------------------------------------------------------------------------


@pytest.mark.parametrize("row", answer_rows("pricing.csv"))
def test_pricing_dates(row: dict[str, str]) -> None:
    result = udfs.EQL_PRICING_DATES(day(row["purchase_date"]))
    assert isinstance(result, list), result
    assert all(isinstance(r, list) and len(r) == 1 for r in result), result
    assert all(isinstance(r[0], dt.datetime) for r in result), result
    got = [r[0].date().isoformat() for r in result]
    assert got == items(row["sessions"])


PRICED = [p for p in answer_rows("pricing.csv") if p.values[0]["closes"].strip()]


@pytest.mark.parametrize("row", PRICED)
def test_avg_close(row: dict[str, str]) -> None:
    result = udfs.EQL_AVG_CLOSE(day(row["purchase_date"]), prices_range(row))
    if row["mean"].startswith("#"):
        assert_error(result, row["mean"])
        return
    assert isinstance(result, float), result
    assert result == exact(row["mean"])


@pytest.mark.parametrize("row", PRICED)
def test_price(row: dict[str, str]) -> None:
    result = udfs.EQL_PRICE(day(row["purchase_date"]), prices_range(row))
    if row["price"].startswith("#"):
        assert_error(result, row["price"])
        missing = [
            s
            for s, c in zip(items(row["sessions"]), row["closes"].split(";"), strict=True)
            if not c.strip()
        ]
        for date in missing:
            assert date in result, f"error should name the missing session {date}: {result!r}"
        return
    assert isinstance(result, float), result
    assert result == exact(row["price"])


# --- shares --------------------------------------------------------------------------------


@pytest.mark.parametrize("row", answer_rows("shares.csv"))
def test_shares(row: dict[str, str]) -> None:
    result = udfs.EQL_SHARES(float(row["amount"]), float(row["price"]), terms_range(row["terms"]))
    if row["shares"].startswith("#"):
        assert_error(result, row["shares"])
        return
    assert type(result) is int, result
    assert result == int(row["shares"])


# --- quarters ------------------------------------------------------------------------------


@pytest.mark.parametrize("row", answer_rows("quarters.csv"))
def test_fiscal_quarter(row: dict[str, str]) -> None:
    assert udfs.EQL_FISCAL_QUARTER(day(row["date"])) == row["fiscal_quarter"]


@pytest.mark.parametrize("row", answer_rows("quarters.csv"))
def test_term_quarter(row: dict[str, str]) -> None:
    result = udfs.EQL_TERM_QUARTER(day(row["date"]))
    if row["term_quarter"].startswith("#"):
        assert_error(result, "#")
        return
    assert result == int(row["term_quarter"])
    assert not isinstance(result, bool | str), result


# --- caps ----------------------------------------------------------------------------------


def _cap_args(row: dict[str, str]) -> tuple[Any, ...]:
    return (
        day(row["draw_date"]),
        draws_range(row["draws"]),
        cash_range(row["cash_used"]),
        reductions_range(row["reductions"]),
    )


@pytest.mark.parametrize("row", answer_rows("caps.csv"))
def test_cap(row: dict[str, str]) -> None:
    result = udfs.EQL_CAP(*_cap_args(row))
    assert isinstance(result, float), result
    assert result == exact(row["cap"])


BINDING = [p for p in answer_rows("caps.csv") if p.values[0]["binds"].strip()]


@pytest.mark.parametrize("row", BINDING)
def test_cap_detail_names_binding_limit(row: dict[str, str]) -> None:
    table = udfs.EQL_CAP_DETAIL(*_cap_args(row))
    assert isinstance(table, list), table
    assert table, table
    assert all(isinstance(r, list) for r in table), table
    # The last row is the cap itself: its room equals EQL_CAP and its text names what binds.
    label, *_, room, binds = table[-1]
    assert label == "cap", table
    assert room == float(Decimal(row["cap"])), table
    if row["binds"] in {"", "outside"}:  # an empty binds column marks a date outside the term
        assert "outside the term" in binds, table
    else:
        assert row["binds"] in binds.lower(), f"binding limit {row['binds']!r} not in {binds!r}"


# --- conditions ----------------------------------------------------------------------------


@pytest.mark.parametrize("row", answer_rows("conditions.csv"))
def test_status(row: dict[str, str]) -> None:
    result = udfs.EQL_STATUS(
        day(row["funding_date"]), milestones_range(row["milestones"]), terms_range(row["terms"])
    )
    assert isinstance(result, str), result
    failing = row["failing"]
    if failing.startswith("OK"):
        assert result == failing
        return
    assert result.startswith("BLOCKED"), result
    if failing == "outside":
        assert "outside the term" in result, result
        return
    assert_status(result, items(failing), CONDITION_CLAUSES)


@pytest.mark.parametrize("row", answer_rows("checks.csv"))
def test_check(row: dict[str, str]) -> None:
    result = udfs.EQL_CHECK(
        day(row["funding_date"]),
        float(row["amount"]),
        draws_range(row["draws"]),
        cash_range(row["cash_used"]),
        milestones_range(row["milestones"]),
        reductions_range(row["reductions"]),
        terms_range(row["terms"]),
    )
    assert_check_answer(result, row)


# --- shares of a draw, from the date and the closes ----------------------------------------


@pytest.mark.parametrize("row", answer_rows("draw_shares.csv"))
def test_draw_shares(row: dict[str, str]) -> None:
    result = udfs.EQL_DRAW_SHARES(
        day(row["purchase_date"]),
        float(row["amount"]),
        closes_range(row["closes"]),
        terms_range(row["terms"]),
    )
    if row["shares"].startswith("#"):
        assert_error(result, row["shares"])
        return
    assert type(result) is int, result
    assert result == int(row["shares"])
