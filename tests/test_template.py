"""The template workbook: the committed copy matches the builder, its formulas open in
LibreOffice, and its inputs carry what a finance user needs (tables, validation, formats).

The formulas' values are judged in test_template_in_libreoffice.py, by LibreOffice with the EQL_
extension; here LibreOffice runs without it, and proves the formulas parse and the ledger ranges
have the right shape.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from eql import __version__
from eql.cli import main
from eql.example import example_folder
from eql.facility import load_folder
from eql.terms import default_terms
from eql.workbook import references, template
from eql.workbook.summary import AS_OF_ROW, DETAIL_ROW, FUNCTIONS_MISSING
from eql.workbook.template import build_template
from libreoffice import recalculate_many

COMMITTED = Path(__file__).parent.parent / "workbook_template" / "eql-template.xlsx"
REBUILD = "eql template --out workbook_template/eql-template.xlsx --force"


def cell_text(value: Any) -> Any:
    if isinstance(value, ArrayFormula):
        return ("array", value.ref, value.text)
    return value


def describe(book: Workbook) -> dict[str, Any]:
    """Everything a user sees or a formula uses, sheet by sheet; not the file's bytes."""
    found: dict[str, Any] = {"sheets": book.sheetnames, "names": sorted(book.defined_names)}
    for sheet in book.worksheets:
        found[sheet.title] = {
            "cells": {
                cell.coordinate: (cell_text(cell.value), cell.number_format)
                for row in sheet.iter_rows()
                for cell in row
                if cell.value is not None or cell.number_format != "General"
            },
            "tables": {
                t.displayName: (
                    t.ref,
                    [
                        (
                            c.name,
                            c.calculatedColumnFormula.attr_text
                            if c.calculatedColumnFormula
                            else None,
                        )
                        for c in t.tableColumns
                    ],
                )
                for t in sheet.tables.values()
            },
            "validation": sorted(
                (str(v.sqref), v.type, v.operator, v.formula1, v.formula2)
                for v in sheet.data_validations.dataValidation
            ),
            "conditional": sorted(
                (str(rng.sqref), tuple(rule.formula or ()))
                for rng in sheet.conditional_formatting
                for rule in rng.rules
            ),
            "freeze": sheet.freeze_panes,
            "widths": {k: d.width for k, d in sheet.column_dimensions.items() if d.width},
            "print_titles": sheet.print_title_rows,
        }
    return found


def test_committed_template_matches_the_builder(tmp_path: Path) -> None:
    built = tmp_path / "built.xlsx"
    build_template(default_terms()).save(built)
    committed = describe(openpyxl.load_workbook(COMMITTED))
    fresh = describe(openpyxl.load_workbook(built))
    for key in fresh:
        assert committed.get(key) == fresh[key], (
            f"{COMMITTED.name} differs in {key}; run: {REBUILD}"
        )
    assert committed.keys() == fresh.keys(), f"run: {REBUILD}"


def test_template_command_writes_the_builders_template_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "t.xlsx"
    assert main(["template", "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert describe(openpyxl.load_workbook(out)) == describe(openpyxl.load_workbook(COMMITTED))
    before = out.read_bytes()
    assert main(["template", "--out", str(out)]) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert main(["template", "--out", str(out), "--force"]) == 0


def test_rebuilding_the_committed_template_gives_the_same_bytes(tmp_path: Path) -> None:
    # Nothing of the moment it was built goes in: the document's dates are the term sheet's
    # (2002-03-12, from the terms file), and so are the times of the file's zip entries.
    out = tmp_path / "rebuilt.xlsx"
    assert main(["template", "--out", str(out)]) == 0
    assert out.read_bytes() == COMMITTED.read_bytes(), f"run: {REBUILD}"
    properties = openpyxl.load_workbook(out).properties
    assert (properties.created, properties.modified) == (dt.datetime(2002, 3, 12),) * 2
    assert properties.creator == properties.lastModifiedBy == f"eql {__version__}"
    with zipfile.ZipFile(out) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2002, 3, 12, 0, 0, 0)}
    # eql demo's empty template is the same file.
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    assert (tmp_path / "demo" / "eql-template.xlsx").read_bytes() == COMMITTED.read_bytes()


def test_template_takes_its_terms_from_a_terms_file(tmp_path: Path) -> None:
    source = (Path(__file__).parent.parent / "addin/eql/data/valence_2002.toml").read_text()
    terms_file = tmp_path / "other.toml"
    terms_file.write_text(source.replace("factor = 0.85", "factor = 0.80"), encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert main(["template", "--out", str(out), "--terms", str(terms_file)]) == 0
    sheet = openpyxl.load_workbook(out)["Terms"]
    values = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(4, sheet.max_row + 1)}
    assert values["pricing.factor"] == 0.8
    assert values["facility.commitment"] == 30000000
    # The terms file is an input: never written over, even with --force.
    args = ["template", "--out", str(terms_file), "--terms", str(terms_file), "--force"]
    assert main(args) == 2
    assert "factor = 0.80" in terms_file.read_text(encoding="utf-8")


def test_inputs_are_tables_with_validation_and_frozen_headers() -> None:
    book = openpyxl.load_workbook(COMMITTED)
    tables = {t.displayName: s.title for s in book.worksheets for t in s.tables.values()}
    assert tables == {
        name: name
        for name in ("Terms", "Prices", "Draws", "CashUsed", "Milestones", "Reductions", "Fees")
    }
    draws = book["Draws"]
    kinds = {str(v.sqref).split(":")[0]: v.type for v in draws.data_validations.dataValidation}
    assert kinds == {"A4": "date", "B4": "decimal"}
    milestones = book["Milestones"]
    keys = [v.formula1 for v in milestones.data_validations.dataValidation if v.type == "list"]
    assert keys == ['"CEO_CHANGE,MAC,POLYMER_265,SAMPLES_30,LICENSE,MFG_420"']
    assert [milestones.cell(r, 1).value for r in range(4, 10)] == [
        "CEO_CHANGE",
        "MAC",
        "POLYMER_265",
        "SAMPLES_30",
        "LICENSE",
        "MFG_420",
    ]
    cash = [
        v.formula1 for v in book["CashUsed"].data_validations.dataValidation if v.type == "list"
    ]
    assert cash == [
        '"FY2003 Q1,FY2003 Q2,FY2003 Q3,FY2003 Q4,FY2004 Q1,FY2004 Q2,FY2004 Q3,FY2004 Q4"'
    ]
    for name in tables:
        assert book[name].freeze_panes in {"A4", "B4"}
        assert book[name].print_title_rows == "$3:$3"
    conf = book["xlwings.conf"]
    assert (conf["A1"].value, conf["B1"].value) == ("UDF Modules", "eql.udfs")


def test_draws_formulas_call_the_add_in_and_flag_blocked_and_out_of_order_rows() -> None:
    draws = openpyxl.load_workbook(COMMITTED)["Draws"]
    row = {draws.cell(3, c).value: draws.cell(4, c).value for c in range(1, draws.max_column + 1)}
    for name, function in {
        "Price": "EQL_PRICE(",
        "Shares": "EQL_DRAW_SHARES(",
        "Cap": "EQL_CAP(",
        "Check": "EQL_CHECK(",
        "Fiscal quarter": "EQL_FISCAL_QUARTER(",
        "Term quarter": "EQL_TERM_QUARTER(",
        "First pricing date": "EQL_PRICING_DATES(",
    }.items():
        assert function in row[name], name
    # Funded on and Amount funded are adjacent: the two columns each row's ledger range spans.
    headers = [draws.cell(3, c).value for c in range(1, draws.max_column + 1)]
    assert headers.index("Amount funded") == headers.index("Funded on") + 1
    rules = {str(r.sqref): r.rules[0].formula[0] for r in draws.conditional_formatting}
    # K is Check: blocked rows red; "OK (waived: ...)" is funded, so only the first two letters count
    assert rules["A4:P5000"] == 'AND($A4<>"",LEFT($K4,2)<>"OK")'
    assert rules["A5:A5000"] == 'AND($A5<>"",ISNUMBER($A4),$A5<$A4)'  # earlier than the row above
    assert "DATE ORDER" in str(draws["A2"].value)


def test_filled_template_shows_dates_and_amounts_in_full() -> None:
    # A cell shows ### when its formatted text is wider than the column; widths are in characters.
    book = build_template(default_terms(), load_folder(example_folder()))
    for name, formats in {
        "Draws": "AB",
        "Prices": "AB",
        "CashUsed": "B",
        "Reductions": "ABC",
        "Fees": "ABC",
    }.items():
        sheet = book[name]
        for letter in formats:
            width = sheet.column_dimensions[letter].width
            for (cell,) in sheet.iter_rows(
                min_row=4, min_col=ord(letter) - 64, max_col=ord(letter) - 64
            ):
                if cell.value is None:
                    continue
                shown = (
                    f"{cell.value:,.2f}"
                    if isinstance(cell.value, int | float)
                    else str(cell.value)[:10]
                )
                assert len(shown) + 1 <= width, (name, cell.coordinate, shown, width)


# Each EQL_ call replaced by CHOOSE(1, a plausible value, <the original arguments>): LibreOffice
# must then parse every argument (structured references, the ledger's range operator) and
# compute every native formula around it without one error.
STAND_INS = {
    "EQL_FISCAL_QUARTER": '"FY2003 Q1"',
    "EQL_TERM_QUARTER": "1",
    "EQL_PRICING_DATES": "37340",
    "EQL_AVG_CLOSE": "2.5",
    "EQL_PRICE": "2.125",
    "EQL_CAP": "5000000",
    "EQL_CHECK": '"OK"',
    "EQL_SHARES": "100",
    "EQL_DRAW_SHARES": "100",
    "EQL_STATUS": '"OK"',
    "EQL_CAP_DETAIL": "0",
    "EQL_SCHEDULE": "0",
}


def without_add_in(formula: str) -> str:
    return re.sub(r"\b(EQL_[A-Z_]+)\(", lambda m: f"CHOOSE(1,{STAND_INS[m.group(1)]},", formula)


@pytest.fixture(scope="module")
def libreoffice_copies(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[Workbook, Workbook]]:
    """The empty and filled templates, and copies with stand-ins and probes, recalculated in one run."""
    folder = tmp_path_factory.mktemp("templates")
    books = {
        "empty": build_template(default_terms()),
        "filled": build_template(default_terms(), load_folder(example_folder())),
    }
    stand_in = build_template(default_terms(), load_folder(example_folder()))
    for sheet in stand_in.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.value = without_add_in(cell.value)
                elif isinstance(cell.value, ArrayFormula):
                    cell.value = ArrayFormula(cell.value.ref, without_add_in(cell.value.text))
    # Probes beside the Draws table: the shape of the ledger range each row passes.
    draws = stand_in["Draws"]
    for row in range(4, 10):
        draws[f"R{row}"] = f"=ROWS({references.FUNDED_ABOVE})"
        draws[f"S{row}"] = f"=COLUMNS({references.FUNDED_ABOVE})"
        draws[f"T{row}"] = f"=ROWS({references.FUNDED_ALL})"
    books["stand-in"] = stand_in
    paths = []
    for name, book in books.items():
        path = folder / f"{name}.xlsx"
        book.save(path)
        paths.append(path)
    outputs = recalculate_many(paths, folder / "recalculated")
    return {
        name: (openpyxl.load_workbook(path), openpyxl.load_workbook(out, data_only=True))
        for (name, path), out in zip(zip(books, paths, strict=True), outputs, strict=True)
    }


def formula_values(pair: tuple[Workbook, Workbook]) -> list[tuple[str, str, str, Any]]:
    written, computed = pair
    found = []
    for sheet in written.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                text = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
                if isinstance(text, str) and text.startswith("="):
                    found.append(
                        (
                            sheet.title,
                            cell.coordinate,
                            text,
                            computed[sheet.title][cell.coordinate].value,
                        )
                    )
    return found


@pytest.mark.parametrize("name", ["empty", "filled"])
def test_libreoffice_opens_the_template_without_errors_but_the_missing_add_in(
    libreoffice_copies: dict[str, tuple[Workbook, Workbook]], name: str
) -> None:
    values = formula_values(libreoffice_copies[name])
    assert len(values) > 20
    for sheet, coordinate, formula, value in values:
        if isinstance(value, str) and value.startswith(("#", "Err:")):
            # Without the add-in an EQL_ function is unknown (#NAME?), and so is what uses it.
            assert value == "#NAME?", (sheet, coordinate, formula, value)
        if "EQL_" not in formula and value == "#NAME?":
            assert sheet in {"Draws", "Summary"}, (sheet, coordinate, formula)


def test_libreoffice_computes_every_formula_with_stand_ins(
    libreoffice_copies: dict[str, tuple[Workbook, Workbook]],
) -> None:
    values = formula_values(libreoffice_copies["stand-in"])
    errors = [v for v in values if isinstance(v[3], str) and v[3].startswith(("#", "Err:"))]
    assert errors == []
    computed = libreoffice_copies["stand-in"][1]["Draws"]
    # Row 4 (the first) passes the header alone; row n passes the header and the n - 4 rows above.
    assert [computed[f"R{row}"].value for row in range(4, 10)] == [1, 2, 3, 4, 5, 6]
    assert {computed[f"S{row}"].value for row in range(4, 10)} == {2}
    draws = load_folder(example_folder()).requests
    assert computed["T4"].value == 1 + len(draws) + template.SPARE_DRAW_ROWS
    # With every check "OK" each row funds what it asks, and only the first carries the
    # registration-rights note.
    headers = {computed.cell(3, c).value: c for c in range(1, 17)}
    funded = [computed.cell(r, headers["Amount funded"]).value for r in range(4, 4 + len(draws))]
    assert funded == [float(d.amount) for d in draws] or funded == [int(d.amount) for d in draws]
    notes = [
        computed.cell(r, headers["Registration rights"]).value for r in range(4, 4 + len(draws))
    ]
    assert notes[0] == default_terms().first_draw_note
    assert not any(notes[1:])


# What the Summary shows opened without the add-in: the inputs' own figures, and for everything
# the EQL_ functions compute an error, never a believable number (the example has four draws
# blocked, so a count of 0 would mislead).
FROM_INPUTS = {"As of", "Commitment", "Requested"}


def test_without_the_add_in_the_summary_says_so_and_shows_no_number_from_errors(
    libreoffice_copies: dict[str, tuple[Workbook, Workbook]],
) -> None:
    for name in ("empty", "filled"):
        computed = libreoffice_copies[name][1]["Summary"]
        assert computed["A3"].value == FUNCTIONS_MISSING, name
    summary = libreoffice_copies["filled"][1]["Summary"]
    shown = {
        summary.cell(row, 1).value: summary.cell(row, 2).value
        for row in range(AS_OF_ROW, DETAIL_ROW - 1)
        if summary.cell(row, 1).value
    }
    assert set(shown) > FROM_INPUTS | {"Draws blocked", "Funded by the as-of date"}
    for label, value in shown.items():
        if label in FROM_INPUTS:
            assert isinstance(value, int | float | dt.datetime), (label, value)
        else:
            assert isinstance(value, str), (label, value)
            assert value.startswith(("#", "Err:")), (label, value)
    draws = libreoffice_copies["filled"][1]["Draws"]
    headers = {draws.cell(3, c).value: c for c in range(1, draws.max_column + 1)}
    count = len(load_folder(example_folder()).requests)
    for column in template.DRAW_FORMULA_COLUMNS:
        if column == "Funded on":  # a copy of the funding date, computed without the add-in
            continue
        values = [draws.cell(r, headers[column]).value for r in range(4, 4 + count)]
        assert not any(isinstance(v, int | float) for v in values), (column, values)


def test_with_the_functions_loaded_the_summary_says_nothing_of_them(
    libreoffice_copies: dict[str, tuple[Workbook, Workbook]],
) -> None:
    computed = libreoffice_copies["stand-in"][1]["Summary"]
    assert computed["A3"].value in (None, "")
