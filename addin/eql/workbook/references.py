"""The template's structured references: the ranges every formula passes and the cells of a Draws row.

Formulas are written in the file format's own spelling: ``Draws[[#This Row],[Funding date]]``
(Excel shows it as ``[@[Funding date]]``; LibreOffice 7.4 reads only the long form).
"""

from __future__ import annotations

from eql.market import limits_read_market
from eql.terms import Terms

# The ranges every formula passes, named once here.
TERMS_RANGE = "Terms"
# The prices with their heading row, by which the engine finds each market column it reads.
PRICES_RANGE = "Prices[#All]"
CASH_RANGE = "CashUsed"
MILESTONES_RANGE = "Milestones[[Key]:[Date]]"
REDUCTIONS_RANGE = "Reductions"


def this_row(column: str) -> str:
    return f"Draws[[#This Row],[{column}]]"


def rows_above(first: str, last: str) -> str:
    """Columns ``first``..``last`` of Draws from the header row down to the row above this one.

    For the first data row this is the header alone, which every EQL_ function skips.
    (LibreOffice 7.4 cannot take ``ROW(Draws[#Headers])``; a column's header it can.)
    """
    return (
        f"Draws[[#Headers],[{first}]]:"
        f"INDEX(Draws[[#All],[{last}]],ROW()-ROW(Draws[[#Headers],[{first}]]))"
    )


FUNDED_ABOVE = rows_above("Funded on", "Amount funded")
FUNDED_ALL = "Draws[[#All],[Funded on]:[Amount funded]]"


def term_value(name: str) -> str:
    """A formula reading one value of the Terms table by its name."""
    return f'INDEX(Terms[Value],MATCH("{name}",Terms[Name],0))'


def market_prices(terms: Terms) -> str:
    """The prices as the last argument of EQL_CAP, EQL_CAP_DETAIL and EQL_CHECK (``,Prices[#All]``)
    where a limit of the terms reads market data (a limit by traded value); nothing otherwise."""
    return f",{PRICES_RANGE}" if limits_read_market(terms) else ""
