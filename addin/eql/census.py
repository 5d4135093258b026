"""Counting what openpyxl would build from a workbook, before it builds anything.

openpyxl keeps one object per cell it reads, and makes one more for every cell that a merged
range, a hyperlink or a comment covers: a workbook of a few kilobytes holding the range
``H1:XFD1048576`` makes seventeen billion. So every part that an XML parser could read is first
streamed through expat (the parser openpyxl's own uses), counting the cells, rows and shared
strings it holds and the area of each range that openpyxl would fill cell by cell. The count is
checked against a limit as it grows, so the work is bounded by the limit, not by the file.

The same pass notes each formula cell with no saved value, which a values-only load cannot tell
from a blank cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.parsers import expat

from openpyxl.utils.cell import column_index_from_string, range_boundaries

from eql.errors import EqlError

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SEP = "\x1f"
# Elements openpyxl expands into one object per cell of their range.
_RANGED = {f"{SHEET_NS}{_SEP}{name}" for name in ("mergeCell", "hyperlink", "comment")}
_ROW = f"{SHEET_NS}{_SEP}row"
_SHARED_STRING = f"{SHEET_NS}{_SEP}si"
_FORMULA = f"{SHEET_NS}{_SEP}f"
_VALUE = f"{SHEET_NS}{_SEP}v"
_COORDINATE = re.compile(r"([A-Za-z]{1,3})([0-9]+)$")
_LAST_ROW = 1_048_576
_LAST_COLUMN = 16_384


class TooManyCellsError(EqlError):
    """The count passed the limit; ``where`` is the part it was counting."""

    msg = "{where} takes the workbook past {limit:,} cells"


class DeclarationError(EqlError):
    msg = "{where} declares a document type or XML entities"


def area(ref: str) -> int:
    """The cells a range reference covers (``A1:B2`` is 4); a whole row or column counts whole,
    and a reference that is not one counts as a single cell (openpyxl refuses it).
    """
    total = 0
    for part in ref.split():
        try:
            min_col, min_row, max_col, max_row = range_boundaries(part)
        except (ValueError, TypeError):
            total += 1
            continue
        columns = (max_col or _LAST_COLUMN) - (min_col or 1) + 1
        rows = (max_row or _LAST_ROW) - (min_row or 1) + 1
        total += max(columns, 1) * max(rows, 1)
    return total


@dataclass
class Census:
    """Cells counted over a workbook's parts, against ``limit``; formulas with no saved value
    by part, as (row, column).
    """

    limit: int
    counted: int = 0
    uncomputed: dict[str, set[tuple[int, int]]] = field(default_factory=dict)

    def count_part(self, name: str, chunks: Iterable[bytes], where: str) -> None:
        """Stream one part's bytes through expat, adding what it holds to the count."""
        reader = _PartReader(self, where)
        parser = expat.ParserCreate(namespace_separator=_SEP)
        parser.StartElementHandler = reader.start
        parser.EndElementHandler = reader.end
        parser.CharacterDataHandler = reader.text
        parser.StartDoctypeDeclHandler = reader.declaration
        parser.EntityDeclHandler = reader.declaration
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        try:
            for chunk in chunks:
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except (expat.ExpatError, LookupError):
            pass  # not XML, or broken: openpyxl's parser (expat too) reads no further
        if reader.uncomputed:
            self.uncomputed[name] = reader.uncomputed

    def add(self, cells: int, where: str) -> None:
        self.counted += cells
        if self.counted > self.limit:
            raise TooManyCellsError(where=where, limit=self.limit)


class _PartReader:
    """expat's callbacks for one part: rows, their cells, shared strings and ranged elements."""

    def __init__(self, census: Census, where: str) -> None:
        self.census = census
        self.where = where
        self.depth = 0
        self.row_depth = 0  # the depth of the row element being read, 0 outside a row
        self.row = 0
        self.column = 0
        self.cell: tuple[int, int] | None = None
        self.has_formula = False
        self.has_value = False
        self.in_value = False
        self.uncomputed: set[tuple[int, int]] = set()

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        add = self.census.add
        if self.row_depth and self.depth == self.row_depth + 1:
            add(1, self.where)  # openpyxl reads every child of a row as a cell
            self._start_cell(attributes.get("r"))
            # A formula computed to empty text is saved as a text cell with an empty value.
            self.has_value = attributes.get("t") == "str"
        elif tag == _ROW:
            add(1, self.where)
            self.row_depth = self.depth
            number = attributes.get("r")
            self.row = int(number) if number and number.isdigit() else self.row + 1
            self.column = 0
        elif tag == _SHARED_STRING:
            add(1, self.where)
        elif tag in _RANGED:
            add(area(attributes.get("ref", "")), self.where)
        elif self.cell is not None and self.depth == self.row_depth + 2:
            if tag == _FORMULA:
                self.has_formula = True
            elif tag == _VALUE:
                self.in_value = True

    def _start_cell(self, reference: str | None) -> None:
        match = _COORDINATE.match(reference or "")
        if match:
            letters, digits = match.groups()
            self.column = column_index_from_string(letters)
            self.row = int(digits)
        else:
            self.column += 1
        self.cell = (self.row, self.column)
        self.has_formula = False

    def end(self, _tag: str) -> None:
        if self.cell is not None and self.depth == self.row_depth + 1:
            if self.has_formula and not self.has_value:
                self.uncomputed.add(self.cell)
            self.cell = None
        elif self.depth == self.row_depth:
            self.row_depth = 0
        self.in_value = False
        self.depth -= 1

    def text(self, data: str) -> None:
        if self.in_value and data.strip():
            self.has_value = True

    def declaration(self, *_: object) -> None:
        raise DeclarationError(where=self.where)
