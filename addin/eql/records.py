"""The facts of a facility the engine works on: draws, reductions and fees, as plain records.

Each record keeps ``row``, where it sits in the range or file it came from, so a complaint about
it can point there; the parsers of :mod:`eql.tables` build them from spreadsheet ranges.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Draw:
    """A draw funded (or asked for) on ``date``; ``row`` is where it sits in its range."""

    date: dt.date
    amount: Decimal
    row: int = 0


@dataclass(frozen=True)
class Reduction:
    """An election to reduce the commitment after a third-party financing."""

    date: dt.date
    elected: Decimal
    third_party: Decimal | None = None
    row: int = 0


@dataclass(frozen=True)
class Fee:
    """Legal fees the investor asked to be reimbursed, and when the company paid them."""

    requested: dt.date
    amount: Decimal
    reimbursed: dt.date | None
    row: int = 0


@dataclass(frozen=True)
class DatedCount:
    """A count of shares as of a date: shares outstanding, or the investor's holdings."""

    date: dt.date
    shares: int
    row: int = 0


@dataclass(frozen=True)
class Issue:
    """Shares issued under the agreement on ``date`` for ``paid`` (0: issued for no cash, such as
    commitment shares)."""

    date: dt.date
    shares: int
    paid: Decimal
    row: int = 0
