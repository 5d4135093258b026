"""Safety that applies to every command: inputs never modified, outputs replaced only whole (a
writer killed midway leaves the old file intact), and text from inputs never becoming a formula.
"""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import openpyxl
import pytest

from eql.cli import main
from eql.example import example_folder
from eql.safeio import OutputError, check_target
from eql.workbook.cells import write_text
from ledger_fixtures import CORRECT_DRAWS, CORRECT_TOTALS, build_ledger, planted_ledger
from libreoffice import convert

ROOT = Path(__file__).parents[1]

# Runs eql with the workbook writer stopped halfway through its temporary file, waiting to be
# killed: the moment a crash, a full disk or a closed laptop lid would strike.
HALFWAY_WRITER = """
import os, sys
import openpyxl.workbook.workbook as module
real_save = module.Workbook.save
def save_halfway(self, filename):
    real_save(self, filename)
    size = os.path.getsize(filename)
    with open(filename, "r+b") as handle:
        handle.truncate(size // 2)
    print("HALFWAY", filename, flush=True)
    sys.stdin.read()
module.Workbook.save = save_halfway
from eql.cli import main
sys.exit(main(sys.argv[1:]))
"""

# Writes a large output through eql.safeio in 1 MiB chunks and waits, mid-file, to be killed.
LARGE_WRITER = """
import sys
from pathlib import Path
from eql.safeio import write_atomically
def write(temporary):
    with temporary.open("wb") as handle:
        for n in range(64):
            handle.write(bytes([n % 256]) * (1 << 20))
            if n == 20:
                handle.flush()
                print("HALFWAY", temporary, flush=True)
                sys.stdin.read()
write_atomically(Path(sys.argv[1]), write, force=True)
"""


WATCHDOG_SECONDS = 120


def killed_midway(script: str, *argv: str) -> Path:
    """Run ``script``, kill it with SIGKILL once it says it is halfway; the temporary it wrote."""
    child = subprocess.Popen(
        [sys.executable, "-c", script, *argv],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    # A child that never reaches the write would leave readline() waiting for ever: the watchdog
    # kills it, readline() sees the end of its output and the assertion below says what it printed.
    watchdog = threading.Timer(WATCHDOG_SECONDS, child.kill)
    watchdog.start()
    printed = []  # eql check prints its report before it writes the copy
    while (line := child.stdout.readline()) and not line.startswith("HALFWAY "):
        printed.append(line)
    try:
        assert line.startswith("HALFWAY "), "".join(printed)
    finally:
        watchdog.cancel()
        child.send_signal(signal.SIGKILL)
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    return Path(line.split(" ", 1)[1].strip())


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_killed_annotated_copy_leaves_the_old_file_intact(tmp_path: Path) -> None:
    source = planted_ledger(tmp_path / "ledger.xlsx")
    target = tmp_path / "annotated.xlsx"
    assert main(["check", str(source), "--out", str(target)]) == 1
    old = sha(target)
    before = sha(source)
    temporary = killed_midway(HALFWAY_WRITER, "check", str(source), "--out", str(target), "--force")
    assert sha(target) == old
    assert sha(source) == before
    assert openpyxl.load_workbook(target)["eql check"]["D5"].value.startswith("price 2.1356")
    # The half-written temporary sits beside the target under a hidden name, never in its place.
    assert temporary.parent == tmp_path
    assert temporary.name.startswith(".annotated.xlsx.")
    assert temporary.stat().st_size > 0


def test_a_killed_large_write_leaves_the_old_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "big.bin"
    target.write_bytes(b"the old output")
    temporary = killed_midway(LARGE_WRITER, str(target))
    assert target.read_bytes() == b"the old output"
    assert temporary.stat().st_size >= 21 * (1 << 20)


def tree_digest(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        str(path.relative_to(folder)): (sha(path), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_commands_never_modify_their_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for file in example_folder().iterdir():
        if file.name.endswith(".csv"):
            (inputs / file.name).write_bytes(file.read_bytes())
    ledger = planted_ledger(inputs / "ledger.xlsx")
    ledger.chmod(0o444)  # a read-only input is read, never needed writable
    terms = inputs / "terms.toml"
    terms.write_bytes((ROOT / "addin/eql/data/valence_2002.toml").read_bytes())
    before = tree_digest(inputs)
    out = tmp_path / "out"
    out.mkdir()
    runs = [
        ["schedule", "--inputs", str(inputs)],
        ["terms", "--terms", str(terms)],
        ["template", "--terms", str(terms), "--out", str(out / "template.xlsx")],
        ["template", "--terms", str(terms), "--out", str(terms), "--force"],
        [
            "quarter-end",
            "--inputs",
            str(inputs),
            "--quarter",
            "FY2003 Q2",
            "--out",
            str(out / "q.xlsx"),
        ],
        [
            "quarter-end",
            "--inputs",
            str(inputs),
            "--quarter",
            "FY2003 Q2",
            "--out",
            str(inputs / "draws.csv"),
            "--force",
        ],
        ["check", str(ledger), "--terms", str(terms)],
        ["check", str(ledger)],
        ["check", str(ledger), "--json"],
        ["check", str(ledger), "--out", str(out / "annotated.xlsx")],
        ["check", str(ledger), "--out", str(ledger), "--force"],
    ]
    statuses = [main(argv) for argv in runs]
    capsys.readouterr()
    assert tree_digest(inputs) == before
    # Each run did its job (0, or 1 for the planted ledger's differences), except the two that
    # name an input as their output, refused.
    assert statuses == [0, 0, 0, 2, 0, 2, 1, 1, 1, 1, 2]


# The first sheet as CSV: comma-separated, double-quoted, UTF-8 (76).
UTF8_CSV = "csv:Text - txt - csv (StarCalc):44,34,76"
FORMULA_LIKE = ["=1+1", "+1+1", "-1+1", "@SUM(1,1)", '=HYPERLINK("http://example.com","x")']


def test_text_from_inputs_stays_text_in_the_annotated_copy(tmp_path: Path) -> None:
    source = build_ledger(tmp_path / "ledger.xlsx", CORRECT_DRAWS, CORRECT_TOTALS)
    workbook = openpyxl.load_workbook(source)
    sheet = workbook["Draws 2002-04"]
    notes = dict(zip(("F5", "F6", "F7", "F9", "F10"), FORMULA_LIKE, strict=True))
    for cell, text in notes.items():
        write_text(sheet[cell], text)  # typed as text by the user
    write_text(
        sheet["E6"], "=cmd|' /C calc'!A0"
    )  # a price cell holding text, pasted from elsewhere
    workbook.save(source)

    out = tmp_path / "annotated.xlsx"
    assert main(["check", str(source), "--out", str(out)]) == 2
    copy = openpyxl.load_workbook(out)
    ledger = copy["Draws 2002-04"]
    assert {cell: (ledger[cell].value, ledger[cell].data_type) for cell in notes} == {
        cell: (text, "s") for cell, text in notes.items()
    }
    assert (ledger["E6"].value, ledger["E6"].data_type) == ("=cmd|' /C calc'!A0", "s")
    findings = [row[3].value for row in copy["eql check"].iter_rows(min_row=5)]
    assert findings == [
        "E6 price must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6), got \"=cmd|' /C calc'!A0\""
    ]

    # LibreOffice reads every one back as the text typed, not as a computed value.
    [csv_file] = convert([out], tmp_path / "csv", UTF8_CSV)
    rows = list(csv.reader(csv_file.read_text(encoding="utf-8").splitlines()))
    assert [rows[int(cell[1:]) - 1][5] for cell in notes] == FORMULA_LIKE
    assert rows[5][4] == "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_write_text_never_writes_a_formula(tmp_path: Path, text: str) -> None:
    workbook = openpyxl.Workbook()
    write_text(workbook.active["A1"], text)
    workbook.active["B1"] = "=1+1"  # a real formula beside it, to show LibreOffice computes those
    workbook.save(tmp_path / "t.xlsx")
    reloaded = openpyxl.load_workbook(tmp_path / "t.xlsx")["Sheet"]["A1"]
    assert (reloaded.value, reloaded.data_type) == (text, "s")
    [csv_file] = convert([tmp_path / "t.xlsx"], tmp_path / "csv", UTF8_CSV)
    assert next(csv.reader([csv_file.read_text(encoding="utf-8").strip()])) == [text, "2"]


def test_an_input_folder_covers_the_files_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    (folder / "sub").mkdir(parents=True)
    (folder / "draws.csv").write_text("funding_date,amount\n", encoding="utf-8")
    (folder / "sub" / "notes.csv").write_text("x\n", encoding="utf-8")
    for existing in (folder / "draws.csv", folder / "sub" / "notes.csv"):
        with pytest.raises(OutputError, match="is in the input folder"):
            check_target(existing, force=True, inputs=[folder])
    check_target(folder / "pack.xlsx", force=False, inputs=[folder])  # a new file beside them
    check_target(tmp_path / "draws.csv", force=False, inputs=[folder])


# Two of these race for one name: each checks the target (absent for both), writes, then waits
# for the other before publishing, so both have passed the check when they publish.
RACING_WRITER = """
import sys, time
from pathlib import Path
from eql.cli import main
from eql.errors import EqlError
from eql.safeio import write_atomically
target, ready, go = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
def write(temporary):
    temporary.write_text(sys.argv[4], encoding="utf-8")
    ready.touch()
    while not go.exists():
        time.sleep(0.005)
try:
    write_atomically(target, write, force=False)
except EqlError as error:
    print(error, file=sys.stderr)
    sys.exit(2)
"""


@pytest.mark.parametrize("trial", range(6))
def test_of_two_writers_racing_for_one_name_exactly_one_wins(tmp_path: Path, trial: int) -> None:
    target = tmp_path / f"pack-{trial}.xlsx"
    go = tmp_path / "go"
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                RACING_WRITER,
                str(target),
                str(tmp_path / f"ready{n}"),
                str(go),
                f"writer {n}",
            ],
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for n in (0, 1)
    ]
    while not all((tmp_path / f"ready{n}").exists() for n in (0, 1)):
        assert all(child.poll() is None for child in children)
    assert not target.exists()  # both have checked and written; neither has published
    go.touch()
    results = [(child.wait(), child.communicate()[1]) for child in children]
    assert sorted(status for status, _ in results) == [0, 2]
    winner = next(n for n, (status, _) in enumerate(results) if status == 0)
    loser_err = results[1 - winner][1]
    assert loser_err == f"{target}: already exists; pass --force to replace it\n"
    assert target.read_text(encoding="utf-8") == f"writer {winner}"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_two_template_commands_racing(tmp_path: Path) -> None:
    # The commands as a user runs them, started together, in several trials.
    for trial in range(4):
        target = tmp_path / f"t{trial}.xlsx"
        children = [
            subprocess.Popen(
                [sys.executable, "-m", "eql.cli", "template", "--out", str(target)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
            for _ in (0, 1)
        ]
        results = [(child.wait(), child.communicate()) for child in children]
        statuses = sorted(status for status, _ in results)
        assert statuses == [0, 2], results
        loser = next(err for status, (_, err) in results if status == 2)
        assert loser == f"eql: {target}: already exists; pass --force to replace it\n"
        openpyxl.load_workbook(target)


@pytest.mark.parametrize(("umask", "mode"), [(0o002, 0o664), (0o022, 0o644), (0o077, 0o600)])
def test_outputs_follow_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        assert main(["template", "--out", str(tmp_path / "t.xlsx")]) == 0
        assert (
            main(
                [
                    "check",
                    str(planted_ledger(tmp_path / "l.xlsx")),
                    "--out",
                    str(tmp_path / "c.xlsx"),
                ]
            )
            == 1
        )
    finally:
        os.umask(old)
    for name in ("t.xlsx", "c.xlsx"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o660])
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"old")
    target.chmod(mode)
    old = os.umask(0o077)
    try:
        assert main(["template", "--out", str(target), "--force"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == mode
    openpyxl.load_workbook(target)
