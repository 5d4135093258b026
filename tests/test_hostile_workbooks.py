"""Workbooks of a few kilobytes that name ranges of billions of cells, through every command
that reads a workbook: each answered as if the far cell were not there, or refused in one line
naming the file and the sheet (exit 2), never built cell by cell. Every hostile file is built
here; the memory and time they take are measured by hand (the figures are in the README), not
asserted.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from eql.cli import main
from ledger_fixtures import correct_ledger

ROOT = Path(__file__).parents[1]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def sheet_part(path: Path, title: str) -> str:
    """The part holding the sheet ``title`` (openpyxl writes them in order)."""
    titles = openpyxl.load_workbook(path, read_only=True).sheetnames
    return f"xl/worksheets/sheet{titles.index(title) + 1}.xml"


def with_sheet_xml(source: Path, target: Path, title: str, edit: Callable[[str], str]) -> Path:
    """A copy of a workbook with the XML of one sheet edited as text."""
    part = sheet_part(source, title)
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for member in original.infolist():
            data = original.read(member.filename)
            if member.filename == part:
                data = edit(data.decode("utf-8")).encode("utf-8")
            copy.writestr(member, data)
    return target


def after_sheet_data(markup: str) -> Callable[[str], str]:
    return lambda xml: xml.replace("</sheetData>", "</sheetData>" + markup, 1)


def far_cell(coordinate: str) -> Callable[[Path, Path, str], Path]:
    def build(source: Path, target: Path, title: str) -> Path:
        workbook = openpyxl.load_workbook(source)
        workbook[title][coordinate] = "x"
        workbook.save(target)
        return target

    return build


def edited(markup: str) -> Callable[[Path, Path, str], Path]:
    def build(source: Path, target: Path, title: str) -> Path:
        return with_sheet_xml(source, target, title, after_sheet_data(markup))

    return build


def empty_rows(count: int) -> Callable[[Path, Path, str], Path]:
    def build(source: Path, target: Path, title: str) -> Path:
        rows = "".join(f'<row r="{200 + n}"/>' for n in range(count))
        return with_sheet_xml(
            source, target, title, lambda xml: xml.replace("</sheetData>", rows + "</sheetData>")
        )

    return build


# Each answered as if the far cell were not there: a cell present is one cell however far.
ANSWERED = {
    "one cell at XFD1048576": far_cell("XFD1048576"),
    "one cell at ZZ20000": far_cell("ZZ20000"),
    "one cell at Z1048576": far_cell("Z1048576"),
    "one cell at XFD1": far_cell("XFD1"),
}
# Each refused: openpyxl would build every cell of the range, or one per row element.
REFUSED = {
    "a merged range H1:XFD1048576": edited(
        '<mergeCells count="1"><mergeCell ref="H1:XFD1048576"/></mergeCells>'
    ),
    "a merged whole column": edited('<mergeCells count="1"><mergeCell ref="H:H"/></mergeCells>'),
    "many small merged ranges": edited(
        '<mergeCells count="2000">'
        + "".join(f'<mergeCell ref="H{n * 300 + 1}:K{n * 300 + 300}"/>' for n in range(2000))
        + "</mergeCells>"
    ),
    "a hyperlink over A1:XFD1048576": edited(
        '<hyperlinks><hyperlink ref="A1:XFD1048576" location="A1" display="x"/></hyperlinks>'
    ),
    "600,000 empty rows": empty_rows(600_000),
}


def ledger(tmp_path: Path) -> Path:
    return correct_ledger(tmp_path / "ledger.xlsx")


@pytest.mark.parametrize("name", ANSWERED)
@pytest.mark.parametrize("title", ["Draws 2002-04", "Closing prices"])
def test_check_answers_a_workbook_with_a_far_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, title: str
) -> None:
    hostile = ANSWERED[name](ledger(tmp_path), tmp_path / "far.xlsx", title)
    status, out, err = run(["check", str(hostile)], capsys)
    assert (status, err) == (0, "")
    assert "5 draws, 8,404,000 funded" in out


@pytest.mark.parametrize("name", REFUSED)
@pytest.mark.parametrize("title", ["Draws 2002-04", "Cash burn"])
def test_check_refuses_a_range_of_billions_of_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, title: str
) -> None:
    hostile = REFUSED[name](ledger(tmp_path), tmp_path / "bomb.xlsx", title)
    status, out, err = run(["check", str(hostile)], capsys)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith(f"eql: {hostile}: sheet {title!r} takes the workbook past 500,000 cells")


@pytest.fixture(scope="module")
def filled_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(folder)]) == 0
    return folder / "example-facility.xlsx"


@pytest.mark.parametrize("name", ANSWERED)
def test_quarter_end_reads_a_template_with_a_far_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], filled_template: Path, name: str
) -> None:
    hostile = ANSWERED[name](filled_template, tmp_path / "far.xlsx", "Draws")
    out = tmp_path / "pack.xlsx"
    status, _, err = run(
        ["quarter-end", "--inputs", str(hostile), "--quarter", "FY2003 Q2", "--out", str(out)],
        capsys,
    )
    assert (status, err) == (0, "")
    assert out.is_file()


@pytest.mark.parametrize("name", REFUSED)
def test_quarter_end_refuses_a_template_naming_billions_of_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], filled_template: Path, name: str
) -> None:
    hostile = REFUSED[name](filled_template, tmp_path / "bomb.xlsx", "Prices")
    out = tmp_path / "pack.xlsx"
    status, _, err = run(
        ["quarter-end", "--inputs", str(hostile), "--quarter", "FY2003 Q2", "--out", str(out)],
        capsys,
    )
    assert status == 2
    assert err.count("\n") == 1
    assert err.startswith(f"eql: {hostile}: sheet 'Prices' takes the workbook past 500,000 cells")
    assert not out.exists()


def test_a_table_spanning_every_row_is_read_by_its_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], filled_template: Path
) -> None:
    # The Draws table's reference stretched to the last row of the sheet: nothing refused, the
    # pack the same as from the template itself.
    part = sheet_part(filled_template, "Draws")
    with zipfile.ZipFile(filled_template) as original:
        rels = original.read(part.replace("worksheets/", "worksheets/_rels/") + ".rels").decode()
        table = "xl/" + re.findall(r'Target="[^"]*?(tables/[^"]+)"', rels)[0]
    stretched = tmp_path / "stretched.xlsx"
    with zipfile.ZipFile(filled_template) as original, zipfile.ZipFile(stretched, "w") as copy:
        for member in original.infolist():
            data = original.read(member.filename)
            if member.filename == table:
                data = re.sub(rb'ref="([A-Z]+\d+):([A-Z]+)\d+"', rb'ref="\1:\g<2>1048576"', data)
            copy.writestr(member, data)
    shutil.copy(filled_template, tmp_path / "plain.xlsx")
    outs = []
    for source in (stretched, tmp_path / "plain.xlsx"):
        out = tmp_path / f"{source.stem}-pack.xlsx"
        status, _, err = run(
            ["quarter-end", "--inputs", str(source), "--quarter", "FY2003 Q2", "--out", str(out)],
            capsys,
        )
        assert (status, err) == (0, ""), err
        outs.append(openpyxl.load_workbook(out)["Draws"])
    values = [[[c.value for c in row] for row in sheet.iter_rows()] for sheet in outs]
    assert values[0] == values[1]
