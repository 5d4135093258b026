"""The README's terms file example is a facility eql reads and computes, worked by hand."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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


# --- facility files written from the README alone, through every surface ---------------------
#
# tests/resources/outsider/ holds two facility files written from the README's terms file format
# section alone, in the shapes of a Lincoln Park-style regular purchase agreement and of a
# standby equity purchase agreement, each with a folder of inputs. Their answers
# (tests/resources/outsider_facilities.csv) are worked by hand from the files and the XNAS
# calendar; each surface is held to them: the EQL_ functions, eql schedule, the quarter-end packs
# recalculated by LibreOffice, and eql check of a ledger kept as a finance team keeps one.

OUTSIDER = Path(__file__).parent / "resources" / "outsider"
OUTSIDER_PACKS = {"lincoln_park_shape": "FY2025 Q4", "sepa_shape": "FY2025 Q2"}


def _outsider_answers() -> list[dict[str, str]]:
    import csv

    path = Path(__file__).parent / "resources" / "outsider_facilities.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _outsider_terms(facility: str) -> list[list[str]]:
    return [["facility", str(OUTSIDER / f"{facility}.toml")]]


def _outsider_prices(facility: str) -> list[list[object]]:
    """The facility's prices.csv as a range: its header, then each row with numbers as numbers
    and a blank cell as None."""
    lines = (OUTSIDER / facility / "prices.csv").read_text(encoding="utf-8").splitlines()
    header, *body = (line.split(",") for line in lines)
    return [header, *([d, *(float(v) if v else None for v in rest)] for d, *rest in body)]


def _expected(text: str) -> object:
    from fractions import Fraction

    return text if text.startswith("#") else float(Fraction(text))


def _answer_id(row: dict[str, str]) -> str:
    return f"{row['facility']}-{row['date']}-{row['amount']}"


@pytest.mark.parametrize("row", _outsider_answers(), ids=_answer_id)
def test_an_outsider_facility_through_the_functions(row: dict[str, str]) -> None:
    terms = _outsider_terms(row["facility"])
    prices = _outsider_prices(row["facility"])
    dates = udfs.EQL_PRICING_DATES(row["date"], terms)
    assert [dates[0][0].date().isoformat(), dates[-1][0].date().isoformat()] == [
        row["first_session"],
        row["last_session"],
    ]
    assert udfs.EQL_AVG_CLOSE(row["date"], prices, terms) == _expected(row["value"])
    assert udfs.EQL_PRICE(row["date"], prices, terms) == _expected(row["price"])
    shares = udfs.EQL_DRAW_SHARES(row["date"], float(row["amount"]), prices, terms)
    if row["shares"].startswith("#"):
        assert shares == row["shares"]
    elif row["status"].startswith("OK"):
        assert shares == int(row["shares"])


@pytest.mark.parametrize("facility", sorted(OUTSIDER_PACKS))
def test_an_outsider_facility_through_eql_schedule(facility: str, tmp_path: Path) -> None:
    import csv

    from eql_command import eql

    out = tmp_path / "schedule.csv"
    done = eql(
        *("schedule", "--terms", str(OUTSIDER / f"{facility}.toml")),
        *("--inputs", str(OUTSIDER / facility), "--out", str(out)),
    )
    assert done.returncode == 0, done.stderr
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    answers = [row for row in _outsider_answers() if row["facility"] == facility]
    assert [(r["funding date"], r["amount requested"]) for r in rows] == [
        (a["date"], a["amount"]) for a in answers
    ]
    for got, answer in zip(rows, answers, strict=True):
        assert got["status"].replace(",", "").startswith(answer["status"]), got["status"]
        assert got["amount funded"] == answer["funded"]
        if not answer["shares"].startswith("#"):
            assert got["shares"] == answer["shares"]


def _headings(sheet: Any) -> dict[str, int]:
    return {str(cell.value): cell.column for cell in sheet[4] if cell.value is not None}


def _draw_row(sheet: Any, day: str, amount: str) -> int:
    import datetime as dt

    heading = _headings(sheet)
    for row in range(5, sheet.max_row + 1):
        date = sheet.cell(row, heading["Funding date"]).value
        requested = sheet.cell(row, heading["Requested"]).value
        on_day = isinstance(date, dt.datetime) and date.date().isoformat() == day
        if on_day and requested == float(amount):
            return row
    raise AssertionError(f"no Draws row for {day} {amount}")


def _prices_row(sheet: Any, day: str) -> int:
    for row in range(5, sheet.max_row + 1):
        value = sheet.cell(row, 1).value
        if value is not None and value.date().isoformat() == day:
            return row
    raise AssertionError(f"no Prices row for {day}")


# A wrong number planted in a copy of a pack, and the check that must turn FALSE: (facility,
# sheet, where (a Draws row's date and amount, a Prices row's date, or a Terms name), column
# heading, the wrong value, the Draws row (date, amount) whose check turns FALSE, and that check).
PLANTED: tuple[tuple[str, str, Any, str, float, tuple[str, str], str], ...] = (
    # the mean of the lowest closes taken for the price, the day's low 1.45 ignored
    (
        "lincoln_park_shape",
        "Draws",
        ("2025-04-07", "290000"),
        "Price",
        1.47,
        ("2025-04-07", "290000"),
        "Check: price",
    ),
    # the mean of all ten closes of the window (1.684), not of the 3 lowest
    (
        "lincoln_park_shape",
        "Draws",
        ("2025-04-22", "300000"),
        "Mean of 3 lowest closes",
        1.684,
        ("2025-04-22", "300000"),
        "Check: mean of 3 lowest closes",
    ),
    # the day's low mistyped in the prices
    (
        "lincoln_park_shape",
        "Prices",
        "2025-04-07",
        "Low",
        1.40,
        ("2025-04-07", "290000"),
        "Check: low",
    ),
    # the limit of a close of 2.00 or more taken below it
    (
        "lincoln_park_shape",
        "Draws",
        ("2025-04-22", "400000"),
        "Most shares a purchase may be",
        250000,
        ("2025-04-22", "400000"),
        "Check: share limit",
    ),
    # the purchase date's close, which the limit is read at, mistyped
    (
        "lincoln_park_shape",
        "Draws",
        ("2025-04-22", "400000"),
        "Close on the date",
        2.10,
        ("2025-04-22", "400000"),
        "Check: share limit",
    ),
    # a floor of 0.45: the request at 0.48 should not have been blocked
    (
        "lincoln_park_shape",
        "Terms",
        "FloorPrice",
        "",
        0.45,
        ("2025-05-12", "50000"),
        "Check: floor",
    ),
    # the mean of the window's VWAPs (2.1075), not the lowest
    (
        "sepa_shape",
        "Draws",
        ("2025-04-07", "1000000"),
        "Lowest VWAP",
        2.1075,
        ("2025-04-07", "1000000"),
        "Check: lowest VWAP",
    ),
    # a VWAP of the window mistyped in the prices
    (
        "sepa_shape",
        "Prices",
        "2025-04-21",
        "VWAP",
        1.9971,
        ("2025-04-16", "1500000"),
        "Check: VWAPs",
    ),
    # 0.96 x 1.9871 = 1.907616 rounded down is 1.9076; 1.9077 is rounded up
    (
        "sepa_shape",
        "Draws",
        ("2025-04-16", "1500000"),
        "Price",
        1.9077,
        ("2025-04-16", "1500000"),
        "Check: price",
    ),
)


def test_outsider_facilities_through_the_packs_in_libreoffice(tmp_path: Path) -> None:
    """Each pack shows the columns its facility needs, every check is TRUE in LibreOffice, the
    values are the hand-worked ones, and each planted wrong number turns its check FALSE."""
    import openpyxl

    from eql.cli import main
    from eql.workbook.pack import CHECK_STYLE
    from libreoffice import recalculate_many

    packs = {}
    for facility, quarter in OUTSIDER_PACKS.items():
        packs[facility] = tmp_path / f"{facility}.xlsx"
        arguments = ["quarter-end", "--terms", str(OUTSIDER / f"{facility}.toml")]
        arguments += ["--inputs", str(OUTSIDER / facility), "--quarter", quarter]
        assert main([*arguments, "--out", str(packs[facility])]) == 0
    planted = []
    for n, (facility, sheet_name, where, heading, wrong, _, _) in enumerate(PLANTED):
        book = openpyxl.load_workbook(packs[facility])
        sheet = book[sheet_name]
        if sheet_name == "Draws":
            sheet.cell(_draw_row(sheet, *where), _headings(sheet)[heading]).value = wrong
        elif sheet_name == "Prices":
            sheet.cell(_prices_row(sheet, where), _headings(sheet)[heading]).value = wrong
        else:  # a term, by its defined name
            sheet[book.defined_names[where].attr_text.split("!")[1].replace("$", "")] = wrong
        planted.append(tmp_path / f"planted-{n}.xlsx")
        book.save(planted[-1])
    order = [*packs.values(), *planted]
    computed = dict(zip(order, recalculate_many(order, tmp_path / "computed"), strict=True))

    def failing(path: Path) -> set[tuple[str, int, str]]:
        written = openpyxl.load_workbook(path)
        values = openpyxl.load_workbook(computed[path], data_only=True)
        found = set()
        for sheet in written.worksheets:
            heading = {v: k for k, v in _headings(sheet).items()}
            for line in sheet.iter_rows():
                for cell in line:
                    if cell.style == CHECK_STYLE:
                        value = values[sheet.title][cell.coordinate].value
                        if value is not True:
                            found.add((sheet.title, cell.row, heading.get(cell.column, "")))
        return found

    for path in packs.values():
        assert failing(path) == set()
    for path, (facility, _, _, _, _, request, check) in zip(planted, PLANTED, strict=True):
        row = _draw_row(openpyxl.load_workbook(packs[facility])["Draws"], *request)
        assert ("Draws", row, check) in failing(path), (facility, request, check)

    # The columns each facility needs and no others, and the hand-worked values.
    lincoln = openpyxl.load_workbook(computed[packs["lincoln_park_shape"]], data_only=True)
    sepa = openpyxl.load_workbook(computed[packs["sepa_shape"]], data_only=True)
    assert list(_headings(lincoln["Prices"])) == ["Date", "Close", "Low"]
    assert list(_headings(sepa["Prices"])) == ["Date", "VWAP"]
    sepa_headings = list(_headings(sepa["Draws"]))
    assert {"VWAP 3", "Lowest VWAP", "Check: VWAPs"} <= set(sepa_headings)
    unneeded = {"Low on the date", "Most shares a purchase may be", "Check: low", "Check: floor"}
    assert [h for h in sepa_headings if h.startswith("Close") or h in unneeded] == []
    lincoln_headings = _headings(lincoln["Draws"])
    assert {
        "Close 10",
        "Low on the date",
        "Close on the date",
        "Most shares a purchase may be",
    } <= set(lincoln_headings)
    for facility, book in (("lincoln_park_shape", lincoln), ("sepa_shape", sepa)):
        draws = book["Draws"]
        heading = _headings(draws)
        for answer in (a for a in _outsider_answers() if a["facility"] == facility):
            row = _draw_row(draws, answer["date"], answer["amount"])
            assert draws.cell(row, heading["Funded"]).value == float(answer["funded"])
            assert (
                str(draws.cell(row, heading["Status"]).value)
                .replace(",", "")
                .startswith(answer["status"])
            )
            price = draws.cell(row, heading["Price"]).value
            if answer["price"].startswith("#N/A price pending"):
                assert price == answer["price"]  # pending, never a blank or a number
            elif not answer["price"].startswith("#"):
                assert price == pytest.approx(_expected(answer["price"]), abs=1e-12)
                assert draws.cell(row, heading["Shares"]).value == int(answer["shares"])
    # The pending advance shows its sessions, the VWAPs entered by the quarter's end (2.31 on
    # 2025-06-27, 2.28 on 06-30) and that the rest, and so the price and shares, are pending.
    sepa_heading = _headings(sepa["Draws"])
    pending = _draw_row(sepa["Draws"], "2025-06-26", "500000")
    assert [sepa["Draws"].cell(pending, sepa_heading[f"VWAP {n}"]).value for n in (1, 2, 3)] == [
        2.31,
        2.28,
        None,
    ]
    assert sepa["Draws"].cell(pending, sepa_heading["Shares"]).value == "pending"
    # Its price cell says why in full, wrapped in the cell rather than cut by the next column.
    assert sepa["Draws"].cell(pending, sepa_heading["Price"]).alignment.wrap_text
    # The request the floor blocked shows the price it would have had: the low 0.48, below the
    # mean of the lowest closes, 0.52.
    floor_row = _draw_row(lincoln["Draws"], "2025-05-12", "50000")
    assert lincoln["Draws"].cell(floor_row, lincoln_headings["Price"]).value == 0.48
    assert (
        lincoln["Draws"].cell(floor_row, lincoln_headings["Mean of 3 lowest closes"]).value == 0.52
    )
    # The SEPA-shape file names no condition to funding and no milestone, and no limit that is a
    # factor of something (a limit a draw and the commitment): the Conditions sheet says so in a
    # sentence, and the Limits sheet's factor columns are hidden, not left empty under headings.
    conditions = [c for row in sepa["Conditions"].iter_rows(values_only=True) for c in row if c]
    assert "These terms name no condition to funding and no milestone." in conditions
    assert "Clause" not in conditions
    assert [sepa["Limits"].column_dimensions[c].hidden for c in "HI"] == [True, True]


def _team_ledger(path: Path, facility: str, rows: list[tuple[str, float, float, int]]) -> None:
    """A ledger as a finance team keeps one: a sheet of funded draws with their price and shares,
    and the prices on a sheet of their own under the headings of prices.csv."""
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    ledger = book.active
    assert ledger is not None
    ledger.title = "Draw ledger"
    ledger.append(["Funding date", "Draw amount", "Purchase price", "Shares issued"])
    for day, amount, price, shares in rows:
        ledger.append([dt.date.fromisoformat(day), amount, price, shares])
    prices = book.create_sheet("Market data")
    header, *body = _outsider_prices(facility)
    prices.append([str(h).title() if h != "vwap" else "VWAP" for h in header])
    for date, *values in body:
        prices.append([dt.date.fromisoformat(str(date)), *values])
    book.save(path)


def _funded_answers(facility: str) -> list[tuple[str, float, float, int]]:
    """The requests the terms fund whose price is set, as a ledger records them (the price to
    four places, as ledgers show it)."""
    return [
        (a["date"], float(a["amount"]), round(float(_expected(a["price"])), 4), int(a["shares"]))
        for a in _outsider_answers()
        if a["facility"] == facility and a["status"] == "OK" and not a["price"].startswith("#")
    ]


# Ledgers that differ from the terms, each row a draw a finance team might have booked, and the
# kind of finding and the words eql check must report for it.
WRONG_LEDGER_ROWS = (
    # priced at the mean of the lowest closes, the day's low (1.45) ignored
    ("lincoln_park_shape", ("2025-04-07", 290000.0, 1.47, 197278), "price", "day's low 1.45"),
    # funded below the floor price
    ("lincoln_park_shape", ("2025-05-12", 50000.0, 0.48, 104166), "condition", "floor price 0.50"),
    # more shares in one purchase than its price allows
    ("lincoln_park_shape", ("2025-04-22", 400000.0, 1.6367, 244399), "limit", "limit of 200,000"),
    # 1,500,000 / 1.9076 = 786,328.37 rounded up, not down
    ("sepa_shape", ("2025-04-16", 1500000.0, 1.9076, 786329), "shares", "786,328 by the terms"),
)


@pytest.mark.parametrize("facility", sorted(OUTSIDER_PACKS))
def test_an_outsider_facility_through_eql_check(facility: str, tmp_path: Path) -> None:
    import json

    from eql_command import eql

    terms = ("--terms", str(OUTSIDER / f"{facility}.toml"), "--json")
    right = tmp_path / "right.xlsx"
    _team_ledger(right, facility, _funded_answers(facility))
    done = eql("check", str(right), *terms)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["inputs"]["prices"] == "sheet 'Market data'"
    for n, (name, wrong, kind, words) in enumerate(WRONG_LEDGER_ROWS):
        if name != facility:
            continue
        rows = [row for row in _funded_answers(facility) if row[0] != wrong[0]]
        path = tmp_path / f"wrong-{n}.xlsx"
        _team_ledger(path, facility, sorted([*rows, wrong]))
        done = eql("check", str(path), *terms)
        assert done.returncode == 1, done.stdout + done.stderr
        report = json.loads(done.stdout)
        findings = [f for row in report["rows"] for f in row["findings"]]
        found = [f for f in findings if f["kind"] == kind and words in f["message"]]
        assert found, findings


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """LibreOffice with eql's extension, as a user installs it, for this module's templates."""
    from libreoffice import Office, extension_profile

    with Office(extension_profile(tmp_path_factory.mktemp("office"))) as running:
        yield running


def test_outsider_facilities_through_the_template_in_libreoffice(
    tmp_path: Path, office: Any
) -> None:
    """The template of each facility file heads its prices as the terms read them, and filled
    with the facility's inputs, LibreOffice with eql's extension computes every request as worked
    by hand: a request the floor or the per-purchase share limit blocks funds nothing. The copy
    LibreOffice saves is read back by eql schedule."""
    import csv

    import openpyxl

    from eql.facility import load_folder
    from eql.workbook.template import build_template
    from eql_command import eql

    empty = tmp_path / "empty.xlsx"
    done = eql("template", "--terms", str(OUTSIDER / "sepa_shape.toml"), "--out", str(empty))
    assert done.returncode == 0, done.stderr
    prices = openpyxl.load_workbook(empty)["Prices"]
    assert [cell.value for cell in prices[3] if cell.value] == ["Date", "VWAP"]
    for facility in sorted(OUTSIDER_PACKS):
        terms = load_terms(OUTSIDER / f"{facility}.toml")
        filled = tmp_path / f"{facility}.xlsx"
        build_template(terms, load_folder(OUTSIDER / facility, terms)).save(filled)
        with office.open(filled) as book:
            book.calculate_all()
            draws = book.cells("Draws")
            headings = book.cells("Prices")[2]
            saved = book.save_xlsx(tmp_path / f"{facility}-computed.xlsx")
        wanted = ["Date", "Close", "Low"] if facility == "lincoln_park_shape" else ["Date", "VWAP"]
        assert [h for h in headings if h] == wanted
        heading = {str(name): n for n, name in enumerate(draws[2]) if name}
        answers = [a for a in _outsider_answers() if a["facility"] == facility]
        for row, answer in zip(draws[3:], answers, strict=False):
            assert row[heading["Amount requested"]] == float(answer["amount"])
            assert str(row[heading["Check"]]).replace(",", "").startswith(answer["status"])
            assert row[heading["Amount funded"]] == float(answer["funded"])
            price = row[heading["Price"]]
            if answer["price"].startswith("#"):
                assert str(price).startswith(answer["price"][:24]), price
            else:
                assert price == pytest.approx(_expected(answer["price"]), abs=1e-12)
            if answer["funded"] != "0" and not answer["shares"].startswith("#"):
                assert row[heading["Shares"]] == int(answer["shares"])
        out = tmp_path / f"{facility}-schedule.csv"
        done = eql("schedule", "--inputs", str(saved), "--out", str(out))
        assert done.returncode == 0, done.stderr
        with out.open(newline="", encoding="utf-8") as fh:
            statuses = [row["status"].replace(",", "") for row in csv.DictReader(fh)]
        assert [s[: len(a["status"])] for s, a in zip(statuses, answers, strict=True)] == [
            a["status"] for a in answers
        ]


def test_the_template_prints_on_the_paper_of_the_facilitys_currency(tmp_path: Path) -> None:
    # A4 (the file format's paper size 9) for a facility in euros, US Letter (1) for one in
    # dollars, on every sheet, as the packs print.
    from eql.workbook.template import build_template

    path = _example(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        'calendar = "XNAS"', 'calendar = "XNAS"\ncurrency = "EUR"'
    )
    path.write_text(text, encoding="utf-8")
    euro = build_template(load_terms(path))
    assert {sheet.page_setup.paperSize for sheet in euro.worksheets} == {9}
    dollar = build_template(load_terms(OUTSIDER / "sepa_shape.toml"))
    assert {sheet.page_setup.paperSize for sheet in dollar.worksheets} == {1}


# The built-in SEPA-style facility's advance limit by traded value (tests/resources/
# traded_value.csv, worked by hand): the 5 sessions before the notice of 2024-06-17 traded
# 200,000, 252,000, 156,000, 307,500 and 110,000 (VWAP x volume), a mean of 205,100. The row of
# 06-07 is outside the window.
TRADED = """date,vwap,volume
2024-06-07,1.00,1000000
2024-06-10,2.00,100000
2024-06-11,2.10,120000
2024-06-12,1.95,80000
2024-06-13,2.05,150000
2024-06-14,2.20,50000
2024-06-18,2.25,90000
2024-06-20,2.40,90000
2024-06-21,2.35,90000
"""


def test_a_template_whose_limit_reads_market_data(tmp_path: Path, office: Any) -> None:
    # The notice of 2024-06-17: 200,000 fits the 205,100 the traded value allows, 300,000 does
    # not. The Draws' EQL_CAP and EQL_CHECK are handed the prices the limit reads.
    from eql.facility import load_folder
    from eql.terms import facility_terms
    from eql.workbook.template import build_template

    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "prices.csv").write_text(TRADED, encoding="utf-8")
    (folder / "draws.csv").write_text(
        "funding_date,amount,notes\n2024-06-17,200000,\n2024-06-17,300000,\n", encoding="utf-8"
    )
    (folder / "cash_used.csv").write_text("fiscal_quarter,cash_used\n", encoding="utf-8")
    (folder / "milestones.csv").write_text("key,date\n", encoding="utf-8")
    # Counts far from the facility's share caps, which the ledger checks too.
    (folder / "outstanding.csv").write_text("date,shares\n2024-06-01,100000000\n", encoding="utf-8")
    (folder / "holdings.csv").write_text("date,shares\n2024-06-01,0\n", encoding="utf-8")
    terms = facility_terms("yorkville_sepa")
    filled = tmp_path / "sepa.xlsx"
    build_template(terms, load_folder(folder, terms)).save(filled)
    with office.open(filled) as book:
        book.calculate_all()
        draws = book.cells("Draws")
        prices = book.cells("Prices")[2]
    assert [h for h in prices if h] == ["Date", "VWAP", "Volume"]
    heading = {str(name): n for n, name in enumerate(draws[2]) if name}
    first, second = draws[3], draws[4]
    assert first[heading["Cap"]] == 205_100
    assert first[heading["Check"]] == "OK"
    assert first[heading["Amount funded"]] == 200_000
    assert str(second[heading["Check"]]).startswith("BLOCKED: advance traded value exceeded")
    assert second[heading["Amount funded"]] == 0


# The Lincoln Park-shaped file with share caps added as the README's share caps section says:
# an exchange cap of 19.99 % of the 5,000,000 shares outstanding at signing (999,500 shares) and
# a 9.99 % ownership cap; 50,000 commitment shares issued at signing, held by the investor.
SHARE_CAPS = """
[share_caps.exchange]
kind = "exchange"
share = 0.1999
signed = 2025-03-03
source = "illustrative: the exchange's 19.99 % rule"

[share_caps.ownership]
kind = "ownership"
share = 0.0999
source = "illustrative: a 9.99 % beneficial ownership limit"
"""
SHARE_COUNTS = {
    "outstanding.csv": "date,shares\n2025-02-28,5000000\n2025-05-01,5600000\n",
    "holdings.csv": "date,shares\n2025-03-03,50000\n2025-05-01,300000\n",
    "issued.csv": "date,shares,amount_paid\n2025-03-03,50000,0\n",
}


def test_share_caps_through_the_ledger_and_the_pack(tmp_path: Path) -> None:
    """Worked by hand. The ledger: on 2025-04-22 the second request, 244,399 shares, is over the
    ownership room: outstanding 5,000,000 + 50,000 + 200,000 + 183,299 = 5,433,299, held 50,000
    + 200,000 + 183,299 = 433,299, room (0.0999 x 5,433,299 - 433,299) / 0.9001 = 121,639.35,
    121,639. On 2025-06-30: 533,299 shares issued (50,000 + 200,000 + 183,299 + 100,000); the
    exchange room 999,500 - 533,299 = 466,201; outstanding 5,600,000 (2025-05-01) + 100,000 issued
    since = 5,700,000, held 300,000 + 100,000 = 400,000, room (569,430 - 400,000) / 0.9001 =
    188,234.64, 188,234, which binds. LibreOffice recomputes each natively; a wrong number planted
    turns its check FALSE."""
    import shutil

    import openpyxl

    from eql.cli import main
    from libreoffice import recalculate_many

    terms = tmp_path / "capped.toml"
    terms.write_text(
        (OUTSIDER / "lincoln_park_shape.toml").read_text(encoding="utf-8") + SHARE_CAPS,
        encoding="utf-8",
    )
    inputs = tmp_path / "inputs"
    shutil.copytree(OUTSIDER / "lincoln_park_shape", inputs)
    for name, text in SHARE_COUNTS.items():
        (inputs / name).write_text(text, encoding="utf-8")
    pack = tmp_path / "pack.xlsx"
    arguments = ["quarter-end", "--terms", str(terms), "--inputs", str(inputs)]
    assert main([*arguments, "--quarter", "FY2025 Q4", "--out", str(pack)]) == 0
    book = openpyxl.load_workbook(pack)
    draws = book["Draws"]
    status = draws.cell(_draw_row(draws, "2025-04-22", "400000"), 4).value
    assert "ownership exceeded: 244,399 shares asked, 121,639 room left" in str(status)
    caps = book["Share caps"]
    rows = {row[0]: row[1:5] for row in caps.iter_rows(min_row=5, max_row=7, values_only=True)}
    assert rows["exchange"] == (0.1999, 5_000_000, 533_299, 466_201)
    assert rows["ownership"] == (0.0999, 5_700_000, 400_000, 188_234)
    assert rows["Share room"][3] == 188_234
    planted = tmp_path / "planted.xlsx"
    caps.cell(6, 5).value = 188_235
    book.save(planted)
    computed = recalculate_many([pack, planted], tmp_path / "computed")
    written = openpyxl.load_workbook(pack)
    checks = [
        (sheet.title, cell.coordinate)
        for sheet in written.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.style == "eql check"
    ]
    right = openpyxl.load_workbook(computed[0], data_only=True)
    assert [c for c in checks if right[c[0]][c[1]].value is not True] == []
    assert [c for c in checks if c[0] == "Share caps"] == [
        ("Share caps", f"{column}{row}") for row in (5, 6) for column in "GHI"
    ]
    wrong = openpyxl.load_workbook(computed[1], data_only=True)
    assert [c for c in checks if wrong[c[0]][c[1]].value is not True] == [("Share caps", "I6")]


def test_share_caps_through_the_template_in_libreoffice(tmp_path: Path, office: Any) -> None:
    # The same facility and counts as above, in the template: its Issued, Outstanding and
    # Holdings tables feed the ledger each Check reads, so the 244,399-share request is over the
    # ownership room of 121,639 in LibreOffice too; the copy LibreOffice saves reads back.
    import shutil

    from eql.facility import load_folder
    from eql.workbook.template import build_template
    from eql_command import eql

    terms_file = tmp_path / "capped.toml"
    terms_file.write_text(
        (OUTSIDER / "lincoln_park_shape.toml").read_text(encoding="utf-8") + SHARE_CAPS,
        encoding="utf-8",
    )
    inputs = tmp_path / "inputs"
    shutil.copytree(OUTSIDER / "lincoln_park_shape", inputs)
    for name, text in SHARE_COUNTS.items():
        (inputs / name).write_text(text, encoding="utf-8")
    terms = load_terms(terms_file)
    filled = tmp_path / "capped.xlsx"
    build_template(terms, load_folder(inputs, terms)).save(filled)
    with office.open(filled) as book:
        book.calculate_all()
        draws = book.cells("Draws")
        outstanding = book.cells("Outstanding")
        saved = book.save_xlsx(tmp_path / "capped-computed.xlsx")
    assert [row[:2] for row in outstanding[3:5]] == [[45716.0, 5_000_000.0], [45778.0, 5_600_000.0]]
    heading = {str(name): n for n, name in enumerate(draws[2]) if name}
    answers = [a for a in _outsider_answers() if a["facility"] == "lincoln_park_shape"]
    for row, answer in zip(draws[3:], answers, strict=False):
        assert row[heading["Amount funded"]] == float(answer["funded"])
    over = draws[3 + 2][heading["Check"]]
    assert "ownership exceeded: 244,399 shares asked, 121,639 room left" in str(over)
    out = tmp_path / "schedule.csv"
    done = eql("schedule", "--inputs", str(saved), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "121,639 room left" in out.read_text(encoding="utf-8")


def test_share_caps_through_eql_check(tmp_path: Path) -> None:
    # A team's ledger of the capped facility above with its counts on sheets of their own: the
    # three purchases the terms fund agree; booking the 2025-04-22 request of 400,000 at 1.6367
    # (244,399 shares) is over the ownership room of 121,639 as well as the share limit.
    import datetime as dt
    import json

    import openpyxl

    from eql_command import eql

    terms = tmp_path / "capped.toml"
    terms.write_text(
        (OUTSIDER / "lincoln_park_shape.toml").read_text(encoding="utf-8") + SHARE_CAPS,
        encoding="utf-8",
    )

    def ledger(path: Path, rows: list[tuple[str, float, float, int]]) -> None:
        _team_ledger(path, "lincoln_park_shape", rows)
        book = openpyxl.load_workbook(path)
        for title, heading, text in (
            ("Shares outstanding", "Shares outstanding", SHARE_COUNTS["outstanding.csv"]),
            ("Investor", "Shares held", SHARE_COUNTS["holdings.csv"]),
        ):
            sheet = book.create_sheet(title)
            sheet.append(["Date", heading])
            for line in text.splitlines()[1:]:
                day, count = line.split(",")
                sheet.append([dt.date.fromisoformat(day), int(count)])
        book.save(path)

    funded = _funded_answers("lincoln_park_shape")
    right = tmp_path / "right.xlsx"
    ledger(right, funded)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "issued.csv").write_text(SHARE_COUNTS["issued.csv"], encoding="utf-8")
    arguments = ("--terms", str(terms), "--inputs", str(inputs), "--json")
    done = eql("check", str(right), *arguments)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["inputs"]["outstanding"] == "sheet 'Shares outstanding'"
    assert report["inputs"]["holdings"] == "sheet 'Investor'"
    wrong = tmp_path / "wrong.xlsx"
    ledger(wrong, sorted([*funded, ("2025-04-22", 400000.0, 1.6367, 244399)]))
    done = eql("check", str(wrong), *arguments)
    assert done.returncode == 1, done.stdout + done.stderr
    findings = [f["message"] for row in json.loads(done.stdout)["rows"] for f in row["findings"]]
    assert any("ownership exceeded: 244,399 shares asked, 121,639 room left" in f for f in findings)


def test_the_template_hides_the_inputs_a_facility_never_reads() -> None:
    # The SEPA-shaped file has no cash-used limit and no milestones: their sheets are hidden (the
    # formulas still pass their tables); the built-in Valence terms read both.
    from eql.terms import default_terms
    from eql.workbook.template import build_template

    sepa = build_template(load_terms(OUTSIDER / "sepa_shape.toml"))
    assert {s.title for s in sepa.worksheets if s.sheet_state == "hidden"} == {
        "CashUsed",
        "Milestones",
    }
    valence = build_template(default_terms())
    assert [s.title for s in valence.worksheets if s.sheet_state == "hidden"] == []


def test_the_terminal_schedule_gives_a_reason_once() -> None:
    from eql_command import eql

    # The request of 2025-05-12 in the Lincoln Park-shape file is priced at the day's low 0.48,
    # under the floor of 0.50: its price and shares cannot be computed, and its status says why.
    # The terminal table shows #N/A in those columns and the reason once, in the status.
    done = eql(
        *("schedule", "--terms", str(OUTSIDER / "lincoln_park_shape.toml")),
        *("--inputs", str(OUTSIDER / "lincoln_park_shape"), "--wide"),
    )
    assert done.returncode == 0, done.stderr
    table = " ".join(done.stdout.split())  # the status wraps to the terminal's width
    reason = "no purchase on 2025-05-12: the price 0.48 is below the floor price 0.50"
    assert table.count(reason) == 1, table
