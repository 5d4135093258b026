"""The advance limit by traded value through EQL_CAP, EQL_CAP_DETAIL, EQL_CHECK and EQL_SCHEDULE,
against the hand-worked answers of tests/resources/traded_value.csv; and its terms, read and
refused when they make no sense."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eql import udfs
from eql.errors import TermsError
from eql.terms import facility_terms, load_terms
from traded_value_answers import draws, expected, prices, rows, terms

NO_CASH = None  # the facility has no cash-used limit


def test_there_are_enough_answers() -> None:
    assert len(rows()) >= 15


def _detail(row: dict[str, str]) -> Any:
    return udfs.EQL_CAP_DETAIL(row["date"], draws(row), NO_CASH, None, terms(row), prices(row))


def _schedule_status(row: dict[str, str]) -> Any:
    earlier = draws(row) or []
    requests = [["Funding date", "Amount requested"], *earlier, [row["date"], float(row["amount"])]]
    table = udfs.EQL_SCHEDULE(requests, prices(row), NO_CASH, None, None, terms(row))
    if not isinstance(table, list):
        return table  # the whole ledger's error text
    header, *ledger = table
    assert all(r[header.index("status")] == "OK" for r in ledger[:-1]), ledger
    last = ledger[-1]
    funded = last[header.index("amount funded")]
    status = last[header.index("status")]
    assert funded == (float(row["amount"]) if status == "OK" else 0), last
    return status


@pytest.mark.parametrize("row", rows())
def test_traded_value(row: dict[str, str]) -> None:
    function = row["function"]
    if function == "cap":
        result = udfs.EQL_CAP(row["date"], draws(row), NO_CASH, None, terms(row), prices(row))
    elif function == "basis":
        table = _detail(row)
        assert isinstance(table, list), table
        result = next(r[4] for r in table if r[0] == "advance traded value")
    elif function == "binds":
        table = _detail(row)
        assert isinstance(table, list), table
        assert table[-1][0] == "cap"
        result = table[-1][4].removeprefix("binds: ")
    elif function == "check":
        result = udfs.EQL_CHECK(
            row["date"],
            float(row["amount"]),
            draws(row),
            NO_CASH,
            None,
            None,
            terms(row),
            prices(row),
        )
    else:
        assert function == "schedule"
        result = _schedule_status(row)
    assert result == expected(row), row["why"]


def test_the_terms_file_holds_the_limit() -> None:
    # Typed from the facility's description: each advance at most 1 x the mean daily traded value
    # (VWAP x volume) of the 5 sessions before the notice.
    limit = next(
        limit for limit in facility_terms("yorkville_sepa").limits if limit.key == "advance"
    )
    assert (limit.kind, limit.multiple, limit.sessions, limit.price) == (
        "traded_value",
        1,
        5,
        "vwap",
    )


def test_a_facility_without_the_limit_ignores_the_prices_argument() -> None:
    # Valence's limits read no market data: prices given or not, the cap is the same (the
    # quarter's 5,000,000 of caps.csv's first quarter, with 6,000,000 cash used).
    cash = [["FY2003 Q1", 6e6]]
    assert udfs.EQL_CAP("2002-04-15", None, cash) == 5e6
    assert udfs.EQL_CAP("2002-04-15", None, cash, None, None, [["Date", "Close"]]) == 5e6


FACILITY_ROW = ["facility", "yorkville_sepa"]
LIMIT = """
[limits.advance]
kind = "traded_value"
"""


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            "multiple = 0\nsessions = 5\n",
            "terms: limits.advance.multiple must be positive, got 0",
        ),
        (
            "multiple = 300\nsessions = 5\n",
            "terms: limits.advance.multiple must be more than 0 and at most 10 (100 % of the mean"
            " is 1), got 300",
        ),
        (
            "multiple = 1\nsessions = 0\n",
            "terms: limits.advance.sessions must be a whole number from 1 to 250, got 0",
        ),
        ("sessions = 5\n", "terms: limits.advance.multiple is missing"),
        ("multiple = 1\n", "terms: limits.advance.sessions is missing"),
        (
            'multiple = 1\nsessions = 5\nprice = "median"\n',
            "terms: limits.advance.price must be one of close, bid, vwap, got 'median'",
        ),
    ],
)
def test_a_term_that_makes_no_sense_is_refused(tmp_path: Path, lines: str, message: str) -> None:
    # The Berg 2004 file, a facility of per-draw and per-quarter limits, with the limit added.
    text = (Path(__file__).parents[1] / "addin" / "eql" / "data" / "berg_2004.toml").read_text(
        encoding="utf-8"
    )
    file = tmp_path / "terms.toml"
    file.write_text(text + LIMIT + lines, encoding="utf-8")
    with pytest.raises(TermsError) as raised:
        load_terms(file)
    assert str(raised.value) == message


def test_an_override_is_checked_as_the_file_is() -> None:
    result = udfs.EQL_CAP(
        "2024-06-17", None, None, None, [FACILITY_ROW, ["limits.advance.multiple", 100]], None
    )
    assert result == (
        "#VALUE! terms: limits.advance.multiple must be more than 0 and at most 10 (100 % of the"
        " mean is 1), got 100"
    )
