"""The schedule's columns are declared once (eql.ledger.ScheduleColumn); every view takes them
from there, and each cell of EQL_SCHEDULE sits under the heading that names it."""

from __future__ import annotations

import datetime as dt

from eql import udfs
from eql.ledger import SCHEDULE_HEADER, ScheduleColumn, schedule_header
from eql.schedule_view import COLUMNS
from eql.terms import default_terms, facility_terms
from eql.workbook.template import SCHEDULE_COLUMNS
from fixtures import APRIL_2_CLOSES

# The worked example of 2002-04-02: sessions 2002-03-25 .. 03-28 and 04-01 (Good Friday closed),
# closes averaging 2.50, price 85 % = 2.125; 1,000,000 buys 470,588.2 shares, so 470,588.
P = APRIL_2_CLOSES
EXPECTED = {
    ScheduleColumn.FUNDING_DATE: dt.datetime(2002, 4, 2),
    ScheduleColumn.AMOUNT_REQUESTED: 1e6,
    ScheduleColumn.FISCAL_QUARTER: "FY2003 Q1",
    ScheduleColumn.TERM_QUARTER: 1,
    ScheduleColumn.FIRST_SESSION: dt.datetime(2002, 3, 25),
    ScheduleColumn.LAST_SESSION: dt.datetime(2002, 4, 1),
    ScheduleColumn.AVERAGE_CLOSE: 2.5,
    ScheduleColumn.PRICE: 2.125,
    ScheduleColumn.SHARES: 470_588,
    # The least room: 5,000,000 in term quarter 1 (cash used 6,000,000 at 100 %, 30M in all).
    ScheduleColumn.ROOM: 5e6,
    ScheduleColumn.BINDS: "term-quarter limit",
    ScheduleColumn.FUNDED: 1e6,
    ScheduleColumn.STATUS: "OK",
}


def test_each_cell_sits_under_its_heading() -> None:
    table = udfs.EQL_SCHEDULE([["2002-04-02", 1e6]], P, [["FY2003 Q1", 6e6]], None)
    assert isinstance(table, list), table
    assert table[0] == list(SCHEDULE_HEADER)
    assert dict(zip(ScheduleColumn, table[1], strict=True)) == EXPECTED


def test_every_view_takes_the_columns_from_one_place() -> None:
    assert len(ScheduleColumn) == SCHEDULE_COLUMNS
    for name in ("valence_2002", "berg_2004", "lincoln_park", "yorkville_sepa"):
        terms = facility_terms(name)
        assert tuple(column.heading(terms) for column in COLUMNS) == schedule_header(terms)
    assert schedule_header(default_terms()) == SCHEDULE_HEADER
    assert [column.index for column in ScheduleColumn] == list(range(len(ScheduleColumn)))
