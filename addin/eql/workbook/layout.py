"""Where the template keeps its inputs: one Excel Table per input, and the columns of each.

The template builder writes these tables and the reader finds them again by table name and
column heading, so a user may move a table, add rows, or insert columns of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

HEADER_ROW = 3  # row 1 is the sheet's title, row 2 a line saying how to fill it in
FIRST_ROW = HEADER_ROW + 1
# Validation and conditional formats reach this far below the header, so rows added to a table
# keep them.
LAST_FORMATTED_ROW = 5000


@dataclass(frozen=True)
class InputTable:
    """An input table: its sheet and table name, the columns the engine reads, and extra columns."""

    sheet: str
    table: str
    key: str  # the facility input it holds (facility.from_rows' name)
    columns: tuple[str, ...]  # read by eql, in the order the engine's range takes them
    note: str


TERMS = InputTable(
    "Terms",
    "Terms",
    "terms",
    ("Name", "Value"),
    "Every term eql uses, by name. Change a value here and every EQL_ formula follows it.",
)
PRICES = InputTable(
    "Prices",
    "Prices",
    "prices",
    ("Date", "Close"),
    "Closing prices, one row per trading session, in any order. Paste below the last row: the table grows.",
)
DRAWS = InputTable(
    "Draws",
    "Draws",
    "draws",
    ("Funding date", "Amount requested", "Notes"),
    "Enter draw requests IN DATE ORDER (a row dated before the row above it turns orange): each "
    "row is checked against the draws funded above it. Blocked rows turn red and fund nothing.",
)
CASH_USED = InputTable(
    "CashUsed",
    "CashUsed",
    "cash_used",
    ("Fiscal quarter", "Cash used"),
    "Cash used in operations per fiscal quarter, as a positive amount; condition (v) needs the "
    "quarter of every draw.",
)
MILESTONES = InputTable(
    "Milestones",
    "Milestones",
    "milestones",
    ("Key", "Date"),
    "The date each milestone or event happened; leave the date blank while it has not.",
)
REDUCTIONS = InputTable(
    "Reductions",
    "Reductions",
    "reductions",
    ("Date", "Third-party financing", "Amount elected"),
    "Each third-party financing after which the investor elected to reduce the commitment.",
)
FEES = InputTable(
    "Fees",
    "Fees",
    "fees",
    ("Requested", "Amount", "Reimbursed"),
    "Legal fees and expenses the investor asked to be reimbursed; leave Reimbursed blank until paid.",
)

# The share caps' inputs: a template has them only when its terms name a share cap.
ISSUED = InputTable(
    "Issued",
    "Issued",
    "issued",
    ("Date", "Shares", "Amount paid"),
    "Shares issued under the agreement outside the Draws (commitment shares: amount paid 0); "
    "the share caps count them with the draws' shares.",
)
OUTSTANDING = InputTable(
    "Outstanding",
    "Outstanding",
    "outstanding",
    ("Date", "Shares"),
    "The company's shares outstanding, each count with its date (the cover of a 10-Q, the "
    "transfer agent's figure); the share caps read the latest count on or before a date.",
)
HOLDINGS = InputTable(
    "Holdings",
    "Holdings",
    "holdings",
    ("Date", "Shares"),
    "The investor's shares, each count with its date; the ownership cap reads the latest.",
)
SHARE_TABLES = (ISSUED, OUTSTANDING, HOLDINGS)

INPUT_TABLES = (TERMS, PRICES, DRAWS, CASH_USED, MILESTONES, REDUCTIONS, FEES, *SHARE_TABLES)

# The Draws table's columns computed by the add-in, after the three input columns. "Funded on" and
# "Amount funded" sit side by side: together they are the ledger of draws already funded that each
# row's EQL_CAP and EQL_CHECK receive.
DRAW_FORMULA_COLUMNS = (
    "Fiscal quarter",
    "Term quarter",
    "First pricing date",
    "Last pricing date",
    "Average close",
    "Price",
    "Cap",
    "Check",
    "Funded on",
    "Amount funded",
    "Shares",
    "Restricted legend",
    "Registration rights",
)

SUMMARY_SHEET = "Summary"
SCHEDULE_SHEET = "Schedule"
# Said in the title of everything computed from the built-in example facility (a pack, its
# Summary and footer, a schedule, the filled template), so its numbers never pass for real ones.
EXAMPLE = "EXAMPLE"
# Said wherever the example facility's closes appear: they are not real quotes.
ILLUSTRATIVE_PRICES = (
    "ILLUSTRATIVE closing prices of the example facility (a seeded random walk on the real XNAS "
    "sessions), not real Valence quotes."
)
CONF_SHEET = "xlwings.conf"
UDF_MODULES = "eql.udfs"
