"""The annotated copy of ``eql check --out``: the user's values untouched, each difference's cell
highlighted, a sheet listing the findings, never over the input, never losing a chart silently;
and LibreOffice opens it.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from eql.cli import main
from ledger_fixtures import PLANTED, correct_ledger, planted_ledger
from libreoffice import convert, recalculate


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def all_values(path: Path) -> dict[str, dict[str, object]]:
    workbook = openpyxl.load_workbook(path)
    return {
        sheet.title: {cell.coordinate: cell.value for row in sheet.iter_rows() for cell in row}
        for sheet in workbook.worksheets
    }


def test_the_annotated_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = planted_ledger(tmp_path / "ledger.xlsx")
    before = digest(source)
    out = tmp_path / "annotated.xlsx"
    assert main(["check", str(source), "--out", str(out)]) == 1
    assert f"annotated copy written to {out}" in capsys.readouterr().out
    assert digest(source) == before

    original, copy = all_values(source), all_values(out)
    assert list(copy) == [*original, "eql check"]
    for title, cells in original.items():
        assert {k: v for k, v in copy[title].items() if v is not None} == {
            k: v for k, v in cells.items() if v is not None
        }, title

    annotated = openpyxl.load_workbook(out)
    ledger = annotated["Draws 2002-04"]
    highlighted = {
        cell.coordinate
        for row in ledger.iter_rows()
        for cell in row
        if cell.fill.fill_type == "solid"
    }
    assert highlighted == {cell for _, _, cell in PLANTED}

    listing = annotated["eql check"]
    rows = [[c.value for c in row] for row in listing.iter_rows(min_row=4)]
    assert rows[0] == ["row", "cell", "kind", "finding"]
    assert {(kind, int(row), cell) for row, cell, kind, _ in rows[1:]} == PLANTED
    links = {c.value: c.hyperlink.location for c in listing["B"] if c.hyperlink}
    assert links["D7"] == "'Draws 2002-04'!D7"


def test_never_over_the_input_nor_an_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = correct_ledger(tmp_path / "ledger.xlsx")
    before = digest(source)
    for target in (source, tmp_path / "." / "ledger.xlsx"):
        assert main(["check", str(source), "--out", str(target), "--force"]) == 2
        assert "is an input; eql never writes over its inputs" in capsys.readouterr().err
    assert digest(source) == before

    existing = tmp_path / "annotated.xlsx"
    existing.write_bytes(b"keep me")
    assert main(["check", str(source), "--out", str(existing)]) == 2
    assert "already exists; pass --force to replace it" in capsys.readouterr().err
    assert existing.read_bytes() == b"keep me"
    assert main(["check", str(source), "--out", str(existing), "--force"]) == 0
    assert openpyxl.load_workbook(existing)["eql check"]["D5"].value == "no differences"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotated.xlsx", "ledger.xlsx"]


def with_chart(path: Path) -> Path:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Closing prices"]
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=10))
    sheet.add_chart(chart, "D2")
    workbook.save(path)
    return path


def test_a_chart_is_not_lost_without_leave(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = with_chart(planted_ledger(tmp_path / "ledger.xlsx"))
    out = tmp_path / "annotated.xlsx"
    assert main(["check", str(source), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert (
        "holds charts, drawings (shapes, pictures, text boxes), which a copy written by eql would lose; no copy written (pass --allow-loss"
        in err
    )
    assert not out.exists()

    assert main(["check", str(source), "--out", str(out), "--allow-loss"]) == 1
    assert "(without charts, drawings" in capsys.readouterr().out
    notice = openpyxl.load_workbook(out)["eql check"]["A1"].value
    assert notice.startswith(
        "This copy lacks charts, drawings (shapes, pictures, text boxes) of the original ledger.xlsx"
    )


def test_libreoffice_opens_the_annotated_copy(tmp_path: Path) -> None:
    source = planted_ledger(tmp_path / "ledger.xlsx")
    out = tmp_path / "annotated.xlsx"
    assert main(["check", str(source), "--out", str(out)]) == 1
    reopened = recalculate(out, tmp_path / "lo")
    workbook = openpyxl.load_workbook(reopened)
    assert workbook.sheetnames[-1] == "eql check"
    assert workbook["Draws 2002-04"]["D7"].value == 999_999
    assert workbook["Draws 2002-04"]["B7"].value == "7/8/2002"
    assert workbook["eql check"]["B5"].value == "E5"
    pdf = convert([out], tmp_path / "pdf", "pdf")[0]
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_copy_of_a_file_with_data_validation_keeps_it(tmp_path: Path) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    source = correct_ledger(tmp_path / "ledger.xlsx")
    workbook = openpyxl.load_workbook(source)
    rule = DataValidation(type="decimal", operator="greaterThan", formula1="0")
    rule.add("C5:C20")
    workbook["Draws 2002-04"].add_data_validation(rule)
    workbook.save(source)
    out = tmp_path / "annotated.xlsx"
    assert main(["check", str(source), "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as copy:
        assert b"dataValidation" in copy.read("xl/worksheets/sheet1.xml")
