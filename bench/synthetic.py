"""The benchmark's facilities: a 20-year term with daily closes and random draws, handed to the
functions as lists of rows, as xlwings converts ranges."""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

from eql import functions, udfs
from eql.calendar import sessions
from eql.quarters import fiscal_quarter
from eql.terms import terms_with

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from excel_rows import excel_rows

TERM_START, TERM_END = dt.date(2006, 4, 1), dt.date(2026, 3, 31)  # a 20-year term
TERMS = [
    ["facility.term_start", TERM_START.isoformat()],
    ["facility.term_end", TERM_END.isoformat()],
    ["facility.commitment", 300_000_000],
]
MILESTONES = [[key, dt.datetime(2002, 4, 1)] for key in ("POLYMER_265", "SAMPLES_30", "LICENSE")]
MILESTONES.append(["MFG_420", dt.datetime(2002, 4, 1)])


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def session_days(first: dt.date, last: dt.date) -> list[dt.date]:
    return list(sessions("XNAS").between(first, last))


def random_closes(days: list[dt.date], seed: int) -> list[tuple[dt.date, float]]:
    """A random walk in cents, never below a dollar."""
    rng = random.Random(seed)  # noqa: S311
    cents, found = 500, []
    for day in days:
        cents = max(100, cents + rng.randint(-12, 12))
        found.append((day, cents / 100))
    return found


def price_rows(closes: list[tuple[dt.date, float]]) -> list[list[Any]]:
    """The rows as xlwings hands them over: new lists, new datetimes and new floats every time."""
    rows: list[list[Any]] = [["Date", "Close"]]
    rows.extend([dt.datetime(d.year, d.month, d.day), float(repr(c))] for d, c in closes)
    return rows


class Ledger:
    def __init__(self, draws: int, seed: int = 2002) -> None:
        rng = random.Random(seed)  # noqa: S311
        self.closes = random_closes(session_days(dt.date(2006, 1, 1), TERM_END), seed)
        span = (TERM_END - TERM_START).days
        days = sorted(TERM_START + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(draws))
        self.requests = [[midnight(d), float(rng.randrange(10_000, 90_000, 100))] for d in days]
        terms = terms_with(tuple((k, v) for k, v in TERMS))
        first = fiscal_quarter(TERM_START, terms)
        self.cash: list[list[Any]] = []
        quarter = first
        while quarter.start <= TERM_END:
            self.cash.append([quarter.label, float(rng.randrange(4_000_000, 12_000_000, 100_000))])
            quarter = fiscal_quarter(quarter.end + dt.timedelta(days=1), terms)
        self.terms = terms

    def args(self) -> tuple[Any, ...]:
        return (
            [["Funding date", "Amount requested"], *excel_rows(self.requests)],
            price_rows(self.closes),
            excel_rows(self.cash),
            excel_rows(MILESTONES),
            None,
            excel_rows(TERMS),
        )

    def fresh_args(self) -> tuple[Any, ...]:
        """New argument lists, with no price parse kept: every run parses the prices again, as
        after an edit of a close. Building the lists is xlwings' work, so it is not timed."""
        functions.PRICE_RANGES.clear()
        return self.args()

    def schedule(self, args: tuple[Any, ...] | None = None) -> list[list[Any]]:
        result = udfs.EQL_SCHEDULE(*(args or self.fresh_args()))
        if isinstance(result, str):
            raise SystemExit(f"bench: EQL_SCHEDULE failed: {result}")
        return result


def write_facility_folder(folder: Path, draws: int = 100, years: int = 10, seed: int = 4) -> None:
    """A facility on the built-in terms as a folder of CSV inputs: ``years`` of daily XNAS closes
    up to the term's end and ``draws`` small requests spread over the term, every milestone
    reached, cash used ample."""
    rng = random.Random(seed)  # noqa: S311  (bench data, not secrets)
    start, end = dt.date(2002, 4, 1), dt.date(2004, 3, 31)
    closes = random_closes(session_days(dt.date(end.year - years, 4, 1), end), seed)
    lines = ["date,close", *(f"{d},{c:.2f}" for d, c in closes)]
    (folder / "prices.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    days = sorted(
        start + dt.timedelta(days=rng.randrange((end - start).days + 1)) for _ in range(draws)
    )
    lines = ["funding_date,amount", *(f"{d},{rng.randrange(50_000, 400_000, 1_000)}" for d in days)]
    (folder / "draws.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    quarters = [f"FY{year} Q{q}" for year in (2003, 2004) for q in (1, 2, 3, 4)]
    lines = ["fiscal_quarter,cash_used", *(f"{label},20000000" for label in quarters)]
    (folder / "cash_used.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    keys = ("POLYMER_265", "SAMPLES_30", "LICENSE", "MFG_420")
    lines = ["key,date", "CEO_CHANGE,", "MAC,", *(f"{key},2002-04-01" for key in keys)]
    (folder / "milestones.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
