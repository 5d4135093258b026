"""A bad value in an input is named where the user keeps it: the sheet and the cell of a ledger
workbook (``sheet 'Cash burn' cell A4``), or the CSV file and its line, never its row number in
the range the engine was handed.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from eql.cli import main
from eql.example import example_folder
from ledger_fixtures import correct_ledger


def refusal(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    status = main(argv)
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err.count("\n") == 1
    return captured.err


# (sheet, cell, bad value, what the message says of it)
SHEET_CASES = [
    ("Cash burn", "A4", "Q5 2003", "fiscal quarter must be a fiscal quarter"),
    ("Cash burn", "B6", "lots", "cash used"),
    ("Milestones", "A3", "CEO_LEFT", "key must be one of"),
    ("Milestones", "B5", "someday", "SAMPLES_30 date must be a date"),
    ("Closing prices", "A7", "2002-13-45", "date"),
]


@pytest.mark.parametrize(("sheet", "cell", "value", "says"), SHEET_CASES)
@pytest.mark.parametrize("command", ["check", "schedule", "quarter-end"])
def test_a_bad_value_beside_a_ledger_names_its_sheet_and_cell(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    sheet: str,
    cell: str,
    value: str,
    says: str,
    command: str,
) -> None:
    ledger = correct_ledger(tmp_path / "ledger.xlsx")
    book = openpyxl.load_workbook(ledger)
    book[sheet][cell] = value
    book.save(ledger)
    argv = {
        "check": ["check", str(ledger)],
        "schedule": ["schedule", "--inputs", str(ledger)],
        "quarter-end": [
            "quarter-end",
            "--inputs",
            str(ledger),
            "--quarter",
            "FY2003 Q1",
            "--out",
            str(tmp_path / "p.xlsx"),
        ],
    }[command]
    err = refusal(argv, capsys)
    assert err.startswith(f"eql: sheet {sheet!r} cell {cell}: {says}"), err
    assert f"'{value}'" in err


# (file, line, the line's new text, what the message says)
CSV_CASES = [
    ("cash_used.csv", 4, "Q5 2003,5000000", "fiscal quarter must be a fiscal quarter"),
    ("draws.csv", 3, "2002-02-30,5000000,", "funding date"),
    ("milestones.csv", 3, "CEO_LEFT,", "key must be one of"),
]


@pytest.mark.parametrize(("name", "line", "text", "says"), CSV_CASES)
def test_a_bad_value_in_a_csv_names_its_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, line: int, text: str, says: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for source in example_folder().iterdir():
        if source.name.endswith(".csv"):
            (folder / source.name).write_bytes(source.read_bytes())
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    lines[line - 1] = text
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = refusal(["schedule", "--inputs", str(folder)], capsys)
    assert err.startswith(f"eql: {folder / name} line {line}: {says}"), err


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(folder)]) == 0
    return folder / "example-facility.xlsx"


# (sheet, cell, bad value, what the message says) in the filled template's tables.
TEMPLATE_CASES = [
    ("CashUsed", "A5", "Q5 2003", "fiscal quarter must be a fiscal quarter"),
    ("Draws", "B5", "five million", "amount must be a number"),
    ("Prices", "A9", "2002-02-30", "date"),
]


@pytest.mark.parametrize(("sheet", "cell", "value", "says"), TEMPLATE_CASES)
@pytest.mark.parametrize("command", ["schedule", "quarter-end"])
def test_a_bad_value_in_a_template_names_its_sheet_and_cell(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    template: Path,
    sheet: str,
    cell: str,
    value: str,
    says: str,
    command: str,
) -> None:
    book = openpyxl.load_workbook(template)
    book[sheet][cell] = value
    spoiled = tmp_path / "spoiled.xlsx"
    book.save(spoiled)
    argv = ["schedule", "--inputs", str(spoiled)]
    if command == "quarter-end":
        argv = [
            "quarter-end",
            "--inputs",
            str(spoiled),
            "--quarter",
            "FY2003 Q1",
            "--out",
            str(tmp_path / "p.xlsx"),
        ]
    err = refusal(argv, capsys)
    assert err.startswith(f"eql: sheet {sheet!r} cell {cell}: {says}"), err
