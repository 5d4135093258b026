"""A sheet's cells as a ledger finder reads them: only the cells that exist, by row and column."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet


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
