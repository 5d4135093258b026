"""LibreOffice recalculating a template whose Draws *Check* column prices the ledger, against one
whose *Check* column does not: ``python bench/check_column.py [--runs N] [--sizes 25,100,400]``.

For terms with a floor price, per-purchase share limits or share caps (a Lincoln Park-style
purchase agreement), ``EQL_CHECK`` cannot judge a request (it takes no prices), so each row's
*Check* reads the request's status from the Schedule sheet's ``EQL_SCHEDULE`` over every request;
Valence's *Check* calls ``EQL_CHECK`` with the rows above. This script builds, for each size, the
Lincoln Park-style template and the built-in Valence template with that many requests over three
years of daily prices, loads each into one office with the EQL_ extension, recalculates it once
to warm up, then times ``calculateAll()`` ``--runs`` times (median wall time, and the office's
CPU time). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
from pathlib import Path

from eql.facility import load_folder
from eql.terms import default_terms, facility_terms
from eql.workbook.template import build_template

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from libreoffice_recalc import OfficeClock, timed
from synthetic import random_closes, session_days, write_facility_folder

from libreoffice import Office, extension_profile

LINCOLN_START, LINCOLN_END = dt.date(2024, 6, 3), dt.date(2027, 6, 2)


def lincoln_folder(folder: Path, draws: int, seed: int = 4) -> None:
    """A Lincoln Park-style facility as CSV inputs: daily closes and lows from two months before
    the term to its end, ``draws`` small regular purchases spread over the term (all under the
    commitment, the share limits and the caps), the shares outstanding and the investor's
    holdings."""
    rng = random.Random(seed)  # noqa: S311  (bench data, not secrets)
    closes = random_closes(session_days(dt.date(2024, 4, 1), LINCOLN_END), seed)
    lines = ["date,close,low", *(f"{d},{c:.2f},{max(c - 0.05, 1.0):.2f}" for d, c in closes)]
    (folder / "prices.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    span = (LINCOLN_END - LINCOLN_START).days
    days = sorted(LINCOLN_START + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(draws))
    amounts = (rng.randrange(10_000, 20_000, 1_000) for _ in days)
    lines = ["funding_date,amount", *(f"{d},{a}" for d, a in zip(days, amounts, strict=True))]
    (folder / "draws.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "cash_used.csv").write_text("fiscal_quarter,cash_used\n", encoding="utf-8")
    (folder / "milestones.csv").write_text("key,date\n", encoding="utf-8")
    (folder / "issued.csv").write_text("date,shares,paid\n", encoding="utf-8")
    (folder / "outstanding.csv").write_text("date,shares\n2024-06-03,50000000\n", encoding="utf-8")
    (folder / "holdings.csv").write_text("date,shares\n2024-06-03,0\n", encoding="utf-8")


def templates(work: Path, sizes: list[int]) -> dict[tuple[str, int], Path]:
    found: dict[tuple[str, int], Path] = {}
    for size in sizes:
        for name in ("lincoln_park", "valence_2002"):
            inputs = work / f"{name}-{size}"
            inputs.mkdir()
            if name == "lincoln_park":
                terms = facility_terms(name)
                lincoln_folder(inputs, size)
            else:
                terms = default_terms()
                write_facility_folder(inputs, draws=size, years=3)
            path = work / f"{name}-{size}.xlsx"
            build_template(terms, load_folder(inputs, terms)).save(path)
            found[name, size] = path
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="timed recalculations per workbook")
    parser.add_argument("--sizes", default="25,100,400", help="requests per template")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="eql-bench-check-") as temp:
        work = Path(temp)
        books = templates(work, sizes)
        with Office(extension_profile(work / "office")) as office:
            clock = OfficeClock(office)
            print(f"calculateAll, warm, median of {args.runs}: wall time (the office's CPU time)")
            for size in sizes:
                figures = {}
                for name in ("lincoln_park", "valence_2002"):
                    with office.open(books[name, size]) as book:
                        figures[name] = timed(book, args.runs, clock)
                lincoln, valence = figures["lincoln_park"], figures["valence_2002"]
                print(
                    f"  {size:4} requests: Lincoln Park-style {lincoln[0]:.3f} s "
                    f"({lincoln[1]:.2f} s), Valence {valence[0]:.3f} s ({valence[1]:.2f} s), "
                    f"ratio {lincoln[0] / valence[0]:.1f}"
                )
                sys.stdout.flush()


if __name__ == "__main__":
    main()
