"""The Calc add-in: LibreOffice's Python runs this module, and each EQL_ call comes here.

It adapts what Calc hands over to what :mod:`eql.functions` reads and back, nothing more: a range
arrives as a tuple of row tuples (made a list of rows, as Excel's adapter hands it), a date cell
as its serial number, a blank cell as an empty string, a logical cell as 1 or 0, an omitted
argument as ``None``. Results go back as numbers, text, and serial numbers for dates; a table as
rows of equal width.

A price range arrives as the cell range itself (``interface.BY_REFERENCE``). Its rows are read
once and kept, per document and address, until LibreOffice reports a change to a cell in it (a
modify listener on the range) or the range has moved (rows inserted above it): every later call
with the same range reads no cell at all. What is kept is only the cells' values, as a fresh
read would give them; the engine still checks them on every call.

This module imports ``uno``, which only LibreOffice's Python has; nothing else imports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import unohelper  # type: ignore[import-not-found]
from com.sun.star.lang import (  # type: ignore[import-not-found]
    XLocalizable,
    XServiceInfo,
    XServiceName,
)
from com.sun.star.util import XModifyListener  # type: ignore[import-not-found]
from org.eql.calc import XEqlFunctions  # type: ignore[import-not-found]

from eql.functions import FUNCTIONS, Declared
from eql.libreoffice import SERVICE
from eql.libreoffice.interface import by_reference
from eql.values import to_serial

SERVICES = (SERVICE, "com.sun.star.sheet.AddIn")


def argument(value: Any) -> Any:
    """A Calc argument as Excel's adapter would hand it: ranges as lists of rows."""
    if type(value) is tuple:
        return [list(row) if type(row) is tuple else row for row in value]
    return value


def cell(value: Any) -> Any:
    """A result cell as Calc takes it: a number, text, or a date's serial number."""
    if isinstance(value, str | float):
        return value
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int):
        return float(value)  # Calc's numbers are doubles; a share count fits exactly
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return float(to_serial(day))
    if value is None:
        return ""
    return str(value)


def table(value: Any) -> tuple[tuple[Any, ...], ...]:
    """A table result as rows of equal width; an error's text fills a table of one cell."""
    if not isinstance(value, list):
        return ((cell(value),),)
    width = max((len(row) for row in value), default=1)
    return tuple(
        tuple(cell(item) for item in row) + ("",) * (width - len(row)) for row in value
    ) or (("",),)


Key = tuple[Any, ...]


class Forget(unohelper.Base, XModifyListener):  # type: ignore[misc]
    """Drops the rows kept for a range when a cell in it changes or its document closes."""

    def __init__(self, kept: dict[Key, Any], key: Key) -> None:
        self.kept = kept
        self.key = key

    def modified(self, _event: Any) -> None:
        self.kept.pop(self.key, None)

    def disposing(self, _event: Any) -> None:
        self.kept.pop(self.key, None)


def _place(document_id: Any, cells: Any) -> Key:
    address = cells.getRangeAddress()
    return (
        document_id,
        address.Sheet,
        address.StartColumn,
        address.StartRow,
        address.EndColumn,
        address.EndRow,
    )


class KeptRanges:
    """The rows of ranges handed over by reference, kept until a cell in them changes."""

    def __init__(self) -> None:
        self.kept: dict[Key, tuple[Any, list[list[Any]]]] = {}

    def rows(self, document: Any, cells: Any) -> list[list[Any]]:
        try:
            document_id = document.getPropertyValue("RuntimeUID")
        except Exception:  # no identity for the document: read the cells, keep nothing
            return [list(row) for row in cells.getDataArray()]
        key = _place(document_id, cells)
        kept = self.kept.get(key)
        if kept is not None:
            watched, rows = kept
            if _place(document_id, watched) == key:  # not moved since it was read
                return rows
            del self.kept[key]
        rows = [list(row) for row in cells.getDataArray()]
        cells.addModifyListener(Forget(self.kept, key))
        self.kept[key] = (cells, rows)
        return rows


RANGES = KeptRanges()


def _method(declared: Declared) -> Callable[..., Any]:
    compute = declared.compute
    convert = table if declared.returns_table else cell
    references = by_reference(declared)

    def method(_self: Any, *args: Any) -> Any:
        return convert(compute(*map(argument, args)))

    def method_with_ranges(_self: Any, document: Any, *args: Any) -> Any:
        given = list(map(argument, args))
        try:
            for n in references:
                given[n] = RANGES.rows(document, args[n])
        except Exception as error:  # the range could not be read: a cell, never a traceback
            return convert(f"#VALUE! {declared.name} could not read its range ({error})")
        return convert(compute(*given))

    chosen = method_with_ranges if references else method
    chosen.__name__ = declared.name
    chosen.__doc__ = declared.description
    return chosen


class EqlFunctions(unohelper.Base, XEqlFunctions, XServiceName, XServiceInfo, XLocalizable):  # type: ignore[misc]
    """The add-in's service: one method per declared function, made from its declaration."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self.locale: Any = None

    def getServiceName(self) -> str:  # noqa: N802  (UNO's method names)
        return SERVICE

    def getImplementationName(self) -> str:  # noqa: N802
        return SERVICE

    def supportsService(self, name: str) -> bool:  # noqa: N802
        return name in SERVICES

    def getSupportedServiceNames(self) -> tuple[str, ...]:  # noqa: N802
        return SERVICES

    def setLocale(self, locale: Any) -> None:  # noqa: N802
        self.locale = locale

    def getLocale(self) -> Any:  # noqa: N802
        return self.locale


for _declared in FUNCTIONS.values():
    setattr(EqlFunctions, _declared.name, _method(_declared))

g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(EqlFunctions, SERVICE, SERVICES)
