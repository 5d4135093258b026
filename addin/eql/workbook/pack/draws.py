"""The Draws sheet: every request to the quarter's end with its pricing sessions, closes, average,
price and shares as the engine found them, and checks that recompute each from the sheet."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.utils import get_column_letter

from eql.terms import Terms
from eql.vocabulary import PricingRuleKind, Rounding, registry
from eql.workbook import style
from eql.workbook.pack.facts import PackFacts
from eql.workbook.pack.reference import PRICES_SHEET
from eql.workbook.pack.writer import (
    HEADER,
    MONEY_TOLERANCE,
    PRICE_TOLERANCE,
    PackWriter,
    red_when_false,
)
from eql.workbook.roundings import rounded

CHECKS = (
    "Check: average",
    "Check: price",
    "Check: shares",
    "Check: closes",
    "Check: cap and status",
)


def _mean(closes: str, _terms: Terms) -> str:
    return f"AVERAGE({closes})"


def _mean_lowest(closes: str, terms: Terms) -> str:
    count = terms.pricing.lowest
    smallest = "+".join(f"SMALL({closes},{k})" for k in range(1, count + 1))
    return f"({smallest})/{count}"


def _lowest(closes: str, _terms: Terms) -> str:
    return f"MIN({closes})"


# Each pricing rule's value recomputed natively from the row's prices (the "average" column).
RULE_CHECKS = registry(
    PricingRuleKind,
    {
        PricingRuleKind.MEAN_CLOSE: _mean,
        PricingRuleKind.MEAN_LOWEST: _mean_lowest,
        PricingRuleKind.LOWEST: _lowest,
        # the "average" column is the mean of the lowest closes; the day's low is not in the pack
        PricingRuleKind.LOW_OR_MEAN_LOWEST_CLOSES: _mean_lowest,
    },
    "pack Draws sheet rule checks",
)


def columns(sessions: int) -> list[str]:
    return [
        "Funding date",
        "Requested",
        "Funded",
        "Status",
        "Fiscal quarter",
        "Term quarter",
        "Cap before the draw",
        *(f"Session {n}" for n in range(1, sessions + 1)),
        *(f"Close {n}" for n in range(1, sessions + 1)),
        "Average close",
        "Price",
        "Shares",
        "Restricted legend",
        *CHECKS,
    ]


def draws_sheet(writer: PackWriter, found: PackFacts) -> None:
    terms = found.terms
    sheet = writer.sheet(
        "Draws",
        "Draws requested to the quarter's end",
        "In date order; each is checked against the draws funded before it. A blocked request "
        "funds nothing.",
    )
    count = terms.pricing.sessions
    names = columns(count)
    writer.header(sheet, HEADER, names)
    col = {name: get_column_letter(i) for i, name in enumerate(names, start=1)}
    at = {name: i for i, name in enumerate(names, start=1)}
    first_session, first_close = at["Session 1"], at["Close 1"]
    for offset, item in enumerate(found.schedule, start=1):
        row = HEADER + offset
        request = item.request
        writer.put(sheet, row, at["Funding date"], request.date)
        writer.put(sheet, row, at["Requested"], request.amount, style.MONEY)
        writer.put(sheet, row, at["Funded"], item.funded, style.MONEY)
        writer.put(sheet, row, at["Status"], item.check.text)
        sheet.cell(row, at["Status"]).alignment = style.WRAP_INDENTED
        writer.put(sheet, row, at["Fiscal quarter"], item.fiscal_quarter.label)
        writer.put(sheet, row, at["Term quarter"], item.term_quarter)
        writer.put(sheet, row, at["Cap before the draw"], item.check.cap.amount, style.MONEY)
        amount, funded, status, cap = (
            f"{col[n]}{row}" for n in ("Requested", "Funded", "Status", "Cap before the draw")
        )
        writer.check(
            sheet,
            row,
            at["Check: cap and status"],
            f'=AND(IF(LEFT({status},2)="OK",{funded}={amount},{funded}=0),'
            f"{funded}<={cap}+{MONEY_TOLERANCE})",
        )
        quote = item.quote
        if quote is None:
            error = item.price_error.cell_text() if item.price_error else ""
            writer.put(sheet, row, at["Price"], error)
            continue
        for n, (session, close) in enumerate(zip(quote.sessions, quote.closes, strict=True)):
            writer.put(sheet, row, first_session + n, session)
            writer.put(sheet, row, first_close + n, close, style.MONEY)
        writer.put(sheet, row, at["Average close"], quote.mean, style.PRICE)
        writer.put(sheet, row, at["Price"], quote.price, style.PRICE)
        writer.put(sheet, row, at["Shares"], item.shares, style.WHOLE)
        writer.put(sheet, row, at["Restricted legend"], terms.legend if item.shares else "")
        sheet.cell(row, at["Restricted legend"]).alignment = style.WRAP_INDENTED
        closes = f"{col['Close 1']}{row}:{get_column_letter(first_close + count - 1)}{row}"
        avg, price, shares = (f"{col[n]}{row}" for n in ("Average close", "Price", "Shares"))
        writer.check(
            sheet,
            row,
            at["Check: average"],
            f"=ABS({RULE_CHECKS[terms.pricing.rule](closes, terms)}-{avg})<={PRICE_TOLERANCE}",
        )
        writer.check(sheet, row, at["Check: price"], price_check(avg, price, terms))
        expected = rounded(f"{funded}/{price}", 0, terms.share_rounding)
        writer.check(
            sheet, row, at["Check: shares"], f"=IF({funded}=0,{shares}=0,{shares}={expected})"
        )
        matches = ",".join(
            f"{get_column_letter(first_close + n)}{row}="
            f"INDEX({PRICES_SHEET}!$B:$B,MATCH({get_column_letter(first_session + n)}{row},"
            f"{PRICES_SHEET}!$A:$A,0))"
            for n in range(count)
        )
        writer.check(sheet, row, at["Check: closes"], f"=AND({matches})")
    widths = {col[n]: 11.0 for n in names}
    widths.update({col[n]: 9.0 for n in CHECKS})
    widths.update(
        {
            col["Funding date"]: 11,
            col["Status"]: 44,
            col["Restricted legend"]: 44,
            col["Requested"]: 13,
            col["Funded"]: 13,
            col["Cap before the draw"]: 14,
            col["Term quarter"]: 8,
        }
    )
    style.widths(sheet, widths)
    sheet.freeze_panes = f"B{HEADER + 1}"
    # On paper: the request and its outcome, then its pricing, then the legend and the checks.
    style.print_in_blocks(sheet, [at["Cap before the draw"], at[f"Close {count}"]], writer.paper)
    last = HEADER + len(found.schedule)
    red_when_false(sheet, f"{col[CHECKS[0]]}{HEADER + 1}:{col[CHECKS[-1]]}{max(last, HEADER + 1)}")


def price_check(avg: str, price: str, terms: Terms) -> str:
    """The price recomputed from the average close: the factor, then the terms' rounding."""
    expected = f"{avg}*PricingFactor"
    if terms.pricing.rounding != "none":
        quantum, mode = terms.pricing.rounding.split()
        digits = -Decimal(quantum).normalize().as_tuple().exponent  # type: ignore[operator]
        expected = rounded(expected, digits, Rounding(mode))
    if terms.pricing.rule is PricingRuleKind.LOW_OR_MEAN_LOWEST_CLOSES:
        # The lesser of the day's low (not in the pack) and the mean: at most the mean's price.
        return f"={price}<={expected}+{PRICE_TOLERANCE}"
    return f"=ABS({expected}-{price})<={PRICE_TOLERANCE}"
