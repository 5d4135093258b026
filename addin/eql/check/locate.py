"""Finding a draw ledger, and the price history, cash used and milestones beside it, in a
workbook eql did not write: by the headings of its columns, or by an explicit column map.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from eql.check.cells import column_index, column_letter, coordinate, heading, ledger_date
from eql.errors import EqlError, InputError
from eql.values import is_blank, parse_decimal, show


class LedgerNotFoundError(EqlError):
    msg = "{workbook}: {detail}"


# Headings by field, as finance teams write them; compared once reduced to their words.
LEDGER_HEADINGS: dict[str, tuple[str, ...]] = {
    "date": (
        "funding date",
        "purchase date",
        "draw date",
        "draw down date",
        "drawdown date",
        "date funded",
        "funded on",
        "date of draw",
        "settlement date",
        "closing date",
        "date",
    ),
    "amount": (
        "draw amount",
        "draw down amount",
        "drawdown amount",
        "amount funded",
        "funded amount",
        "funding amount",
        "amount drawn",
        "purchase amount",
        "gross proceeds",
        "proceeds",
        "amount",
    ),
    "price": (
        "purchase price",
        "purchase price per share",
        "price per share",
        "price",
        "share price",
        "issue price",
    ),
    "shares": (
        "shares issued",
        "shares",
        "number shares",
        "number shares issued",
        "shares purchased",
        "shares sold",
        "share count",
    ),
}
REQUIRED = ("date", "amount")
LEDGER_FIELDS = ("date", "amount", "price", "shares")

# The inputs beside the ledger, each a table of two (or three) columns found by its headings.
INPUT_HEADINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "prices": {
        "date": ("date", "trading date", "session", "trade date"),
        "close": ("close", "closing price", "close price", "closing", "last", "adj close"),
    },
    "cash_used": {
        "quarter": ("fiscal quarter", "quarter", "fiscal period", "period"),
        "cash": (
            "cash used",
            "cash used operations",
            "cash used by operations",
            "operating cash used",
            "cash burn",
        ),
    },
    "milestones": {
        "key": ("milestone", "key", "milestone key", "event"),
        "date": ("date", "date achieved", "achieved", "date reached", "reached"),
    },
    "reductions": {
        "date": ("date", "reduction date", "election date"),
        "third_party": ("third party financing", "third party amount"),
        "elected": ("amount elected", "reduction", "reduction elected", "elected"),
    },
}
OPTIONAL_COLUMNS = {"reductions": ("third_party",)}

HEADER_SEARCH_ROWS = 40


@dataclass(frozen=True)
class Grid:
    """A sheet's values by row and column, only the cells that hold one (merged cells filled
    with their top-left value), so that work on it is bounded by the cells present, never by
    how far apart they sit. ``uncomputed`` are formula cells with no saved value.
    """

    title: str
    cells: Mapping[int, Mapping[int, Any]]
    uncomputed: frozenset[tuple[int, int]] = frozenset()
    rows: tuple[int, ...] = ()  # the rows holding a value or an uncomputed formula, in order

    @property
    def max_row(self) -> int:
        return self.rows[-1] if self.rows else 0

    def value(self, row: int, column: int) -> Any:
        return self.cells.get(row, {}).get(column)

    def row_values(self, row: int) -> list[Any]:
        """The values present in a row, left to right."""
        found = self.cells.get(row, {})
        return [found[column] for column in sorted(found)]

    def columns(self, row: int) -> list[int]:
        """The columns of a row that hold a value, left to right."""
        return sorted(self.cells.get(row, {}))

    def rows_after(self, row: int) -> tuple[int, ...]:
        return self.rows[bisect.bisect_right(self.rows, row) :]


def grid(sheet: Worksheet, uncomputed: frozenset[tuple[int, int]] = frozenset()) -> Grid:
    """The cells of ``sheet`` that exist, read from the sheet's own store of them (openpyxl's
    row and column iterators visit every cell of the used rectangle, present or not).
    """
    cells: dict[int, dict[int, Any]] = {}
    for (row, column), cell in sheet._cells.items():
        if cell.value is not None:
            cells.setdefault(row, {})[column] = cell.value
    for merged in sheet.merged_cells.ranges:
        top_left = cells.get(merged.min_row, {}).get(merged.min_col)
        if top_left is None:
            continue
        for row_number in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                cells.setdefault(row_number, {})[column] = top_left
    rows = sorted(set(cells) | {row for row, _ in uncomputed})
    return Grid(sheet.title, cells, uncomputed, tuple(rows))


def _header_rows(values: Grid) -> list[int]:
    """The rows where a heading is looked for: those present among the first few."""
    return [row for row in values.rows if row <= HEADER_SEARCH_ROWS]


def _label(grid_: Grid, row: int, column: int) -> list[str]:
    """The headings a column may have at a header row: its own text, or, under a merged group
    heading such as "Purchase" over "price" and "shares", the two read together.
    """
    own = heading(grid_.value(row, column))
    found = [own] if own else []
    if row > 1:
        above = heading(grid_.value(row - 1, column))
        if above and own and above != own:
            found.append(f"{above} {own}")
    return found


def _match(labels: Sequence[str], spellings: tuple[str, ...]) -> int | None:
    """How well headings match a field's spellings: 0 exact, 1 the words contained, else None."""
    best: int | None = None
    for label in labels:
        if label in spellings:
            return 0
        words = set(label.split())
        for spelling in spellings:
            if set(spelling.split()) <= words and best is None:
                best = 1
    return best


def _header_fields(grid_: Grid, row: int, fields: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """The columns of a header row that name each field, best match first."""
    chosen: dict[str, tuple[int, int]] = {}
    for column in grid_.columns(row):
        labels = _label(grid_, row, column)
        if not labels:
            continue
        scores = [
            (score, name) for name in fields if (score := _match(labels, fields[name])) is not None
        ]
        if not scores:
            continue
        # A heading is one field's: the exact spelling wins, then the more specific field.
        score, name = min(scores, key=lambda pair: (pair[0], -len(fields[pair[1]])))
        if name not in chosen or score < chosen[name][0]:
            chosen[name] = (score, column)
    return {name: column for name, (_, column) in chosen.items()}


def _excluded(label: str) -> bool:
    # Columns a ledger often carries beside the draw that must not be read as its amount or price.
    return any(
        word in label.split()
        for word in (
            "average",
            "avg",
            "close",
            "closing",
            "cumulative",
            "elected",
            "cash",
            "room",
            "cap",
            "remaining",
            "balance",
        )
    )


def _ledger_fields(grid_: Grid, row: int) -> dict[str, int]:
    found = _header_fields(grid_, row, LEDGER_HEADINGS)
    return {
        name: column
        for name, column in found.items()
        if not any(_excluded(label) for label in _label(grid_, row, column))
    }


@dataclass(frozen=True)
class Located:
    grid: Grid
    header_row: int
    columns: dict[str, int]

    def letters(self) -> dict[str, str]:
        return {name: column_letter(column) for name, column in self.columns.items()}


def find_ledger(
    workbook: Workbook,
    workbook_name: str,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    uncomputed: Mapping[str, frozenset[tuple[int, int]]] | None = None,
) -> Located:
    """The sheet, header row and columns of the draw ledger; ``uncomputed`` are the formula
    cells of each sheet with no saved value.
    """
    uncomputed = uncomputed or {}
    sheets = [_sheet(workbook, workbook_name, sheet)] if sheet else list(workbook.worksheets)
    if mapping:
        if len(sheets) > 1:
            sheets = sheets[:1]
        return _mapped(
            grid(sheets[0], uncomputed.get(sheets[0].title, frozenset())), workbook_name, mapping
        )
    best: tuple[int, int, Located] | None = None
    seen: list[str] = []
    for index, candidate in enumerate(sheets):
        values = grid(candidate, uncomputed.get(candidate.title, frozenset()))
        for row in _header_rows(values):
            columns = _ledger_fields(values, row)
            if all(name in columns for name in REQUIRED):
                # A heading of two rows (merged cells over their parts) ends at its last row.
                last = row
                while last < values.max_row and len(
                    following := _ledger_fields(values, last + 1)
                ) >= len(columns):
                    last, columns = last + 1, following
                score = len(columns)
                if best is None or score > best[0]:
                    best = (score, -index, Located(values, last, columns))
                break
        else:
            seen.append(candidate.title)
    if best is None:
        where = (
            f"sheet {show(sheet)}" if sheet else f"any sheet ({', '.join(show(s) for s in seen)})"
        )
        raise LedgerNotFoundError(
            workbook=workbook_name,
            detail=f"no draw ledger found in {where}: no row of headings names a funding date and an amount "
            "(e.g. 'Funding date', 'Draw amount'); give the columns with --map date=B,amount=C,price=D,shares=E",
        )
    return best[2]


def _sheet(workbook: Workbook, workbook_name: str, name: str) -> Worksheet:
    if name in workbook.sheetnames:
        sheet = workbook[name]
        if isinstance(sheet, Worksheet):
            return sheet
    names = ", ".join(show(s) for s in workbook.sheetnames)
    raise LedgerNotFoundError(
        workbook=workbook_name, detail=f"no worksheet named {show(name)} (sheets: {names})"
    )


def parse_mapping(text: str) -> dict[str, str]:
    """``date=B,amount=C,price=D,shares=E`` as a field -> column letter mapping."""
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, letter = part.partition("=")
        field_name = name.strip().lower()
        if not sep or field_name not in LEDGER_FIELDS:
            raise InputError(
                name="--map",
                problem=f"takes FIELD=COLUMN pairs with FIELD one of {', '.join(LEDGER_FIELDS)}",
                value=show(part.strip()),
            )
        column_index(letter)
        mapping[field_name] = letter.strip().upper()
    missing = [name for name in REQUIRED if name not in mapping]
    if missing:
        raise InputError(
            name="--map", problem=f"must give the {' and '.join(missing)} column", value=show(text)
        )
    return mapping


def _mapped(values: Grid, workbook_name: str, mapping: Mapping[str, str]) -> Located:
    """With the columns given, the header is the row above the first row holding a draw."""
    columns = {name: column_index(letter) for name, letter in mapping.items()}
    for row in values.rows:
        if _is_draw(values.value(row, columns["date"]), values.value(row, columns["amount"])):
            return Located(values, row - 1, columns)
    raise LedgerNotFoundError(
        workbook=workbook_name,
        detail=f"sheet {show(values.title)}: no row has a date in column {mapping['date']} and an amount in column {mapping['amount']}",
    )


def _is_draw(date_cell: Any, amount_cell: Any) -> bool:
    try:
        ledger_date(date_cell, "date")
        parse_decimal(amount_cell, "amount")
    except InputError:
        return False
    return True


@dataclass(frozen=True)
class LedgerRow:
    """One draw as the ledger records it; ``problems`` name the cells that could not be read."""

    row: int
    date: dt.date | None
    amount: Decimal | None
    price: Decimal | None
    shares: Decimal | None
    cells: dict[str, str]
    problems: tuple[tuple[str, str], ...] = ()  # (field, message)


@dataclass(frozen=True)
class TotalsRow:
    """A totals row; ``problems`` name its amount or shares cells that could not be read."""

    row: int
    amount: Decimal | None
    shares: Decimal | None
    cells: dict[str, str]
    problems: tuple[tuple[str, str], ...] = ()  # (field, message)


@dataclass
class LedgerRows:
    draws: list[LedgerRow] = field(default_factory=list)
    totals: list[TotalsRow] = field(default_factory=list)


def _says_total(values: Sequence[Any]) -> bool:
    return any(isinstance(v, str) and "total" in v.lower() for v in values)


class Uncomputed:
    """A formula cell whose value was never saved (the file was not last saved by a spreadsheet)."""

    def __str__(self) -> str:
        return "a formula with no value saved"


UNCOMPUTED = Uncomputed()


def read_rows(located: Located) -> LedgerRows:
    """The draws under the header; blank spacer rows and note rows skipped, totals rows set apart."""
    values = located.grid
    uncomputed = values.uncomputed
    columns = located.columns
    result = LedgerRows()
    for row in values.rows_after(located.header_row):
        cells = {
            name: UNCOMPUTED if (row, column) in uncomputed else values.value(row, column)
            for name, column in columns.items()
        }
        if all(is_blank(cell) for cell in cells.values()):
            continue  # a spacer row
        coordinates = {name: coordinate(row, column) for name, column in columns.items()}
        date_cell = cells["date"]
        whole_row = values.row_values(row)
        day: dt.date | None = None
        if date_cell is UNCOMPUTED:
            date_problem: str | None = _uncomputed_text(f"{coordinates['date']} funding date")
        else:
            try:
                day, date_problem = (
                    ledger_date(date_cell, f"{coordinates['date']} funding date"),
                    None,
                )
            except InputError as error:
                date_problem = str(error)
        if day is None and _says_total(whole_row):
            total_problems: list[tuple[str, str]] = []
            amount_total = _read(
                cells["amount"],
                f"{coordinates['amount']} total amount",
                total_problems,
                "amount",
                optional=True,
            )
            shares_total = (
                _read(
                    cells["shares"],
                    f"{coordinates['shares']} total shares",
                    total_problems,
                    "shares",
                    optional=True,
                )
                if "shares" in columns
                else None
            )
            result.totals.append(
                TotalsRow(row, amount_total, shares_total, coordinates, tuple(total_problems))
            )
            continue
        if day is None and is_blank(cells["amount"]):
            continue  # a note or a section heading under the ledger
        problems: list[tuple[str, str]] = []
        if date_problem:
            problems.append(("date", date_problem))
        amount = _read(cells["amount"], f"{coordinates['amount']} amount", problems, "amount")
        price = (
            _read(
                cells.get("price"),
                f"{coordinates.get('price')} price",
                problems,
                "price",
                optional=True,
            )
            if "price" in columns
            else None
        )
        shares = (
            _read(
                cells.get("shares"),
                f"{coordinates.get('shares')} shares",
                problems,
                "shares",
                optional=True,
            )
            if "shares" in columns
            else None
        )
        if amount is not None and amount < 0:
            problems.append(
                (
                    "amount",
                    f"{coordinates['amount']} amount must not be negative, got {show(cells['amount'])}",
                )
            )
        if amount == 0:
            # A request that funded nothing has no price or shares to check: a template shows
            # the error that blocked it there (#N/A no closing price ...).
            problems = [(name, text) for name, text in problems if name not in {"price", "shares"}]
        result.draws.append(
            LedgerRow(row, day, amount, price, shares, coordinates, tuple(problems))
        )
    return result


def _read(
    value: Any,
    name: str,
    problems: list[tuple[str, str]],
    field_name: str,
    *,
    optional: bool = False,
) -> Decimal | None:
    if optional and is_blank(value):
        return None
    if value is UNCOMPUTED:
        problems.append((field_name, _uncomputed_text(name)))
        return None
    try:
        return parse_decimal(value, name)
    except InputError as error:
        problems.append((field_name, str(error)))
        return None


def _uncomputed_text(name: str) -> str:
    return f"{name} is a formula with no value saved; open the workbook in Excel (or LibreOffice) and save it, then check again"


def find_input_table(
    workbook: Workbook, name: str, skip: str | None = None
) -> tuple[str, list[list[Any]]] | None:
    """The rows of an input table (prices, cash used, milestones, reductions) found by its
    headings on any sheet but the ledger's: the header then each row of its columns, as the
    engine's table parsers take them. None when no sheet has one.
    """
    fields = INPUT_HEADINGS[name]
    optional = OPTIONAL_COLUMNS.get(name, ())
    for sheet in workbook.worksheets:
        if sheet.title == skip:
            continue
        values = grid(sheet)
        for row in _header_rows(values):
            columns = _header_fields(values, row, fields)
            if all(key in columns for key in fields if key not in optional):
                order = [key for key in fields if key in columns]
                rows = [[values.value(row, columns[key]) for key in order]]
                for body in values.rows_after(row):
                    cells = [values.value(body, columns[key]) for key in order]
                    if _says_total(cells):
                        continue
                    rows.append([_plain(cell, key) for cell, key in zip(cells, order, strict=True)])
                return sheet.title, rows
    return None


def _plain(value: Any, key: str) -> Any:
    """Text dates in a US workbook's input tables, as dates the engine's parsers take."""
    if key == "date" and isinstance(value, str):
        try:
            return ledger_date(value, key)
        except InputError:
            return value
    return value
