"""The arguments several EQL_ functions share: each declared once, as the function wizard shows it,
and converted once, from what a spreadsheet hands over to what the engine reads."""

from __future__ import annotations

from typing import Any

from eql import tables
from eql.functions.declaration import Param
from eql.ledger import ShareInputs
from eql.price_history import PriceHistory
from eql.terms import Terms, default_terms, terms_with
from eql.values import is_blank

TERMS = Param(
    "terms",
    "Optional: a two-column range of term names and values that replace the built-in terms",
    is_range=True,
    optional=True,
)
PRICES = Param(
    "prices",
    "Daily market data, one row per session in any order: date and the price the terms price on (then low, volume), or columns named by a header row: date, close, bid, vwap, low, volume",
    is_range=True,
)
DRAWS = Param(
    "draws",
    "Two columns: funding date and amount of the draws already funded (later rows are ignored)",
    is_range=True,
)
CASH_USED = Param(
    "cash_used",
    "Two columns: fiscal quarter (a label such as FY2003 Q1, or a date inside it) and cash used in operations, a positive amount",
    is_range=True,
)
MILESTONES = Param(
    "milestones",
    "Two columns: milestone key, as the terms name it, and the date it was achieved; blank if not yet",
    is_range=True,
)
# The market data a limit may read (an advance limit by traded value), last so that formulas
# written before it keep working.
MARKET_PRICES = Param(
    "prices",
    "Optional: daily market data as for EQL_PRICE, needed only when a limit reads it (an advance limit by traded value needs each session's price and volume)",
    is_range=True,
    optional=True,
)
REDUCTIONS = Param(
    "reductions",
    "Optional: date and amount elected of each commitment reduction (or date, third-party financing, amount elected)",
    is_range=True,
    optional=True,
)
# The share caps' inputs, optional, appended last to EQL_CHECK and EQL_SCHEDULE: given the
# outstanding range, they check the share caps too.
CHECK_ISSUED = Param(
    "issued",
    "Optional: date, shares issued under the agreement and amount paid, as for EQL_SHARE_ROOM; with outstanding, the share caps are checked too",
    is_range=True,
    optional=True,
)
CHECK_OUTSTANDING = Param(
    "outstanding",
    "Optional: date and shares outstanding, as for EQL_SHARE_ROOM; without it the share caps are not checked",
    is_range=True,
    optional=True,
)
CHECK_HOLDINGS = Param(
    "holdings",
    "Optional: date and the investor's holdings, as for EQL_SHARE_ROOM",
    is_range=True,
    optional=True,
)

# The dates of the price ranges a spreadsheet hands over again and again, parsed once (see
# PriceRanges); owned here, by the functions, and by nothing else.
PRICE_RANGES = tables.PriceRanges()


def terms_of(value: Any) -> Terms:
    """The terms of a Terms range: the built-in terms, or those its rows name and replace."""
    pairs = tables.term_overrides(value)
    return terms_with(pairs) if pairs else default_terms()


def market(prices: Any) -> PriceHistory | None:
    """The market data of an optional prices argument; None when it was left out."""
    return None if prices is None or prices == "" else PRICE_RANGES.history(prices)


def share_inputs(issued: Any, outstanding: Any, holdings: Any) -> ShareInputs | None:
    """The share caps' inputs of EQL_CHECK or EQL_SCHEDULE; None when no outstanding range is
    given (the share caps are then not checked, as the argument's help says)."""
    if is_blank(outstanding):
        return None
    return ShareInputs(
        tables.issued(issued), tables.shares_outstanding(outstanding), tables.holdings(holdings)
    )
