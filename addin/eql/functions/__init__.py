"""The EQL_ spreadsheet functions, declared once for every spreadsheet that hosts them.

Each function is plain Python: it converts what a spreadsheet hands over (datetimes, serial
numbers, text, ``None`` or ``""`` for blank cells, ranges as rows), calls the engine, and formats
the result. None of them ever raises: a problem comes back as cell text that starts with a
spreadsheet error code and names the input and the value, such as ``#N/A no closing price for
2002-06-10 (pricing session 3 of 5)``.

The declaration beside each function (its description, each parameter's help text, whether a
parameter is a range and whether it may be left out, whether the result is a table) is the one
source both adapters read, through ``FUNCTIONS``: ``eql.udfs`` makes xlwings functions of them for
Excel, and ``eql.libreoffice`` makes the LibreOffice Calc add-in's interface and Function Wizard
texts. Help texts say what an argument is, never one facility's numbers: those are the terms'.

    declaration.py   Param, Declared, declare and the registry FUNCTIONS
    arguments.py     the arguments several functions share, declared and converted once
    prices.py        the price, its average and sessions, and the shares an amount buys
    quarters.py      the fiscal quarter and the term quarter of a date
    funding.py       the room under the limits, the conditions, and the check of a draw
    schedule.py      the whole ledger in one call
    share_limits.py  the room under the share caps, and the most shares one purchase may be

"""

from __future__ import annotations

from eql.functions.arguments import PRICE_RANGES
from eql.functions.declaration import FUNCTIONS, Declared, Param

# Imported for the functions each declares, in the order FUNCTIONS lists them and so the order of
# the LibreOffice interface's methods: a new module goes last.
# isort: off
from eql.functions import prices, quarters, funding, schedule, share_limits  # noqa: F401
# isort: on

__all__ = ["FUNCTIONS", "PRICE_RANGES", "Declared", "Param"]
