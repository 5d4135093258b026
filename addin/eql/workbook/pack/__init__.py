"""The quarter-end pack: a workbook for auditors and the board that needs no add-in.

Every value is the engine's, as of the fiscal quarter's last day. Beside the values, check cells
hold native formulas (AVERAGE, ROUNDDOWN, MIN, SUMIFS ... only functions every spreadsheet has)
that recompute the average, price, shares and rooms from the pack's own cells and show TRUE where
they agree; the Summary says whether every check agrees. Check cells carry the cell style named
:data:`CHECK_STYLE`, so a reader (or a test) can find every one of them.

One module per family of sheets: :mod:`.reference` (the terms the checks read, the closes),
:mod:`.draws`, :mod:`.limits`, :mod:`.conditions`, :mod:`.ledgers` (reductions and fees),
:mod:`.summary` and :mod:`.charts`; :mod:`.build` puts them in order.
"""

from eql.workbook.pack.build import (
    Pack,
    as_of_quarter,
    pack_file_name,
    pack_quarters,
    quarter_pack,
)
from eql.workbook.pack.writer import CHECK_STYLE

__all__ = [
    "CHECK_STYLE",
    "Pack",
    "as_of_quarter",
    "pack_file_name",
    "pack_quarters",
    "quarter_pack",
]
