"""Where each row of an input range sits in the user's file, so that a complaint about it names
the sheet and the cell (``sheet 'Cash burn' cell A4``) or the CSV file and the line, not the
row's number in the range the engine was handed.

The engine's table parsers name a bad value ``cash_used row 2: fiscal quarter``; the loaders that
read a file know where that row came from and rewrite the name, in one place.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from eql.errors import InputError

# The field names the table parsers use, by the column of the range that holds them.
FIELDS: dict[str, tuple[str, ...]] = {
    "prices": ("date", "close"),
    "draws": ("funding date", "amount"),
    "cash_used": ("fiscal quarter", "cash used"),
    "milestones": ("key", "date"),
    "reductions": ("date", "third-party financing", "amount elected"),
    "fees": ("date requested", "amount", "date reimbursed"),
    "issued": ("date", "shares", "amount paid"),
    "outstanding": ("date", "shares"),
    "holdings": ("date", "shares"),
}
_NAME = re.compile(r"^(?P<key>[a-z_]+) row (?P<number>\d+): (?P<field>.*)$", re.S)


@dataclass(frozen=True)
class Place:
    """A range's rows in a file: ``where`` (``sheet 'Cash burn'`` or a CSV file), the sheet row
    or file line of each range row, and the column letters of a sheet's columns.
    """

    where: str
    rows: tuple[int, ...]
    columns: tuple[str, ...] = ()

    def name(self, key: str, number: int, field: str) -> str | None:
        """``sheet 'Cash burn' cell A4: fiscal quarter`` for range row ``number``'s ``field``."""
        if not 1 <= number <= len(self.rows):
            return None
        at = self.rows[number - 1]
        if not self.columns:
            return f"{self.where} line {at}: {field}"
        column = _column(key, field, len(self.columns))
        if column is None:
            return f"{self.where} row {at}: {field}"
        return f"{self.where} cell {self.columns[column]}{at}: {field}"


def _column(key: str, field: str, width: int) -> int | None:
    names = FIELDS.get(key, ())
    if key == "milestones" and field.endswith("date"):
        return 1
    if key == "reductions" and field == "amount elected":
        return width - 1
    return names.index(field) if field in names and names.index(field) < width else None


@contextlib.contextmanager
def named_places(places: Mapping[str, Place]) -> Iterator[None]:
    """Complaints about the ranges read inside the block name their place in the file."""
    try:
        yield
    except InputError as error:
        name = error.kwargs.get("name")
        match = _NAME.match(name) if isinstance(name, str) else None
        if match and match["key"] in places:
            named = places[match["key"]].name(match["key"], int(match["number"]), match["field"])
            if named is not None:
                error.kwargs["name"] = named
        raise
