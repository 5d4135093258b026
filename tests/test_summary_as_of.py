"""The Summary of a facility whose limit reads market data before a date (Yorkville-shaped: an
advance at most 1 x the mean daily traded value, VWAP x volume, of the 5 sessions before the
notice) is worked as of the day after the latest price entered, and says so, computed by
LibreOffice through the extension.

Worked by hand: XNAS sessions 2025-03-03 .. 03-07 (Monday to Friday, no holiday), VWAP 2.00,
2.10, 2.20, 2.30, 2.40 on 100,000 shares a day: traded values 200,000 .. 240,000, mean 220,000,
times the multiple 1: an advance on 2025-03-08 may be at most 220,000.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from eql.facility import load_folder
from eql.terms import facility_terms
from eql.workbook.summary import AS_OF_AFTER_PRICES, AS_OF_ROW, DETAIL_ROW
from eql.workbook.template import build_template
from libreoffice import Office, extension_profile

EPOCH = dt.date(1899, 12, 30)
PRICES = """date,vwap,volume
2025-03-03,2.00,100000
2025-03-04,2.10,100000
2025-03-05,2.20,100000
2025-03-06,2.30,100000
2025-03-07,2.40,100000
"""


def test_summary_limits_as_of_the_day_after_the_latest_price(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "prices.csv").write_text(PRICES, encoding="utf-8")
    (inputs / "draws.csv").write_text("funding_date,amount\n", encoding="utf-8")
    (inputs / "cash_used.csv").write_text("fiscal_quarter,cash_used\n", encoding="utf-8")
    (inputs / "milestones.csv").write_text("key,date\n", encoding="utf-8")
    terms = facility_terms("yorkville_sepa")
    template = tmp_path / "yorkville.xlsx"
    build_template(terms, load_folder(inputs, terms)).save(template)
    with Office(extension_profile(tmp_path / "office")) as office, office.open(template) as book:
        book.calculate_all()
        summary = book.cells("Summary")
    assert summary[AS_OF_ROW - 1][0] == AS_OF_AFTER_PRICES
    assert summary[AS_OF_ROW - 1][1] == float((dt.date(2025, 3, 8) - EPOCH).days)
    limits = {row[0]: row[1:4] for row in summary[DETAIL_ROW:] if row and row[0]}
    advance = limits["advance traded value"]
    assert advance[0] == 220_000
    assert advance[2] == 220_000
