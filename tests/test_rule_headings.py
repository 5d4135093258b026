"""The schedule heads the value a facility's pricing rule takes of its sessions' prices as that
rule takes it, on every surface (EQL_SCHEDULE's header row, ``eql schedule``'s CSV and terminal
table, its xlsx), never "average close" for a rule that averages no close.

Each expected heading is typed from the facility's agreement, not read from the code:
Valence 2002, term sheet "85% of the average closing price ... for the five trading days";
Berg 2004, "the average of the closing bid prices of the five trading days"; the SEPA shape, "97 %
of the lowest daily VWAP of the 3 trading days after the advance notice"; the Lincoln Park shape,
"the lesser of the lowest sale price on the purchase date and the average of the three lowest
closing sale prices" (the column holds the mean of the three lowest closes; the day's low is read
from its own column) and its accelerated purchase, at the lesser of the day's VWAP and its close.
"""

from __future__ import annotations

import pytest

from eql import udfs
from eql.functions.declaration import FUNCTIONS
from eql.schedule_view import COLUMNS, table, to_csv
from eql.terms import facility_terms
from eql.workbook.schedule_book import schedule_book
from fixtures import series_range

# (facility, Terms range rows after the facility's, the daily price heading of its prices range,
# the schedule's heading, the terminal table's heading)
CASES = [
    ("valence_2002", [], "Close", "average close", "avg close"),
    ("berg_2004", [], "Bid", "average bid", "avg bid"),
    ("yorkville_sepa", [], "VWAP", "lowest VWAP", "lowest VWAP"),
    ("lincoln_park", [], "Close", "mean of 3 lowest closes", "mean of 3 lowest closes"),
    (
        "lincoln_park",
        [["purchases.kind", "accelerated"]],
        "Close",
        "lesser of lowest VWAP and lowest close",
        "lesser of lowest VWAP and lowest close",
    ),
]
RULE_COLUMN = 6  # the seventh column: after the funding date, amount, quarters and sessions
# Valence's header exactly as sheets that look a column up by its heading read it.
VALENCE_HEADER = [
    "funding date",
    "amount requested",
    "fiscal quarter",
    "term quarter",
    "first pricing session",
    "last pricing session",
    "average close",
    "price",
    "shares",
    "room before the draw",
    "binds",
    "amount funded",
    "status",
]


def _terms(name: str, rows: list[list[str]]) -> list[list[str]]:
    return [["facility", name], *rows]


@pytest.mark.parametrize(("name", "rows", "series", "heading", "short"), CASES)
def test_eql_schedule_heads_the_rule_value_as_the_rule_takes_it(
    name: str, rows: list[list[str]], series: str, heading: str, short: str
) -> None:
    # A request whose price cannot be set yet: the header is the same whatever the rows hold.
    prices = series_range("2024-03-05:2.50;2024-03-06:2.40", series)
    draws = [["Date", "Amount"], ["2024-03-04", 1000.0]]
    result = udfs.EQL_SCHEDULE(draws, prices, [["FY2024 Q1", 0]], None, None, _terms(name, rows))
    assert isinstance(result, list), result
    header = result[0]
    assert header[RULE_COLUMN] == heading
    assert [h for i, h in enumerate(header) if i != RULE_COLUMN] == [
        h for i, h in enumerate(VALENCE_HEADER) if i != RULE_COLUMN
    ]


def test_valence_keeps_its_header_exactly() -> None:
    # The built-in terms (no terms range), as a sheet made before other facilities calls it.
    result = udfs.EQL_SCHEDULE(
        [["2002-04-02", 1e6]], [["2002-04-01", 2.5]], [["FY2003 Q1", 6e6]], None
    )
    assert isinstance(result, list), result
    assert result[0] == VALENCE_HEADER


@pytest.mark.parametrize(
    ("name", "heading", "short"),
    [(name, heading, short) for name, rows, _, heading, short in CASES if not rows],
)
def test_eql_schedule_command_heads_the_rule_value(name: str, heading: str, short: str) -> None:
    terms = facility_terms(name)
    assert to_csv([], terms).splitlines()[0].split(",")[RULE_COLUMN] == heading
    text = table([], terms, COLUMNS, 400)
    assert f"last session  {short}  price" in text, text
    sheet = schedule_book(terms, []).active
    assert sheet is not None
    assert sheet.cell(1, RULE_COLUMN + 1).value == heading


# Valence's rule in words: true of its closes before the date, false of the SEPA shape's VWAPs of
# the sessions after the notice and of Berg 2004's closing bids.
ONE_RULE = ("sessions before", "closing price", "whose closes", "average close of")


@pytest.mark.parametrize(
    "name", ["EQL_PRICE", "EQL_AVG_CLOSE", "EQL_PRICING_DATES", "EQL_DRAW_SHARES"]
)
def test_the_help_of_a_function_of_the_pricing_rule_speaks_of_no_one_rule(name: str) -> None:
    declared = FUNCTIONS[name]
    texts = [declared.description, *(param.help for param in declared.params)]
    assert [text for text in texts if any(words in text.lower() for words in ONE_RULE)] == []
