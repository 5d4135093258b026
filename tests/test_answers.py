"""Hand-worked answers (tests/resources/*.csv) run against the Excel functions.

Every expected value in the CSV files was worked by hand from the term sheet, the readings in
worked_examples.md and the XNAS session list; none is computed by eql code.  Each row carries a
``why`` column saying what it pins down.

Encodings used in the CSV files:

* lists are ``;``-separated;
* ``draws``: ``date:amount``; ``cash_used``: ``FY2003 Q1=amount``;
* ``reductions``: ``date:elected`` (2 columns) or ``date:third_party:elected`` (3 columns);
* ``milestones``: ``KEY=date`` with an empty date meaning a blank cell;
* ``closes`` are mapped in order onto ``sessions``; an empty close means the row is missing;
* ``extra`` holds decoy ``date:close`` rows that must not be used;
* ``terms``: ``name=value`` overrides of the built-in terms, empty for the built-in terms.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from eql import udfs

RESOURCES = Path(__file__).parent / "resources"
CLAUSES = ("(i)", "(ii)", "(iii)", "(iv)", "(v)", "(vi)")
CONDITION_CLAUSES = ("(i)", "(ii)", "(iii)", "(iv)", "(vi)")


def _rows(name: str) -> list[Any]:
    with (RESOURCES / name).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [pytest.param(row, id=f"{i + 2}-{_row_id(row)}") for i, row in enumerate(rows)]


def _row_id(row: dict[str, str]) -> str:
    first = next(iter(row.values()))
    return first.replace(" ", "_")


def day(text: str) -> dt.datetime:
    """An ISO date as Excel hands a date cell to xlwings: a naive midnight datetime."""
    return dt.datetime.fromisoformat(text.strip())


def items(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def draws_range(text: str) -> list[list[Any]] | None:
    if not text.strip():
        return None
    rows: list[list[Any]] = []
    for item in items(text):
        date, amount = item.split(":")
        rows.append([day(date), float(amount)])
    return rows


def cash_range(text: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for item in items(text):
        label, amount = item.split("=")
        rows.append([label.strip(), float(amount)])
    return rows


def reductions_range(text: str) -> list[list[Any]] | None:
    if not text.strip():
        return None
    rows: list[list[Any]] = []
    for item in items(text):
        date, *amounts = item.split(":")
        rows.append([day(date), *(float(a) for a in amounts)])
    return rows


def milestones_range(text: str) -> list[list[Any]] | None:
    if not text.strip():
        return None
    rows: list[list[Any]] = []
    for item in items(text):
        key, date = item.split("=")
        rows.append([key.strip(), day(date) if date.strip() else None])
    return rows


def prices_range(row: dict[str, str]) -> list[list[Any]]:
    sessions = items(row["sessions"])
    closes = [c.strip() for c in row["closes"].split(";")]
    assert len(closes) == len(sessions), "answers file: closes must match sessions"
    rows: list[list[Any]] = [["Date", "Close"]]
    for session, close in zip(sessions, closes, strict=True):
        if close:
            rows.append([day(session), float(close)])
    for item in items(row["extra"]):
        date, close = item.split(":")
        rows.append([day(date), float(close)])
    return rows


def exact(text: str) -> float:
    return float(Decimal(text))


def assert_error(result: Any, prefix: str) -> None:
    assert isinstance(result, str), f"expected error text starting {prefix!r}, got {result!r}"
    assert result.startswith(prefix), result


def assert_clauses(result: str, failing: list[str], universe: tuple[str, ...]) -> None:
    for clause in universe:
        if clause in failing:
            assert clause in result, f"{clause} missing from {result!r}"
        else:
            assert clause not in result, f"{clause} should not be in {result!r}"


# --- pricing -------------------------------------------------------------------------------


@pytest.mark.parametrize("row", _rows("pricing.csv"))
def test_pricing_dates(row: dict[str, str]) -> None:
    result = udfs.EQL_PRICING_DATES(day(row["purchase_date"]))
    assert isinstance(result, list), result
    assert all(isinstance(r, list) and len(r) == 1 for r in result), result
    assert all(isinstance(r[0], dt.datetime) for r in result), result
    got = [r[0].date().isoformat() for r in result]
    assert got == items(row["sessions"])


PRICED = [p for p in _rows("pricing.csv") if p.values[0]["closes"].strip()]


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


def terms_range(text: str) -> list[list[str]] | None:
    """``name=value;name=value`` as the two-column Terms range of a formula; empty: built-in."""
    if not text.strip():
        return None
    return [[part.strip() for part in item.split("=", 1)] for item in items(text)]


@pytest.mark.parametrize("row", _rows("shares.csv"))
def test_shares(row: dict[str, str]) -> None:
    result = udfs.EQL_SHARES(float(row["amount"]), float(row["price"]), terms_range(row["terms"]))
    if row["shares"].startswith("#"):
        assert_error(result, row["shares"])
        return
    assert type(result) is int, result
    assert result == int(row["shares"])


# --- quarters ------------------------------------------------------------------------------


@pytest.mark.parametrize("row", _rows("quarters.csv"))
def test_fiscal_quarter(row: dict[str, str]) -> None:
    assert udfs.EQL_FISCAL_QUARTER(day(row["date"])) == row["fiscal_quarter"]


@pytest.mark.parametrize("row", _rows("quarters.csv"))
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


@pytest.mark.parametrize("row", _rows("caps.csv"))
def test_cap(row: dict[str, str]) -> None:
    result = udfs.EQL_CAP(*_cap_args(row))
    assert isinstance(result, float), result
    assert result == exact(row["cap"])


BINDING = [p for p in _rows("caps.csv") if p.values[0]["binds"].strip()]


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


@pytest.mark.parametrize("row", _rows("conditions.csv"))
def test_status(row: dict[str, str]) -> None:
    result = udfs.EQL_STATUS(day(row["funding_date"]), milestones_range(row["milestones"]))
    assert isinstance(result, str), result
    failing = row["failing"]
    if failing == "OK":
        assert result == "OK"
        return
    assert result.startswith("BLOCKED"), result
    if failing == "outside":
        assert "outside the term" in result, result
        return
    assert_clauses(result, items(failing), CONDITION_CLAUSES)


@pytest.mark.parametrize("row", _rows("checks.csv"))
def test_check(row: dict[str, str]) -> None:
    result = udfs.EQL_CHECK(
        day(row["funding_date"]),
        float(row["amount"]),
        draws_range(row["draws"]),
        cash_range(row["cash_used"]),
        milestones_range(row["milestones"]),
        reductions_range(row["reductions"]),
    )
    assert isinstance(result, str), result
    expect = items(row["expect"])
    if expect == ["OK"]:
        assert result == "OK"
        return
    assert result != "OK"
    if expect == ["#"]:
        assert_error(result, "#")
        return
    if expect == ["outside"]:
        return
    assert not result.startswith("#"), result
    assert_clauses(result, [e for e in expect if e.startswith("(")], CLAUSES)
    for word in (e for e in expect if not e.startswith("(")):
        assert word in result.lower(), f"{word!r} not mentioned in {result!r}"
