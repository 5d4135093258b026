"""The document properties of a workbook eql writes (File > Properties in a spreadsheet): eql and
its version as the author, not the name of the library that wrote the file."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl.workbook.workbook import Workbook
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

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


def save_reproducibly(book: Workbook, path: Path, moment: dt.datetime) -> None:
    """Save ``book`` to ``path`` so that the same workbook gives the same bytes every time.

    openpyxl stamps the save time into the document's modified date and every zip entry; here
    both are ``moment`` (for the template, the term sheet's date), and the created date too.
    """
    buffer = io.BytesIO()
    book.save(buffer)
    book.properties.created = book.properties.modified = moment
    core = tostring(book.properties.to_tree())
    stamp_time = moment.timetuple()[:6]
    with ZipFile(buffer) as source, ZipFile(path, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = core if info.filename == ARC_CORE else source.read(info.filename)
            entry = ZipInfo(info.filename, date_time=stamp_time)
            target.writestr(entry, data, compress_type=ZIP_DEFLATED)


def terms_moment(day: dt.date) -> dt.datetime:
    """Midnight of ``day``: the fixed time a reproducible workbook of those terms carries."""
    return dt.datetime(day.year, day.month, day.day)
