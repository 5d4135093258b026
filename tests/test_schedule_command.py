"""``eql schedule`` as a user runs it: a table that fits the terminal, and CSV, JSON and xlsx files.

The expected values are worked from the example facility's input files by hand arithmetic here
(prices.csv's closes, the term sheet's 85 % of the mean of the five sessions before the date), and
from the requests the example was designed to block (test_cli.BLOCKED); the command's output is
then read back as a user's program would.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from eql.ledger import SCHEDULE_HEADER
from eql_command import ROOT, eql

EXAMPLE = ROOT / "addin/eql/data/example"
HEADINGS = list(SCHEDULE_HEADER)  # the spreadsheet function's header row, said once
# The example's requests that the example was designed to have blocked (see test_cli.py).
BLOCKED = {"2002-11-15", "2003-04-15", "2003-10-15", "2004-01-15"}
DATE = re.compile(r"\d{4}-\d\d-\d\d")


def closes() -> dict[str, Decimal]:
    rows = [
        line.split(",")
        for line in (EXAMPLE / "prices.csv").read_text(encoding="utf-8").splitlines()
        if DATE.match(line)
    ]
    return {day: Decimal(close) for day, close in rows}


def test_the_first_request_worked_by_hand() -> None:
    # 2002-04-15 (a Monday): the five XNAS sessions before it are 2002-04-08 .. 2002-04-12.
    known = closes()
    window = [f"2002-04-{d:02}" for d in range(8, 13)]
    mean = sum((known[d] for d in window), Decimal(0)) / 5
    assert mean == Decimal("2.534")
    assert Decimal("0.85") * mean == Decimal(
        "2.1539"
    )  # 5,000,000 / 2.1539 = 2,321,370.54: 2,321,371 shares, the nearest whole share


@pytest.mark.parametrize("width", [80, 100, 132])
def test_the_table_fits_the_terminal(width: int) -> None:
    result = eql("schedule", "--example", columns=width)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    rows = [line for line in lines if DATE.match(line)]
    assert len(rows) == 13
    assert sum("BLOCKED" in row for row in rows) == len(BLOCKED)
    assert lines[1].split() == [
        "funding",
        "date",
        "requested",
        "price",
        "shares",
        "funded",
        "status",
    ]


def test_numbers_are_written_alike_down_each_column() -> None:
    result = eql("schedule", "--example", "--wide", columns=250)
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if DATE.match(line)]
    first = rows[0].split()
    # funding date, requested, fiscal quarter (2 words), term q, sessions, avg close, price, shares
    assert first[:10] == [
        "2002-04-15",
        "5,000,000",
        "FY2003",
        "Q1",
        "1",
        "2002-04-08",
        "2002-04-12",
        "2.534",
        "2.1539",
        "2,321,371",
    ]
    for row in rows:
        average, price = row.split()[7:9]
        assert re.fullmatch(r"\d\.\d{3}", average), row  # 2.360, never 2.36 beside 2.534
        assert re.fullmatch(r"\d\.\d{4}", price), row  # 2.0060, never 2.006 beside 2.1539
    september = next(row for row in rows if row.startswith("2002-09-16"))
    assert september.split()[7:9] == ["2.360", "2.0060"]


def test_columns_on_request() -> None:
    result = eql("schedule", "--example", "--columns", "date,binds,status", columns=200)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].split() == ["funding", "date", "binds", "status"]
    bad = eql("schedule", "--example", "--columns", "date,prise")
    assert bad.returncode == 2
    assert bad.stderr.startswith(
        "eql: schedule: --columns: unknown column 'prise'; did you mean 'price'?"
    )
    assert bad.stderr.count("\n") == 1


def test_csv_file(tmp_path: Path) -> None:
    out = tmp_path / "schedule.csv"
    result = eql("schedule", "--example", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    with out.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == HEADINGS
    rows = {row[0]: dict(zip(HEADINGS, row, strict=True)) for row in table[1:]}
    assert len(rows) == 13
    first = rows["2002-04-15"]
    assert (first["average close"], first["price"], first["shares"]) == (
        "2.534",
        "2.1539",
        "2321371",
    )
    assert first["amount requested"] == "5000000"  # exact, no separators: a program reads it
    for day, row in rows.items():
        assert (row["amount funded"] == "0") == (day in BLOCKED), row
        assert row["status"].startswith("BLOCKED") == (day in BLOCKED), row
    assert sum(Decimal(row["amount funded"]) for row in rows.values()) == 22_000_000


def test_json_file_and_no_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "schedule.json"
    assert eql("schedule", "--example", "--out", str(out)).returncode == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert (report["commitment"], report["funded"]) == ("30000000", "22000000")
    first = report["rows"][0]
    assert first["date"] == "2002-04-15"
    assert (first["price"], first["shares"], first["term_quarter"]) == ("2.1539", "2321371", 1)
    before = out.read_bytes()
    again = eql("schedule", "--example", "--out", str(out), "--format", "json")
    assert again.returncode == 2
    assert again.stderr == f"eql: {out}: already exists; pass --force to replace it\n"
    assert out.read_bytes() == before
    assert eql("schedule", "--example", "--out", str(out), "--force").returncode == 0


def test_xlsx_file(tmp_path: Path) -> None:
    out = tmp_path / "schedule.xlsx"
    # A limit label that reads like a formula must stay text in the 'binds' column.
    label = "=HYPERLINK(1)"
    result = eql("schedule", "--example", "--out", str(out), "--set", f"limits.total.label={label}")
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == HEADINGS
    first = list(sheet[2])
    assert first[0].value == dt.datetime(2002, 4, 15)
    assert first[0].is_date
    assert first[7].value == pytest.approx(2.1539)
    assert first[7].number_format == "0.0000"
    assert first[8].value == 2_321_371
    assert first[1].number_format == "#,##0"
    binds = [row[10] for row in sheet.iter_rows(min_row=2)]
    planted = [cell for cell in binds if label in str(cell.value)]
    assert planted, "the total commitment binds some request"
    for cell in planted:
        assert cell.data_type == "s"
    assert sheet.max_row == 14


def test_a_workbook_needs_a_file() -> None:
    result = eql("schedule", "--example", "--format", "xlsx")
    assert result.returncode == 2
    assert result.stderr == (
        "eql: schedule: --format xlsx writes a workbook: give it a file with --out\n"
    )
    unknown = eql("schedule", "--example", "--out", "schedule.pdf")
    assert unknown.returncode == 2
    assert "pass --format table, csv, json or xlsx" in unknown.stderr


def test_a_missing_close_is_shown_not_guessed(tmp_path: Path) -> None:
    # Without the close of 2002-04-10 (pricing session 3 of the 2002-04-15 request) there is no
    # price and no share count for that request; the table says why, the files carry the text.
    for source in EXAMPLE.iterdir():
        lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith("2002-04-10,")]
        (tmp_path / source.name).write_text("".join(kept), encoding="utf-8")
    reason = "#N/A no closing price for 2002-04-10 (pricing session 3 of 5)"
    result = eql("schedule", "--inputs", str(tmp_path), columns=100)
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
    first = next(line for line in result.stdout.splitlines() if line.startswith("2002-04-15"))
    assert first.split()[:4] == ["2002-04-15", "5,000,000", "#N/A", "#N/A"]
    assert " ".join(result.stdout.split()).count(reason) == 1
    out = tmp_path / "schedule.csv"
    assert eql("schedule", "--inputs", str(tmp_path), "--out", str(out)).returncode == 0
    with out.open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert (row["price"], row["shares"]) == (reason, reason)
    # The sessions are the calendar's, known without the close (as EQL_SCHEDULE shows them).
    assert (row["first pricing session"], row["last pricing session"]) == (
        "2002-04-08",
        "2002-04-12",
    )
