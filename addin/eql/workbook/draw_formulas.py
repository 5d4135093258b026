"""The Draws table's computed columns: the formula of each, calling the EQL_ functions on the
row's funding date and the rows above it, and, where the price may block a request, the Check
that reads the row's status from the Schedule sheet's one ledger."""

from __future__ import annotations

from eql.ledger import ScheduleColumn
from eql.terms import Terms
from eql.workbook.references import (
    CASH_RANGE,
    FUNDED_ABOVE,
    MILESTONES_RANGE,
    PRICES_RANGE,
    REDUCTIONS_RANGE,
    TERMS_RANGE,
    market_prices,
    rows_above,
    term_value,
    this_row,
)


def _guarded(formula: str) -> str:
    """Blank while the row has no funding date, so spare rows stay quiet."""
    return f'=IF({this_row("Funding date")}="","",{formula})'


def price_gates_funding(terms: Terms) -> bool:
    """Whether the price decides if a request is funded (a floor price, a per-purchase share
    limit, a share cap), in the terms as signed or as amended: ``EQL_CHECK`` prices no request
    and cannot say."""
    return any(
        version.pricing.floor is not None or version.share_limits or version.share_caps
        for version in (terms, *(amended for _, amended in terms.versions))
    )


# The Schedule sheet's block (EQL_SCHEDULE over every Draws row: a header, then one row per
# request), by which a Check column that prices the ledger reads each row's status.
LEDGER_NAME = "EQL_LEDGER"
BELOW_LEDGER = (
    "#N/A this request is below the Schedule sheet's ledger: extend its array formula over "
    "every Draws row"
)


def _ledger_status() -> str:
    """This request's status in the ledger of every request, priced (a price below the floor,
    more shares than a purchase may be, a share cap, block it): its row of the Schedule sheet's
    one ``EQL_SCHEDULE``. That ledger takes the requests in date order, rows of one date in the
    order entered, so the row is found as the ledger places it: the requests dated before this
    one, and those of its date down to it. A request typed out of date order is still given its
    own status, never a neighbour's. A text in place of the ledger is its complaint, which the
    whole block shows."""
    day = this_row("Funding date")
    down_to_here = (
        "Draws[[#Headers],[Funding date]]:INDEX(Draws[[#All],[Funding date]],"
        "ROW()-ROW(Draws[[#Headers],[Funding date]])+1)"
    )
    # The ledger's first row is its header: a request's row is one more than its place.
    place = f'1+COUNTIF(Draws[Funding date],"<"&{day})+COUNTIF({down_to_here},{day})'
    return (
        f'IF({place}>ROWS({LEDGER_NAME}),"{BELOW_LEDGER}",'
        f"INDEX({LEDGER_NAME},{place},{ScheduleColumn.STATUS.index + 1}))"
    )


def draw_formulas(terms: Terms | None = None) -> dict[str, str]:
    """The formula of each computed column of the Draws table (for ``terms`` whose price may
    block a request, the Check column reads the ledger down to the row)."""
    day = this_row("Funding date")
    funded = this_row("Amount funded")
    shares = this_row("Shares")
    market = "" if terms is None else market_prices(terms)
    check = (
        _ledger_status()
        if terms is not None and price_gates_funding(terms)
        else (
            f"EQL_CHECK({day},{this_row('Amount requested')},{FUNDED_ABOVE},{CASH_RANGE},"
            f"{MILESTONES_RANGE},{REDUCTIONS_RANGE},{TERMS_RANGE}{market})"
        )
    )
    return {
        "Fiscal quarter": _guarded(f"EQL_FISCAL_QUARTER({day},{TERMS_RANGE})"),
        "Term quarter": _guarded(f"EQL_TERM_QUARTER({day},{TERMS_RANGE})"),
        "First pricing date": _guarded(f"MIN(EQL_PRICING_DATES({day},{TERMS_RANGE}))"),
        "Last pricing date": _guarded(f"MAX(EQL_PRICING_DATES({day},{TERMS_RANGE}))"),
        "Average close": _guarded(f"EQL_AVG_CLOSE({day},{PRICES_RANGE},{TERMS_RANGE})"),
        "Price": _guarded(f"EQL_PRICE({day},{PRICES_RANGE},{TERMS_RANGE})"),
        "Cap": _guarded(
            f"EQL_CAP({day},{FUNDED_ABOVE},{CASH_RANGE},{REDUCTIONS_RANGE},{TERMS_RANGE}{market})"
        ),
        "Check": _guarded(check),
        "Funded on": _guarded(day),
        # "OK", or "OK (waived: ...)" when a condition passed only because it was waived.
        "Amount funded": _guarded(
            f'IF(LEFT({this_row("Check")},2)="OK",{this_row("Amount requested")},0)'
        ),
        "Shares": _guarded(
            # From the date and the closes, not the Price cell: a price with more than 15
            # significant digits loses them in a cell, and the share count with them.
            f"IF({funded}>0,EQL_DRAW_SHARES({day},{funded},{PRICES_RANGE},{TERMS_RANGE}),0)"
        ),
        "Restricted legend": _guarded(
            f'IF(AND(ISNUMBER({shares}),{shares}>0),{term_value("legend.text")},"")'
        ),
        "Registration rights": _guarded(
            f'IF(AND({funded}>0,COUNTIF({rows_above("Amount funded", "Amount funded")},">0")=0),'
            f'{term_value("legend.first_draw")},"")'
        ),
    }
