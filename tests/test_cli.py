"""The ``eql`` command: the README's main job on the example facility, and one-line failures."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from eql.cli import main
from eql.example import example_folder
from eql_command import eql

ROOT = Path(__file__).parents[1]

# The example facility's requests (addin/eql/data/example/draws.csv) were designed by hand so
# that these four are blocked, each by a different clause; the other nine are funded.
BLOCKED = {
    "2002-11-15": "(v) cash used in operations exceeded: 2,000,000 asked, 1,000,000 room left",
    "2003-04-15": "(iv) second-generation cylindrical at 420 Wh/l transferred to manufacturing",
    "2003-10-15": "total commitment exceeded: 2,000,000 asked, 500,000 room left",
    "2004-01-15": "total commitment exceeded: 1,000,000 asked, 0 room left",
}


def test_schedule_of_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "--example", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 13
    for row in rows:
        day = row["funding date"]
        if day in BLOCKED:
            assert BLOCKED[day] in row["status"], row
        else:
            assert row["status"] == "OK", row
    # 5 + 3 + 2 + 2 + 1 + 2.5 + 3 + 3 + 0.5 million funded; 8M of the 30M was reduced.
    assert sum(int(row["amount funded"]) for row in rows) == 22_000_000
    assert main(["schedule", "--example"]) == 0
    assert capsys.readouterr().out.endswith("\nfunded 22,000,000 of 30,000,000 in 9 draws\n")


def test_a_term_override_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    # With a 40M commitment, 40 - 8 reduced - 21.5 funded leaves 10.5M by 2003-10-15, so the last
    # three requests fit their cash-used rooms (2M + 0.5M of FY2004 Q3's 2.5M; 1M of Q4's 2M).
    assert (
        main(
            [
                "schedule",
                "--example",
                "--set",
                "reductions.cap_at_unfunded=true",
                "--set",
                "facility.commitment=40000000",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "funded 25,000,000 of 40,000,000 in 11 draws" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["schedule", "--example", "--terms", "missing.toml"],
            "eql: terms: no terms file at missing.toml",
        ),
        (
            ["schedule", "--example", "--set", "pricing.factr=0.8"],
            "eql: terms: unknown term 'pricing.factr'; did you mean 'pricing.factor'?",
        ),
        (["schedule", "--inputs", "nowhere"], "eql: inputs: no workbook or folder at nowhere"),
        (
            ["schedule"],
            "eql: schedule: give --inputs (your facility's inputs) or --example (the built-in "
            "example facility, illustrative numbers)",
        ),
        (
            ["schedule", "--example", "--set", "pricing.factor"],
            "eql: terms: --set takes NAME=VALUE, got 'pricing.factor'",
        ),
    ],
)
def test_unusable_input_is_one_line_and_exit_2(argv: list[str], message: str) -> None:
    result = eql(*argv)
    assert result.returncode == 2
    assert result.stderr.strip() == message
    assert "Traceback" not in result.stderr


def test_a_bad_input_file_names_row_and_value(tmp_path: Path) -> None:
    example = ROOT / "addin/eql/data/example"
    for name in ("prices", "cash_used", "milestones"):
        (tmp_path / f"{name}.csv").write_text((example / f"{name}.csv").read_text())
    (tmp_path / "draws.csv").write_text("funding_date,amount,notes\n2002-04-15,five million,\n")
    result = eql("schedule", "--inputs", str(tmp_path))
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"eql: {tmp_path / 'draws.csv'} line 2: amount must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6), got 'five million'"
    )


def eql_help(command: str) -> str:
    result = eql(command, "--help", columns=1000)
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.split())


def test_check_help_gives_every_exit_status_as_the_readme_does() -> None:
    text = eql_help("check")
    assert "Exit status: 0 the ledger agrees; 1 it differs" in text
    assert (
        "2 the input is unusable or, with no difference found, part of it could not be checked"
        in text
    )
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert (
        "**2** the input is unusable or, with no difference found, part of it could not be checked"
        in readme
    )


def test_allow_loss_help_and_readme_agree_that_xlsm_keeps_macros() -> None:
    # test_check.test_xlsm_keeps_its_macros_in_the_annotated_copy shows the copy keeping them.
    text = eql_help("check")
    assert "an .xlsm copy keeps the workbook's macros without it" in text
    assert "macros" not in text.split("--allow-loss", 1)[1].split("an .xlsm copy")[0]
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "(`.xlsm` to `.xlsm`, macros kept)" in readme


def test_terms_help_says_what_the_command_does() -> None:
    assert "Print every term of the facility by its dotted name with its value" in eql_help("terms")


def test_quarter_end_all_creates_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    packs = tmp_path / "packs" / "2003"
    assert main(["quarter-end", "--example", "--all", "--out", str(packs)]) == 0
    assert len(list(packs.glob("quarter-end-FY*-Q*.xlsx"))) == 8
    assert str(packs / "quarter-end-FY2003-Q1.xlsx") in capsys.readouterr().out
    file = tmp_path / "file"
    file.write_text("x", encoding="utf-8")
    assert main(["quarter-end", "--example", "--all", "--out", str(file)]) == 2
    assert f"eql: {file}: is a file, not a folder" in capsys.readouterr().err


def test_the_example_says_so_wherever_it_is_written(tmp_path: Path) -> None:
    # A schedule of the built-in example, in the terminal, as JSON and as a workbook.
    table = eql("schedule", "--example")
    assert table.stdout.splitlines()[0].startswith("EXAMPLE: ")
    json_file = tmp_path / "s.json"
    assert eql("schedule", "--example", "--out", str(json_file)).returncode == 0
    report = json.loads(json_file.read_text(encoding="utf-8"))
    assert report["example"] is True
    assert report["facility"].startswith("EXAMPLE: ")
    book_file = tmp_path / "s.xlsx"
    assert eql("schedule", "--example", "--out", str(book_file)).returncode == 0
    assert str(openpyxl.load_workbook(book_file).properties.title).startswith("EXAMPLE: ")
    # A schedule of a facility's own inputs says nothing of the kind.
    own = eql("schedule", "--inputs", str(example_folder()))
    assert "EXAMPLE" not in own.stdout


def test_a_bug_in_eql_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A fault inside eql itself (here a command that fails with an error eql does not expect)
    # reaches the user as one line saying it is eql's, not the input's, never as a traceback.
    from eql.commands import terms

    def broken(_args: object) -> int:
        raise StopIteration

    monkeypatch.setattr(terms, "run", broken)
    assert main(["terms"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith("eql: internal error, a bug in eql and not in the input (StopIteration")
