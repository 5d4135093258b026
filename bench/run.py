"""How fast eql answers, measured side by side in one run: ``.venv/bin/python bench/run.py
[--quick]``. The facilities it measures are in synthetic.py, the ledger in native formulas in
native_ledger.py, and LibreOffice is driven by soffice.py. LibreOffice recalculating the
template with the EQL_ extension is measured apart: ``bench/libreoffice_recalc.py``.

1. A ledger of 10,000 draws over 20 years of daily closes: EQL_SCHEDULE (one call), the same
   ledger as single-cell calls (EQL_PRICE, EQL_CAP, EQL_CHECK ... per row, each handed the rows
   funded above it, as a sheet of formulas does), and LibreOffice headless recalculating the same
   ledger written with native formulas (its start-up, load and save measured apart).
2. Warm EQL_PRICE with a 5,000-row price range handed over as a fresh list of rows each call.
3. Cold start: a fresh process importing the Excel functions and pricing one draw.
4. ``eql quarter-end`` on 10 years of closes and 100 draws, one quarter and ``--all``.

Every figure is the median of several runs. Nothing here is a test: the tests check answers,
this measures time. The single-cell ledger is quadratic (row k parses the k rows above it), so it
is timed on evenly spaced rows and scaled to the whole ledger; the sampled rows must also equal
EQL_SCHEDULE's. Inputs are handed to the functions as lists of rows, as xlwings converts them;
what xlwings and Excel add around a call (COM, conversion, spilling) is not in these figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from native_ledger import write_native_ledger
from openpyxl import Workbook, load_workbook
from soffice import LibreOffice
from synthetic import (
    MILESTONES,
    TERMS,
    Ledger,
    excel_rows,
    midnight,
    price_rows,
    random_closes,
    session_days,
    write_facility_folder,
)

from eql import functions, udfs
from eql.ledger import ScheduleColumn


def median_seconds(
    run: Callable[[], Any], runs: int, prepare: Callable[[], Any] | None = None
) -> float:
    times = []
    for _ in range(runs):
        argument = prepare() if prepare else None
        start = time.perf_counter()
        run() if prepare is None else run(argument)  # type: ignore[call-arg]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


FUNDED, SHARES = ScheduleColumn.FUNDED.index, ScheduleColumn.SHARES.index


# --- 1. the ledger ---------------------------------------------------------------------------


def single_cell_row(ledger: Ledger, schedule: list[list[Any]], k: int) -> tuple[float, list[Any]]:
    """Row ``k`` (0-based, in date order) through the single-cell functions: seconds and cells."""
    date, amount = ledger.requests[k]
    funded_above = [[row[0], row[FUNDED]] for row in schedule[1 : k + 1]]
    terms = excel_rows(TERMS)
    prices = [price_rows(ledger.closes) for _ in range(2)]
    aboves = [excel_rows(funded_above) or None for _ in range(3)]
    cash = [excel_rows(ledger.cash) for _ in range(3)]
    start = time.perf_counter()
    fiscal = udfs.EQL_FISCAL_QUARTER(date, terms)
    term_q = udfs.EQL_TERM_QUARTER(date, terms)
    dates = udfs.EQL_PRICING_DATES(date, terms)
    average = udfs.EQL_AVG_CLOSE(date, prices[0], terms)
    price = udfs.EQL_PRICE(date, prices[1], terms)
    status = udfs.EQL_CHECK(date, amount, aboves[0], cash[0], excel_rows(MILESTONES), None, terms)
    funded = amount if status == "OK" else 0.0
    shares = (
        price
        if isinstance(price, str)
        else (udfs.EQL_SHARES(funded, price, terms) if funded else 0)
    )
    room = udfs.EQL_CAP(date, aboves[1], cash[1], None, terms)
    detail = udfs.EQL_CAP_DETAIL(date, aboves[2], cash[2], None, terms)
    seconds = time.perf_counter() - start
    binds = detail if isinstance(detail, str) else detail[-1][4].removeprefix("binds: ")
    first, last = (dates, dates) if isinstance(dates, str) else (dates[0][0], dates[-1][0])
    cells = [
        date,
        amount,
        fiscal,
        term_q,
        first,
        last,
        average,
        price,
        shares,
        room,
        binds,
        funded,
        status,
    ]
    return seconds, cells


def libreoffice_ledger(ledger: Ledger, runs: int, work: Path, *, plain: bool) -> dict[str, Any]:

    trivial = work / "trivial.xlsx"
    book = Workbook()
    book.active["A1"] = 1
    book.save(trivial)
    native = work / "native.xlsx"
    write_native_ledger(ledger, native, plain=plain)
    office = LibreOffice(work)
    out = work / "out"
    out.mkdir()
    start = time.perf_counter()
    office.convert(trivial, out)  # the new profile's first start also sets the profile up
    first_start = time.perf_counter() - start
    figures: dict[str, Any] = {
        "first start with a new profile": first_start,
        "start-up (convert a one-cell file)": median_seconds(
            lambda: office.convert(trivial, out), runs
        ),
    }
    if not plain:  # converting the quadratic one would take minutes more
        start = time.perf_counter()
        office.convert(native, out)
        figures["convert the ledger (start, load, compute, save)"] = time.perf_counter() - start
    computed = work / "computed.xlsx"
    load, recalcs = office.recalculation(native, runs, work, computed)
    figures["load the ledger (computing it), in-process"] = load
    figures["recalculate all (calculateAll), median"] = statistics.median(recalcs)
    values = load_workbook(computed, data_only=True, read_only=True)["Ledger"]
    figures["results"] = [list(row[13:15]) for row in values.iter_rows(min_row=2, values_only=True)]
    return figures


def bench_ledger(draws: int, runs: int, sample: int, work: Path, plain_runs: int) -> list[str]:
    ledger = Ledger(draws)
    schedule = ledger.schedule()
    eql_seconds = median_seconds(ledger.schedule, runs, prepare=ledger.fresh_args)
    picks = sorted({(2 * i + 1) * draws // (2 * sample) for i in range(sample)})
    per_row, agree = [], 0
    for k in picks:
        seconds, cells = single_cell_row(ledger, schedule, k)
        per_row.append(seconds)
        agree += cells == schedule[k + 1]
    single_seconds = statistics.mean(per_row) * draws
    lines = [
        f"1. ledger of {draws:,} draws, {len(ledger.closes):,} daily closes "
        f"({ledger.closes[0][0]} .. {ledger.closes[-1][0]}), median of {runs} runs",
        f"   EQL_SCHEDULE, one call                                  {eql_seconds:8.3f} s",
        f"   single-cell calls, whole ledger (scaled from {len(picks)} rows)    {single_seconds:8.1f} s"
        f"   ({agree} of {len(picks)} rows equal EQL_SCHEDULE's)",
        f"   EQL_SCHEDULE is {single_seconds / eql_seconds:,.0f}x faster than the single-cell ledger",
    ]
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        lines.append("   LibreOffice: not installed, not measured")
        return lines
    for plain, how, times in (
        (False, "written for speed (binary-search MATCH, running totals)", runs),
        (True, "written as read (WORKDAY, exact MATCH, SUMIFS above)", plain_runs),
    ):
        if times == 0:
            continue
        folder = work / ("plain" if plain else "fast")
        folder.mkdir(parents=True)
        figures = libreoffice_ledger(ledger, times, folder, plain=plain)
        native = figures.pop("results")
        funded = sum(
            1 for row, cells in zip(schedule[1:], native, strict=True) if row[FUNDED] == cells[0]
        )
        shares = sum(
            1 for row, cells in zip(schedule[1:], native, strict=True) if row[SHARES] == cells[1]
        )
        lines.append(f"   LibreOffice, native formulas {how}:")
        for name, seconds in figures.items():
            lines.append(f"     {name:<52}{seconds:8.3f} s")
        recalc = figures["recalculate all (calculateAll), median"]
        lines += [
            f"     ratio EQL_SCHEDULE / LibreOffice recalculation          {eql_seconds / recalc:8.2f}",
            f"     agrees with EQL_SCHEDULE on {funded:,} of {draws:,} funded amounts and {shares:,} share counts",
        ]
    return lines


# --- 2. warm EQL_PRICE -----------------------------------------------------------------------


def bench_price(calls: int) -> list[str]:
    days = session_days(dt.date(2005, 1, 1), dt.date(2030, 1, 1))[:5000]
    closes = random_closes(days, 7)
    rng = random.Random(7)  # noqa: S311
    purchase = [midnight(rng.choice(days[10:])) for _ in range(calls)]
    ranges = [price_rows(closes) for _ in range(calls)]
    functions.PRICE_RANGES.clear()
    start = time.perf_counter()
    first = udfs.EQL_PRICE(purchase[0], price_rows(closes))
    cold = time.perf_counter() - start
    if isinstance(first, str):
        raise SystemExit(f"bench: EQL_PRICE failed: {first}")
    times = []
    for day, rows in zip(purchase, ranges, strict=True):
        start = time.perf_counter()
        udfs.EQL_PRICE(day, rows)
        times.append(time.perf_counter() - start)
    copy_rows = median_seconds(
        lambda rows: [list(row) for row in rows], 21, lambda: price_rows(closes)
    )
    loop_rows = median_seconds(
        lambda rows: [None for _d, _c in rows], 21, lambda: price_rows(closes)
    )
    return [
        f"2. EQL_PRICE, 5,000-row range as a fresh list of rows each call, {calls} calls",
        f"   warm (same cells again), median         {statistics.median(times) * 1e6:8.0f} µs",
        f"   first call on the range (parses it)     {cold * 1e6:8.0f} µs",
        f"   for scale: copying the rows             {copy_rows * 1e6:8.0f} µs, "
        f"one Python loop over them {loop_rows * 1e6:.0f} µs",
    ]


# --- 3. cold start -----------------------------------------------------------------------------

COLD = textwrap.dedent(
    """
    import datetime as dt, json, sys, time, types
    if sys.argv[1] == "stub":  # what eql itself costs, without xlwings (which loads pandas)
        stub = types.ModuleType("xlwings")
        stub.func = lambda f: f
        stub.arg = lambda *a, **k: (lambda f: f)
        sys.modules["xlwings"] = stub
    day, rows = dt.date(2002, 1, 1), [["Date", "Close"]]
    while len(rows) < 5001:
        if day.weekday() < 5:
            rows.append([dt.datetime(day.year, day.month, day.day), 2.5])
        day += dt.timedelta(days=1)
    start = time.perf_counter()
    if sys.argv[1] == "xlwings-only":
        import xlwings
        result = None
    else:
        from eql import udfs
        result = udfs.EQL_PRICE(dt.datetime(2010, 6, 15), rows)
    seconds = time.perf_counter() - start
    loaded = [m for m in ("pandas", "numpy", "exchange_calendars") if m in sys.modules]
    print(json.dumps({"seconds": seconds, "result": result, "loaded": loaded}))
    """
)


def bench_cold(runs: int) -> list[str]:
    lines = [
        f"3. cold start: a fresh process imports the functions and prices one draw, median of {runs}"
    ]
    for mode, label in (
        ("xlwings", "with xlwings (as in Excel)"),
        ("stub", "eql alone (xlwings stubbed)"),
        ("xlwings-only", "xlwings' import alone"),
    ):
        inner, wall, loaded = [], [], []
        for _ in range(runs):
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", COLD, mode], capture_output=True, text=True, check=True
            )
            wall.append(time.perf_counter() - start)
            report = json.loads(done.stdout)
            inner.append(report["seconds"])
            loaded = report["loaded"]
        what = "import" if mode == "xlwings-only" else "import + first call"
        lines.append(
            f"   {label:<30} {what:<19} {statistics.median(inner):6.3f} s, "
            f"whole process {statistics.median(wall):6.3f} s; loads {', '.join(loaded) or 'neither pandas nor numpy'}"
        )
    return lines


# --- 4. quarter-end pack -----------------------------------------------------------------------


def bench_quarter_end(runs: int, work: Path) -> list[str]:
    if importlib.util.find_spec("eql.commands.quarter_end") is None:
        return [
            "4. quarter-end pack: not yet available (no `eql quarter-end` command in this tree)"
        ]
    inputs = work / "pack-inputs"
    inputs.mkdir()
    write_facility_folder(inputs)
    command = [sys.executable, "-m", "eql.cli", "quarter-end", "--inputs", str(inputs), "--force"]
    one = [*command, "--quarter", "FY2003 Q3", "--out", str(work / "pack.xlsx")]
    every = [*command, "--all", "--out", str(work / "packs")]
    (work / "packs").mkdir()

    def run(args: list[str]) -> None:
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"bench: eql quarter-end failed: {done.stderr}")

    quarter = median_seconds(lambda: run(one), runs)
    every_quarter = median_seconds(lambda: run(every), runs)
    packs = len(list((work / "packs").glob("*.xlsx")))
    return [
        f"4. eql quarter-end, 10 years of closes and 100 draws (a fresh process each), median of {runs}",
        f"   one quarter (FY2003 Q3)                 {quarter:8.2f} s",
        f"   --all ({packs} packs)                      {every_quarter:8.2f} s",
    ]


# --- the machine -------------------------------------------------------------------------------


def machine() -> list[str]:
    model = platform.processor() or "unknown CPU"
    try:
        for line in subprocess.run(
            ["lscpu"], capture_output=True, text=True, check=True
        ).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    office = "not installed"
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary:
        office = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    return [
        f"machine: {model}, {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        f"python {platform.python_version()}, {office}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs and a smaller ledger: a minute or so"
    )
    parser.add_argument(
        "--skip", action="append", default=[], choices=["ledger", "price", "cold", "pack"]
    )
    args = parser.parse_args()
    draws, runs, sample, calls = (2_000, 3, 20, 200) if args.quick else (10_000, 5, 60, 1000)
    plain_runs = 1 if args.quick else 3
    print("\n".join(machine()), flush=True)
    with tempfile.TemporaryDirectory(prefix="eql-bench-") as temp:
        work = Path(temp)
        sections: list[tuple[str, Callable[[], list[str]]]] = [
            ("ledger", lambda: bench_ledger(draws, runs, sample, work / "ledger", plain_runs)),
            ("price", lambda: bench_price(calls)),
            ("cold", lambda: bench_cold(runs)),
            ("pack", lambda: bench_quarter_end(runs, work / "pack")),
        ]
        for name, section in sections:
            if name in args.skip:
                continue
            (work / name).mkdir(exist_ok=True)
            print("\n" + "\n".join(section()), flush=True)


if __name__ == "__main__":
    main()
