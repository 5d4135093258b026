"""The Calc add-in: LibreOffice's Python runs this module, and each EQL_ call comes here.

It adapts what Calc hands over to what :mod:`eql.functions` reads and back, nothing more: a range
arrives as a tuple of row tuples (made a list of rows, as Excel's adapter hands it, so the parse
of a price range seen before is reused), a date cell as its serial number, a blank cell as an
empty string, a logical cell as 1 or 0, an omitted argument as ``None``. Results go back as
numbers, text, and serial numbers for dates; a table as rows of equal width.

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
from org.eql.calc import XEqlFunctions  # type: ignore[import-not-found]

from eql.functions import FUNCTIONS, Declared
from eql.libreoffice import SERVICE
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


def _method(declared: Declared) -> Callable[..., Any]:
    compute = declared.compute
    convert = table if declared.returns_table else cell

    def method(_self: Any, *args: Any) -> Any:
        return convert(compute(*map(argument, args)))

    method.__name__ = declared.name
    method.__doc__ = declared.description
    return method


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
