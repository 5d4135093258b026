"""Reading a located ledger's rows: each draw's cells, blank spacer and note rows skipped, totals
rows set apart, and every cell that cannot be read named with its problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from eql.check.cells import coordinate, ledger_date
from eql.check.headings import says_total
from eql.check.locate import Located
from eql.errors import InputError
from eql.values import is_blank, parse_decimal, show


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
        if day is None and says_total(whole_row):
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
