"""``eql check`` on ledgers laid out as a finance team keeps them (tests/ledger_fixtures.py):
every planted difference found, none in the correct ledger, and one-line refusals otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from eql.check.workbook import check_workbook
from eql.cli import main
from eql.terms import default_terms
from ledger_fixtures import (
    CASH_USED,
    CLOSES,
    CORRECT_DRAWS,
    CORRECT_TOTALS,
    MILESTONES,
    PLANTED,
    build_ledger,
    correct_ledger,
    planted_ledger,
)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def findings(path: Path, **kwargs: Any) -> set[tuple[str, int, str]]:
    checked = check_workbook(path, default_terms(), **kwargs)
    return {(f.kind, f.row, f.cell) for f in checked.result.findings}


def test_every_planted_difference_is_found(tmp_path: Path) -> None:
    assert findings(planted_ledger(tmp_path / "planted.xlsx")) == PLANTED


def test_the_correct_ledger_agrees(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = correct_ledger(tmp_path / "correct.xlsx")
    assert findings(path) == set()
    status, out, err = run(["check", str(path)], capsys)
    assert status == 0
    assert err == ""
    assert "5 draws, 8,404,000 funded, 4,304,813 shares recorded, 4,304,813 by the terms" in out
    assert "the ledger agrees with the terms" in out
    assert "headings in row 4, date in B, amount in C, shares in D, price in E" in out


def test_the_report_names_each_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(["check", str(planted_ledger(tmp_path / "planted.xlsx"))], capsys)
    assert status == 1
    assert "row 5 (E5): price: price 2.1356 recorded, 2.125 by the terms" in out
    assert (
        "row 6 (C6): limit: funded 2,500,000 on 2002-05-29 but term-quarter limit exceeded: 2,500,000 asked, 2,000,000 room left"
        in out
    )
    assert "row 7 (D7): shares: 999,999 shares recorded, 1,000,000 by the terms" in out
    assert "row 11 (B11): condition: funded 500,000 on 2003-04-15 but (iv)" in out
    assert "MFG_420 only on 2003-05-19" in out
    assert (
        "row 13 (C13): total: total amount 9,400,000 recorded, the draws add up to 9,404,000" in out
    )
    assert "row 13 (D13): total: total shares 5,160,425 recorded, 5,160,427 by the terms" in out
    assert out.rstrip().endswith("6 differences")


def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["check", str(planted_ledger(tmp_path / "p.xlsx")), "--json"], capsys)
    assert status == 1
    report = json.loads(out)
    assert report["agrees"] is False
    assert report["columns"] == {"date": "B", "amount": "C", "shares": "D", "price": "E"}
    assert [row["funding_date"] for row in report["rows"]] == [
        "2002-04-02",
        "2002-05-29",
        "2002-07-08",
        "2002-10-15",
        "2003-01-15",
        "2003-04-15",
    ]
    third = report["rows"][2]
    # Both share counts are decimal text, as a ledger may record a fraction of a share.
    assert third["shares"] == {"ledger": "999999", "eql": "1000000"}
    assert third["price"] == {"ledger": "1.904", "eql": "1.904"}
    assert [f["kind"] for f in third["findings"]] == ["shares"]
    assert report["totals"]["amount"] == "9404000"
    assert report["totals"]["shares_ledger"] == "5160426"  # the rows; the total row says 5,160,425
    assert report["totals"]["shares_eql"] == "5160427"
    assert report["totals"]["differences"] == 6
    assert {f["cell"] for f in report["totals"]["findings"]} == {"C13", "D13"}


@pytest.mark.parametrize(
    ("price", "differs"),
    [
        (2.125, False),
        (2.13, False),  # 0.005 off: exactly half a cent is not "more than half a cent"
        (2.12, False),
        (2.1301, True),
        (2.1199, True),
    ],
)
def test_half_a_cent(tmp_path: Path, price: float, differs: bool) -> None:
    draws = [(1, dt.datetime(2002, 4, 2), 3_000_000, 1_411_765, price, "")]
    path = build_ledger(tmp_path / "l.xlsx", draws, (3_000_000, 1_411_765))
    assert findings(path) == ({("price", 5, "E5")} if differs else set())


def test_an_explicit_map_for_headings_eql_cannot_read(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Ref", "When", "Qty $", "Px", "Count"])
    sheet.append(["A-1", dt.datetime(2002, 4, 2), 3_000_000, 2.125, 1_411_765])
    sheet.append(["A-2", dt.datetime(2002, 5, 29), 2_000_000, 1.87, 1_069_517])
    inputs = inputs_folder(tmp_path)
    workbook.save(tmp_path / "odd.xlsx")
    with pytest.raises(Exception, match="no draw ledger found in any sheet"):
        check_workbook(tmp_path / "odd.xlsx", default_terms())
    found = findings(
        tmp_path / "odd.xlsx",
        mapping={"date": "B", "amount": "C", "price": "D", "shares": "E"},
        files=inputs,
    )
    assert found == {("shares", 3, "E3")}  # 2,000,000 / 1.87 = 1,069,518.7: 1,069,519


def inputs_folder(tmp_path: Path) -> dict[str, Path | None]:
    """The fixture's inputs as CSV files, as a facility folder holds them."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "prices.csv").write_text(
        "date,close\n" + "".join(f"{d.date()},{c}\n" for d, c in CLOSES), encoding="utf-8"
    )
    (folder / "cash_used.csv").write_text(
        "fiscal_quarter,cash_used\n" + "".join(f"{q},{a}\n" for q, a in CASH_USED),
        encoding="utf-8",
    )
    (folder / "milestones.csv").write_text(
        "key,date\n" + "".join(f"{k},{d.date() if d else ''}\n" for k, d in MILESTONES),
        encoding="utf-8",
    )
    return {
        "prices": folder / "prices.csv",
        "cash_used": folder / "cash_used.csv",
        "milestones": folder / "milestones.csv",
    }


def test_inputs_from_files_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = planted_ledger(tmp_path / "bare.xlsx", inputs=False)
    status, _, err = run(["check", str(path)], capsys)
    assert status == 2
    assert err.count("\n") == 1
    assert (
        "no prices found: add a sheet with 'Date' and 'Close' columns to the workbook, or pass --prices FILE"
        in err
    )
    inputs_folder(tmp_path)
    status, out, _ = run(
        ["check", str(path), "--inputs", str(tmp_path / "inputs"), "--json"], capsys
    )
    assert status == 1
    report = json.loads(out)
    assert report["inputs"]["prices"].endswith("prices.csv")
    found = {(f["kind"], row["row"], f["cell"]) for row in report["rows"] for f in row["findings"]}
    found |= {(f["kind"], f["row"], f["cell"]) for f in report["totals"]["findings"]}
    assert found == PLANTED


def test_unreadable_cells_are_reported_not_guessed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draws: list[tuple[Any, ...] | None] = list(CORRECT_DRAWS)
    draws[1] = (2, "2002-05-32", 2_000_000, 1_069_519, 1.87, "")
    draws[2] = (3, "7/8/2002", 1_904_000, 1_000_000, "n/a", "")
    path = build_ledger(tmp_path / "l.xlsx", draws, CORRECT_TOTALS)
    status, out, err = run(["check", str(path)], capsys)
    assert status == 2
    assert "B6 funding date is not a real date, got '2002-05-32'" in out
    assert (
        "E7 price must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6), got 'n/a'" in out
    )
    assert "NOT CHECKED: B6 unreadable" in out
    assert "NOT CHECKED: E7 unreadable" in out
    assert err == f"eql: 2 findings of {path} could not be checked; see the report\n"
    draws[1] = CORRECT_DRAWS[1]
    path = build_ledger(tmp_path / "one.xlsx", draws, CORRECT_TOTALS)
    status, out, err = run(["check", str(path)], capsys)
    assert status == 2
    assert out.rstrip().endswith("1 finding could not be checked")
    assert err == f"eql: 1 finding of {path} could not be checked; see the report\n"


def test_a_formula_without_a_saved_value(tmp_path: Path) -> None:
    draws: list[tuple[Any, ...] | None] = list(CORRECT_DRAWS)
    draws[0] = (1, dt.datetime(2002, 4, 2), 3_000_000, "=ROUND(C5/E5,0)", 2.125, "")
    path = build_ledger(tmp_path / "l.xlsx", draws, CORRECT_TOTALS)
    checked = check_workbook(path, default_terms())
    messages = [f.message for f in checked.result.findings]
    assert messages == [
        "D5 shares is a formula with no value saved; open the workbook in Excel (or LibreOffice) and save it, then check again"
    ]


@pytest.mark.parametrize(
    ("amount", "shares", "unchecked"),
    [
        ("=SUM(C5:C10)", "=SUM(D5:D10)", ["C12", "D12"]),  # both totals written by a program
        (CORRECT_TOTALS[0], "=SUM(D5:D10)", ["D12"]),
        ("=SUM(C5:C10)", CORRECT_TOTALS[1], ["C12"]),
        ("about 8.4M", CORRECT_TOTALS[1], ["C12"]),  # text where the total should be
    ],
)
def test_a_total_that_cannot_be_read_is_not_checked(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    amount: object,
    shares: object,
    unchecked: list[str],
) -> None:
    # A totals row whose formulas were never computed (the file was written by a program) was
    # skipped and the ledger "agreed" with exit 0; it is reported as not checked, exit 2.
    path = build_ledger(tmp_path / "totals.xlsx", list(CORRECT_DRAWS), (amount, shares))  # type: ignore[arg-type]
    checked = check_workbook(path, default_terms())
    assert [(f.kind, f.row, f.cell) for f in checked.result.findings] == [
        ("unchecked", 12, cell) for cell in unchecked
    ]
    status, out, _ = run(["check", str(path)], capsys)
    assert status == 2
    assert "the ledger agrees" not in out
    assert f"row 12 ({unchecked[0]}): unchecked: not checked: {unchecked[0]} total" in out


def test_a_ledger_computed_by_a_spreadsheet(tmp_path: Path) -> None:
    # The team's own formulas, computed by LibreOffice: a real spreadsheet's cached values.
    from libreoffice import recalculate

    draws: list[tuple[Any, ...] | None] = [
        (1, dt.datetime(2002, 4, 2), 3_000_000, "=ROUND(C5/E5,0)", 2.125, ""),
        (2, dt.datetime(2002, 5, 29), 2_000_000, "=ROUND(C6/E6,0)", "=0.85*2.2", ""),
    ]
    path = build_ledger(tmp_path / "formulas.xlsx", draws, (5_000_000, 0))
    sheet = openpyxl.load_workbook(path)
    sheet.active["D8"] = "=SUM(D5:D6)"
    sheet.save(path)
    computed = recalculate(path, tmp_path / "lo")
    assert findings(computed) == set()


def test_a_ledger_kept_with_shares_rounded_down(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Rounding down is still a setting: a ledger whose shares were rounded down differs from the
    # built-in terms (nearest share) only where the fraction is half a share or more, and agrees
    # with --set shares.rounding=down. 3,000,000 / 2.125 = 1,411,764.7 and 2,000,000 / 1.87 =
    # 1,069,518.7 round down to 1,411,764 and 1,069,518; 1,000,000 / 1.70 = 588,235.3 either way.
    draws: list[tuple[Any, ...] | None] = [
        (1, dt.datetime(2002, 4, 2), 3_000_000, 1_411_764, 2.125, ""),
        (2, dt.datetime(2002, 5, 29), 2_000_000, 1_069_518, 1.87, ""),
        (3, dt.datetime(2002, 10, 15), 1_000_000, 588_235, 1.70, ""),
    ]
    path = build_ledger(tmp_path / "down.xlsx", draws, (6_000_000, 3_069_517))
    assert findings(path) == {("shares", 5, "D5"), ("shares", 6, "D6"), ("total", 9, "D9")}
    status, out, _ = run(["check", str(path), "--set", "shares.rounding=down"], capsys)
    assert status == 0, out
    assert "3,069,517 shares recorded, 3,069,517 by the terms" in out


def test_xlsm_keeps_its_macros_in_the_annotated_copy(tmp_path: Path) -> None:
    plain = planted_ledger(tmp_path / "plain.xlsx")
    macro = tmp_path / "ledger.xlsm"
    vba = bytes(range(256)) * 4
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(macro, "w") as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"<Default ",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ',
                    1,
                )
            target.writestr(member, data)
        target.writestr("xl/vbaProject.bin", vba)
    assert findings(macro) == PLANTED
    out = tmp_path / "annotated.xlsm"
    assert main(["check", str(macro), "--out", str(out)]) == 1
    with zipfile.ZipFile(out) as copy:
        assert copy.read("xl/vbaProject.bin") == vba
    assert main(["check", str(macro), "--out", str(tmp_path / "annotated.xlsx")]) == 2


def test_no_ledger_and_no_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Something", "Else"])
    workbook.save(tmp_path / "empty.xlsx")
    status, out, err = run(["check", str(tmp_path / "empty.xlsx")], capsys)
    assert (status, out) == (2, "")
    assert "no draw ledger found in any sheet ('Sheet')" in err
    path = correct_ledger(tmp_path / "c.xlsx")
    status, _, err = run(["check", str(path), "--sheet", "Draws"], capsys)
    assert status == 2
    assert (
        "no worksheet named 'Draws' (sheets: 'Draws 2002-04', 'Closing prices', 'Cash burn', 'Milestones')"
        in err
    )
    status, _, err = run(["check", str(path), "--map", "date=B,price=D"], capsys)
    assert status == 2
    assert "--map must give the amount column" in err
    status, _, err = run(["check", str(path), "--map", "when=B,amount=C"], capsys)
    assert (
        "--map takes FIELD=COLUMN pairs with FIELD one of date, amount, price, shares, got 'when=B'"
        in err
    )
