"""One loader for eql check, schedule --inputs and quarter-end --inputs: each reads a folder of
CSV files, a filled template (as eql wrote it, or after LibreOffice saved it) and a ledger
workbook of the team's own with its input sheets.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from eql.cli import main
from eql.example import example_folder
from ledger_fixtures import CORRECT_DRAWS, CORRECT_TOTALS, build_ledger, correct_ledger
from libreoffice import convert


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example facility as a filled template, as eql writes it and as LibreOffice saves it."""
    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(folder)]) == 0
    written = folder / "example-facility.xlsx"
    [saved] = convert([written], folder / "saved", "xlsx")
    return {"written by eql": written, "saved by LibreOffice": saved}


@pytest.mark.parametrize("kind", ["written by eql", "saved by LibreOffice"])
def test_check_reads_a_filled_template(
    templates: dict[str, Path], capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    # The Terms table's row 'limits.cash_used.period | fiscal_quarter' was taken for the
    # cash-used table's headings. The template's own tables are read by name.
    status, out, err = run(["check", str(templates[kind])], capsys)
    header, inputs = out.splitlines()[:2]
    assert header.endswith(
        "sheet 'Draws', headings in row 3, date in A, amount in M, price in I, shares in N"
    )
    assert inputs == (
        "inputs: prices from table 'Prices', cash used from table 'CashUsed', "
        "milestones from table 'Milestones', reductions from table 'Reductions'"
    )
    # Without the add-in nothing computed the formula columns: reported, never guessed.
    assert status == 2
    assert "could not be checked" in err


def schedule_lines(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    status, out, err = run(["schedule", *argv], capsys)
    assert (status, err) == (0, ""), err
    return out.splitlines()


def test_schedule_reads_a_folder_and_a_template_alike(
    templates: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from_folder = schedule_lines(["--inputs", str(example_folder())], capsys)
    for kind, path in templates.items():
        assert schedule_lines(["--inputs", str(path)], capsys) == from_folder, kind


def team_ledger(path: Path) -> Path:
    return correct_ledger(path)


def test_schedule_and_quarter_end_read_a_ledger_of_the_teams_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The ledger of tests/ledger_fixtures.py: five draws worked by hand, all within the limits.
    ledger = team_ledger(tmp_path / "ledger.xlsx")
    lines = schedule_lines(["--inputs", str(ledger)], capsys)
    assert lines[-1] == "funded 8,404,000 of 30,000,000 in 5 draws"
    out = tmp_path / "pack.xlsx"
    status, printed, err = run(
        ["quarter-end", "--inputs", str(ledger), "--quarter", "FY2003 Q1", "--out", str(out)],
        capsys,
    )
    assert (status, err) == (0, "")
    assert printed == f"FY2003 Q1: {out}\n"
    draws = openpyxl.load_workbook(out)["Draws"]
    dates = [cell.value for cell in draws["A"] if isinstance(cell.value, dt.datetime)]
    assert [d.date() for d in dates] == [dt.date(2002, 4, 2), dt.date(2002, 5, 29)]


def test_a_bad_cell_in_a_teams_ledger_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draws: list[tuple[Any, ...] | None] = list(CORRECT_DRAWS)
    draws[1] = (2, "next Tuesday", 2_000_000, 1_069_519, 1.87, "")
    ledger = build_ledger(tmp_path / "ledger.xlsx", draws, CORRECT_TOTALS)
    for argv in (
        ["schedule", "--inputs", str(ledger)],
        [
            "quarter-end",
            "--inputs",
            str(ledger),
            "--quarter",
            "FY2003 Q1",
            "--out",
            str(tmp_path / "p.xlsx"),
        ],
    ):
        status, _, err = run(argv, capsys)
        assert status == 2
        assert err.startswith(f"eql: {ledger}: sheet 'Draws 2002-04': B6 funding date")
        assert "'next Tuesday'" in err
        assert err.count("\n") == 1
