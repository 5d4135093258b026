"""What every sheet of a pack is written with: the cell writer that records check cells, and the
formula pieces the sheets share (tolerances, red-or-green checks, sums over the Draws sheet)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from eql.workbook import cells, style
from eql.workbook.cells import Formula

CHECK_STYLE = "eql check"
MONEY_TOLERANCE = "0.005"  # half a cent: amounts are sums of entered dollars and cents
PRICE_TOLERANCE = "1E-9"  # a price or average has at most a few decimals; floats differ far below
HEADER = 4  # the header row of each sheet's main table


class PackWriter:
    """Writes cells and remembers the check cells; every sheet of a pack goes through one."""

    def __init__(self, book: Workbook, footer: str, paper: int) -> None:
        self.book = book
        self.footer = footer
        self.paper = paper
        self.checks: list[tuple[str, str]] = []
        check = NamedStyle(name=CHECK_STYLE)
        check.font = Font(bold=True)
        check.alignment = Alignment(horizontal="center")
        book.add_named_style(check)

    def sheet(self, name: str, heading: str, note: str, *, landscape: bool = True) -> Worksheet:
        sheet = self.book.create_sheet(name)
        self.setup(sheet, heading, note, landscape=landscape)
        return sheet

    def setup(self, sheet: Worksheet, heading: str, note: str, *, landscape: bool = True) -> None:
        style.title(sheet, heading, note)
        style.print_setup(
            sheet,
            landscape=landscape,
            title_rows=f"{HEADER}:{HEADER}",
            footer=self.footer,
            paper=self.paper,
        )

    def header(self, sheet: Worksheet, row: int, names: Sequence[str]) -> None:
        style.header_row(sheet, row, names)

    def put(
        self, sheet: Worksheet, row: int, column: int, value: Any, number_format: str | None = None
    ) -> str:
        cell = cells.put(sheet, row, column, value)
        chosen = number_format or style.number_format_for(value)
        if chosen:
            cell.number_format = chosen
        return str(cell.coordinate)

    def formula(self, sheet: Worksheet, row: int, column: int, formula: str) -> str:
        """One of the pack's own formulas that is not a check (a count, a link to a total)."""
        return str(cells.put(sheet, row, column, Formula(formula)).coordinate)

    def check(self, sheet: Worksheet, row: int, column: int, formula: str) -> str:
        cell = cells.put(sheet, row, column, Formula(formula))
        cell.style = CHECK_STYLE
        self.checks.append((sheet.title, cell.coordinate))
        return str(cell.coordinate)

    def name(self, name: str, sheet: Worksheet, coordinates: str) -> None:
        """A defined name for a cell (``B7``) or a range of cells (``B7:B9``) of ``sheet``."""
        parts = []
        for coordinate in coordinates.split(":"):
            column = "".join(ch for ch in coordinate if ch.isalpha())
            row = "".join(ch for ch in coordinate if ch.isdigit())
            parts.append(f"${column}${row}")
        reference = f"'{sheet.title}'!{':'.join(parts)}"
        self.book.defined_names[name] = DefinedName(name, attr_text=reference)


def red_when_false(sheet: Worksheet, cells_range: str) -> None:
    """Check cells turn green when TRUE and red when FALSE."""
    top_left = cells_range.split(":", maxsplit=1)[0]
    # ISLOGICAL: a blank cell compares equal to FALSE, and blank cells are not checks.
    sheet.conditional_formatting.add(
        cells_range,
        FormulaRule(formula=[f"AND(ISLOGICAL({top_left}),NOT({top_left}))"], fill=style.RED_FILL),
    )
    sheet.conditional_formatting.add(
        cells_range,
        FormulaRule(formula=[f"AND(ISLOGICAL({top_left}),{top_left})"], fill=style.GREEN_FILL),
    )


def funded_sum(through: str, since: str | None = None) -> str:
    """SUMIFS over the pack's Draws: funded amounts dated from ``since`` through ``through``."""
    criteria = f'Draws!$A:$A,"<="&{through}'
    if since is not None:
        criteria += f',Draws!$A:$A,">="&{since}'
    return f"SUMIFS(Draws!$C:$C,{criteria})"


def within(cell: str, expected: str, tolerance: str = MONEY_TOLERANCE) -> str:
    """A check that ``cell`` equals ``expected`` to within ``tolerance``."""
    return f"=ABS({cell}-({expected}))<={tolerance}"


def and_of_many(cells_list: Sequence[str]) -> str:
    """AND over any number of cells: an AND of ANDs past one function's 255 arguments."""
    if len(cells_list) <= 250:
        return f"=AND({','.join(cells_list)})"
    chunks = [cells_list[i : i + 200] for i in range(0, len(cells_list), 200)]
    return "=AND(" + ",".join(f"AND({','.join(chunk)})" for chunk in chunks) + ")"
