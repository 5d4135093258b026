"""How fast eql answers, measured side by side in one run: ``python bench/run.py [--quick]``.

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

from eql import functions, udfs
from eql.calendar import sessions
from eql.caps import cash_used_share
from eql.quarters import fiscal_quarter
from eql.terms import terms_with

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


def fresh(rows: list[list[Any]]) -> list[list[Any]]:
    return [[_copy(cell) for cell in row] for row in rows]


def _copy(cell: Any) -> Any:
    if isinstance(cell, dt.datetime):
        return dt.datetime(cell.year, cell.month, cell.day)
    if isinstance(cell, float):
        return float(repr(cell))
    return cell


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


# --- 1. the ledger ---------------------------------------------------------------------------


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
            [["Funding date", "Amount requested"], *fresh(self.requests)],
            price_rows(self.closes),
            fresh(self.cash),
            fresh(MILESTONES),
            None,
            fresh(TERMS),
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


def single_cell_row(ledger: Ledger, schedule: list[list[Any]], k: int) -> tuple[float, list[Any]]:
    """Row ``k`` (0-based, in date order) through the single-cell functions: seconds and cells."""
    date, amount = ledger.requests[k]
    funded_above = [[row[0], row[11]] for row in schedule[1 : k + 1]]
    terms = fresh(TERMS)
    prices = [price_rows(ledger.closes) for _ in range(2)]
    aboves = [fresh(funded_above) or None for _ in range(3)]
    cash = [fresh(ledger.cash) for _ in range(3)]
    start = time.perf_counter()
    fiscal = udfs.EQL_FISCAL_QUARTER(date, terms)
    term_q = udfs.EQL_TERM_QUARTER(date, terms)
    dates = udfs.EQL_PRICING_DATES(date, terms)
    average = udfs.EQL_AVG_CLOSE(date, prices[0], terms)
    price = udfs.EQL_PRICE(date, prices[1], terms)
    status = udfs.EQL_CHECK(date, amount, aboves[0], cash[0], fresh(MILESTONES), None, terms)
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


NATIVE_COLUMNS = (
    "funding date", "amount", "term quarter", "fiscal quarter", "sessions", "average close",
    "price", "funded before in fiscal quarter", "funded before in term quarter",
    "funded before", "cash room", "cash row", "room", "funded", "shares", "status",
)  # fmt: skip


def write_native_ledger(ledger: Ledger, path: Path, *, plain: bool) -> None:
    """The ledger in native formulas, in one of two ways a spreadsheet author would write it.

    ``plain=False``, written for speed: closes are one row per session in date order, so the five
    sessions before a date are the five rows above MATCH(date - 1, dates, 1), a binary search, and
    the rooms are running totals down the sorted ledger.
    ``plain=True``, written as the term sheet reads: the five sessions are WORKDAY(date, -k, the
    exchange's closures), each close is looked up by an exact MATCH (a missing close shows #N/A),
    and each room sums the funded amounts above with SUMIFS.
    Conditions are met throughout and left out of both.
    """
    from openpyxl import Workbook  # noqa: PLC0415

    terms = ledger.terms
    quarter_limit = next(limit.amount for limit in terms.limits if limit.kind == "per_period")
    cash_limit = next(limit for limit in terms.limits if limit.kind == "cash_used")
    # Shares are rounded as the terms say; the quotient is first rounded to 6 decimals, which only
    # cancels binary noise (1904000 / 1.904 is 999999.9999999999 in floats).
    rounding = {"down": "ROUNDDOWN", "up": "ROUNDUP", "half_up": "ROUND"}[terms.share_rounding]
    book = Workbook()
    prices = book.active
    prices.title = "Prices"
    prices.append(["Date", "Close"])
    for day, close in ledger.closes:
        prices.append([day, close])
    last_price = len(ledger.closes) + 1
    dates, closes = f"Prices!$A$2:$A${last_price}", f"Prices!$B$2:$B${last_price}"
    cash = book.create_sheet("Cash")
    cash.append(["Fiscal quarter", "Cash used", "Share"])
    for label, amount in ledger.cash:
        cash.append([label, amount, float(cash_used_share(label, cash_limit) or 0)])
    last_cash = len(ledger.cash) + 1
    closed = book.create_sheet("Closures")
    first, last = ledger.closes[0][0], ledger.closes[-1][0]
    open_days = set(session_days(first - dt.timedelta(days=14), last))
    closures = [
        first + dt.timedelta(days=n)
        for n in range(-14, (last - first).days + 1)
        if (first + dt.timedelta(days=n)).weekday() < 5
        and first + dt.timedelta(days=n) not in open_days
    ]
    for day in closures:
        closed.append([day])
    holidays = f"Closures!$A$1:$A${len(closures)}"
    sheet = book.create_sheet("Ledger")
    sheet.append(list(NATIVE_COLUMNS))
    start_year, start_month = terms.term_start.year, terms.term_start.month
    for r, (date, amount) in enumerate(ledger.requests, start=2):
        up = r - 1
        if plain:
            session = f"=MATCH(WORKDAY(A{r},-1,{holidays}),{dates},0)"
            average = (
                "=AVERAGE("
                + ",".join(
                    f"INDEX({closes},MATCH(WORKDAY(A{r},-{k},{holidays}),{dates},0))"
                    for k in (5, 4, 3, 2, 1)
                )
                + ")"
            )
            fiscal_before = f"=SUMIFS(N$1:N{up},D$1:D{up},D{r})"
            term_before = f"=SUMIFS(N$1:N{up},C$1:C{up},C{r})"
            total_before = f"=SUM(N$1:N{up})"
        else:
            session = f"=MATCH(A{r}-1,{dates},1)"
            average = (
                "=AVERAGE(" + ",".join(f"INDEX({closes},E{r}-{k})" for k in (4, 3, 2, 1, 0)) + ")"
            )
            fiscal_before = 0 if r == 2 else f"=IF(D{r}=D{up},H{up}+N{up},0)"
            term_before = 0 if r == 2 else f"=IF(C{r}=C{up},I{up}+N{up},0)"
            total_before = 0 if r == 2 else f"=J{up}+N{up}"
        end_month = terms.fiscal_year_end_month
        sheet.append(
            [
                date,
                amount,
                f"=INT(((YEAR(A{r})-{start_year})*12+MONTH(A{r})-{start_month})/3)+1",
                f'="FY"&(YEAR(A{r})+IF(MONTH(A{r})>{end_month},1,0))'
                f'&" Q"&(INT(MOD(MONTH(A{r})-{end_month + 1},12)/3)+1)',
                session,
                average,
                f"=F{r}*{terms.pricing.factor}",
                fiscal_before,
                term_before,
                total_before,
                f"=INDEX(Cash!$B$2:$B${last_cash},L{r})*INDEX(Cash!$C$2:$C${last_cash},L{r})-H{r}",
                f"=MATCH(D{r},Cash!$A$2:$A${last_cash},0)",
                f"=MAX(0,MIN({quarter_limit}-I{r},{terms.commitment}-J{r},K{r}))",
                f"=IF(B{r}<=M{r},B{r},0)",
                f"=IF(N{r}>0,{rounding}(ROUND(N{r}/G{r},6),0),0)",
                f'=IF(N{r}>0,"OK","BLOCKED")',
            ]
        )
    book.save(path)


PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

# Opens a workbook hidden and times calculateAll() (every formula, dependencies or not) inside
# LibreOffice, so neither start-up nor loading nor saving is in the figure.
RECALC_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Bench
    Dim args(0) As New com.sun.star.beans.PropertyValue
    args(0).Name = &quot;Hidden&quot;
    args(0).Value = True
    t = GetSystemTicks()
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(Environ(&quot;EQL_BENCH_FILE&quot;)), &quot;_blank&quot;, 0, args())
    result = (GetSystemTicks() - t)
    For i = 1 To CInt(Environ(&quot;EQL_BENCH_RUNS&quot;))
        t = GetSystemTicks()
        doc.calculateAll()
        result = result &amp; &quot; &quot; &amp; (GetSystemTicks() - t)
    Next i
    If Environ(&quot;EQL_BENCH_SAVE&quot;) &lt;&gt; &quot;&quot; Then
        Dim save(0) As New com.sun.star.beans.PropertyValue
        save(0).Name = &quot;FilterName&quot;
        save(0).Value = &quot;Calc MS Excel 2007 XML&quot;
        doc.storeToURL(ConvertToURL(Environ(&quot;EQL_BENCH_SAVE&quot;)), save())
    End If
    f = FreeFile
    Open Environ(&quot;EQL_BENCH_OUT&quot;) For Output As #f
    Print #f, result
    Close #f
    doc.close(True)
    StarDesktop.terminate()
End Sub
</script:module>
"""


class LibreOffice:
    """soffice headless with a fresh profile that recalculates every file on load."""

    def __init__(self, root: Path) -> None:
        self.profile = root / "profile"
        (self.profile / "user").mkdir(parents=True)
        (self.profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
        self.binary = shutil.which("soffice") or shutil.which("libreoffice")

    def _run(self, args: list[str], env: dict[str, str] | None = None) -> None:
        assert self.binary is not None
        done = subprocess.run(
            [
                self.binary,
                f"-env:UserInstallation={self.profile.as_uri()}",
                "--headless",
                "--norestore",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
            env=None if env is None else {**__import__("os").environ, **env},
        )
        if done.returncode != 0:
            raise SystemExit(f"bench: soffice failed: {done.stdout}{done.stderr}")

    def convert(self, source: Path, outdir: Path) -> Path:
        self._run(["--convert-to", "xlsx", "--outdir", str(outdir), str(source)])
        target = outdir / f"{source.stem}.xlsx"
        if not target.is_file():
            raise SystemExit(f"bench: soffice wrote no {target}")
        return target

    def recalculation(
        self, source: Path, runs: int, work: Path, save: Path
    ) -> tuple[float, list[float]]:
        """Seconds to load ``source`` (computing it), and to recalculate all of it ``runs`` times;
        the computed workbook is saved to ``save``."""
        module = self.profile / "user" / "basic" / "Standard" / "Module1.xba"
        module.write_text(RECALC_MACRO, encoding="utf-8")
        out = work / "recalc.txt"
        env = {
            "EQL_BENCH_FILE": str(source),
            "EQL_BENCH_RUNS": str(runs),
            "EQL_BENCH_OUT": str(out),
            "EQL_BENCH_SAVE": str(save),
        }
        self._run(
            ["vnd.sun.star.script:Standard.Module1.Bench?language=Basic&location=application"], env
        )
        load, *times = (int(ms) / 1000 for ms in out.read_text(encoding="utf-8").split())
        return load, times


def libreoffice_ledger(ledger: Ledger, runs: int, work: Path, *, plain: bool) -> dict[str, Any]:
    from openpyxl import Workbook, load_workbook  # noqa: PLC0415

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
            1 for row, cells in zip(schedule[1:], native, strict=True) if row[11] == cells[0]
        )
        shares = sum(
            1 for row, cells in zip(schedule[1:], native, strict=True) if row[8] == cells[1]
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


def write_pack_inputs(folder: Path) -> None:
    rng = random.Random(4)  # noqa: S311
    closes = random_closes(session_days(dt.date(1994, 4, 1), dt.date(2004, 3, 31)), 4)
    lines = ["date,close", *(f"{d},{c:.2f}" for d, c in closes)]
    (folder / "prices.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    start, end = dt.date(2002, 4, 1), dt.date(2004, 3, 31)
    days = sorted(
        start + dt.timedelta(days=rng.randrange((end - start).days + 1)) for _ in range(100)
    )
    lines = ["funding_date,amount", *(f"{d},{rng.randrange(50_000, 400_000, 1_000)}" for d in days)]
    (folder / "draws.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    quarters = [f"FY{year} Q{q}" for year in (2003, 2004) for q in (1, 2, 3, 4)]
    lines = ["fiscal_quarter,cash_used", *(f"{label},20000000" for label in quarters)]
    (folder / "cash_used.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    keys = ("POLYMER_265", "SAMPLES_30", "LICENSE", "MFG_420")
    lines = ["key,date", "CEO_CHANGE,", "MAC,", *(f"{key},2002-04-01" for key in keys)]
    (folder / "milestones.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def bench_quarter_end(runs: int, work: Path) -> list[str]:
    if importlib.util.find_spec("eql.commands.quarter_end") is None:
        return [
            "4. quarter-end pack: not yet available (no `eql quarter-end` command in this tree)"
        ]
    inputs = work / "pack-inputs"
    inputs.mkdir()
    write_pack_inputs(inputs)
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
        f"machine: {model}, {platform.machine()}, {__import__('os').cpu_count()} CPUs, {platform.system()} {platform.release()}",
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
