"""A template made from a terms file carries every term itself: it computes, and eql reads it,
where the file is not (another machine, the file moved or deleted).

Berg 2004 (a terms file of its own here, copied from the built-in one and then deleted): bids
3.00 .. 3.40 before 2004-07-12 (mean 3.20), 3.10 .. 3.50 before 07-13 (3.30); 3,000,000 / 3.20 is
937,500 shares and 3,000,000 / 3.30 = 909,090.9, nearest 909,091; the third request, of
2004-08-16, finds FY2005 Q2's 6,000,000 per-quarter limit used (worked by hand from the Berg 2004
terms, as in test_facility_packs).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from eql.cli import main
from eql.errors import TermsError
from eql.facility import load_folder
from eql.terms import TERMS_FILE, builtin_facilities, complete_terms, facility_terms, load_terms
from eql.workbook.template import build_template
from libreoffice import Office, extension_profile

DATA = Path(__file__).parent.parent / "addin" / "eql" / "data"
EPOCH = dt.date(1899, 12, 30)
PRICES = """date,closing_bid
2004-07-02,3.00
2004-07-06,3.10
2004-07-07,3.20
2004-07-08,3.30
2004-07-09,3.40
2004-07-12,3.50
2004-08-09,2.90
2004-08-10,2.95
2004-08-11,3.00
2004-08-12,3.05
2004-08-13,3.10
"""
DRAWS = """funding_date,amount,notes
2004-07-12,3000000,first
2004-07-13,3000000,second
2004-08-16,1000000,blocked by the quarter
"""
SHARES = [937_500, 909_091, 0]


def _as_cells(value: object) -> object:
    """A term as a spreadsheet hands its cell over: a date as a serial number, a number as a
    float, TRUE and FALSE as 1 and 0 (as LibreOffice hands them), a list as the text the template
    writes."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, dt.date):
        return float((value - EPOCH).days)
    if isinstance(value, Decimal):
        return float(value)
    return value


@pytest.mark.parametrize("name", builtin_facilities())
def test_terms_carried_whole_read_as_the_file(name: str) -> None:
    # Every shipped facility, its terms as cells: the same terms as its file gives.
    from_file = load_terms(DATA / f"{name}.toml")
    rows = [(TERMS_FILE, f"{name}.toml"), *((k, _as_cells(v)) for k, v in from_file.entries)]
    carried = complete_terms(rows)
    assert carried == from_file
    assert carried.versions == from_file.versions
    assert carried.source == f"{name}.toml"


def test_terms_carried_whole_refuse_a_term_that_makes_no_sense() -> None:
    rows = [(TERMS_FILE, "berg.toml"), *facility_terms("berg_2004").entries]
    bad = [(k, Decimal(85) if k == "pricing.factor" else v) for k, v in rows]
    with pytest.raises(TermsError, match=r"pricing\.factor"):
        complete_terms(bad)
    with pytest.raises(TermsError, match="facility"):
        complete_terms([*rows, ("facility", "berg_2004")])


@pytest.fixture
def moved_template(tmp_path: Path) -> Path:
    """A filled Berg 2004 template made from a terms file that is then deleted."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "prices.csv").write_text(PRICES, encoding="utf-8")
    (inputs / "draws.csv").write_text(DRAWS, encoding="utf-8")
    (inputs / "cash_used.csv").write_text("fiscal_quarter,cash_used\n", encoding="utf-8")
    (inputs / "milestones.csv").write_text("key,date\n", encoding="utf-8")
    terms_file = tmp_path / "our-line.toml"
    shutil.copy(DATA / "berg_2004.toml", terms_file)
    terms = load_terms(terms_file)
    template = tmp_path / "template.xlsx"
    build_template(terms, load_folder(inputs, terms)).save(template)
    terms_file.unlink()
    return template


def test_template_names_the_terms_file_only_by_name(moved_template: Path) -> None:
    sheet = openpyxl.load_workbook(moved_template)["Terms"]
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    assert rows[TERMS_FILE] == "our-line.toml"
    assert "facility" not in rows
    assert rows["facility.commitment"] == 20_000_000  # the Berg 2004 line: $20M
    folder = str(moved_template.parent)
    assert not any(folder in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


def test_schedule_reads_the_template_without_its_file(
    moved_template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schedule", "--inputs", str(moved_template), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [int(row["shares"] or 0) for row in rows] == SHARES
    assert rows[2]["status"].startswith("BLOCKED")


def test_libreoffice_computes_the_template_without_its_file(
    moved_template: Path, tmp_path: Path
) -> None:
    with (
        Office(extension_profile(tmp_path / "office")) as office,
        office.open(moved_template) as book,
    ):
        book.calculate_all()
        draws = book.cells("Draws")
    heads = [str(cell) for cell in draws[2]]
    shares = [row[heads.index("Shares")] for row in draws[3:6]]
    checks = [str(row[heads.index("Check")]) for row in draws[3:6]]
    assert shares == SHARES
    assert checks[:2] == ["OK", "OK"]
    assert checks[2].startswith("BLOCKED")
