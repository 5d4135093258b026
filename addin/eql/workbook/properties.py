"""The document properties of a workbook eql writes (File > Properties in a spreadsheet): eql and
its version as the author, not the name of the library that wrote the file."""

from __future__ import annotations

from openpyxl.workbook.workbook import Workbook

from eql import __version__

AUTHOR = f"eql {__version__}"


def stamp(book: Workbook, title: str) -> Workbook:
    """A workbook eql made: eql is its author and last editor, ``title`` its title."""
    book.properties.creator = AUTHOR
    book.properties.lastModifiedBy = AUTHOR
    book.properties.title = title
    return book


def edited(book: Workbook) -> Workbook:
    """A copy of a user's workbook that eql annotated: the author stays the user's."""
    book.properties.lastModifiedBy = AUTHOR
    return book
