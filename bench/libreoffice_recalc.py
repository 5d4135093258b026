"""LibreOffice recalculating the template with the EQL_ extension, as a user feels it.

``python bench/libreoffice_recalc.py [--runs N]`` builds the extension, installs it into a private
profile and keeps one office running. Each workbook is loaded once, recalculated once to warm up,
then ``calculateAll()`` is timed ``--runs`` times over UNO (median):

(a) the example facility's template (``eql demo``'s example-facility.xlsx);
(b) the template filled with 100 draws over 10 years of daily closes;

each beside the same facility's quarter-end pack for its last quarter (native formulas only),
recalculated in the same office. Targets: (a) 0.5 s, (b) 2 s.

Where the time goes: in the loaded template, one group of formulas after another is replaced by
the values LibreOffice computed for them, and the workbook recalculated again; what the
recalculation no longer spends is that group's share, and what is left at the end is the rest
(shares, legends, native formulas). A call pays for every cell of its range arguments (the office
converts each cell before the add-in sees it) but the Prices range, which it receives as a cell
range, so the cells converted per recalculation are counted too.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from eql.facility import load_folder
from eql.terms import default_terms
from eql.workbook.template import build_template

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from synthetic import write_facility_folder

from libreoffice import Book, Office, extension_profile

TARGETS = {"example": 0.5, "100 draws, 10 years": 2.0}
LAST_QUARTER = "FY2004 Q4"
# Groups of the template's formulas, by sheet and Draws column (or a sheet's array formula).
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Average close, Price (EQL_AVG_CLOSE, EQL_PRICE: the Prices range)": (
        "Draws",
        ("Average close", "Price"),
    ),
    "Cap, Check (EQL_CAP, EQL_CHECK: the draws above)": ("Draws", ("Cap", "Check")),
    "pricing dates, quarters (EQL_PRICING_DATES x2, EQL_*_QUARTER)": (
        "Draws",
        ("First pricing date", "Last pricing date", "Fiscal quarter", "Term quarter"),
    ),
    "Schedule (EQL_SCHEDULE, one call)": ("Schedule", ()),
}


def eql(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "eql.cli", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"bench: eql {' '.join(args)} failed: {done.stderr}")


def workbooks(work: Path) -> dict[str, tuple[Path, Path]]:
    """Each facility's template and its last quarter's pack."""
    demo = work / "demo"
    eql("demo", "--out", str(demo))
    inputs = work / "inputs"
    inputs.mkdir()
    write_facility_folder(inputs)
    large = work / "large.xlsx"
    build_template(default_terms(), load_folder(inputs)).save(large)
    pack = work / "large-pack.xlsx"
    eql("quarter-end", "--inputs", str(inputs), "--quarter", LAST_QUARTER, "--out", str(pack))
    return {
        "example": (
            demo / "example-facility.xlsx",
            demo / f"quarter-end-{LAST_QUARTER.replace(' ', '-')}.xlsx",
        ),
        "100 draws, 10 years": (large, pack),
    }


class OfficeClock:
    """The office's CPU seconds (Linux): on a busy machine a recalculation's wall time includes
    waiting for a processor; its CPU time does not."""

    def __init__(self, office: Office) -> None:
        assert office.process is not None
        self.pids = [office.process.pid, *self._children(office.process.pid)]

    @staticmethod
    def _children(pid: int) -> list[int]:
        found: list[int] = []
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            for child in task.read_text(encoding="ascii").split():
                found += [int(child), *OfficeClock._children(int(child))]
        return found

    def seconds(self) -> float:
        ticks = 0
        for pid in self.pids:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rpartition(")")[2]
                ticks += sum(int(n) for n in fields.split()[11:13])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")


def timed(book: Book, runs: int, clock: OfficeClock) -> tuple[float, float]:
    """Median wall and office CPU seconds of ``runs`` warm recalculations."""
    book.calculate_all()  # warm: the add-in's first call imports eql inside the office
    walls, cpus = [], []
    for _ in range(runs):
        start = clock.seconds()
        walls.append(book.calculate_all())
        cpus.append(clock.seconds() - start)
    return statistics.median(walls), statistics.median(cpus)


def median_recalc(office: Office, path: Path, runs: int, clock: OfficeClock) -> tuple[float, float]:
    with office.open(path) as book:
        return timed(book, runs, clock)


def freeze(group: tuple[str, tuple[str, ...]]) -> Callable[[Book], None]:
    """Replace a group of formulas by the values they computed: those calls are no longer made."""
    sheet, columns = group

    def change(book: Book) -> None:
        area = book.document.Sheets.getByName(sheet)
        cursor = area.createCursor()
        cursor.gotoEndOfUsedArea(False)
        end = cursor.RangeAddress
        if not columns:
            block = area.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow)
            block.setDataArray(block.getDataArray())
            return
        heads = area.getCellRangeByPosition(0, 2, end.EndColumn, 2).getDataArray()[0]
        for name in columns:
            column = heads.index(name)
            block = area.getCellRangeByPosition(column, 3, column, end.EndRow)
            block.setDataArray(block.getDataArray())

    return change


def eql_calls(book: Book) -> tuple[int, int]:
    """EQL_ formula cells of the Draws sheet with a funding date, and the cells the office
    converts for them per recalculation: every cell of every argument but the Prices range, which
    the add-in receives as a cell range and reads only when its cells change."""
    sheets = book.document.Sheets
    # Calc reports a table reference's precedent with the formula's own sheet, so the Prices
    # range is known by its rows and columns.
    used = sheets.getByName("Prices").createCursor()
    used.gotoEndOfUsedArea(False)
    prices = (0, 2, 1, used.RangeAddress.EndRow)
    draws = sheets.getByName("Draws")
    cursor = draws.createCursor()
    cursor.gotoEndOfUsedArea(False)
    end = cursor.RangeAddress
    block = draws.getCellRangeByPosition(0, 3, end.EndColumn, end.EndRow)
    calls = cells = 0
    for r, row in enumerate(block.getFormulaArray()):
        if not block.getCellByPosition(0, r).getValue():
            continue  # a spare row: its formulas stop at IF(date="", "")
        for c, formula in enumerate(row):
            if "EQL_" not in formula:
                continue
            cell = block.getCellByPosition(c, r)
            for dependent in cell.queryPrecedents(False).getRangeAddresses():
                where = (
                    dependent.StartColumn,
                    dependent.StartRow,
                    dependent.EndColumn,
                    dependent.EndRow,
                )
                if where == prices:
                    continue
                rows = dependent.EndRow - dependent.StartRow + 1
                cols = dependent.EndColumn - dependent.StartColumn + 1
                cells += rows * cols
            calls += formula.count("EQL_")
    return calls, cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7, help="timed recalculations per workbook")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="eql-bench-lo-") as temp:
        work = Path(temp)
        books = workbooks(work)
        with Office(extension_profile(work / "office")) as office:
            clock = OfficeClock(office)
            print(
                f"LibreOffice recalculating all (calculateAll), warm, median of {args.runs}: "
                "wall time (the office's CPU time)"
            )
            for name, (template, pack) in books.items():
                with office.open(template) as book:
                    recalc = timed(book, args.runs, clock)
                    calls, cells = eql_calls(book)
                    shares = []
                    before = recalc
                    for label, group in GROUPS.items():
                        freeze(group)(book)
                        after = timed(book, args.runs, clock)
                        shares.append((label, before[0] - after[0], before[1] - after[1]))
                        before = after
                native = median_recalc(office, pack, args.runs, clock)
                verdict = "met" if recalc[0] <= TARGETS[name] else "NOT met"
                print(
                    f"  {name}: template {recalc[0]:.3f} s ({recalc[1]:.2f} s), target "
                    f"{TARGETS[name]} s: {verdict}; its {LAST_QUARTER} pack, native formulas "
                    f"{native[0]:.3f} s ({native[1]:.2f} s)"
                )
                print(
                    f"    Draws: {calls} EQL_ calls, {cells:,} cells converted for them per "
                    "recalculation; the recalculation's time by formulas:"
                )
                for label, wall, cpu in shares:
                    print(f"    {label:72} {wall:7.3f} s ({cpu:.2f} s)")
                rest = "the rest (shares, legends, native formulas)"
                print(f"    {rest:72} {before[0]:7.3f} s ({before[1]:.2f} s)")


if __name__ == "__main__":
    main()
