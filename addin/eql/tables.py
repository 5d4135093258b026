"""Ranges as a spreadsheet hands them over, turned into the engine's plain data.

A range is a list of rows; a row may be a header of text, blank cells are ``None``, a single cell
may arrive as a bare value. Each parser checks the shape, skips blank rows and one header row,
and names the range, the row (counting from 1, header included) and the value in any complaint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from eql.errors import InputError, LedgerError
from eql.market import POSITIONAL_WIDTHS, Layout, MarketColumn
from eql.market import layout as market_layout
from eql.money import fmt_money
from eql.price_history import PriceHistory
from eql.quarters import fiscal_quarter, fiscal_quarter_from_label
from eql.records import DatedCount, Draw, Fee, Issue, Reduction
from eql.terms import Terms
from eql.values import (
    is_blank,
    is_excel_error,
    parse_amount,
    parse_date,
    parse_decimal,
    parse_fiscal_label,
    plain_date,
    plain_decimal,
    show,
)
from eql.vocabulary import PriceSeries

Rows = list[list[Any]]


def as_rows(value: Any, name: str) -> Rows:
    """Any range value as a list of rows: a bare cell becomes one row of one cell."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        rows = [list(row) for row in value if isinstance(row, list | tuple)]
        if len(rows) == len(value):
            return rows
        if rows:
            raise LedgerError(name=name, detail="mixes rows and single cells")
        return [list(value)]
    return [[value]]


def is_blank_row(row: Sequence[Any]) -> bool:
    """Whether every cell of a row is blank (a row of none is)."""
    return all(map(is_blank, row))


def _width(rows: Rows, name: str, widths: Sequence[int], columns: str) -> int:
    width = max((len(row) for row in rows), default=widths[0])
    if width not in widths:
        *most, last = (str(w) for w in widths)
        want = f"{', '.join(most)} or {last}" if most else last
        raise LedgerError(name=name, detail=f"must have {want} columns ({columns}), got {width}")
    return width


def _rows(
    value: Any, name: str, widths: Sequence[int], columns: str
) -> list[tuple[int, list[Any]]]:
    """Numbered non-blank rows of a range that must be ``widths`` columns wide."""
    rows = as_rows(value, name)
    width = _width(rows, name, widths, columns)
    return [
        (number, row if len(row) == width else row + [None] * (width - len(row)))
        for number, row in enumerate(rows, start=1)
        if not is_blank_row(row)
    ]


V = TypeVar("V")

_NUMBER_START = frozenset("0123456789+-.$(")


def _is_label(cell: Any) -> bool:
    """A column heading: text with a letter in it that does not start as a number does and reads
    as no value a range holds (a date, a number, a fiscal quarter). A mistyped value
    (``15/04/2002``, ``1.000.000``, ``15-Apr-2002``) and an Excel error are values gone wrong,
    never headings, so either is reported, not skipped.
    """
    if not isinstance(cell, str) or is_excel_error(cell):
        return False
    text = cell.strip()
    if text[:1] in _NUMBER_START or not any(character.isalpha() for character in text):
        return False
    for parse in (parse_date, parse_decimal, parse_fiscal_label):
        try:
            parse(cell, "heading")
        except InputError:
            continue
        return False
    return True


def _is_header(row: list[Any]) -> bool:
    """A header row holds column headings only (a mistyped date beside a number is not one)."""
    cells = [cell for cell in row if not is_blank(cell)]
    return all(_is_label(cell) for cell in cells)


def _body(rows: list[tuple[int, list[Any]]]) -> list[tuple[int, list[Any]]]:
    """The rows after the header, when the range's first row is one."""
    if rows and rows[0][0] == 1 and _is_header(rows[0][1]):
        return rows[1:]
    return rows


def price_history(value: Any) -> PriceHistory:
    """Daily market data by date from a prices range, in any order: (date, price[, low[,
    volume]]) by position, or any of the market columns named by a header row.

    A value is checked only when a session uses it; a date given twice with different values is
    kept as a conflict and reported if that session is used.
    """
    rows = as_rows(value, "prices")
    positions, _, found = _date_positions(rows)
    return PriceHistory(rows, positions, layout=found)


# Serial 1 (1900-01-01) compares equal to True, which is no date: a range holding it is not kept.
_SERIAL_ONE = dt.date(1900, 1, 1)


class PriceRanges:
    """The dates' positions of the last few price ranges read, reused when the same cells come
    back: Excel hands every EQL_PRICE cell of a sheet the same range, converted anew each time.

    One comparison of the rows, at C speed, finds an earlier parse. A range is kept only when
    equal cells always parse alike (every number type reads a serial by its value; serial 1,
    equal to TRUE, is never kept), so a kept parse can never change an answer. The closes are
    always read from the cells of the call itself. The Excel adapter owns one of these.
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._kept: list[tuple[Rows, dict[dt.date, tuple[int, ...]], Layout]] = []

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        """Forget every kept parse."""
        self._kept.clear()

    def history(self, value: Any) -> PriceHistory:
        """What :func:`price_history` gives for ``value``, from a kept parse when there is one."""
        if type(value) is not list:
            return price_history(value)
        for index, entry in enumerate(self._kept):
            if _same_cells(entry[0], value):
                self._kept.insert(0, self._kept.pop(index))  # by position: cells may not compare
                return PriceHistory(value, entry[1], layout=entry[2])
        rows = as_rows(value, "prices")
        positions, reusable, found = _date_positions(rows)
        if reusable:
            self._kept.insert(0, (rows, positions, found))
            del self._kept[self.size :]
        return PriceHistory(rows, positions, layout=found)


def _same_cells(kept: Rows, value: list[Any]) -> bool:
    try:
        return bool(kept == value)
    except (ArithmeticError, TypeError, ValueError):  # a cell that refuses to be compared
        return False


def _price_layout(rows: Rows) -> tuple[Layout, bool]:
    """Where the market columns sit, and whether the first row is a header to skip."""
    first_is_header = bool(rows) and not is_blank_row(rows[0]) and _is_header(rows[0])
    found = market_layout(rows[0] if first_is_header else None)
    if found.named is None:  # by position: date, price[, low[, volume]]
        _width(rows, "prices", POSITIONAL_WIDTHS, "date, price[, low[, volume]]")
    return found, first_is_header


def _date_positions(rows: Rows) -> tuple[dict[dt.date, tuple[int, ...]], bool, Layout]:
    """The indices of the rows holding each date, whether this parse may be reused, and where
    the market columns sit."""
    # The other columns (the day's low, its volume) are read only by a rule or limit using them.
    found, first_is_header = _price_layout(rows)
    column = found.index(MarketColumn.DATE, PriceSeries.CLOSE)
    assert column is not None
    positions: dict[dt.date, list[int]] = {}
    reusable = True
    for index in range(1 if first_is_header else 0, len(rows)):
        row = rows[index]
        day_cell = row[column] if len(row) > column else None
        day = plain_date(day_cell)
        if day is None:
            if is_blank_row(row):
                continue
            # A date column named elsewhere than first says which (a file's places know the first).
            field = "date" if column == 0 else f"date (column {column + 1})"
            day = parse_date(day_cell, f"prices row {index + 1}: {field}")
            if day == _SERIAL_ONE and not isinstance(day_cell, str | dt.date):
                reusable = False
        where = positions.get(day)
        if where is None:
            positions[day] = [index]
        else:
            where.append(index)
    return {day: tuple(where) for day, where in positions.items()}, reusable, found


def draws(value: Any, name: str = "draws") -> list[Draw]:
    """Draws from a (funding date, amount) range; an amount of 0 is a draw that was not funded."""
    found = []
    for number, (day_cell, amount_cell) in _body(_rows(value, name, (2,), "funding date, amount")):
        # The common cells take the quick paths; the name of a complaint is built only when needed.
        day = plain_date(day_cell) or parse_date(day_cell, f"{name} row {number}: funding date")
        amount = plain_decimal(amount_cell)
        if amount is None:
            amount = parse_decimal(amount_cell, f"{name} row {number}: amount")
        _not_negative(amount, amount_cell, f"{name} row {number}: amount")
        found.append(Draw(day, amount, number))
    return found


def cash_used(value: Any, terms: Terms) -> dict[str, Decimal]:
    """Cash used in operations by fiscal quarter label, from a (quarter, amount) range.

    The quarter may be a label such as ``FY2003 Q1`` or any date inside the quarter.
    """
    found: dict[str, Decimal] = {}
    for number, (quarter_cell, amount_cell) in _body(
        _rows(value, "cash_used", (2,), "fiscal quarter, cash used")
    ):
        where = f"cash_used row {number}"
        if isinstance(quarter_cell, str) and "Q" in quarter_cell.upper():  # no date has a Q
            label = fiscal_quarter_from_label(quarter_cell, f"{where}: fiscal quarter", terms).label
        else:
            try:
                day = parse_date(quarter_cell, f"{where}: fiscal quarter")
            except InputError:
                raise InputError(
                    name=f"{where}: fiscal quarter",
                    problem="must be a fiscal quarter such as 'FY2003 Q1' (or a date inside it)",
                    value=show(quarter_cell),
                ) from None
            label = fiscal_quarter(day, terms).label
        amount = parse_decimal(amount_cell, f"{where}: cash used")
        _not_negative(
            amount, amount_cell, f"{where}: cash used", " (enter cash used as a positive number)"
        )
        _enter_once(found, label, amount, "cash_used", fmt_money)
    return found


def _not_negative(amount: Decimal, cell: Any, name: str, hint: str = "") -> None:
    if amount < 0:
        raise InputError(name=name, problem=f"must not be negative{hint}", value=show(cell))


def _enter_once(
    found: dict[str, V], key: str, value: V, table: str, shown: Callable[[V], str]
) -> None:
    """``found[key] = value``, refusing a key given twice with two different values (the last
    one would win silently); the same value twice is the same fact."""
    if key in found and found[key] != value:
        raise LedgerError(
            name=table,
            detail=f"{key} is given twice, as {shown(found[key])} and {shown(value)}",
        )
    found[key] = value


def _date_or_blank(day: dt.date | None) -> str:
    return str(day) if day else "blank"


def milestones(value: Any, terms: Terms) -> dict[str, dt.date | None]:
    """Milestone dates by key from a (key, date) range; a blank date means not (yet) happened."""
    known = terms.milestone_keys
    found: dict[str, dt.date | None] = {}
    rows = _rows(value, "milestones", (2,), "key, date")
    # A milestone not yet achieved is a row of text alone, so a header is told by its key.
    first_key = rows[0][1][0] if rows and rows[0][0] == 1 else None
    if isinstance(first_key, str) and first_key.strip().upper() not in known:
        rows = _body(rows) if not is_blank(rows[0][1][1]) else rows
    for number, (key_cell, date_cell) in rows:
        key = key_cell.strip().upper() if isinstance(key_cell, str) else None
        if key not in known:
            allowed = ", ".join(k for k, _ in terms.milestones)
            raise InputError(
                name=f"milestones row {number}: key",
                problem=f"must be one of {allowed}"
                if allowed
                else "is not a milestone of these terms (they name none)",
                value=show(key_cell),
            )
        day = (
            None
            if is_blank(date_cell)
            else parse_date(date_cell, f"milestones row {number}: {key} date")
        )
        assert key is not None
        _enter_once(found, key, day, "milestones", _date_or_blank)
    return found


def reductions(value: Any) -> list[Reduction]:
    """Reductions from (date, amount elected) or (date, third-party financing, amount elected)."""
    found = []
    rows = _body(
        _rows(value, "reductions", (2, 3), "date, [third-party financing,] amount elected")
    )
    for number, row in rows:
        where = f"reductions row {number}"
        day = parse_date(row[0], f"{where}: date")
        third_party = (
            parse_amount(row[1], f"{where}: third-party financing") if len(row) == 3 else None
        )
        found.append(
            Reduction(day, parse_amount(row[-1], f"{where}: amount elected"), third_party, number)
        )
    return found


def term_overrides(value: Any) -> tuple[tuple[str, Any], ...]:
    """(name, value) pairs from a two-column Terms range; a header row (name, value) is skipped."""
    pairs = []
    rows_of: dict[str, int] = {}
    for number, (name_cell, value_cell) in _rows(value, "terms", (2,), "name, value"):
        if is_blank(name_cell):
            raise InputError(name=f"terms row {number}: name", problem="is required", value="blank")
        name = str(name_cell).strip()
        if number == 1 and name.lower() in {"name", "term", "key"}:
            continue
        if name in rows_of:  # the last one would win silently
            raise LedgerError(
                name="terms",
                detail=f"{show(name)} is given twice, in rows {rows_of[name]} and {number}",
            )
        rows_of[name] = number
        if is_blank(value_cell):
            raise InputError(
                name=f"terms row {number}: {name}", problem="needs a value", value="blank"
            )
        pairs.append(
            (name, value_cell.isoformat() if isinstance(value_cell, dt.datetime) else value_cell)
        )
    return tuple(pairs)


def fees(value: Any) -> list[Fee]:
    """Fees from a (date requested, amount, date reimbursed) range; blank reimbursed means unpaid."""
    found = []
    for number, (requested, amount, reimbursed) in _body(
        _rows(value, "fees", (3,), "date requested, amount, date reimbursed")
    ):
        where = f"fees row {number}"
        paid = None if is_blank(reimbursed) else parse_date(reimbursed, f"{where}: date reimbursed")
        found.append(
            Fee(
                parse_date(requested, f"{where}: date requested"),
                parse_amount(amount, f"{where}: amount"),
                paid,
                number,
            )
        )
    return found


def _whole_shares(cell: Any, name: str, *, zero: bool) -> int:
    """A count of shares: a whole number, positive (or 0 when ``zero``)."""
    number = parse_decimal(cell, name)
    if number != number.to_integral_value() or number < 0 or (number == 0 and not zero):
        wanted = (
            "a whole number of shares, 0 or more" if zero else "a positive whole number of shares"
        )
        raise InputError(name=name, problem=f"must be {wanted}", value=show(cell))
    return int(number)


def dated_counts(value: Any, name: str, *, zero: bool) -> list[DatedCount]:
    """Share counts by date, oldest first, from a (date, shares) range in any order: shares
    outstanding (``zero`` False) or the investor's holdings (``zero`` True). A date given twice
    with two different counts is refused."""
    found: dict[dt.date, DatedCount] = {}
    for number, (day_cell, count_cell) in _body(_rows(value, name, (2,), "date, shares")):
        day = parse_date(day_cell, f"{name} row {number}: date")
        count = DatedCount(
            day, _whole_shares(count_cell, f"{name} row {number}: shares", zero=zero), number
        )
        earlier = found.get(day)
        if earlier is not None and earlier.shares != count.shares:
            raise LedgerError(
                name=name,
                detail=f"{day} is given twice, as {earlier.shares:,} (row {earlier.row}) and "
                f"{count.shares:,} (row {number}) shares",
            )
        found.setdefault(day, count)
    return sorted(found.values(), key=lambda count: count.date)


def shares_outstanding(value: Any) -> list[DatedCount]:
    """The company's shares outstanding by date, from an ``outstanding`` (date, shares) range."""
    return dated_counts(value, "outstanding", zero=False)


def holdings(value: Any) -> list[DatedCount]:
    """The investor's holdings by date, from a ``holdings`` (date, shares) range; 0 allowed."""
    return dated_counts(value, "holdings", zero=True)


def issued(value: Any) -> list[Issue]:
    """The shares issued under the agreement, from an ``issued`` (date, shares, amount paid)
    range, oldest first; an amount of 0 is shares issued for no cash (commitment shares)."""
    found = []
    for number, (day_cell, shares_cell, paid_cell) in _body(
        _rows(value, "issued", (3,), "date, shares, amount paid")
    ):
        where = f"issued row {number}"
        paid = parse_decimal(paid_cell, f"{where}: amount paid")
        _not_negative(paid, paid_cell, f"{where}: amount paid")
        found.append(
            Issue(
                parse_date(day_cell, f"{where}: date"),
                _whole_shares(shares_cell, f"{where}: shares", zero=False),
                paid,
                number,
            )
        )
    return sorted(found, key=lambda issue: (issue.date, issue.row))
