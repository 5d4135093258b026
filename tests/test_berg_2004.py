"""The built-in Berg 2004 facility through the EQL_ functions, named by a Terms range row
``facility = berg_2004``, against the hand-worked answers of tests/resources/berg_2004.csv."""

from __future__ import annotations

from pathlib import Path

import pytest

from eql import udfs
from eql.terms import facility_terms
from fixtures import assert_facility_check, dated_amounts_range, facility_answers, series_range

FACILITY = [["facility", "berg_2004"]]


NO_CASH = [["FY2005 Q1", 0]]  # the facility has no cash-used limit; the range may stay empty


@pytest.mark.parametrize("row", facility_answers("berg_2004.csv"))
def test_berg_2004(row: dict[str, str]) -> None:
    function, day, expect = row["function"], row["date"], row["expect"]
    if function == "dates":
        result = udfs.EQL_PRICING_DATES(day, FACILITY)
        assert [r[0].date().isoformat() for r in result] == expect.split(";")
    elif function in {"price", "average"}:
        call = udfs.EQL_PRICE if function == "price" else udfs.EQL_AVG_CLOSE
        result = call(day, series_range(row["prices"], "Bid"), FACILITY)
        assert result == (expect if expect.startswith("#") else float(expect))
    elif function == "shares":
        result = udfs.EQL_SHARES(float(row["amount"]), float(row["prices"]), FACILITY)
        assert result == int(expect)
    elif function == "cap":
        result = udfs.EQL_CAP(day, dated_amounts_range(row["draws"]), NO_CASH, None, FACILITY)
        assert result == float(expect)
    elif function == "binds":
        table = udfs.EQL_CAP_DETAIL(day, dated_amounts_range(row["draws"]), NO_CASH, None, FACILITY)
        assert isinstance(table, list), table
        assert expect in table[-1][-1], table[-1]
    else:
        assert_facility_check(row, NO_CASH, FACILITY, "limit exceeded")


def test_the_terms_file_holds_the_summary() -> None:
    # Typed from the summary of the line in Valence's reports, not read from the file.
    terms = facility_terms("berg_2004")
    assert terms.commitment == 20_000_000
    assert terms.term_start.isoformat() == "2004-07-01"
    assert (terms.pricing.factor, terms.pricing.sessions, terms.pricing.series) == (1, 5, "bid")
    amounts = {limit.kind: limit.amount for limit in terms.limits}
    assert amounts["per_draw"] == 3_000_000
    assert amounts["per_period"] == 6_000_000
    assert terms.conditions == ()


def test_an_unknown_facility_is_refused_naming_the_built_in_ones() -> None:
    result = udfs.EQL_SHARES(100, 1, [["facility", "berg_2040"]])
    assert isinstance(result, str), result
    assert "no facility named 'berg_2040'" in result
    assert "berg_2004" in result
    assert "valence_2002" in result


def test_eql_terms_lists_a_built_in_facility(capsys: pytest.CaptureFixture[str]) -> None:
    from eql.cli import main

    assert main(["terms", "--facility", "berg_2004"]) == 0
    listed = dict(line.split(None, 1) for line in capsys.readouterr().out.splitlines())
    assert listed["pricing.series"] == "bid"
    assert listed["limits.draw.amount"] == "3000000"
    assert listed["facility.commitment"] == "20000000"
    assert main(["terms", "--facility", "nope"]) == 2
    assert "no facility named 'nope'" in capsys.readouterr().err


def test_the_template_of_the_facility_names_it_on_its_terms_sheet(tmp_path: Path) -> None:
    # Every formula of the template passes the Terms table; for a facility other than the
    # built-in one its first row names the facility, and the rows below are its own terms.
    import openpyxl

    from eql.cli import main

    path = tmp_path / "berg.xlsx"
    assert main(["template", "--facility", "berg_2004", "--out", str(path)]) == 0
    sheet = openpyxl.load_workbook(path)["Terms"]
    rows = [list(row) for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert rows[0] == ["facility", "berg_2004"]
    # The answers of berg_2004.csv: the first draw's cap, and 2,500,000 at 2.97.
    assert udfs.EQL_CAP("2004-07-12", None, None, None, rows) == 3_000_000
    assert udfs.EQL_SHARES(2_500_000, 2.97, rows) == 841_751
    default = tmp_path / "valence.xlsx"
    assert main(["template", "--out", str(default)]) == 0
    first = openpyxl.load_workbook(default)["Terms"].cell(4, 1).value
    assert first == "facility.name"


def test_eql_check_of_a_ledger_of_the_facility(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No cash-used limit and no milestones: the check needs only the bids. 3,000,000 at 3.30 is
    # 909,090.9 shares, 909,091 to the nearest; the ledger's 909,090 differs by one.
    import datetime as dt

    import openpyxl

    from eql.cli import main

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Draws"
    sheet.append(["Purchase date", "Draw amount", "Price per share", "Shares issued"])
    sheet.append([dt.datetime(2004, 7, 12), 3_000_000, 3.20, 937_500])
    sheet.append([dt.datetime(2004, 7, 13), 3_000_000, 3.30, 909_090])
    bids = book.create_sheet("Prices")
    # The facility prices on closing bids: the ledger's prices are found under a bid heading
    # (a sheet headed "Close" holds closes, which are never read as bids).
    bids.append(["Date", "Closing bid"])
    for day, bid in zip((2, 6, 7, 8, 9, 12), (3.0, 3.1, 3.2, 3.3, 3.4, 3.5), strict=True):
        bids.append([dt.datetime(2004, 7, day), bid])
    path = tmp_path / "ledger.xlsx"
    book.save(path)
    assert main(["check", str(path), "--facility", "berg_2004"]) == 1
    out = capsys.readouterr().out
    assert "row 3 (D3): shares: 909,090 shares recorded, 909,091 by the terms" in out
    assert "1 difference" in out
