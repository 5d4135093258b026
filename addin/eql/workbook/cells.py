"""The one way a value reaches a cell of a workbook eql writes.

openpyxl stores any str that starts with ``=`` as a formula, and a spreadsheet that re-reads a
cell typed ``+1+1``, ``-1+2`` or ``@SUM(1)`` may compute it. Text, whatever it came from (a terms
file, ``--set``, a filled template someone sent, a note typed in a ledger), is therefore written
as a string cell with a quote prefix, as Excel marks text typed after an apostrophe. A formula
reaches a cell only as a :class:`Formula`, which only eql's own builders make.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Formula:
    """A formula eql built from its own parts (``=SUM(B5:B9)``); never text from an input."""

    text: str

    def __post_init__(self) -> None:
        if not self.text.startswith("="):
            raise ValueError(f"a formula starts with '=', got {self.text[:40]!r}")


def write_text(cell: Cell, text: str) -> Cell:
    """Put ``text`` into ``cell`` as text, never as a formula."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def write_formula(cell: Cell, formula: Formula | ArrayFormula) -> Cell:
    """Put one of eql's own formulas into ``cell``."""
    if isinstance(formula, ArrayFormula):
        cell.value = formula
    else:
        cell.value = formula.text
    return cell


def write(cell: Cell, value: Any) -> Cell:
    """An engine value as a cell holds it: Decimals as numbers (whole ones as integers), texts and
    lists of texts as text, formulas only when they are :class:`Formula`."""
    if isinstance(value, Formula | ArrayFormula):
        return write_formula(cell, value)
    if isinstance(value, tuple):
        value = ", ".join(str(part) for part in value)
    if isinstance(value, str):
        return write_text(cell, value)
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    cell.value = value
    return cell


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """:func:`write` into the cell at ``row``, ``column`` of ``sheet``."""
    return write(sheet.cell(row, column), value)
