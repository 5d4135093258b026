"""The openpyxl adapter: the template workbook, the quarter-end packs, and reading a filled template.

Everything here calls the engine for every number it writes; no rule of the term sheet is
re-implemented. The check formulas of a quarter-end pack recompute some numbers in the
spreadsheet itself, so that a reader without eql (an auditor, LibreOffice) can verify them.
"""
