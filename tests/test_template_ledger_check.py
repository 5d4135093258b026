"""Where the price may block a request (a floor, a per-purchase share limit), the template's
Draws *Check* is the request's status in the ledger of every request, read from the Schedule
sheet's one EQL_SCHEDULE; computed by LibreOffice through the extension.

Worked by hand from the Lincoln Park-shape terms: every close and every day's low 2.00 from the
term's start, so a regular purchase is priced at the lesser of the day's low (2.00) and the mean
of the 3 lowest closes of the 10 sessions before (2.00): 2.00, above the 1.00 floor. Below 3.00
a purchase is at most 100,000 shares. 2024-07-01: 100,000 / 2.00 = 50,000 shares, funded;
2024-07-02: 300,000 / 2.00 = 150,000 shares, more than 100,000, blocked; 2024-07-03: 150,000 /
2.00 = 75,000 shares, funded (the blocked row funds nothing). 50,000,000 shares outstanding at
signing and no holdings: the exchange cap (19.99 %, 9,995,000 shares) and the ownership cap
(9.99 %) are far from these 125,000 shares.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl import Workbook

from eql.facility import load_folder
from eql.terms import facility_terms
from eql.workbook.draw_formulas import BELOW_LEDGER, LEDGER_NAME
from eql.workbook.template import build_template
from libreoffice import Office, extension_profile

# XNAS sessions of June and July 2024 up to the 10th (closed 2024-06-19 and 2024-07-04).
SESSIONS = [f"2024-06-{d:02}" for d in (3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 17, 18, 20, 21)]
SESSIONS += [f"2024-06-{d:02}" for d in (24, 25, 26, 27, 28)]
SESSIONS += [f"2024-07-{d:02}" for d in (1, 2, 3, 5, 8, 9, 10)]
DRAWS = """funding_date,amount
2024-07-01,100000
2024-07-02,300000
2024-07-03,150000
"""


def _lincoln_template(folder: Path) -> Workbook:
    """The Lincoln Park-style template filled with the requests above, every close and low 2.00,
    50,000,000 shares outstanding at signing and no holdings."""
    inputs = folder / "inputs"
    inputs.mkdir()
    prices = ["date,close,low", *(f"{day},2.00,2.00" for day in SESSIONS)]
    (inputs / "prices.csv").write_text("\n".join(prices) + "\n", encoding="utf-8")
    (inputs / "draws.csv").write_text(DRAWS, encoding="utf-8")
    (inputs / "cash_used.csv").write_text("fiscal_quarter,cash_used\n", encoding="utf-8")
    (inputs / "milestones.csv").write_text("key,date\n", encoding="utf-8")
    (inputs / "issued.csv").write_text("date,shares,paid\n", encoding="utf-8")
    (inputs / "outstanding.csv").write_text("date,shares\n2024-06-03,50000000\n", encoding="utf-8")
    (inputs / "holdings.csv").write_text("date,shares\n2024-06-03,0\n", encoding="utf-8")
    terms = facility_terms("lincoln_park")
    return build_template(terms, load_folder(inputs, terms))


def test_check_reads_each_request_from_the_ledger(tmp_path: Path) -> None:
    template = tmp_path / "lincoln.xlsx"
    _lincoln_template(tmp_path).save(template)
    assert LEDGER_NAME in openpyxl.load_workbook(template).defined_names
    with Office(extension_profile(tmp_path / "office")) as office, office.open(template) as book:
        book.calculate_all()
        draws = book.cells("Draws")
    heads = [str(cell) for cell in draws[2]]
    rows = draws[3:6]
    checks = [str(row[heads.index("Check")]) for row in rows]
    assert [row[heads.index("Shares")] for row in rows] == [50_000, 0, 75_000]
    assert [row[heads.index("Amount funded")] for row in rows] == [100_000, 0, 150_000]
    assert checks[0] == "OK"
    assert checks[1].startswith("BLOCKED")
    assert "100,000" in checks[1]
    assert checks[2] == "OK"
    assert BELOW_LEDGER not in " ".join(checks)


def test_a_request_typed_out_of_date_order_gets_its_own_status(tmp_path: Path) -> None:
    # The same three requests typed in the order 07-03, 07-01, 07-02: the ledger still takes them
    # in date order (07-01 funded, 07-02 over the share limit, 07-03 funded), and each row's Check
    # is its own request's status, not that of the request the ledger places at the row's number.
    template = tmp_path / "lincoln.xlsx"
    book = _lincoln_template(tmp_path)
    sheet = book["Draws"]
    heading = {cell.value: cell.column for cell in sheet[3] if cell.value}
    typed = [(dt.datetime(2024, 7, 3), 150_000), (dt.datetime(2024, 7, 1), 100_000)]
    typed.append((dt.datetime(2024, 7, 2), 300_000))
    for row, (day, amount) in enumerate(typed, start=4):
        sheet.cell(row, heading["Funding date"]).value = day
        sheet.cell(row, heading["Amount requested"]).value = amount
    book.save(template)
    with Office(extension_profile(tmp_path / "office")) as office, office.open(template) as opened:
        opened.calculate_all()
        draws = opened.cells("Draws")
    heads = [str(cell) for cell in draws[2]]
    rows = draws[3:6]
    checks = [str(row[heads.index("Check")]) for row in rows]
    assert checks[0] == "OK"
    assert checks[1] == "OK"
    assert checks[2].startswith("BLOCKED: per-purchase share limit exceeded: 150,000 shares")
    assert [row[heads.index("Amount funded")] for row in rows] == [150_000, 100_000, 0]


def test_a_request_below_the_ledger_is_told_to_extend_it(tmp_path: Path) -> None:
    # As when requests are typed below the rows the Schedule sheet's ledger covers: the ledger
    # (header and one request per row) is cut to the header and two rows, so the third request of
    # 2024-07-03 has no row in it. Its Check says so instead of reading another row or nothing.
    template = tmp_path / "lincoln.xlsx"
    book = _lincoln_template(tmp_path)
    sheet, block = book.defined_names[LEDGER_NAME].attr_text.split("!")
    top, bottom = block.split(":")  # the ledger's corners, as the template wrote them
    first_row, last_column = int(top.rsplit("$", 1)[1]), bottom.split("$")[1]
    book.defined_names[LEDGER_NAME].attr_text = f"{sheet}!{top}:${last_column}${first_row + 2}"
    book.save(template)
    with Office(extension_profile(tmp_path / "office")) as office, office.open(template) as opened:
        opened.calculate_all()
        draws = opened.cells("Draws")
    heads = [str(cell) for cell in draws[2]]
    checks = [str(row[heads.index("Check")]) for row in draws[3:6]]
    assert checks[0] == "OK"
    assert checks[1].startswith("BLOCKED")
    assert checks[2] == BELOW_LEDGER
    assert draws[5][heads.index("Amount funded")] == 0
