"""A price range is read once by the LibreOffice add-in and kept until a cell in it changes: it
must never give an answer from cells that are no longer there.

A script run inside LibreOffice (its Python, through the profile's user scripts) opens workbooks
written by openpyxl, edits them as a user would, and reports what each EQL_PRICE cell shows after
each step. Every expected price is worked by hand (pricing.csv, 2002-04-02): the sessions before
2002-04-02 are 03-25, 03-26, 03-27, 03-28 and 04-01 (Good Friday 03-29 closed); closes 2.40, 2.50,
2.60, 2.45, 2.55 give a mean of 2.50 and a price of 0.85 x 2.50 = 2.125.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from libreoffice import TIMEOUT_SECONDS, extension_profile, soffice

CLOSES = [
    ("2002-03-22", 9.99),  # a decoy: the sixth session back is never used
    ("2002-03-25", 2.40),
    ("2002-03-26", 2.50),
    ("2002-03-27", 2.60),
    ("2002-03-28", 2.45),
    ("2002-04-01", 2.55),
]
PRICE = 2.125
# 03-27 closing at 3.10 instead of 2.60: the sum rises by 0.50 to 13.00, the mean is 2.60 and
# the price 0.85 x 2.60 = 2.21.
PRICE_AT_310 = 2.21

# Run by LibreOffice's Python. Each step edits the open workbook through the API, as typing into
# a cell does, and records the value of the formula cells.
SCRIPT = """
import json, os, uno
from com.sun.star.beans import PropertyValue
from com.sun.star.table import CellRangeAddress

def run(*args):
    context = uno.getComponentContext()
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    hidden = PropertyValue(); hidden.Name = "Hidden"; hidden.Value = True
    report = {}
    try:
        first = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.environ["EQL_FIRST"]), "_blank", 0, (hidden,))
        second = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.environ["EQL_SECOND"]), "_blank", 0, (hidden,))
        sheet = first.Sheets.getByIndex(0)
        def shown():
            first.calculate()
            return [sheet.getCellRangeByName(name).getValue() or sheet.getCellRangeByName(name).getString() for name in ("D1", "D2")]
        report["loaded"] = shown()
        second.calculate()
        report["second"] = second.Sheets.getByIndex(0).getCellRangeByName("D1").getValue()
        sheet.getCellRangeByName("B4").setValue(3.10)           # a close typed over
        report["typed"] = shown()
        sheet.getCellRangeByName("B4").setFormula("=F1")       # a close that is a formula
        sheet.getCellRangeByName("F1").setValue(2.60)
        report["formula"] = shown()
        sheet.getCellRangeByName("F1").setValue(3.10)          # the cell it reads changes
        report["formula changed"] = shown()
        sheet.getCellRangeByName("B4").setFormula("=NA()")      # a close that is an error
        report["error"] = shown()
        sheet.getCellRangeByName("B4").setValue(2.60)
        address = CellRangeAddress(); address.Sheet = 0; address.StartColumn = 0; address.EndColumn = 10
        address.StartRow = 0; address.EndRow = 0
        sheet.insertCells(address, uno.Enum("com.sun.star.sheet.CellInsertMode", "ROWS"))  # rows above
        report["moved"] = [sheet.getCellRangeByName(n).getValue() or sheet.getCellRangeByName(n).getString() for n in ("D2", "D3")]
        sheet.getCellRangeByName("B5").setValue(3.10)           # 03-27, one row lower now
        first.calculate()
        report["moved typed"] = [sheet.getCellRangeByName(n).getValue() or sheet.getCellRangeByName(n).getString() for n in ("D2", "D3")]
        first.close(True); second.close(True)
    except Exception as error:
        report["failed"] = repr(error)
    with open(os.environ["EQL_REPORT"], "w") as out:
        json.dump(report, out)
    desktop.terminate()
"""


def workbook(path: Path, closes: list[tuple[str, float]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row, (day, close) in enumerate(closes, start=1):
        sheet.cell(row, 1, dt.datetime.fromisoformat(day))
        sheet.cell(row, 2, close)
    sheet["C1"] = dt.datetime(2002, 4, 2)
    last = len(closes)
    sheet["D1"] = f"=EQL_PRICE(C1,A1:B{last})"
    sheet["D2"] = f"=EQL_AVG_CLOSE(C1,A1:B{last})"
    book.save(path)
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("libreoffice-ranges")
    profile = extension_profile(folder)
    scripts = profile / "user" / "Scripts" / "python"
    scripts.mkdir(parents=True, exist_ok=True)
    (scripts / "eql_ranges.py").write_text(SCRIPT, encoding="utf-8")
    first = workbook(folder / "first.xlsx", CLOSES)
    altered = [(day, 3.10 if day == "2002-03-27" else close) for day, close in CLOSES]
    second = workbook(folder / "second.xlsx", altered)
    out = folder / "report.json"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "vnd.sun.star.script:eql_ranges.py$run?language=Python&location=user",
        ],
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
        env={
            **os.environ,
            "EQL_FIRST": str(first),
            "EQL_SECOND": str(second),
            "EQL_REPORT": str(out),
        },
    )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert "failed" not in result, result
    return result


def test_the_workbook_as_written(report: dict[str, Any]) -> None:
    assert report["loaded"] == [PRICE, 2.5]


def test_another_workbook_with_the_same_cells_in_the_same_places(report: dict[str, Any]) -> None:
    assert report["second"] == PRICE_AT_310


def test_a_close_typed_over(report: dict[str, Any]) -> None:
    assert report["typed"] == [PRICE_AT_310, 2.6]


def test_a_close_computed_by_a_formula(report: dict[str, Any]) -> None:
    assert report["formula"] == [PRICE, 2.5]
    assert report["formula changed"] == [PRICE_AT_310, 2.6]


def test_rows_inserted_above_the_range(report: dict[str, Any]) -> None:
    assert report["moved"] == [PRICE, 2.5]
    assert report["moved typed"] == [PRICE_AT_310, 2.6]


def test_a_close_that_is_an_error(report: dict[str, Any]) -> None:
    assert [cell[:4] for cell in report["error"]] == ["#N/A", "#N/A"], report["error"]
