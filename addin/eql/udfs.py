"""The EQL_ functions for Excel, as xlwings user-defined functions.

Each function, its arguments and its help texts are declared once in :mod:`eql.functions`; this
module gives xlwings what it reads from a function: the parameter names and defaults (from the
function's signature), the description, each argument's help text, and ``ndim=2`` for a range so
that a single cell still arrives as a list of rows. The workbook's ``xlwings.conf`` names this
module, and Import Functions writes one VBA wrapper per function found here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import xlwings as xw

from eql.functions import FUNCTIONS, Declared


def _xlwings_function(declared: Declared) -> Callable[..., Any]:
    """A fresh function object per declaration, so xlwings' attributes stay on this adapter's."""

    @functools.wraps(declared.compute)
    def udf(*args: Any) -> Any:
        return declared.compute(*args)

    udf.__doc__ = declared.description
    udf.__annotations__ = {}  # xlwings reads annotations as converters; the arguments need none
    udf = xw.func(udf)
    for param in declared.params:
        options: dict[str, Any] = {"ndim": 2} if param.is_range else {}
        udf = xw.arg(param.name, doc=param.help, **options)(udf)
    return udf


globals().update({name: _xlwings_function(declared) for name, declared in FUNCTIONS.items()})
