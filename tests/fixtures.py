"""What several test modules share: the hand-worked answer tables, read into the ranges Excel
hands the functions.

Every expected value in tests/resources/*.csv was worked by hand from the term sheet and the XNAS
session list; none is computed by eql code. Each row's ``why`` column says what it pins down and
shows the arithmetic.

Encodings used in the CSV files:

* lists are ``;``-separated;
* ``draws``: ``date:amount``; ``cash_used``: ``FY2003 Q1=amount``;
* ``reductions``: ``date:elected`` (2 columns) or ``date:third_party:elected`` (3 columns);
* ``milestones``: ``KEY=date`` with an empty date meaning a blank cell;
* ``closes`` are mapped in order onto ``sessions``; an empty close means the row is missing;
* ``extra`` holds decoy ``date:close`` rows that must not be used;
* ``terms``: ``name=value`` overrides of the built-in terms, empty for the built-in terms.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from eql import udfs

RESOURCES = Path(__file__).parent / "resources"
CLAUSES = ("(i)", "(ii)", "(iii)", "(iv)", "(v)", "(vi)")
CONDITION_CLAUSES = ("(i)", "(ii)", "(iii)", "(iv)", "(vi)")


def answer_rows(name: str) -> list[Any]:
    with (RESOURCES / name).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [pytest.param(row, id=f"{i + 2}-{row_id(row)}") for i, row in enumerate(rows)]


def row_id(row: dict[str, str]) -> str:
    first = next(iter(row.values()))
    return first.replace(" ", "_")


def day(text: str) -> dt.datetime:
    """An ISO date as Excel hands a date cell to xlwings: a naive midnight datetime."""
    return dt.datetime.fromisoformat(text.strip())


def items(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def draws_range(text: str) -> list[list[Any]] | None:
    if not text.strip():
        return None
    rows: list[list[Any]] = []
    for item in items(text):
        date, amount = item.split(":")
        rows.append([day(date), float(amount)])
    return rows


def cash_range(text: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for item in items(text):
        label, amount = item.split("=")
        rows.append([label.strip(), float(amount)])
    return rows


def reductions_range(text: str) -> list[list[Any]] | None:
    if not text.strip():
        return None
    rows: list[list[Any]] = []
    for item in items(text):
        date, *amounts = item.split(":")
        rows.append([day(date), *(float(a) for a in amounts)])
    return rows


def milestones_range(text: str) -> list[list[Any]] | None:
    if not text.strip():
        return None
    rows: list[list[Any]] = []
    for item in items(text):
        key, date = item.split("=")
        rows.append([key.strip(), day(date) if date.strip() else None])
    return rows


def prices_range(row: dict[str, str]) -> list[list[Any]]:
    sessions = items(row["sessions"])
    closes = [c.strip() for c in row["closes"].split(";")]
    assert len(closes) == len(sessions), "answers file: closes must match sessions"
    rows: list[list[Any]] = [["Date", "Close"]]
    for session, close in zip(sessions, closes, strict=True):
        if close:
            rows.append([day(session), float(close)])
    for item in items(row["extra"]):
        date, close = item.split(":")
        rows.append([day(date), float(close)])
    return rows


def exact(text: str) -> float:
    return float(Decimal(text))


def assert_error(result: Any, prefix: str) -> None:
    assert isinstance(result, str), f"expected error text starting {prefix!r}, got {result!r}"
    assert result.startswith(prefix), result


def assert_clauses(result: str, failing: list[str], universe: tuple[str, ...]) -> None:
    for clause in universe:
        if clause in failing:
            assert clause in result, f"{clause} missing from {result!r}"
        else:
            assert clause not in result, f"{clause} should not be in {result!r}"


def assert_status(result: str, expect: list[str], universe: tuple[str, ...]) -> None:
    """The clauses of ``expect`` (``(ii)``) fail in ``result`` and no others; a ``waived: ii, iv``
    item is the note the text ends with, and without one the text names no waiver."""
    assert_clauses(result, [e for e in expect if not e.startswith("waived:")], universe)
    notes = [e for e in expect if e.startswith("waived:")]
    if notes:
        assert result.endswith(f"({notes[0]})"), f"{notes[0]!r} not at the end of {result!r}"
    else:
        assert "waived" not in result, result


def terms_range(text: str) -> list[list[str]] | None:
    """``name=value;name=value`` as the two-column Terms range of a formula; empty: built-in."""
    if not text.strip():
        return None
    return [[part.strip() for part in item.split("=", 1)] for item in items(text)]


def closes_range(text: str) -> list[list[Any]]:
    """``date:close;date:close`` as a (date, close) range."""
    return [[day(date), float(close)] for date, close in (i.split(":") for i in items(text))]


def assert_check_answer(result: object, row: dict[str, str]) -> None:
    """An EQL_CHECK result against its row of checks.csv: the ``OK`` text it gives; an error
    (``#``); a date outside the term (``outside``); or the clauses (and waivers) that fail and the
    words the reasons must mention."""
    assert isinstance(result, str), result
    expect = items(row["expect"])
    if row["expect"].startswith("OK"):
        assert result == row["expect"]
        return
    assert not result.startswith("OK"), result
    if expect == ["#"]:
        assert_error(result, "#")
        return
    if expect == ["outside"]:
        return
    assert not result.startswith("#"), result
    assert_status(result, [e for e in expect if e.startswith(("(", "waived:"))], CLAUSES)
    for word in (e for e in expect if not e.startswith(("(", "waived:"))):
        assert word in result.lower(), f"{word!r} not mentioned in {result!r}"


# The sessions before 2002-04-02 are 03-25 .. 03-28 and 04-01 (Good Friday 03-29 closed); the
# closes average 2.50, so the price at 85 % is 2.125 (term sheet, worked example of 2002-04-02).
APRIL_2_CLOSES: list[list[Any]] = [
    ["2002-03-25", 2.40],
    ["2002-03-26", 2.50],
    ["2002-03-27", 2.60],
    ["2002-03-28", 2.45],
    ["2002-04-01", 2.55],
]


def facility_answers(name: str) -> list[Any]:
    """The rows of a built-in facility's answer file (``#`` lines are comments), one test each,
    named by function, date or amount, and position."""
    with (RESOURCES / name).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return [
        pytest.param(row, id=f"{row['function']}-{row['date'] or row['amount']}-{n}")
        for n, row in enumerate(rows)
    ]


def colon_pairs(text: str) -> list[list[str]]:
    """``date:value;date:value`` as its pairs of text."""
    return [part.split(":") for part in text.split(";") if part]


def series_range(text: str, heading: str) -> list[list[Any]]:
    """``date:value;...`` as a price range headed ``Date`` and ``heading`` (``Bid``, ``VWAP``)."""
    return [["Date", heading], *([date, float(value)] for date, value in colon_pairs(text))]


def dated_amounts_range(text: str) -> list[list[Any]] | None:
    """``date:amount;...`` as a Draws range; empty text: no range."""
    return [[date, float(amount)] for date, amount in colon_pairs(text)] or None


def assert_facility_check(
    row: dict[str, str], cash_used: list[list[Any]], terms: list[list[Any]], blocked: str
) -> None:
    """EQL_CHECK of a facility answer row's draw against its ``expect``: ``OK``, ``outside`` (the
    term), or the limit that blocks it, named in the reason as ``<expect> <blocked>``."""
    result = udfs.EQL_CHECK(
        row["date"],
        float(row["amount"]),
        dated_amounts_range(row["draws"]),
        cash_used,
        None,
        None,
        terms,
    )
    expect = row["expect"]
    if expect == "OK":
        assert result == "OK"
    elif expect == "outside":
        assert "outside the term" in result, result
    else:
        assert result.startswith("BLOCKED"), result
        assert f"{expect} {blocked}" in result, result


def lincoln_park_answers(name: str = "lincoln_park.csv") -> list[Any]:
    """The rows of a Lincoln Park-shaped answer file (``#`` lines are comments), one test each."""
    with (RESOURCES / name).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return [
        pytest.param(row, id=f"{row['function']}-{row['purchase_date']}-{n}")
        for n, row in enumerate(rows)
    ]


def lincoln_park_terms(text: str) -> list[list[Any]]:
    """The Terms range of a Lincoln Park answer row: the facility, then its ``name=value`` rows."""
    extra = [part.split("=") for part in text.split(";") if part]
    return [["facility", "lincoln_park"], *extra]


def lincoln_park_prices(row: dict[str, str], as_date: Any = str) -> list[list[Any]]:
    """(date, close, low): the window's closes, then the purchase date with its close and low
    (a blank close or low: an empty cell). ``as_date`` turns ISO text into the date a host
    hands over (text for the Python functions, a date cell for a spreadsheet)."""
    closes = [part.split(":") for part in row["closes"].split(";") if part]
    close = float(row["close"]) if row["close"] else None
    day_row: list[Any] = [as_date(row["purchase_date"]), close]
    if row["low"]:
        day_row.append(float(row["low"]))
    return [["Date", "Close", "Low"], *([as_date(d), float(c)] for d, c in closes), day_row]


# tests/resources/share_room.csv: ``issued`` is ``date:shares:paid;...``, ``outstanding`` and
# ``holdings`` are ``date:shares;...``; ``facility`` names a built-in facility, or
# ``valence_whatif``: the built-in Valence terms with valence_share_cap_whatif.toml appended.
VALENCE_WHATIF = "valence_whatif"


def valence_whatif_terms(folder: Path) -> Path:
    """The Valence what-if terms file, written in ``folder``: the built-in terms and the
    illustrative exchange cap of tests/resources, one after the other."""
    builtin = Path(__file__).parents[1] / "addin" / "eql" / "data" / "valence_2002.toml"
    path = folder / "valence_whatif.toml"
    path.write_text(
        builtin.read_text(encoding="utf-8")
        + "\n"
        + (RESOURCES / "valence_share_cap_whatif.toml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    return path


def share_room_ranges(
    row: dict[str, str], whatif: Path
) -> tuple[Any, list[list[Any]], list[list[Any]], list[list[Any]], float | None, list[list[str]]]:
    """A share_room.csv row as the arguments of EQL_SHARE_ROOM: day, issued, outstanding,
    holdings, price (None: not given) and the Terms range naming the facility."""
    issued = [
        [day(d), float(s), float(p)] for d, s, p in (i.split(":") for i in items(row["issued"]))
    ]
    outstanding = [[day(d), float(s)] for d, s in colon_pairs(row["outstanding"])]
    holdings = [[day(d), float(s)] for d, s in colon_pairs(row["holdings"])]
    facility = str(whatif) if row["facility"] == VALENCE_WHATIF else row["facility"]
    terms = [["facility", facility], *(terms_range(row["terms"]) or [])]
    price = float(row["price"]) if row["price"].strip() else None
    return day(row["date"]), issued, outstanding, holdings, price, terms


ACCELERATED_HEADER = ["Date", "Close", "Low", "VWAP", "Volume"]


def accelerated_prices(row: dict[str, str], as_date: Any = str) -> list[list[Any]]:
    """``date:close:low:vwap:volume;...`` as a prices range headed ``ACCELERATED_HEADER`` (a
    blank field: an empty cell); ``as_date`` as for :func:`lincoln_park_prices`."""
    rows: list[list[Any]] = [list(ACCELERATED_HEADER)]
    for item in items(row["prices"]):
        date, *fields = item.split(":")
        rows.append([as_date(date), *(float(field) if field else None for field in fields)])
    return rows


# tests/resources/share_schedule.csv: the inputs of its two Yorkville-shaped ledgers. Every
# session's VWAP is 2.00 (the price is 0.97 x 2.00 = 1.94); 10,000,000 shares outstanding before
# signing; the investor held none on 2024-06-28; 50,000 commitment shares and a purchase of
# 1,600,000 shares for 3,200,000 were issued before the ledger.
# Every session's volume is 1,000,000 shares, so the SEPA's advance limit by traded value (the
# mean of VWAP x volume of the 5 sessions before the notice, 2,000,000) never binds here.
SHARE_SCHEDULE_VWAPS = [
    [(dt.date(2024, 6, 20) + dt.timedelta(days=n)).isoformat(), 2.0, 1_000_000.0]
    for n in range(45)
    if (dt.date(2024, 6, 20) + dt.timedelta(days=n)).weekday() < 5
]
SHARE_MARKET_HEADER = ["Date", "VWAP", "Volume"]
SHARE_SCHEDULE_ISSUED = [["2024-06-03", 50000.0, 0.0], ["2024-06-20", 1600000.0, 3200000.0]]
SHARE_SCHEDULE_OUTSTANDING = [["2024-05-31", 10000000.0]]
SHARE_SCHEDULE_HOLDINGS = [["2024-06-28", 0.0]]


def share_schedule_terms(ledger: str) -> list[list[str]]:
    """The Terms range of a share_schedule.csv ledger: Yorkville, approved from a date or not."""
    terms = [["facility", "yorkville_sepa"]]
    if ledger.startswith("approved "):
        terms += [
            ["share_caps.exchange.approved", "TRUE"],
            ["share_caps.exchange.approved_on", ledger.removeprefix("approved ")],
        ]
    return terms
