"""CSV inputs that are not what eql reads, through every command that reads them: each refused
in one line naming the file and the line, exit 2 (1 means "the ledger differs"), no traceback.
And a disk that fills up while an output is written: one line naming the output.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from eql.cli import main
from eql.example import example_folder
from ledger_fixtures import correct_ledger

ROOT = Path(__file__).parents[1]


def example_copy(folder: Path) -> Path:
    folder.mkdir()
    for name in ("prices", "draws", "cash_used", "milestones", "reductions", "fees"):
        source = example_folder() / f"{name}.csv"
        if source.is_file():
            (folder / f"{name}.csv").write_bytes(source.read_bytes())
    return folder


def spoiled(lines: list[str], line: int, text: str) -> list[str]:
    return [*lines[: line - 1], text, *lines[line:]]


# Each damages one file of the example's inputs; (file, how, the line named, the message's start).
Damage = Callable[[Path], None]


def latin1(name: str, line: int) -> Damage:
    def damage(path: Path) -> None:
        lines = path.read_text(encoding="utf-8").splitlines()
        lines = spoiled(lines, line, lines[line - 1] + ",Société")
        path.write_bytes("\n".join(lines).encode("latin-1") + b"\n")

    return damage


def utf16(path: Path) -> None:
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


def long_field(line: int, size: int) -> Damage:
    def damage(path: Path) -> None:
        lines = path.read_text(encoding="utf-8").splitlines()
        lines = spoiled(lines, line, lines[line - 1] + "," + "x" * size)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return damage


CASES = {
    "latin-1 prices": ("prices.csv", latin1("prices", 40), "line 40: byte 0xe9 is not UTF-8 text"),
    "latin-1 draws": ("draws.csv", latin1("draws", 3), "line 3: byte 0xe9 is not UTF-8 text"),
    "utf-16 cash used": ("cash_used.csv", utf16, "is UTF-16 text; save it as CSV UTF-8"),
    "utf-16 milestones": ("milestones.csv", utf16, "is UTF-16 text; save it as CSV UTF-8"),
    "a field over 128 KB": (
        "prices.csv",
        long_field(7, 200_000),
        "line 7: a field longer than 131,072 characters",
    ),
    "a field over a cell": (
        "draws.csv",
        long_field(4, 40_000),
        "line 4: a field of 40,000 characters, more than the 32,767 a spreadsheet cell holds",
    ),
    "a field over a cell in cash used": (
        "cash_used.csv",
        long_field(3, 32_768),
        "line 3: a field of 32,768 characters, more than the 32,767 a spreadsheet cell holds",
    ),
}


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    status = main(argv)
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err.count("\n") == 1
    assert "Traceback" not in captured.err
    return captured.err


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", ["schedule", "quarter-end"])
def test_a_bad_csv_in_an_inputs_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, command: str
) -> None:
    name, damage, message = CASES[case]
    folder = example_copy(tmp_path / "in")
    damage(folder / name)
    argv = ["schedule", "--inputs", str(folder)]
    if command == "quarter-end":
        argv = [
            "quarter-end",
            "--inputs",
            str(folder),
            "--quarter",
            "FY2003 Q2",
            "--out",
            str(tmp_path / "p.xlsx"),
        ]
    err = refused(argv, capsys)
    assert err.startswith(f"eql: {folder / name}: {message}")


@pytest.mark.parametrize(
    "case", [c for c in CASES if CASES[c][0] in {"prices.csv", "cash_used.csv", "milestones.csv"}]
)
def test_a_bad_csv_given_to_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    name, damage, message = CASES[case]
    folder = example_copy(tmp_path / "in")
    damage(folder / name)
    ledger = correct_ledger(tmp_path / "ledger.xlsx", inputs=False)
    option = "--" + name.removesuffix(".csv").replace("_", "-")
    err = refused(
        ["check", str(ledger), option, str(folder / name), "--inputs", str(folder)], capsys
    )
    assert err.startswith(f"eql: {folder / name}: {message}")


# Runs eql with the temporary outputs failing once 4 KB are written, as a full disk does.
FULL_DISK = """
import errno, io, sys
real_open = io.open
class Full(io.FileIO):
    def write(self, data):
        if self.tell() + len(data) > 4096:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)
def full_open(file, mode="r", *args, **kwargs):
    if isinstance(file, str) and file.endswith(".tmp") and "w" in mode:
        return Full(file, mode.replace("b", ""))
    return real_open(file, mode, *args, **kwargs)
io.open = full_open
from eql.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", ["template", "quarter-end", "check"])
def test_a_full_disk_names_the_output(tmp_path: Path, command: str) -> None:
    target = tmp_path / "out.xlsx"
    argv = {
        "template": ["template", "--out", str(target)],
        "quarter-end": [
            "quarter-end",
            "--inputs",
            str(example_folder()),
            "--quarter",
            "FY2003 Q2",
            "--out",
            str(target),
        ],
        "check": ["check", str(tmp_path / "ledger.xlsx"), "--out", str(target)],
    }[command]
    if command == "check":
        correct_ledger(tmp_path / "ledger.xlsx")
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.stderr == f"eql: {target}: not written: No space left on device\n"
    assert done.returncode == 2
    assert not target.exists()
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == (["ledger.xlsx"] if command == "check" else [])
