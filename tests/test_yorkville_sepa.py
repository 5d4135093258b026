"""The built-in SEPA-style standby facility through the EQL_ functions, named by a Terms range
row ``facility = yorkville_sepa``, against the hand-worked answers of
tests/resources/yorkville_sepa.csv: an advance priced on the lowest daily VWAP of the sessions
after its notice, pending until they have closed."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from eql import udfs
from eql.terms import facility_terms
from eql_command import eql
from fixtures import assert_facility_check, facility_answers, series_range

FACILITY = [["facility", "yorkville_sepa"]]
NO_CASH = [["FY2024 Q1", 0]]  # the facility has no cash-used limit


def _number_or_text(expect: str) -> object:
    return expect if expect.startswith("#") else float(expect)


def test_there_are_enough_answers() -> None:
    assert len(facility_answers("yorkville_sepa.csv")) >= 15


@pytest.mark.parametrize("row", facility_answers("yorkville_sepa.csv"))
def test_yorkville_sepa(row: dict[str, str]) -> None:
    function, day, expect = row["function"], row["date"], row["expect"]
    terms = FACILITY + ([["pricing.window", row["window"]]] if row["window"] else [])
    if function == "dates":
        result = udfs.EQL_PRICING_DATES(day, terms)
        assert [r[0].date().isoformat() for r in result] == expect.split(";")
    elif function in {"price", "average"}:
        call = udfs.EQL_PRICE if function == "price" else udfs.EQL_AVG_CLOSE
        assert call(day, series_range(row["prices"], "VWAP"), terms) == _number_or_text(expect)
    elif function == "draw_shares":
        result = udfs.EQL_DRAW_SHARES(
            day, float(row["amount"]), series_range(row["prices"], "VWAP"), terms
        )
        assert result == (expect if expect.startswith("#") else int(expect))
    elif function == "shares":
        result = udfs.EQL_SHARES(float(row["amount"]), float(row["prices"]), terms)
        assert result == int(expect)
    else:
        # A check outside the term; the limits inside it (the commitment and the advance limit
        # by traded value, which reads the market data) are answered in traded_value.csv.
        assert_facility_check(row, NO_CASH, FACILITY, "exceeded")


def test_the_terms_file_holds_the_description() -> None:
    # Typed from the description of the facility, not read from the file.
    terms = facility_terms("yorkville_sepa")
    rule = terms.pricing
    assert (rule.rule, rule.series, rule.window, rule.sessions) == ("lowest", "vwap", "after", 3)
    assert rule.factor == Decimal("0.97")
    assert terms.share_rounding == "down"
    assert terms.conditions == ()


def test_the_schedule_shows_a_pending_price_in_its_columns() -> None:
    prices = series_range("2024-03-05:2.50;2024-03-06:2.40", "VWAP")
    draws = [["Date", "Amount"], ["2024-03-04", 100000.0]]
    table = udfs.EQL_SCHEDULE(draws, prices, NO_CASH, None, None, FACILITY)
    assert isinstance(table, list), table
    pending = "#N/A price pending: 1 of 3 pricing sessions still to come (2024-03-07)"
    header, first = table[0], table[1]
    assert first[header.index("price")] == pending, first


def test_eql_schedule_prices_a_notice_and_says_which_is_pending(tmp_path: Path) -> None:
    # A folder of CSV inputs as a user keeps it: VWAPs and volumes to 2024-07-10. The notice of
    # 2024-07-03 prices on 07-05, 07-08, 07-09 (July 4 closed): 0.97 x 2.04 = 1.9788, and
    # 100,000 / 1.9788 = 50,535.68, rounded down. The notice of 07-08 prices on 07-09, 07-10,
    # 07-11: one to come. Each advance is within 1 x the mean traded value of the 5 sessions
    # before its notice (200,000 before 07-03; 06-28 .. 07-05 before 07-08, at least 200,000).
    (tmp_path / "prices.csv").write_text(
        "date,vwap,volume\n2024-06-26,2.00,100000\n2024-06-27,2.00,100000\n"
        "2024-06-28,2.00,100000\n2024-07-01,2.00,100000\n2024-07-02,2.00,100000\n"
        "2024-07-03,2.00,100000\n2024-07-05,2.10,100000\n2024-07-08,2.04,100000\n"
        "2024-07-09,2.07,100000\n2024-07-10,2.20,100000\n",
        encoding="utf-8",
    )
    (tmp_path / "draws.csv").write_text(
        "date,amount\n2024-07-03,100000\n2024-07-08,50000\n", encoding="utf-8"
    )
    (tmp_path / "cash_used.csv").write_text("quarter,cash_used\n", encoding="utf-8")
    (tmp_path / "milestones.csv").write_text("key,date\n", encoding="utf-8")
    done = eql(
        "schedule", "--inputs", str(tmp_path), "--facility", "yorkville_sepa", "--format", "csv"
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(done.stdout.splitlines()))
    first, second = rows
    assert (first["price"], first["shares"], first["status"]) == ("1.9788", "50535", "OK")
    pending = "#N/A price pending: 1 of 3 pricing sessions still to come (2024-07-11)"
    assert (second["price"], second["shares"]) == (pending, pending)
    assert second["last pricing session"] == "2024-07-11"


def test_a_milestone_given_to_a_facility_without_milestones_is_named() -> None:
    # The facility names no milestone, so a milestones row is refused with its key, and the
    # message does not offer an empty list of keys.
    result = udfs.EQL_STATUS("2024-07-03", [["CEO_CHANGE", "2024-07-01"]], FACILITY)
    assert result == (
        "#VALUE! milestones row 1: key is not a milestone of these terms (they name none),"
        " got 'CEO_CHANGE'"
    )
    assert udfs.EQL_STATUS("2024-07-03", None, FACILITY) == "OK"
