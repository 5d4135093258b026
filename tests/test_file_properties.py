"""Every workbook eql writes names eql and its version as its author in the document properties
(File > Properties), not the library that wrote it; an annotated copy keeps the user's author."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from eql import __version__
from eql.example import example_folder
from eql_command import eql
from ledger_fixtures import planted_ledger

AUTHOR = f"eql {__version__}"


def properties(path: Path) -> tuple[str | None, str | None, str | None]:
    found = openpyxl.load_workbook(path).properties
    return found.creator, found.lastModifiedBy, found.title


def test_workbooks_eql_makes(tmp_path: Path) -> None:
    template, pack, schedule = (
        tmp_path / "template.xlsx",
        tmp_path / "pack.xlsx",
        tmp_path / "schedule.xlsx",
    )
    for argv in (
        ["template", "--out", str(template)],
        [
            "quarter-end",
            "--inputs",
            str(example_folder()),
            "--quarter",
            "FY2003 Q2",
            "--out",
            str(pack),
        ],
        ["schedule", "--inputs", str(example_folder()), "--out", str(schedule)],
    ):
        assert eql(*argv).returncode == 0, argv
    name = "Valence Technology equity line of credit (Berg & Berg, 2002)"
    assert properties(template) == (AUTHOR, AUTHOR, f"{name}: template")
    assert properties(pack) == (AUTHOR, AUTHOR, f"{name}: quarter-end pack FY2003 Q2")
    assert properties(schedule) == (AUTHOR, AUTHOR, f"{name}: schedule")


def test_an_annotated_copy_keeps_the_users_author(tmp_path: Path) -> None:
    ledger = planted_ledger(tmp_path / "ledger.xlsx")
    book = openpyxl.load_workbook(ledger)
    book.properties.creator = "Finance team"
    book.save(ledger)
    out = tmp_path / "checked.xlsx"
    assert eql("check", str(ledger), "--out", str(out)).returncode == 1
    creator, modified_by, _ = properties(out)
    assert (creator, modified_by) == ("Finance team", AUTHOR)
