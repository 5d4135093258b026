"""``eql demo``: the example facility end to end in one folder, as the README's first command."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from eql.cli import main

README = Path(__file__).parent.parent / "README.md"
EXPECTED = [
    "eql-template.xlsx",
    "example-facility.xlsx",
    *(f"quarter-end-FY{y}-Q{n}.xlsx" for y in (2003, 2004) for n in (1, 2, 3, 4)),
]


def test_demo_writes_the_templates_and_every_pack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo"  # created if missing
    assert main(["demo", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPECTED)
    printed = capsys.readouterr().out
    for name in EXPECTED:
        assert str(out / name) in printed
    filled = openpyxl.load_workbook(out / "example-facility.xlsx")
    empty = openpyxl.load_workbook(out / "eql-template.xlsx")
    assert filled["Draws"]["A4"].value is not None  # the example's first draw
    assert empty["Draws"]["A4"].value is None
    pack = openpyxl.load_workbook(out / "quarter-end-FY2003-Q3.xlsx")
    assert pack["Summary"]["B5"].value == "FY2003 Q3"


def test_demo_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    stamps = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert main(["demo", "--out", str(tmp_path)]) == 2
    assert "already exists; pass --force to replace it" in capsys.readouterr().err
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == stamps
    assert main(["demo", "--out", str(tmp_path), "--force"]) == 0


def test_demo_out_must_be_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "file"
    file.write_text("x", encoding="utf-8")
    assert main(["demo", "--out", str(file)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_readme_first_command_runs_the_demo() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert first_block is not None
    first_line = first_block.group(1).splitlines()[0]
    assert "pip install ." in first_line
    assert "eql demo --out" in first_line


def test_demo_labels_the_example_closes_as_illustrative(tmp_path: Path) -> None:
    assert main(["demo", "--out", str(tmp_path)]) == 0
    for name in ("example-facility.xlsx", "quarter-end-FY2003-Q1.xlsx"):
        note = openpyxl.load_workbook(tmp_path / name)["Prices"]["A2"].value
        assert "ILLUSTRATIVE" in note
        assert "not real" in note


def test_the_readme_first_command_leaves_nothing_untracked() -> None:
    """The folder the README's first command writes is ignored by git, so a checkout stays clean."""
    first_block = re.search(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert first_block is not None
    folder = re.search(r"eql demo --out (\S+)", first_block.group(1))
    assert folder is not None
    ignored = (README.parent / ".gitignore").read_text(encoding="utf-8").split()
    assert f"/{folder.group(1)}/" in ignored


def test_the_readme_runs_the_benchmark_with_the_project_python() -> None:
    """bench/run.py imports eql, which only the project's environment has installed."""
    text = README.read_text(encoding="utf-8")
    assert "`.venv/bin/python bench/run.py`" in text
    assert re.search(r"(?<![/\w])python3? bench/run\.py", text) is None
