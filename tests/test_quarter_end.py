"""Quarter-end packs: LibreOffice recomputes every check to TRUE, every value is the engine's,
the charts are there, and nothing is overwritten without --force.

All packs of the example facility are recalculated in one soffice run (a few seconds).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from eql.caps import cap_on, facts_for
from eql.cli import main
from eql.example import example_folder
from eql.facility import Facility, load_folder
from eql.ledger import ScheduleRow
from eql.quarters import fiscal_quarter_from_label
from eql.records import Draw
from eql.vocabulary import Rounding
from eql.workbook.pack import CHECK_STYLE, pack_file_name
from eql.workbook.roundings import rounded
from eql.workbook.template import build_template
from libreoffice import convert, recalculate_many

QUARTERS = [f"FY{year} Q{n}" for year in (2003, 2004) for n in (1, 2, 3, 4)]


@pytest.fixture(scope="module")
def facility() -> Facility:
    return load_folder(example_folder())


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Workbook, Workbook]]:
    """Every pack as written by ``eql quarter-end --all``, and its LibreOffice recalculation."""
    folder = tmp_path_factory.mktemp("packs")
    assert main(["quarter-end", "--example", "--all", "--out", str(folder)]) == 0
    written = [folder / pack_file_name(label) for label in QUARTERS]
    outputs = recalculate_many(written, folder / "recalculated")
    return {
        label: (openpyxl.load_workbook(path), openpyxl.load_workbook(out, data_only=True))
        for label, path, out in zip(QUARTERS, written, outputs, strict=True)
    }


def test_all_writes_one_pack_per_fiscal_quarter_of_the_term(packs: dict[str, Any]) -> None:
    assert list(packs) == QUARTERS
    for label, (book, _) in packs.items():
        assert book["Summary"]["B5"].value == label


@pytest.mark.parametrize("label", QUARTERS)
def test_every_check_is_true_in_libreoffice(packs: dict[str, Any], label: str) -> None:
    written, computed = packs[label]
    checks = [
        (sheet.title, cell.coordinate)
        for sheet in written.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.style == CHECK_STYLE
    ]
    draws = written["Draws"].max_row - 4
    assert len(checks) >= 5 * draws  # five checks on every priced draw, and more elsewhere
    failing = [
        (sheet, coordinate, computed[sheet][coordinate].value)
        for sheet, coordinate in checks
        if computed[sheet][coordinate].value is not True
    ]
    assert failing == []
    summary = computed["Summary"]
    agree = next(row for row in range(1, 60) if summary.cell(row, 1).value == "All checks agree")
    assert summary.cell(agree, 2).value is True


def as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def number(value: Decimal | int) -> float:
    return float(value)


def schedule_to(facility: Facility, label: str) -> list[ScheduleRow]:
    end = fiscal_quarter_from_label(label, "quarter", facility.terms).end
    return [row for row in facility.schedule() if row.request.date <= end]


@pytest.mark.parametrize("label", QUARTERS)
def test_every_value_is_the_engines(packs: dict[str, Any], facility: Facility, label: str) -> None:
    """This checks that the pack's writer copies the engine's values, so the expected values here
    come from the engine (schedule, facts_for, cap_on) on purpose. Whether those values are right
    is answered outside the engine elsewhere: each value's check cell recomputed by LibreOffice
    (test_every_check_is_true_in_libreoffice: average, price, shares, rooms, funded); sessions,
    prices, shares, quarters, caps and statuses against the hand-worked tables in tests/resources
    (test_answers.py); the example's blocked requests, clauses and funded total by hand
    (test_packs_show_the_clauses_the_example_exercises, test_cli.py); its first price worked from
    prices.csv (test_schedule_command.py)."""
    _, computed = packs[label]
    draws = computed["Draws"]
    header = [draws.cell(4, c).value for c in range(1, draws.max_column + 1)]
    column = {name: i + 1 for i, name in enumerate(header)}
    expected = schedule_to(facility, label)
    assert draws.max_row - 4 == len(expected)
    for offset, row in enumerate(expected, start=5):

        def cell(name: str, at: int = offset) -> Any:
            return draws.cell(at, column[name]).value

        assert as_date(cell("Funding date")) == row.request.date
        assert cell("Requested") == number(row.request.amount)
        assert cell("Funded") == number(row.funded)
        assert cell("Status") == row.check.text
        assert cell("Fiscal quarter") == row.fiscal_quarter.label
        assert cell("Term quarter") == row.term_quarter
        assert cell("Cap before the draw") == number(row.check.cap.amount)
        assert row.quote is not None  # the example has a close for every pricing session
        for n, (session, close) in enumerate(
            zip(row.quote.sessions, row.quote.closes, strict=True), 1
        ):
            assert as_date(cell(f"Session {n}")) == session
            assert cell(f"Close {n}") == number(close)
        assert cell("Average close") == number(row.quote.mean)
        assert cell("Price") == number(row.quote.price)
        assert cell("Shares") == row.shares
        assert (cell("Restricted legend") or "") == (facility.terms.legend if row.shares else "")

    quarter = fiscal_quarter_from_label(label, "quarter", facility.terms)
    funded = [Draw(r.request.date, r.funded, r.request.row) for r in expected if r.funded]
    facts = facts_for(
        funded,
        facility.cash_used,
        [r for r in facility.reductions if r.date <= quarter.end],
        facility.terms,
    )
    last_day = cap_on(quarter.end, facts, facility.terms)
    limits = computed["Limits"]
    for offset, room in enumerate(last_day.rooms, start=5):
        assert limits.cell(offset, 1).value == room.name
        assert limits.cell(offset, 4).value == number(room.allowed)
        assert limits.cell(offset, 5).value == number(room.used)
        assert limits.cell(offset, 6).value == number(room.room)
    cap_row = 5 + len(last_day.rooms)
    assert limits.cell(cap_row, 6).value == number(last_day.amount)
    assert limits.cell(cap_row, 7).value == f"binds: {last_day.binds}"

    summary = {
        computed["Summary"].cell(r, 1).value: computed["Summary"].cell(r, 2).value
        for r in range(5, 25)
    }
    assert summary["Funded to date"] == number(sum((r.funded for r in expected), Decimal(0)))
    in_quarter = [r for r in expected if r.request.date >= quarter.start]
    assert summary["Funded in the quarter"] == number(
        sum((r.funded for r in in_quarter), Decimal(0))
    )
    assert summary["Cap on the last day"] == number(last_day.amount)


def test_packs_show_the_clauses_the_example_exercises(packs: dict[str, Any]) -> None:
    # Hand-checked against the example's draws.csv notes: blocked by (v) in FY2003 Q3, by (iv)
    # in FY2004 Q1, by the reduced commitment in FY2004 Q3 and Q4; the 8M elected on 2003-08-01
    # is all in force (a 10M financing; 30M - 18.5M funded by then = 11.5M unfunded).
    _, last = packs["FY2004 Q4"]
    statuses = [last["Draws"].cell(r, 4).value for r in range(5, last["Draws"].max_row + 1)]
    assert [s.split(":")[0] for s in statuses].count("BLOCKED") == 4
    assert statuses[4].startswith("BLOCKED: (v) cash used in operations exceeded")
    assert statuses[7].startswith("BLOCKED: (iv)")
    assert "total commitment exceeded" in statuses[10]
    reductions = last["Reductions"]
    assert as_date(reductions["A5"].value) == dt.date(2003, 8, 1)
    assert reductions["E5"].value == 8_000_000
    assert last["Summary"]["B8"].value == 8_000_000  # reductions in force
    conditions = last["Conditions"]
    statuses = {conditions.cell(r, 1).value: conditions.cell(r, 4).value for r in range(14, 19)}
    assert statuses == {"(i)": "met", "(ii)": "met", "(iii)": "met", "(iv)": "met", "(vi)": "met"}
    # On 2002-12-31 the license (2002-12-16) is reached though (iii) applies only after that day,
    # and MFG_420 (2003-05-19) is not yet reached nor yet required: (iv) applies after 2003-03-31.
    _, q3_fy03 = packs["FY2003 Q3"]
    conditions = q3_fy03["Conditions"]
    statuses = {conditions.cell(r, 1).value: conditions.cell(r, 4).value for r in range(14, 19)}
    assert statuses == {
        "(i)": "met",
        "(ii)": "met",
        "(iii)": "met",
        "(iv)": "not yet required",
        "(vi)": "met",
    }
    _, first_quarter_of_fy04 = packs["FY2004 Q1"]
    conditions = first_quarter_of_fy04["Conditions"]
    # MFG_420 (row 10) was reached on 2003-05-19, inside FY2004 Q1 (to 2003-06-30)
    assert as_date(conditions["B10"].value) == dt.date(2003, 5, 19)
    _, q4_fy03 = packs["FY2003 Q4"]
    conditions = q4_fy03["Conditions"]
    assert conditions["B10"].value is None  # MFG_420 not reached by 2003-03-31
    fees = q4_fy03["Fees"]
    assert [fees.cell(r, 4).value for r in range(5, fees.max_row + 1) if fees.cell(r, 4).value] == [
        "reimbursed"
    ]


def test_packs_have_both_charts(tmp_path: Path) -> None:
    out = tmp_path / "p.xlsx"
    assert main(["quarter-end", "--example", "--quarter", "FY2003 Q3", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        texts = [archive.read(name).decode() for name in charts]
    assert "'Chart data'!$B$5" in texts[0]
    assert "Cumulative funding" in texts[0]
    assert "'Prices'!$B$5" in texts[1]
    # The marks are the purchases only: a blocked request bought no shares and has no mark.
    book = openpyxl.load_workbook(out)
    draws = book["Draws"]
    header = [cell.value for cell in draws[4]]
    bought = [
        (draws.cell(row, 1).value, draws.cell(row, header.index("Price") + 1).value)
        for row in range(5, draws.max_row + 1)
        if draws.cell(row, header.index("Shares") + 1).value
    ]
    blocked = [r for r in range(5, draws.max_row + 1) if draws.cell(r, 3).value == 0]
    assert bought
    assert blocked  # FY2003 Q3 has a request blocked by condition (v)
    last = 4 + len(bought)
    assert f"'Chart data'!$F$5:$F${last}" in texts[1]
    assert f"'Chart data'!$G$5:$G${last}" in texts[1]
    data = book["Chart data"]
    marks = [(data.cell(r, 6).value, data.cell(r, 7).value) for r in range(5, last + 1)]
    assert marks == bought


def test_pack_from_a_filled_template_equals_the_pack_from_csv(
    tmp_path: Path, facility: Facility
) -> None:
    workbook = tmp_path / "filled.xlsx"
    build_template(facility.terms, facility).save(workbook)
    from_csv, from_book = tmp_path / "csv.xlsx", tmp_path / "book.xlsx"
    folder = str(example_folder())  # the example's CSV files, named as a user names a folder
    assert (
        main(["quarter-end", "--inputs", folder, "--quarter", "FY2004 Q2", "--out", str(from_csv)])
        == 0
    )
    args = [
        "quarter-end",
        "--inputs",
        str(workbook),
        "--quarter",
        "fy2004 q2",
        "--out",
        str(from_book),
    ]
    assert main(args) == 0
    a, b = openpyxl.load_workbook(from_csv), openpyxl.load_workbook(from_book)
    for name in a.sheetnames:
        cells_a = [[c.value for c in row] for row in a[name].iter_rows()]
        cells_b = [[c.value for c in row] for row in b[name].iter_rows()]
        assert cells_a == cells_b, name


def test_quarter_end_never_overwrites_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "q.xlsx"
    assert main(["quarter-end", "--example", "--quarter", "FY2003 Q1", "--out", str(out)]) == 0
    before = out.read_bytes()
    assert main(["quarter-end", "--example", "--quarter", "FY2003 Q2", "--out", str(out)]) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert (
        main(["quarter-end", "--example", "--quarter", "FY2003 Q2", "--out", str(out), "--force"])
        == 0
    )
    assert openpyxl.load_workbook(out)["Summary"]["B5"].value == "FY2003 Q2"
    # --all checks every target first: one existing pack stops the run before anything is written.
    folder = tmp_path / "all"
    folder.mkdir()
    (folder / pack_file_name("FY2004 Q4")).write_bytes(b"keep")
    assert main(["quarter-end", "--example", "--all", "--out", str(folder)]) == 2
    assert sorted(p.name for p in folder.iterdir()) == [pack_file_name("FY2004 Q4")]
    assert (folder / pack_file_name("FY2004 Q4")).read_bytes() == b"keep"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--example", "--quarter", "FY2005 Q1"], "quarter must be a fiscal quarter of the term"),
        (
            ["--example", "--quarter", "Q3"],
            "--quarter must be a fiscal quarter such as 'FY2003 Q1'",
        ),
        (
            ["--quarter", "FY2003 Q1"],
            "quarter-end: give --inputs (your facility's inputs) or --example (the built-in "
            "example facility, illustrative numbers)",
        ),
        (
            ["--quarter", "FY2003 Q1", "--inputs", "missing.xlsx"],
            "no workbook or folder at missing.xlsx",
        ),
    ],
)
def test_quarter_end_refuses_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["quarter-end", *args, "--out", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_input_workbook_is_never_written(tmp_path: Path, facility: Facility) -> None:
    workbook = tmp_path / "filled.xlsx"
    build_template(facility.terms, facility).save(workbook)
    before = workbook.read_bytes()
    args = [
        "quarter-end",
        "--inputs",
        str(workbook),
        "--quarter",
        "FY2003 Q1",
        "--out",
        str(workbook),
        "--force",
    ]
    assert main(args) == 2
    assert workbook.read_bytes() == before


# Each rounding the terms allow, worked by hand: (value, decimals, down, up, half_up, half_even).
# Exact halves on both sides of even; near-halves; a float quotient with binary noise.
ROUNDING_CASES: list[tuple[str, int, float, float, float, float]] = [
    ("=500000.5", 0, 500000, 500001, 500001, 500000),  # half, even below: half_even stays
    ("=500001.5", 0, 500001, 500002, 500002, 500002),  # half, odd below: half_even goes up
    ("=0.5", 0, 0, 1, 1, 0),
    ("=3.5", 0, 3, 4, 4, 4),
    ("=2.4999", 0, 2, 3, 2, 2),
    ("=2.5001", 0, 2, 3, 3, 3),
    ("=7", 0, 7, 7, 7, 7),
    ("=850000.85/1.7", 0, 500000, 500001, 500001, 500000),  # 500,000.5 exactly, in a float
    ("=850002.55/1.7", 0, 500001, 500002, 500002, 500002),  # 500,001.5
    ("=1904000/1.904", 0, 1000000, 1000000, 1000000, 1000000),  # 999,999.9999999999 in a float
    ("=2.5*0.85", 4, 2.125, 2.125, 2.125, 2.125),
    ("=2.12345", 4, 2.1234, 2.1235, 2.1235, 2.1234),  # a half at the 4th decimal, 4 even
    ("=2.12355", 4, 2.1235, 2.1236, 2.1236, 2.1236),  # 5 odd
    ("=2.123449", 4, 2.1234, 2.1235, 2.1234, 2.1234),
]
MODES = (Rounding.DOWN, Rounding.UP, Rounding.HALF_UP, Rounding.HALF_EVEN)


def test_each_rounding_formula_agrees_with_hand_worked_answers_in_libreoffice(
    tmp_path: Path,
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row, (value, digits, *_) in enumerate(ROUNDING_CASES, start=1):
        sheet.cell(row, 1, value)
        for column, mode in enumerate(MODES, start=2):
            sheet.cell(row, column, "=" + rounded(f"A{row}", digits, mode))
    book.save(tmp_path / "roundings.xlsx")
    computed = openpyxl.load_workbook(
        recalculate_many([tmp_path / "roundings.xlsx"], tmp_path / "out")[0], data_only=True
    ).active
    assert computed is not None
    for row, (value, digits, *expected) in enumerate(ROUNDING_CASES, start=1):
        got = [computed.cell(row, column).value for column in range(2, 6)]
        assert got == pytest.approx(expected, abs=1e-12), (value, digits)


def exact_half_inputs(folder: Path) -> Path:
    """A facility of two draws at 1.70 (five closes of 2.00, 2002-10-08 .. 10-14) whose shares
    are exact halves: 850,000.85 / 1.70 = 500,000.5 and 850,002.55 / 1.70 = 500,001.5."""
    folder.mkdir()
    sessions = ("2002-10-08", "2002-10-09", "2002-10-10", "2002-10-11", "2002-10-14")
    files = {
        "prices": "date,close\n" + "".join(f"{day},2.00\n" for day in sessions),
        "draws": "funding_date,amount\n2002-10-15,850000.85\n2002-10-15,850002.55\n",
        "cash_used": "fiscal_quarter,cash_used\n"
        + "".join(f"FY{y} Q{n},4000000\n" for y in (2003, 2004) for n in (1, 2, 3, 4)),
        "milestones": "key,date\nPOLYMER_265,2002-08-20\nSAMPLES_30,2002-09-25\n",
        "reductions": "date,third_party_financing,amount_elected\n",
        "fees": "requested,amount,reimbursed\n",
    }
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


# Shares of the two exact halves under each rounding, by hand.
EXACT_HALF_SHARES = {
    Rounding.DOWN: [500000, 500001],
    Rounding.UP: [500001, 500002],
    Rounding.HALF_UP: [500001, 500002],
    Rounding.HALF_EVEN: [500000, 500002],
}


def test_every_share_rounding_is_checked_true_on_exact_halves(tmp_path: Path) -> None:
    inputs = exact_half_inputs(tmp_path / "inputs")
    written = []
    for mode in MODES:
        out = tmp_path / f"{mode.value}.xlsx"
        argv = ["quarter-end", "--inputs", str(inputs), "--quarter", "FY2003 Q3"]
        assert main([*argv, "--set", f"shares.rounding={mode.value}", "--out", str(out)]) == 0
        written.append(out)
    for mode, path in zip(MODES, recalculate_many(written, tmp_path / "recalculated"), strict=True):
        book = openpyxl.load_workbook(path, data_only=True)
        draws = book["Draws"]
        header = [cell.value for cell in draws[4]]
        shares = [draws.cell(row, header.index("Shares") + 1).value for row in (5, 6)]
        assert shares == EXACT_HALF_SHARES[mode], mode
        checks = [
            draws.cell(row, column + 1).value
            for row in (5, 6)
            for column, name in enumerate(header)
            if str(name).startswith("Check:")
        ]
        assert checks == [True] * len(checks), mode
        summary = book["Summary"]
        agree = next(r for r in range(1, 60) if summary.cell(r, 1).value == "All checks agree")
        assert summary.cell(agree, 2).value is True, mode


def test_a_pack_of_the_example_says_so_in_its_title_summary_and_footer(tmp_path: Path) -> None:
    example, own = tmp_path / "example.xlsx", tmp_path / "own.xlsx"
    assert main(["quarter-end", "--example", "--quarter", "FY2003 Q2", "--out", str(example)]) == 0
    folder = str(example_folder())
    assert (
        main(["quarter-end", "--inputs", folder, "--quarter", "FY2003 Q2", "--out", str(own)]) == 0
    )
    book = openpyxl.load_workbook(example)
    summary = book["Summary"]
    assert str(summary["A1"].value).startswith("EXAMPLE: ")
    assert str(summary["A3"].value).startswith("EXAMPLE: computed from eql's built-in example")
    assert all("EXAMPLE: " in sheet.oddFooter.left.text for sheet in book.worksheets)
    book = openpyxl.load_workbook(own)
    assert not any(
        "EXAMPLE" in str(cell.value) for row in book["Summary"].iter_rows() for cell in row
    )
    assert all("EXAMPLE" not in sheet.oddFooter.left.text for sheet in book.worksheets)


def test_every_pack_prints_as_an_auditor_expects(tmp_path: Path) -> None:
    # US Letter for a USD facility, the close history last, headings repeated, and every page
    # numbered "Page N of M" beside the pack's name and as-of date: read from the PDF LibreOffice
    # prints.
    out = tmp_path / "pack.xlsx"
    folder = str(example_folder())
    assert (
        main(["quarter-end", "--inputs", folder, "--quarter", "FY2004 Q1", "--out", str(out)]) == 0
    )
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Summary"
    assert book.sheetnames[-1] == "Prices"
    for sheet in book.worksheets:
        assert sheet.page_setup.paperSize == 1, sheet.title  # US Letter
        assert sheet.print_title_rows == "$4:$4", sheet.title
    draws = book["Draws"]
    assert draws.page_setup.orientation == "landscape"
    assert draws.print_title_cols == "$A:$A"
    assert len(draws.col_breaks.brk) == 2  # the request, its pricing, its legend and checks
    # The heading row is tall enough for its two-line headings.
    assert (draws.row_dimensions[4].height or 0) >= 30
    [pdf] = convert([out], tmp_path / "pdf", "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    assert "792 x 612 pts (letter)" in info.stdout  # the Summary, landscape
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    name = (
        "Valence Technology equity line of credit (Berg & Berg, 2002): quarter-end pack FY2004 Q1"
    )
    footers = [page for page in text.split("\f") if page.strip()]
    assert len(footers) == pages
    for number, page in enumerate(footers, start=1):
        assert f"Page {number} of {pages}" in page
        assert f"{name}, as of 2003-06-30" in page
    # The Draws sheet takes three pages across, not one squeezed page: the first holds the
    # requests, the second the pricing sessions, the third the legend and checks.
    first = next(n for n, page in enumerate(footers) if "Draws requested to the" in page)
    assert "Cap before" in footers[first]
    assert "Session 1" not in footers[first]
    assert "Session 1" in footers[first + 1]
    assert "Check:" not in footers[first + 1]
    assert "Check:" in footers[first + 2]
    # The close history comes last, its headings repeated on every page of it.
    appendix = next(n for n, page in enumerate(footers) if "Appendix: closing prices" in page)
    assert appendix > first + 2
    for page in footers[appendix:]:
        assert re.search(r"Date\s+Close", page)
