"""Share caps: the room under the exchange cap and the beneficial ownership cap, against answers
worked by hand (tests/resources/share_room.csv), and every share-cap term and input refused with a
message naming it when it makes no sense."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eql.errors import TermsError
from eql.facility import load_folder
from eql.functions.funding import EQL_CHECK
from eql.functions.schedule import EQL_SCHEDULE
from eql.functions.share_limits import EQL_SHARE_ROOM, EQL_SHARE_ROOM_DETAIL, NO_SHARE_CAP
from eql.ledger import ScheduleColumn as Col
from eql.records import DatedCount, Issue
from eql.share_caps import Issued, IssuedShares, ShareFacts, ShareRoom, share_room
from eql.terms import facility_terms
from eql.terms_reader import build_terms
from eql_command import eql
from fixtures import (
    SHARE_MARKET_HEADER,
    SHARE_SCHEDULE_HOLDINGS,
    SHARE_SCHEDULE_ISSUED,
    SHARE_SCHEDULE_OUTSTANDING,
    SHARE_SCHEDULE_VWAPS,
    answer_rows,
    share_room_ranges,
    share_schedule_terms,
    valence_whatif_terms,
)

DATA = Path(__file__).parents[1] / "addin" / "eql" / "data"


@pytest.fixture(scope="module")
def whatif(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return valence_whatif_terms(tmp_path_factory.mktemp("whatif"))


def expected(text: str) -> Any:
    return int(text) if text.isdigit() else text


@pytest.mark.parametrize("row", answer_rows("share_room.csv"))
def test_share_room(row: dict[str, str], whatif: Path) -> None:
    arguments = share_room_ranges(row, whatif)
    assert EQL_SHARE_ROOM(*arguments) == expected(row["room"])


@pytest.mark.parametrize("row", answer_rows("share_room.csv"))
def test_share_room_detail(row: dict[str, str], whatif: Path) -> None:
    table = EQL_SHARE_ROOM_DETAIL(*share_room_ranges(row, whatif))
    room = expected(row["room"])
    if isinstance(room, str) and room.startswith("#"):
        assert table == room
        return
    assert table[0] == ["share cap", "share", "outstanding", "counted", "room", "basis"]
    last = table[-1]
    if isinstance(room, int):
        assert last[4] == room
        assert last[5] == f"binds: {row['binds']}"
        binding = [line for line in table[1:-1] if line[4] == room]
        assert {line[0] for line in binding} == set(row["binds"].split(" and "))
    else:
        assert last[4:] == ["no limit", room]


def test_answers_cover_the_cases() -> None:
    rows = [param.values[0] for param in answer_rows("share_room.csv")]
    assert len(rows) >= 15
    assert all(row["why"].strip() for row in rows)
    binds = {row["binds"] for row in rows}
    assert {"exchange cap", "beneficial ownership cap", "exchange cap (what-if)"} <= binds


def test_a_facility_without_share_caps_says_so() -> None:
    day, outstanding = "2002-10-15", [["2002-07-08", 51692144]]
    assert EQL_SHARE_ROOM(day, None, outstanding, None) == NO_SHARE_CAP
    assert EQL_SHARE_ROOM_DETAIL(day, None, outstanding, None)[-1] == [
        "share room",
        "",
        "",
        "",
        "no limit",
        NO_SHARE_CAP,
    ]


def test_every_cap_lifted_says_so(whatif: Path) -> None:
    # The Valence what-if has one cap, the exchange cap: approved before the date, nothing limits.
    terms = [
        ["facility", str(whatif)],
        ["share_caps.exchange.approved", "TRUE"],
        ["share_caps.exchange.approved_on", "2002-09-01"],
    ]
    issued, outstanding = [["2002-09-30", 9457159, 5e6]], [["2002-07-08", 51692144]]
    text = "no share cap limits 2002-10-15: each is lifted (see EQL_SHARE_ROOM_DETAIL)"
    assert EQL_SHARE_ROOM("2002-10-15", issued, outstanding, None, None, terms) == text
    detail = EQL_SHARE_ROOM_DETAIL("2002-10-15", issued, outstanding, None, None, terms)
    assert detail[1][4] == "no limit"
    assert "stockholders approved issuing more on 2002-09-01" in detail[1][5]
    assert detail[-1][4:] == ["no limit", text]


def _lp_data() -> dict[str, Any]:
    return tomllib.loads(
        (DATA / "lincoln_park.toml").read_text(encoding="utf-8"), parse_float=Decimal
    )


@pytest.mark.parametrize(
    ("table", "changes", "message"),
    [
        (
            "exchange",
            {"share": Decimal("19.99")},
            "share_caps.exchange.share must be a number more than 0 and less than 1 (19.99 % is 0.1999), got 19.99",
        ),
        (
            "ownership",
            {"share": 1},
            "share_caps.ownership.share must be a number more than 0 and less than 1 (19.99 % is 0.1999), got 1",
        ),
        (
            "ownership",
            {"share": 0},
            "share_caps.ownership.share must be a number more than 0 and less than 1 (19.99 % is 0.1999), got 0",
        ),
        (
            "exchange",
            {"minimum_price": Decimal("-1.25")},
            "share_caps.exchange.minimum_price must be positive, got -1.25",
        ),
        (
            "exchange",
            {"kind": "exchange_cap"},
            "share_caps.exchange.kind must be one of exchange, ownership, got 'exchange_cap'",
        ),
        (
            "ownership",
            {"minimum_price": Decimal("1.25")},
            "share_caps.ownership.minimum_price is not a term of a ownership cap (its terms: kind, share, label, source, count_issued_since)",
        ),
        (
            "exchange",
            {"approved": "yes"},
            "share_caps.exchange.approved must be true or false, got 'yes'",
        ),
        (
            "exchange",
            {"signed": "2024-06-03"},
            "share_caps.exchange.signed must be a date, got '2024-06-03'",
        ),
    ],
)
def test_a_share_cap_term_that_makes_no_sense_is_refused(
    table: str, changes: dict[str, Any], message: str
) -> None:
    data = _lp_data()
    data["share_caps"][table].update(changes)
    with pytest.raises(TermsError) as refused:
        build_terms(data)
    assert str(refused.value) == f"terms: {message}"


def test_approval_needs_its_date() -> None:
    data = _lp_data()
    data["share_caps"]["exchange"]["approved"] = True
    assert "approved_on" not in data["share_caps"]["exchange"]
    with pytest.raises(TermsError, match=r"share_caps\.exchange\.approved_on is missing"):
        build_terms(data)


def test_approval_date_alone_means_approved() -> None:
    data = _lp_data()
    del data["share_caps"]["exchange"]["approved"]
    data["share_caps"]["exchange"]["approved_on"] = dt.date(2024, 9, 1)
    assert build_terms(data).share_caps[0].approved


def test_signed_defaults_to_the_term_sheet_date() -> None:
    data = _lp_data()
    data["facility"]["term_sheet_date"] = data["facility"]["term_start"]
    del data["share_caps"]["exchange"]["signed"]
    assert build_terms(data).share_caps[0].signed == data["facility"]["term_sheet_date"]


@pytest.mark.parametrize("facility", ["lincoln_park", "yorkville_sepa"])
def test_share_caps_are_listed_and_overridable(facility: str) -> None:
    terms = facility_terms(facility)
    names = dict(terms.entries)
    assert names["share_caps.exchange.share"] == Decimal("0.1999")
    # Not approved, the file gives no approval date; a row that approves gives it.
    assert "share_caps.exchange.approved_on" not in names
    changed = terms.with_overrides(
        [
            ("share_caps.exchange.approved", "TRUE"),
            ("share_caps.exchange.approved_on", "2024-09-01"),
        ]
    )
    assert changed.share_caps[0].approved
    assert changed.share_caps[0].approved_on == dt.date(2024, 9, 1)
    with pytest.raises(TermsError, match=r"share_caps\.exchange\.approved_on is missing"):
        terms.with_overrides([("share_caps.exchange.approved", "TRUE")])


@pytest.mark.parametrize(
    ("argument", "value", "message"),
    [
        (
            "issued",
            [["2024-07-01", 100, -5]],
            "#VALUE! issued row 1: amount paid must not be negative, got -5",
        ),
        (
            "issued",
            [["2024-07-01", 0, 0]],
            "#VALUE! issued row 1: shares must be a positive whole number of shares, got 0",
        ),
        (
            "issued",
            [["2024-07-01", 100]],
            "#VALUE! issued: must have 3 columns (date, shares, amount paid), got 2",
        ),
        (
            "issued",
            [["2024-13-01", 100, 5]],
            "#VALUE! issued row 1: date is not a real date, got '2024-13-01'",
        ),
        (
            "outstanding",
            [["2024-05-31", 0]],
            "#VALUE! outstanding row 1: shares must be a positive whole number of shares, got 0",
        ),
        (
            "outstanding",
            [["2024-05-31", "many"]],
            "#VALUE! outstanding row 1: shares must be a number (such as 1,000,000.50, $5,000,000, 85% or 5E6), got 'many'",
        ),
        (
            "holdings",
            [["2024-07-01", -1]],
            "#VALUE! holdings row 1: shares must be a whole number of shares, 0 or more, got -1",
        ),
        (
            "holdings",
            [["2024-07-01", 10.5]],
            "#VALUE! holdings row 1: shares must be a whole number of shares, 0 or more, got 10.5",
        ),
        ("price", "-1", "#VALUE! price must be positive, got '-1'"),
        ("day", "2024-02-30", "#VALUE! day is not a real date, got '2024-02-30'"),
    ],
)
def test_a_bad_input_is_refused_naming_it(argument: str, value: Any, message: str) -> None:
    given: dict[str, Any] = {
        "day": "2024-07-15",
        "issued": [["Date", "Shares", "Paid"], ["2024-06-03", 100000, 0]],
        "outstanding": [["Date", "Shares"], ["2024-05-31", 20000000]],
        "holdings": [["2024-07-01", 0]],
        "price": 1.5,
        "terms": [["facility", "lincoln_park"]],
    }
    given[argument] = value
    assert EQL_SHARE_ROOM(*given.values()) == message


def test_headers_and_order_do_not_matter() -> None:
    # lp-minimum-price-room of share_room.csv, its rows reversed and headed: 500,000.
    terms = [["facility", "lincoln_park"]]
    issued = [
        ["Date", "Shares", "Paid"],
        ["2024-07-01", 3900000, 5000000],
        ["2024-06-03", 100000, 0],
    ]
    outstanding = [["Date", "Outstanding"], ["2024-09-30", 24000000], ["2024-05-31", 20000000]]
    assert (
        EQL_SHARE_ROOM("2024-07-15", issued, outstanding, [["2024-07-01", 0]], 1.0, terms) == 500000
    )


@pytest.mark.parametrize(
    ("facility", "ownership"), [("lincoln_park", "0.0999"), ("yorkville_sepa", "0.0499")]
)
def test_eql_terms_lists_the_share_caps(facility: str, ownership: str) -> None:
    done = eql("terms", "--facility", facility)
    assert done.returncode == 0, done.stderr
    listed = dict(line.split(None, 1) for line in done.stdout.splitlines() if line.strip())
    assert listed["share_caps.exchange.kind"] == "exchange"
    assert listed["share_caps.exchange.share"] == "0.1999"
    assert listed["share_caps.exchange.approved"] == "FALSE"
    assert listed["share_caps.ownership.share"] == ownership


def test_eql_terms_refuses_a_share_typed_as_a_percentage() -> None:
    done = eql("terms", "--facility", "lincoln_park", "--set", "share_caps.ownership.share=9.99")
    assert done.returncode == 2
    assert "share_caps.ownership.share must be a number more than 0 and less than 1" in done.stderr


# EQL_CHECK with the share caps' inputs: every share_room.csv row of a facility with share caps
# and a purchase price, checked at its hand-worked room (allowed) and one share more (refused,
# naming the cap that binds). The draws already funded are the issues paid for in cash.
CHECK_ROWS = [
    param
    for param in answer_rows("share_room.csv")
    if param.values[0]["facility"] != "valence_whatif"
    and param.values[0]["room"].isdigit()
    and param.values[0]["price"].strip()
]


@pytest.mark.parametrize("extra", [0, 1])
@pytest.mark.parametrize("row", CHECK_ROWS)
def test_check_counts_the_share_caps(row: dict[str, str], extra: int, whatif: Path) -> None:
    room = int(row["room"])
    shares = room + extra
    if shares == 0:
        return  # a draw of nothing is refused as such, not by a cap
    day, issued, outstanding, holdings, price, terms = share_room_ranges(row, whatif)
    amount = float(shares * Decimal(row["price"]))
    draws = [[date, paid] for date, _, paid in issued if paid > 0] or None
    result = EQL_CHECK(
        day,
        amount,
        draws,
        None,
        None,
        None,
        terms,
        [SHARE_MARKET_HEADER, *SHARE_SCHEDULE_VWAPS],  # for the SEPA's advance limit
        issued,
        outstanding,
        holdings,
        price,
    )
    if extra == 0:
        assert result == "OK"
    else:
        assert result.startswith("BLOCKED"), result
        asked = "1 share" if shares == 1 else f"{shares:,} shares"
        assert f"{row['binds']} exceeded: {asked} asked, {room:,} room left" in result


def test_check_without_outstanding_checks_no_share_cap() -> None:
    # lp-holdings-above-cap: room 0, but without the outstanding range the caps are not checked.
    terms = [["facility", "lincoln_park"]]
    assert EQL_CHECK("2024-07-15", 1.5, None, None, None, None, terms) == "OK"
    holdings = [["2024-07-01", 2500000]]
    outstanding = [["2024-05-31", 20000000]]
    refused = EQL_CHECK(
        "2024-07-15", 1.5, None, None, None, None, terms, None, None, outstanding, holdings
    )
    assert refused == "#VALUE! price is required (a number), got blank"


@pytest.mark.parametrize("ledger", ["no approval", "approved 2024-07-20"])
def test_schedule_counts_the_share_caps(ledger: str) -> None:
    rows = [
        p.values[0] for p in answer_rows("share_schedule.csv") if p.values[0]["ledger"] == ledger
    ]
    table = EQL_SCHEDULE(
        [[row["notice_date"], float(row["amount"])] for row in rows],
        [SHARE_MARKET_HEADER, *SHARE_SCHEDULE_VWAPS],
        None,
        None,
        None,
        share_schedule_terms(ledger),
        SHARE_SCHEDULE_ISSUED,
        SHARE_SCHEDULE_OUTSTANDING,
        SHARE_SCHEDULE_HOLDINGS,
    )
    assert len(table) == len(rows) + 1, table
    for row, got in zip(rows, table[1:], strict=True):
        assert got[Col.SHARES.index] == int(row["shares"])
        assert got[Col.FUNDED.index] == float(row["funded"])
        assert_share_status(got[Col.STATUS.index], row["status"])


def assert_share_status(result: str, expected: str) -> None:
    if expected == "OK":
        assert result == "OK"
    else:
        assert result.startswith("BLOCKED"), result
        assert expected.removeprefix("BLOCKED ") in result, result


def test_an_amendment_can_date_the_approval() -> None:
    # Stockholders' approval entered as an amendment effective 2024-09-01: before it the exchange
    # cap of lp-exchange-binds leaves 898,000 (3,998,000 - 3,100,000); from it the cap is lifted
    # and the ownership cap binds. Counts: O = 23,100,000, H = 0, 2,307,690 / 0.9001 = 2,563,815.
    data = _lp_data()
    data["amendments"] = {
        "vote": {
            "effective": dt.date(2024, 9, 1),
            "source": "an illustrative stockholders' meeting",
            "set": {
                "share_caps": {"exchange": {"approved": True, "approved_on": dt.date(2024, 9, 1)}}
            },
        }
    }
    terms = build_terms(data)
    issued = [
        Issue(dt.date(2024, 6, 3), 100_000, Decimal(0)),
        Issue(dt.date(2024, 7, 1), 3_000_000, Decimal(3_000_000)),
    ]
    outstanding = [DatedCount(dt.date(2024, 5, 31), 20_000_000)]
    holdings = [DatedCount(dt.date(2024, 7, 1), 0)]

    def room(day: dt.date) -> ShareRoom:
        return share_room(
            ShareFacts(day, IssuedShares(issued), outstanding, holdings, Decimal(1)), terms
        )

    before, after = room(dt.date(2024, 8, 30)), room(dt.date(2024, 9, 1))
    assert (before.shares, before.binds) == (898_000, "exchange cap")
    assert (after.shares, after.binds) == (2_563_815, "beneficial ownership cap")


def _share_folder(folder: Path, ledger: list[dict[str, str]]) -> Path:
    """share_schedule.csv's inputs as a folder of CSV files, with issued, outstanding and
    holdings beside the usual ones."""

    def write(name: str, heading: str, rows: list[list[Any]]) -> None:
        lines = [heading, *(",".join(str(cell) for cell in row) for row in rows)]
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    write("prices", "date,vwap,volume", SHARE_SCHEDULE_VWAPS)
    write("draws", "funding_date,amount", [[r["notice_date"], r["amount"]] for r in ledger])
    write("cash_used", "fiscal_quarter,cash_used", [])
    write("milestones", "key,date", [])
    write("issued", "date,shares,amount_paid", SHARE_SCHEDULE_ISSUED)
    write("outstanding", "date,shares", SHARE_SCHEDULE_OUTSTANDING)
    write("holdings", "date,shares", SHARE_SCHEDULE_HOLDINGS)
    return folder


def test_a_folder_of_csv_files_checks_the_share_caps(tmp_path: Path) -> None:
    ledger = [p.values[0] for p in answer_rows("share_schedule.csv")]
    ledger = [row for row in ledger if row["ledger"] == "no approval"]
    facility = load_folder(_share_folder(tmp_path, ledger), facility_terms("yorkville_sepa"))
    rows = facility.schedule()
    assert len(rows) == len(ledger)
    for row, answer in zip(rows, ledger, strict=True):
        assert row.funded == Decimal(answer["funded"])
        assert row.shares == int(answer["shares"])
        assert_share_status(row.check.text, answer["status"])


def test_a_folder_without_outstanding_checks_no_share_cap(tmp_path: Path) -> None:
    ledger = [p.values[0] for p in answer_rows("share_schedule.csv")]
    folder = _share_folder(tmp_path, [row for row in ledger if row["ledger"] == "no approval"])
    (folder / "outstanding.csv").unlink()
    rows = load_folder(folder, facility_terms("yorkville_sepa")).schedule()
    assert [row.check.text for row in rows] == ["OK"] * len(rows)


def test_eql_schedule_names_the_file_and_line_of_a_bad_count(tmp_path: Path) -> None:
    ledger = [p.values[0] for p in answer_rows("share_schedule.csv")][:2]
    folder = _share_folder(tmp_path, ledger)
    (folder / "holdings.csv").write_text("date,shares\n2024-06-28,-5\n", encoding="utf-8")
    done = eql("schedule", "--inputs", str(folder), "--facility", "yorkville_sepa")
    assert done.returncode == 2
    assert done.stderr == (
        f"eql: {folder / 'holdings.csv'} line 2: shares must be a whole number of shares, "
        "0 or more, got '-5'\n"
    )


def test_issued_shares_counts_rows_added_in_any_order() -> None:
    # 100 commitment shares on 06-03 for nothing, 1,000 sold on 07-01 for 2,000.50, 10 sold on
    # 06-20 for 20 (added last, before the other): up to 06-30, 110 issued, 10 sold for 20.
    issued = IssuedShares([Issue(dt.date(2024, 7, 1), 1000, Decimal("2000.50"))])
    issued.add(Issue(dt.date(2024, 6, 3), 100, Decimal(0)))
    issued.add(Issue(dt.date(2024, 6, 20), 10, Decimal(20)))
    assert issued.by(dt.date(2024, 6, 2)) == Issued(0, 0, Decimal(0))
    assert issued.by(dt.date(2024, 6, 30)) == Issued(110, 10, Decimal(20))
    assert issued.by(dt.date(2024, 7, 1)) == Issued(1110, 1010, Decimal("2020.50"))


# Invariants of the two caps for any counts (Hypothesis), checked with fractions, not the code's
# own formula: the room is the largest purchase the cap allows.
counts = st.integers(min_value=1, max_value=10**12)
_OWNERSHIP = {"kind": "ownership", "label": "ownership", "source": "a test"}
shares_of = st.sampled_from(["0.0499", "0.0999", "0.1999", "0.5", "0.0001", "0.9999"])


@settings(max_examples=200, deadline=None)
@given(outstanding=counts, held=st.integers(min_value=0, max_value=10**12), share=shares_of)
def test_the_ownership_room_is_the_largest_purchase_the_cap_allows(
    outstanding: int, held: int, share: str
) -> None:
    cap = Fraction(share)
    terms = build_terms(
        _lp_data() | {"share_caps": {"own": _OWNERSHIP | {"share": Decimal(share)}}}
    )
    facts = ShareFacts(
        dt.date(2024, 7, 15),
        IssuedShares(),
        [DatedCount(dt.date(2024, 7, 1), outstanding)],
        [DatedCount(dt.date(2024, 7, 1), held)],
    )
    room = share_room(facts, terms).shares
    assert isinstance(room, int)
    assert room >= 0
    if Fraction(held, outstanding) > cap:
        assert room == 0
        return
    assert Fraction(held + room, outstanding + room) <= cap
    assert Fraction(held + room + 1, outstanding + room + 1) > cap


@settings(max_examples=200, deadline=None)
@given(at_signing=counts, issued=st.integers(min_value=0, max_value=10**12), share=shares_of)
def test_the_exchange_room_is_what_the_cap_leaves(at_signing: int, issued: int, share: str) -> None:
    data = _lp_data()
    exchange = data["share_caps"]["exchange"] | {"share": Decimal(share)}
    del exchange["minimum_price"]  # the cap alone
    terms = build_terms(data | {"share_caps": {"exchange": exchange}})
    facts = ShareFacts(
        dt.date(2024, 7, 15),
        IssuedShares([Issue(dt.date(2024, 7, 1), issued, Decimal(0))] if issued else []),
        [DatedCount(dt.date(2024, 5, 31), at_signing)],
        [],
    )
    room = share_room(facts, terms).shares
    assert isinstance(room, int)
    assert room >= 0
    assert issued + room <= Fraction(share) * at_signing or room == 0
    assert issued + room + 1 > Fraction(share) * at_signing
