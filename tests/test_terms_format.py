"""The README's terms file example is a facility eql reads and computes, worked by hand."""

from __future__ import annotations

import re
from pathlib import Path

from eql import udfs
from eql.amendments import terms_on
from eql.terms import load_terms

README = Path(__file__).parents[1] / "README.md"
# The ten XNAS sessions before 2024-07-08: 06-21 .. 07-05, with 06-19 (Juneteenth) and 07-04
# closed (the exchange's holiday calendar for 2024).
SESSIONS_BEFORE_JULY_8 = (
    "2024-06-21",
    "2024-06-24",
    "2024-06-25",
    "2024-06-26",
    "2024-06-27",
    "2024-06-28",
    "2024-07-01",
    "2024-07-02",
    "2024-07-03",
    "2024-07-05",
)


def _example(tmp_path: Path) -> Path:
    section = README.read_text(encoding="utf-8").split("## The terms file format", 1)[1]
    block = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert block is not None
    path = tmp_path / "example.toml"
    path.write_text(block.group(1), encoding="utf-8")
    return path


def test_the_readme_example_is_a_facility(tmp_path: Path) -> None:
    import datetime as dt

    path = _example(tmp_path)
    terms = load_terms(path)
    assert terms.pricing.sessions == 10
    draw = next(limit for limit in terms.limits if limit.key == "draw")
    assert draw.amount == 1_000_000
    later = terms_on(dt.date(2025, 1, 2), terms)
    assert next(limit for limit in later.limits if limit.key == "draw").amount == 1_500_000
    facility = [["facility", str(path)]]
    dates = udfs.EQL_PRICING_DATES("2024-07-08", facility)
    assert [row[0].date().isoformat() for row in dates] == list(SESSIONS_BEFORE_JULY_8)
    # A funding date after 2024-06-30 without the registration: (a) fails, but the Q3 waiver
    # covers 2024-07-08; on 2024-10-01 it blocks.
    assert udfs.EQL_STATUS("2024-07-08", [["RESALE_S1", None]], facility) == "OK (waived: filing)"
    status = udfs.EQL_STATUS("2024-10-01", [["RESALE_S1", None]], facility)
    assert status.startswith("BLOCKED: (a)"), status
    # 1,000,000 a draw until 2024-12-31, 1,500,000 from 2025-01-01 (the amendment); the
    # quarterly limit of 2,500,000 is below neither.
    assert udfs.EQL_CAP("2024-12-31", None, None, None, facility) == 1_000_000
    assert udfs.EQL_CAP("2025-01-02", None, None, None, facility) == 1_500_000


def test_the_readme_example_through_the_schedule_and_a_pack(tmp_path: Path) -> None:
    # Every XNAS session of the second half of 2024 closes at 2.00: the price is 0.90 x 2.00 =
    # 1.80, and shares round down. 2024-07-08: 900,000 / 1.80 = 500,000, (a) waived for Q3.
    # 2024-10-01: (a) applies, the registration only on 2024-11-15: blocked. 2025-01-06: (a) met,
    # and 1,400,000 fits the amended 1,500,000 a draw (1,000,000 before 2025-01-01);
    # 1,400,000 / 1.80 = 777,777.78 -> 777,777.
    import exchange_calendars as xc
    import openpyxl

    from eql.cli import main
    from eql.workbook.pack import CHECK_STYLE
    from libreoffice import recalculate

    terms_file = _example(tmp_path)
    calendar = xc.get_calendar("XNAS", start="2024-05-01", end="2025-02-28")
    days = [s.date() for s in calendar.sessions if "2024-06-01" <= str(s.date()) <= "2025-01-10"]
    prices = [["Date", "Close"], *([day.isoformat(), 2.0] for day in days)]
    draws = [["2024-07-08", 900_000], ["2024-10-01", 500_000], ["2025-01-06", 1_400_000]]
    milestones = [["RESALE_S1", "2024-11-15"]]
    table = udfs.EQL_SCHEDULE(
        draws, prices, None, milestones, None, [["facility", str(terms_file)]]
    )
    assert isinstance(table, list), table
    rows = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert rows[0]["status"] == "OK (waived: filing)"
    assert rows[1]["status"].startswith("BLOCKED: (a)")
    assert rows[2]["status"] == "OK"
    assert [row["shares"] for row in rows] == [500_000, 0, 777_777]
    assert [row["price"] for row in rows] == [1.8, 1.8, 1.8]

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "prices.csv").write_text(
        "date,close\n" + "".join(f"{d},{c}\n" for d, c in prices[1:]), encoding="utf-8"
    )
    (inputs / "draws.csv").write_text(
        "funding_date,amount,notes\n" + "".join(f"{d},{a},\n" for d, a in draws),
        encoding="utf-8",
    )
    (inputs / "cash_used.csv").write_text("fiscal_quarter,cash_used\n", encoding="utf-8")
    (inputs / "milestones.csv").write_text("key,date\nRESALE_S1,2024-11-15\n", encoding="utf-8")
    pack = tmp_path / "pack.xlsx"
    arguments = ["quarter-end", "--terms", str(terms_file), "--inputs", str(inputs)]
    assert main([*arguments, "--quarter", "FY2024 Q3", "--out", str(pack)]) == 0
    computed = openpyxl.load_workbook(recalculate(pack, tmp_path / "lo"), data_only=True)
    written = openpyxl.load_workbook(pack)
    checks = [
        (sheet.title, cell.coordinate)
        for sheet in written.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.style == CHECK_STYLE
    ]
    assert checks
    assert [c for c in checks if computed[c[0]][c[1]].value is not True] == []


def test_a_terms_file_named_by_a_terms_range_is_read_afresh(tmp_path: Path) -> None:
    # A terms file edited while the workbook is open: the next call reads the edit.
    # 900,000 at 1.80 (0.90 x 2.00) is 500,000 shares; at 2.00 (factor 1) 450,000.
    path = _example(tmp_path)
    terms = [["facility", str(path)]]
    assert udfs.EQL_SHARES(900_000, 1.8, terms) == 500_000
    rows = [["Date", "Close"]] + [[day, 2.0] for day in SESSIONS_BEFORE_JULY_8]
    assert udfs.EQL_PRICE("2024-07-08", rows, terms) == 1.8
    text = path.read_text(encoding="utf-8").replace("factor = 0.90", "factor = 1")
    path.write_text(text, encoding="utf-8")
    assert udfs.EQL_PRICE("2024-07-08", rows, terms) == 2.0
