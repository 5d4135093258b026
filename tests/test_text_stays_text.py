"""Text that looks like a formula, from every place a user or a sender can put text, is written
into every workbook eql makes as text: openpyxl reads it back as a string cell, and LibreOffice,
opening and recalculating the file, shows the text (it never computes it, never calls a URL).

Entry points: a terms file (--terms), --set, the Terms table and the Notes of a filled template
someone sent (read as untrusted), and a ledger checked with --out. Outputs: the template, every
quarter-end pack, a filled template, the annotated copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from eql.cli import main
from eql.example import example_folder
from eql.sources import read_inputs
from eql.terms import DEFAULT_TERMS
from eql.workbook.pack import pack_file_name, pack_quarters
from eql.workbook.template import build_template
from ledger_fixtures import planted_ledger
from libreoffice import recalculate_many

WEBSERVICE = '=WEBSERVICE("http://x")'
# Each planted text, and the term that carries it. A term holding a text is a TOML string.
PLANTED = {
    "facility.name": WEBSERVICE,
    "legend.text": "=1+1",
    "legend.first_draw": "@SUM(1)",
    "limits.quarter.label": "+1",
    "limits.total.label": "-1+2",
    "limits.cash_used.label": '=WEBSERVICE("http://x/cash")',
    "conditions.ii.text": "=1+1",
    "milestones.MFG_420": "-1+2",
}
TEXTS = frozenset(PLANTED.values())
# What no formula of eql's own ever holds.
FOREIGN = ("WEBSERVICE", "SUM(1)", "http://")


def planted_terms_file(folder: Path) -> Path:
    """The built-in terms file with the planted texts, one line changed per term."""
    from importlib import resources

    text = resources.files("eql.data").joinpath(DEFAULT_TERMS).read_text(encoding="utf-8")
    section = ""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped.strip("[]")
        key = stripped.split("=", 1)[0].strip()
        name = f"{section}.{key}"
        if "=" in stripped and not stripped.startswith("#") and name in PLANTED:
            escaped = PLANTED[name].replace("\\", "\\\\").replace('"', '\\"')
            line = f'{key} = "{escaped}"'  # noqa: PLW2901
        lines.append(line)
    path = folder / "planted.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def set_arguments() -> list[str]:
    return [argument for name, text in PLANTED.items() for argument in ("--set", f"{name}={text}")]


def cells(book: Workbook) -> Iterator[tuple[str, str, object, str]]:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell.coordinate, cell.value, cell.data_type


def assert_text_stays_text(path: Path) -> dict[tuple[str, str], str]:
    """No formula in ``path`` holds foreign text, and every cell whose text starts like a
    formula is a string cell; those cells, with their text."""
    book = openpyxl.load_workbook(path)
    found: dict[tuple[str, str], str] = {}
    for sheet, coordinate, value, data_type in cells(book):
        if data_type == "f":
            assert not any(part in str(value) for part in FOREIGN), (path.name, sheet, coordinate)
        elif isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
            assert data_type == "s", (path.name, sheet, coordinate, value)
            found[(sheet, coordinate)] = value
    return found


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every output, written through every entry point."""
    folder = tmp_path_factory.mktemp("planted")
    terms = planted_terms_file(folder)
    example = str(example_folder())
    written: dict[str, Path] = {}

    def run(name: str, argv: list[str]) -> None:
        assert main(argv) in (0, 1), argv  # 1: the checked ledger differs, as planted
        written[name] = folder / name

    run(
        "template-terms.xlsx",
        ["template", "--terms", str(terms), "--out", str(folder / "template-terms.xlsx")],
    )
    run(
        "template-set.xlsx",
        ["template", *set_arguments(), "--out", str(folder / "template-set.xlsx")],
    )
    packs = folder / "packs"
    packs.mkdir()
    assert (
        main(
            [
                "quarter-end",
                "--inputs",
                example,
                "--terms",
                str(terms),
                "--all",
                "--out",
                str(packs),
            ]
        )
        == 0
    )
    for label in pack_quarters(read_inputs(example_folder()).terms):
        written[f"pack {label}"] = packs / pack_file_name(label)
    run(
        "pack-set.xlsx",
        [
            "quarter-end",
            "--inputs",
            example,
            *set_arguments(),
            "--quarter",
            "FY2004 Q1",
            "--out",
            str(folder / "pack-set.xlsx"),
        ],
    )

    # A filled template someone sent: its Terms table and Notes carry the texts, typed as text.
    facility = read_inputs(example_folder(), None)
    sent = folder / "sent.xlsx"
    book = build_template(facility.terms, facility)
    book.save(sent)
    book = openpyxl.load_workbook(sent)
    for row in book["Terms"].iter_rows(min_row=4):
        if row[0].value in PLANTED:
            row[1].value = PLANTED[str(row[0].value)]
            row[1].data_type = "s"
    notes = book["Draws"]
    for row, text in zip(range(4, 4 + len(TEXTS)), sorted(TEXTS), strict=True):
        notes.cell(row, 3).value = text
        notes.cell(row, 3).data_type = "s"
    book.save(sent)
    run(
        "pack-sent.xlsx",
        [
            "quarter-end",
            "--inputs",
            str(sent),
            "--quarter",
            "FY2004 Q1",
            "--out",
            str(folder / "pack-sent.xlsx"),
        ],
    )
    refilled = folder / "refilled.xlsx"
    received = read_inputs(sent)
    assert set(received.notes.values()) >= TEXTS
    build_template(received.terms, received).save(refilled)
    written["refilled.xlsx"] = refilled

    ledger = planted_ledger(folder / "ledger.xlsx")
    run(
        "annotated.xlsx",
        ["check", str(ledger), "--terms", str(terms), "--out", str(folder / "annotated.xlsx")],
    )
    run(
        "annotated-set.xlsx",
        ["check", str(ledger), *set_arguments(), "--out", str(folder / "annotated-set.xlsx")],
    )
    return written


def test_every_output_holds_the_texts_as_text_and_libreoffice_shows_them(
    outputs: dict[str, Path], tmp_path: Path
) -> None:
    found = {name: assert_text_stays_text(path) for name, path in outputs.items()}
    # Where each text is expected to land (every term is written, whole, on a Terms sheet or
    # in a title; a pack writes the legend beside every draw that bought shares).
    for name in ("template-terms.xlsx", "template-set.xlsx", "refilled.xlsx"):
        assert set(found[name].values()) >= TEXTS, name
        assert found[name][("Summary", "A1")] == WEBSERVICE
    for name in ("pack FY2004 Q1", "pack-set.xlsx", "pack-sent.xlsx"):
        texts = found[name]
        assert texts[("Summary", "A1")].startswith(WEBSERVICE), name
        assert list(texts.values()).count("=1+1") >= 5, name  # the legend on each issuance
        assert {"+1", "-1+2"} <= set(texts.values()), name
    assert found["refilled.xlsx"].get(("Draws", "C4")) in TEXTS

    computed = recalculate_many(list(outputs.values()), tmp_path / "libreoffice")
    for (name, path), copy in zip(outputs.items(), computed, strict=True):
        formulas = openpyxl.load_workbook(copy)
        values = openpyxl.load_workbook(copy, data_only=True)
        for sheet, coordinate, value, data_type in cells(formulas):
            if data_type == "f":
                assert not any(part in str(value) for part in FOREIGN), (name, sheet, coordinate)
        for (sheet, coordinate), text in found[name].items():
            assert values[sheet][coordinate].value == text, (name, sheet, coordinate)
        del path
