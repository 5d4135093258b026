"""The worked schedule as an analyst reads it: its columns with their kinds, and the schedule as a
table that fits a terminal, as CSV and as JSON.

Values stay exact: dates are dates, amounts and prices Decimals, share counts integers. A cell
the engine could not compute (no closing price for a pricing session) holds the error's text, as
the spreadsheet function's cell does. Only the terminal table shortens anything, and it says so:
a column shows each number to the places its values need, at most :data:`MAX_PLACES`; a value
needing more is shown rounded half-up to that many and marked ``~``.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

from eql.errors import EqlError
from eql.ledger import ScheduleColumn, ScheduleRow, schedule_heading
from eql.pricing import pricing_sessions
from eql.rule_words import rule_short
from eql.terms import Terms

Value = dt.date | Decimal | int | str | None


class Kind(Enum):
    """How a column's values are written."""

    DATE = "date"
    MONEY = "money"  # thousands separators, cents when any value of the column has them
    PRICE = "price"  # the places the column's values need
    COUNT = "count"  # whole numbers with thousands separators
    NUMBER = "number"  # a small whole number, as is
    TEXT = "text"


@dataclass(frozen=True)
class Column:
    key: str  # the name --columns, JSON and the Python API use
    column: ScheduleColumn
    kind: Kind
    value: Callable[[ScheduleRow, Terms], Value]
    brief: bool = False  # shown in the terminal table without --wide or --columns
    short_heading: str = ""  # the terminal table's heading, when the rule's value does not name it

    def heading(self, terms: Terms) -> str:
        """As the spreadsheet function's header row says it for the facility."""
        return schedule_heading(self.column, terms)

    def short(self, terms: Terms) -> str:
        """The terminal table's heading for the facility."""
        return self.short_heading or rule_short(terms)


def _unpriced(row: ScheduleRow) -> str | None:
    return row.price_error.cell_text() if row.price_error is not None else None


def _quoted(pick: Callable[[Any], Value]) -> Callable[[ScheduleRow, Terms], Value]:
    """A value of the row's price quote, or the error's text when there is no quote."""
    return lambda row, _terms: _unpriced(row) if row.quote is None else pick(row.quote)


def _session(index: int) -> Callable[[ScheduleRow, Terms], Value]:
    """A pricing session of the row's date: known from the calendar even when a close is missing,
    as the spreadsheet function shows it."""

    def session(row: ScheduleRow, terms: Terms) -> Value:
        if row.quote is not None:
            return row.quote.sessions[index]
        try:
            return pricing_sessions(row.request.date, terms)[index]
        except EqlError as error:
            return error.cell_text()

    return session


@dataclass(frozen=True)
class _Shown:
    """How one column of the schedule (:class:`eql.ledger.ScheduleColumn`, which gives its
    heading and place) is named, written and read from a row."""

    key: str
    short: str  # the terminal table's heading; blank: the rule's value (eql.rule_words.rule_short)
    kind: Kind
    value: Callable[[ScheduleRow, Terms], Value]
    brief: bool = False


_SHOWN = {
    ScheduleColumn.FUNDING_DATE: _Shown(
        "date", "funding date", Kind.DATE, lambda r, _t: r.request.date, True
    ),
    ScheduleColumn.AMOUNT_REQUESTED: _Shown(
        "requested", "requested", Kind.MONEY, lambda r, _t: r.request.amount, True
    ),
    ScheduleColumn.FISCAL_QUARTER: _Shown(
        "fiscal_quarter", "fiscal q", Kind.TEXT, lambda r, _t: r.fiscal_quarter.label
    ),
    ScheduleColumn.TERM_QUARTER: _Shown(
        "term_quarter", "term q", Kind.NUMBER, lambda r, _t: r.term_quarter
    ),
    ScheduleColumn.FIRST_SESSION: _Shown("first_session", "first session", Kind.DATE, _session(0)),
    ScheduleColumn.LAST_SESSION: _Shown("last_session", "last session", Kind.DATE, _session(-1)),
    # Headed as the terms' pricing rule takes its value (eql.rule_words): "avg close", "lowest VWAP".
    ScheduleColumn.AVERAGE_CLOSE: _Shown(
        "average_close", "", Kind.PRICE, _quoted(lambda q: q.mean)
    ),
    ScheduleColumn.PRICE: _Shown("price", "price", Kind.PRICE, _quoted(lambda q: q.price), True),
    ScheduleColumn.SHARES: _Shown(
        "shares",
        "shares",
        Kind.COUNT,
        lambda r, _t: _unpriced(r) if r.shares is None else r.shares,
        True,
    ),
    ScheduleColumn.ROOM: _Shown(
        "room", "room before", Kind.MONEY, lambda r, _t: r.check.cap.amount
    ),
    ScheduleColumn.BINDS: _Shown("binds", "binds", Kind.TEXT, lambda r, _t: r.check.cap.binds),
    ScheduleColumn.FUNDED: _Shown("funded", "funded", Kind.MONEY, lambda r, _t: r.funded, True),
    ScheduleColumn.STATUS: _Shown("status", "status", Kind.TEXT, lambda r, _t: r.check.text, True),
}
COLUMNS = tuple(
    Column(shown.key, column, shown.kind, shown.value, shown.brief, shown.short)
    for column, shown in ((column, _SHOWN[column]) for column in ScheduleColumn)
)
BY_KEY = {column.key: column for column in COLUMNS}

MAX_PLACES = 6
STATUS_MIN_WIDTH = 24  # narrower than this, the status column no longer wraps to the terminal
GAP = "  "


def choose(keys: Sequence[str] | None, *, wide: bool = False) -> tuple[Column, ...]:
    """The columns asked for, in the schedule's order: all with ``wide``, the brief ones without
    ``keys``. An unknown key is a ``ValueError`` naming the known ones."""
    if wide:
        return COLUMNS
    if not keys:
        return tuple(column for column in COLUMNS if column.brief)
    unknown = [key for key in keys if key not in BY_KEY]
    if unknown:
        close = difflib.get_close_matches(unknown[0], BY_KEY, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ValueError(
            f"unknown column {unknown[0]!r}; {hint}the columns are {', '.join(BY_KEY)}"
        )
    return tuple(column for column in COLUMNS if column.key in keys)


def values(
    rows: Sequence[ScheduleRow], terms: Terms, columns: Sequence[Column] = COLUMNS
) -> list[list[Value]]:
    """Each row's exact values, column by column."""
    return [[column.value(row, terms) for column in columns] for row in rows]


def _places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def places_needed(kind: Kind, cells: Sequence[Value]) -> int:
    """The decimal places that show every number of a column alike: as many as its most precise
    value needs (amounts: none, or cents at least), at most :data:`MAX_PLACES`."""
    needed = max((_places(cell) for cell in cells if isinstance(cell, Decimal)), default=0)
    if kind is Kind.MONEY and needed:
        needed = max(needed, 2)
    return min(needed, MAX_PLACES)


def _numbers(kind: Kind, cells: list[Value]) -> list[str]:
    """The column's numbers written alike: the same places for each, separators for amounts."""
    places = places_needed(kind, cells)
    grouping = "," if kind in (Kind.MONEY, Kind.COUNT) else ""
    written = []
    for cell in cells:
        if isinstance(cell, Decimal):
            shown = cell.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
            mark = "~" if shown != cell else ""
            written.append(f"{mark}{shown:{grouping}.{places}f}")
        elif isinstance(cell, int) and not isinstance(cell, bool):
            written.append(f"{cell:{grouping}}")
        else:
            written.append(_plain(cell))
    return written


def _plain(cell: Value) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def table(rows: Sequence[ScheduleRow], terms: Terms, columns: Sequence[Column], width: int) -> str:
    """The rows as a text table no wider than ``width`` where it can be: numbers right-aligned,
    and the last column wrapped onto continuation lines under itself."""
    cells = values(rows, terms, columns)
    written = [
        _numbers(column.kind, [row[i] for row in cells])
        if column.kind in (Kind.MONEY, Kind.PRICE, Kind.COUNT)
        else [_plain(row[i]) for row in cells]
        for i, column in enumerate(columns)
    ]
    _move_errors_last(columns, cells, written)
    headings = [column.short(terms) for column in columns]
    widths = [max([len(headings[i]), *map(len, written[i])]) for i in range(len(columns))]
    indent = sum(widths[:-1]) + len(GAP) * (len(columns) - 1)
    last_width = max(width - indent, STATUS_MIN_WIDTH)
    right = [column.kind in (Kind.MONEY, Kind.PRICE, Kind.COUNT) for column in columns]

    def line(parts: list[str]) -> list[str]:
        lead = [
            part.rjust(w) if r else part.ljust(w)
            for part, w, r in zip(parts[:-1], widths, right, strict=False)
        ]  # headings too, so a number column's heading sits over its digits
        wrapped = textwrap.wrap(parts[-1], last_width, break_on_hyphens=False) or [""]
        first = GAP.join([*lead, wrapped[0]]).rstrip()
        return [first, *(" " * indent + more for more in wrapped[1:])]

    lines = line(headings)
    for n in range(len(rows)):
        lines.extend(line([written[i][n] for i in range(len(columns))]))
    return "\n".join(lines)


def _move_errors_last(
    columns: Sequence[Column], cells: list[list[Value]], written: list[list[str]]
) -> None:
    """A value that could not be computed shows its error code in its own column (``#N/A``), and
    the error's text once after the row's last column, so a number column stays narrow."""
    last = len(columns) - 1
    for n, row in enumerate(cells):
        reasons: list[str] = []
        for i, column in enumerate(columns):
            cell = row[i]
            if column.kind is not Kind.TEXT and isinstance(cell, str):
                written[i][n] = cell.split(" ", 1)[0]
                if cell not in reasons:
                    reasons.append(cell)
        # A reason the last column already gives (a status saying why a request is blocked) is
        # not said twice.
        said = written[last][n]
        reasons = [r for r in reasons if r.partition(" ")[2] not in said]
        if reasons:
            written[last][n] = "; ".join(part for part in (said, *reasons) if part)


def _exact(cell: Value) -> str:
    """A value as CSV and JSON write it: dates ISO, numbers exact without separators."""
    if isinstance(cell, Decimal):
        return f"{cell.normalize():f}"
    return _plain(cell)


# A spreadsheet opening a CSV computes a cell that starts like a formula; text is kept as text by
# a leading apostrophe (as Excel shows text typed after one).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(rows: Sequence[ScheduleRow], terms: Terms, columns: Sequence[Column] = COLUMNS) -> str:
    """The rows as CSV with the spreadsheet function's headings; every value exact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.heading(terms) for column in columns])
    for row in values(rows, terms, columns):
        texts = []
        for cell in row:
            text = _exact(cell)
            texts.append(
                f"'{text}" if isinstance(cell, str) and text.startswith(_FORMULA_STARTS) else text
            )
        writer.writerow(texts)
    return buffer.getvalue()


def to_json(
    rows: Sequence[ScheduleRow], terms: Terms, columns: Sequence[Column] = COLUMNS
) -> list[dict[str, str | int | None]]:
    """The rows as JSON objects keyed by column: amounts, prices and share counts as exact
    decimal text (as ``eql check --json`` gives them), dates ISO, the term quarter a number."""
    found: list[dict[str, str | int | None]] = []
    for row in values(rows, terms, columns):
        record: dict[str, str | int | None] = {}
        for column, cell in zip(columns, row, strict=True):
            if cell is None:
                record[column.key] = None
            elif column.kind is Kind.NUMBER and isinstance(cell, int):
                record[column.key] = cell
            else:
                record[column.key] = _exact(cell)
        found.append(record)
    return found
