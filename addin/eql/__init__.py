"""eql: an equity line of credit computed exactly from its term sheet.

The engine (terms, calendar, quarters, pricing, caps, conditions, ledger) works in ``date`` and
``Decimal`` and imports neither xlwings nor openpyxl; ``eql.udfs`` adapts it to Excel.
"""

__version__ = "0.1.0"
