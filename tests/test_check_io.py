"""``eql check --out`` at the edge of the file system: every input protected whatever its kind
or name, and the report printed before a copy that cannot be written is reported, naming the
file the user asked for.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from eql.cli import main
from ledger_fixtures import CASH_USED, CLOSES, MILESTONES, correct_ledger, planted_ledger

ROOT = Path(__file__).parents[1]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def csv_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {
        "prices": ["date,close", *(f"{day.date()},{close}" for day, close in CLOSES)],
        "cash-used": ["fiscal_quarter,cash_used", *(f"{q},{a}" for q, a in CASH_USED)],
        "milestones": [
            "key,date",
            *(f"{k},{'' if d is None else d.date()}" for k, d in MILESTONES),
        ],
    }
    written = {}
    for name, lines in files.items():
        # Named .xlsx, as a careless user might: it is still a CSV input.
        path = folder / f"{name}.xlsx"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written[name] = path
    return written


@pytest.mark.parametrize("name", ["prices", "cash-used", "milestones"])
def test_a_csv_input_is_never_the_annotated_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    ledger = correct_ledger(tmp_path / "ledger.xlsx", inputs=False)
    inputs = csv_inputs(tmp_path / "in")
    before = {path: digest(path) for path in inputs.values()}
    options = [item for key, path in inputs.items() for item in (f"--{key}", str(path))]
    status = main(["check", str(ledger), *options, "--out", str(inputs[name]), "--force"])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err == f"eql: {inputs[name]}: is an input; eql never writes over its inputs\n"
    assert captured.out == ""  # refused before any work
    assert {path: digest(path) for path in inputs.values()} == before


@pytest.mark.parametrize("link", ["hard", "symbolic"])
def test_a_link_to_an_input_is_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], link: str
) -> None:
    ledger = correct_ledger(tmp_path / "ledger.xlsx")
    other = tmp_path / "other"
    other.mkdir()
    target = other / "copy.xlsx"
    (os.link if link == "hard" else os.symlink)(ledger, target)
    before = digest(ledger)
    assert main(["check", str(ledger), "--out", str(target), "--force"]) == 2
    assert "is an input; eql never writes over its inputs" in capsys.readouterr().err
    assert digest(ledger) == before


def test_the_terms_file_is_never_the_annotated_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = correct_ledger(tmp_path / "ledger.xlsx")
    terms = tmp_path / "terms.xlsx"  # a terms file (TOML) under an odd name
    terms.write_bytes((ROOT / "addin" / "eql" / "data" / "valence_2002.toml").read_bytes())
    before = digest(terms)
    status = main(["check", str(ledger), "--terms", str(terms), "--out", str(terms), "--force"])
    assert status == 2
    assert "is an input; eql never writes over its inputs" in capsys.readouterr().err
    assert digest(terms) == before


def test_a_folder_that_cannot_be_written_loses_no_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Permissions do not stop every user (root writes anywhere), so the refusal is the system's
    # answer to creating the hidden temporary, as an unwritable folder gives it.
    ledger = planted_ledger(tmp_path / "ledger.xlsx")
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "checked.xlsx"

    def refused(*_: object, **kwargs: object) -> tuple[int, str]:
        name = Path(str(kwargs["dir"])) / f"{kwargs['prefix']}x1y2z3{kwargs['suffix']}"
        raise PermissionError(13, "Permission denied", str(name))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    status = main(["check", str(ledger), "--out", str(target)])
    captured = capsys.readouterr()
    assert status == 2
    assert "row 5 (E5): price: price 2.1356 recorded" in captured.out
    assert "annotated copy written" not in captured.out
    assert captured.err == f"eql: {target}: not written: Permission denied\n"
    assert ".tmp" not in captured.err
    assert list(folder.iterdir()) == []


def test_a_refused_copy_loses_no_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = planted_ledger(tmp_path / "ledger.xlsx")
    workbook = openpyxl.load_workbook(ledger)
    sheet = workbook["Closing prices"]
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=10))
    sheet.add_chart(chart, "D2")
    workbook.save(ledger)
    target = tmp_path / "checked.xlsx"
    status = main(["check", str(ledger), "--out", str(target)])
    captured = capsys.readouterr()
    assert status == 2
    assert "row 7 (D7): shares: 999,999 shares recorded" in captured.out
    assert captured.err.startswith(f"eql: {target}: not written: {ledger} holds charts")
    assert captured.err.count("\n") == 1
    assert not target.exists()


def test_json_says_the_copy_was_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = correct_ledger(tmp_path / "ledger.xlsx")
    target = tmp_path / "checked.xlsx"

    def refused(*_: object, **__: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", "x")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    status = main(["check", str(ledger), "--json", "--out", str(target)])
    captured = capsys.readouterr()
    assert status == 2
    copy = json.loads(captured.out)["annotated_copy"]
    assert copy["written"] is False
    assert copy["error"] == f"{target}: not written: Permission denied"
    assert captured.err == f"eql: {target}: not written: Permission denied\n"
