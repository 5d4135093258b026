"""The Draws sheet: every request to the quarter's end with its pricing sessions, daily prices,
the value the pricing rule takes of them, price and shares as the engine found them, and checks
that recompute each from the sheet.

The columns follow the facility: the daily prices are headed as the terms price on them (Close,
Bid, VWAP); a rule that reads the purchase date's lowest sale price gets a Low column and a check
of it against the Prices sheet; a floor price and per-purchase share limits get a check each, only
where the terms set them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from eql.errors import BelowFloorError, EqlError, PricePendingError
from eql.ledger import ScheduleRow
from eql.pricing import PriceQuote, pricing_sessions, quote
from eql.purchase_limits import most_shares
from eql.terms import Terms
from eql.vocabulary import LimitPrice, MarketColumn, PricingRuleKind, Rounding, registry
from eql.workbook import cells, style
from eql.workbook.pack.facts import PackFacts
from eql.workbook.pack.reference import PRICES_SHEET, prices_column
from eql.workbook.pack.writer import (
    HEADER,
    MONEY_TOLERANCE,
    PRICE_TOLERANCE,
    PackWriter,
    red_when_false,
)
from eql.workbook.price_columns import (
    CLOSE_HEADING,
    LOW_HEADING,
    reads_low,
    rule_heading,
    series_heading,
)
from eql.workbook.roundings import rounded

# What a status says when the floor or a per-purchase share limit blocks a request (the
# engine's wording, searched for by the checks).
BELOW_FLOOR = "below the floor price"
OVER_SHARE_LIMIT = "per-purchase share limit exceeded"
LOW_COLUMN = f"{LOW_HEADING} on the date"
SHARE_LIMIT_COLUMN = "Most shares a purchase may be"
LIMIT_CLOSE_COLUMN = "Close on the date"
PENDING = "pending"


def _mean(closes: str, _terms: Terms) -> str:
    return f"AVERAGE({closes})"


def _mean_lowest(closes: str, terms: Terms) -> str:
    # SMALL(range, k) is the k-th lowest: two sessions with the same close both count.
    count = terms.pricing.lowest
    smallest = "+".join(f"SMALL({closes},{k})" for k in range(1, count + 1))
    return f"({smallest})/{count}"


def _lowest(closes: str, _terms: Terms) -> str:
    return f"MIN({closes})"


# Each pricing rule's value recomputed natively from the row's daily prices (the rule's column).
RULE_CHECKS = registry(
    PricingRuleKind,
    {
        PricingRuleKind.MEAN_CLOSE: _mean,
        PricingRuleKind.MEAN_LOWEST: _mean_lowest,
        PricingRuleKind.LOWEST: _lowest,
        # the rule's column is the mean of the lowest closes; the price takes the lesser of it
        # and the day's low (price_check)
        PricingRuleKind.LOW_OR_MEAN_LOWEST_CLOSES: _mean_lowest,
    },
    "pack Draws sheet rule checks",
)


def columns(terms: Terms) -> list[str]:
    """The Draws sheet's headings for these terms, checks last."""
    sessions = terms.pricing.sessions
    series = series_heading(terms.pricing)
    return [
        "Funding date",
        "Requested",
        "Funded",
        "Status",
        "Fiscal quarter",
        "Term quarter",
        "Cap before the draw",
        *(f"Session {n}" for n in range(1, sessions + 1)),
        *(f"{series} {n}" for n in range(1, sessions + 1)),
        *([LOW_COLUMN] if reads_low(terms) else []),
        rule_heading(terms),
        "Price",
        "Shares",
        *([LIMIT_CLOSE_COLUMN] if _limit_at_close(terms) else []),
        *([SHARE_LIMIT_COLUMN] if terms.share_limits else []),
        "Restricted legend",
        *checks(terms),
    ]


def _limit_at_close(terms: Terms) -> bool:
    """Whether the per-purchase share limit is read at the purchase date's close."""
    return bool(terms.share_limits) and terms.share_limit_price is LimitPrice.CLOSE


def checks(terms: Terms) -> list[str]:
    """The headings of the Draws sheet's check columns for these terms."""
    series = series_heading(terms.pricing)
    return [
        f"Check: {rule_heading(terms)[0].lower()}{rule_heading(terms)[1:]}",
        "Check: price",
        "Check: shares",
        f"Check: {series if series == 'VWAP' else series.lower()}s",
        *(["Check: low"] if reads_low(terms) else []),
        *(["Check: floor"] if terms.pricing.floor is not None else []),
        *(["Check: share limit"] if terms.share_limits else []),
        "Check: cap and status",
    ]


def priced(item: ScheduleRow, found: PackFacts) -> PriceQuote | None:
    """The quote a row shows: the engine's, or for a request the floor blocked, the price the
    rule gives below the floor (so that its check sees it below)."""
    if item.quote is not None or not isinstance(item.price_error, BelowFloorError):
        return item.quote
    try:
        return quote(item.request.date, found.facility.prices, _without_floor(found.terms))
    except EqlError:
        return None


def _without_floor(terms: Terms) -> Terms:
    def unfloored(version: Terms) -> Terms:
        pricing = dataclasses.replace(version.pricing, floor=None)
        return dataclasses.replace(version, pricing=pricing)

    versions = tuple((day, unfloored(version)) for day, version in terms.versions)
    return dataclasses.replace(unfloored(terms), versions=versions)


def draws_sheet(writer: PackWriter, found: PackFacts) -> None:
    terms = found.terms
    # The sheet prints in blocks of columns with column A repeated: a title wider than column A
    # would be cut on every page but the first, so the title is the sheet's name, which fits,
    # and what it holds is said beside it, on the first page.
    sheet = writer.sheet("Draws", "Draws", "")
    cells.put(
        sheet,
        2,
        2,
        "Draws requested to the quarter's end, in date order, each checked against the draws "
        "funded before it; a blocked one funds nothing.",
    ).font = style.NOTE
    names = columns(terms)
    check_names = checks(terms)
    writer.header(sheet, HEADER, names)
    rows = _DrawRows(writer, sheet, found, {name: i for i, name in enumerate(names, start=1)})
    for offset, item in enumerate(found.schedule, start=1):
        rows.write(HEADER + offset, item)
    col = {name: get_column_letter(i) for i, name in enumerate(names, start=1)}
    widths = {col[n]: 11.0 for n in names}
    widths.update({col[n]: 9.0 for n in check_names})
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
    last_price = f"{series_heading(terms.pricing)} {terms.pricing.sessions}"
    style.print_in_blocks(
        sheet, [rows.at["Cap before the draw"], rows.at[last_price]], writer.paper
    )
    last = HEADER + len(found.schedule)
    first_check, last_check = col[check_names[0]], col[check_names[-1]]
    red_when_false(sheet, f"{first_check}{HEADER + 1}:{last_check}{max(last, HEADER + 1)}")


class _DrawRows:
    """Writes one request's row of the Draws sheet: the engine's values, then the checks that
    recompute them from the row and the Prices sheet."""

    def __init__(
        self, writer: PackWriter, sheet: Worksheet, found: PackFacts, at: dict[str, int]
    ) -> None:
        self.writer, self.sheet, self.found, self.at = writer, sheet, found, at
        self.terms = found.terms
        self.series = series_heading(self.terms.pricing)
        self.rule = rule_heading(self.terms)
        self.check_names = checks(self.terms)
        # The prices as the terms read them (a range without a header holds their price second).
        self.history = found.facility.prices.of(self.terms.pricing.series)

    def cell(self, name: str, row: int) -> str:
        return f"{get_column_letter(self.at[name])}{row}"

    def put(self, row: int, name: str, value: object, number_format: str | None = None) -> None:
        self.writer.put(self.sheet, row, self.at[name], value, number_format)

    def check(self, row: int, name: str, formula: str) -> None:
        self.writer.check(self.sheet, row, self.at[name], formula)

    def write(self, row: int, item: ScheduleRow) -> None:
        request = item.request
        self.put(row, "Funding date", request.date)
        self.put(row, "Requested", request.amount, style.MONEY)
        self.put(row, "Funded", item.funded, style.MONEY)
        self.put(row, "Status", item.check.text)
        self.sheet.cell(row, self.at["Status"]).alignment = style.WRAP_INDENTED
        self.put(row, "Fiscal quarter", item.fiscal_quarter.label)
        self.put(row, "Term quarter", item.term_quarter)
        self.put(row, "Cap before the draw", item.check.cap.amount, style.MONEY)
        amount, funded, status, cap = (
            self.cell(n, row) for n in ("Requested", "Funded", "Status", "Cap before the draw")
        )
        self.check(
            row,
            "Check: cap and status",
            f'=AND(IF(LEFT({status},2)="OK",{funded}={amount},{funded}=0),'
            f"{funded}<={cap}+{MONEY_TOLERANCE})",
        )
        shown = priced(item, self.found)
        if shown is None:
            # No price (pending, or a price missing): the sessions it waits for with the prices
            # already entered, and why; a pending price is said to be pending, never a blank.
            error = item.price_error.cell_text() if item.price_error else ""
            series = self.series
            history = self.history
            for n, session in enumerate(_sessions(request.date, self.terms), start=1):
                self.put(row, f"Session {n}", session)
                if session <= self.found.as_of and session in history.positions:
                    with contextlib.suppress(EqlError):
                        entered = history.close(session, n, self.terms.pricing.sessions)
                        self.put(row, f"{series} {n}", entered, style.DAILY_PRICE)
            self.put(row, "Price", error)
            if isinstance(item.price_error, PricePendingError):
                self.put(row, self.rule, PENDING)
                self.put(row, "Shares", PENDING)
            return
        self._priced(row, item, shown)

    def _priced(self, row: int, item: ScheduleRow, shown: PriceQuote) -> None:
        terms, series = self.terms, self.series
        for n, (session, close) in enumerate(zip(shown.sessions, shown.closes, strict=True), 1):
            self.put(row, f"Session {n}", session)
            self.put(row, f"{series} {n}", close, style.DAILY_PRICE)
        self.put(row, self.rule, shown.mean, style.PRICE)
        self.put(row, "Price", shown.price, style.PRICE)
        self.put(row, "Shares", item.shares or 0, style.WHOLE)
        self.put(row, "Restricted legend", terms.legend if item.shares else "")
        self.sheet.cell(row, self.at["Restricted legend"]).alignment = style.WRAP_INDENTED
        cell = {name: self.cell(name, row) for name in self.at}
        closes = f"{cell[f'{series} 1']}:{cell[f'{series} {terms.pricing.sessions}']}"
        value, price, funded = cell[self.rule], cell["Price"], cell["Funded"]
        self.check(
            row,
            self.check_names[0],
            f"=ABS({RULE_CHECKS[terms.pricing.rule](closes, terms)}-{value})<={PRICE_TOLERANCE}",
        )
        low = None
        if reads_low(terms):
            low = cell[LOW_COLUMN]
            self.put(row, LOW_COLUMN, self.history.low(item.request.date))
            self.sheet[low].number_format = style.DAILY_PRICE
            on_date = _from_prices(terms, LOW_HEADING, cell["Funding date"])
            self.check(row, "Check: low", f"={low}={on_date}")
        self.check(row, "Check: price", price_check(value, price, terms, low))
        expected = rounded(f"{funded}/{price}", 0, terms.share_rounding)
        shares = cell["Shares"]
        self.check(row, "Check: shares", f"=IF({funded}=0,{shares}=0,{shares}={expected})")
        matches = ",".join(
            f"{cell[f'{series} {n}']}={_from_prices(terms, series, cell[f'Session {n}'])}"
            for n in range(1, terms.pricing.sessions + 1)
        )
        self.check(row, self.check_names[3], f"=AND({matches})")
        status = cell["Status"]
        if terms.pricing.floor is not None:
            self.check(row, "Check: floor", _floor_check(price, funded, status))
        if terms.share_limits:
            self._share_limit(row, item, shown, cell)

    def _share_limit(
        self, row: int, item: ScheduleRow, shown: PriceQuote, cell: dict[str, str]
    ) -> None:
        """The most shares the purchase may be, by the price the terms read the limit at (the
        purchase date's close, checked against the Prices sheet, or the purchase price), and
        whether the status says the request is over it exactly when it is."""
        terms, price = self.terms, cell["Price"]
        day = item.request.date
        try:
            most = most_shares(day, self.found.facility.prices, terms, shown)
        except EqlError:  # no close on the date: the status says so, and nothing is checked
            return
        at, at_check = price, ""
        if terms.share_limit_price is LimitPrice.CLOSE:
            at = cell[LIMIT_CLOSE_COLUMN]
            close = self.history.daily(MarketColumn.CLOSE, day, "the per-purchase share limit")
            self.put(row, LIMIT_CLOSE_COLUMN, close, style.DAILY_PRICE)
            at_check = f"{at}={_from_prices(terms, CLOSE_HEADING, cell['Funding date'])},"
        self.put(row, SHARE_LIMIT_COLUMN, most.most, style.WHOLE)
        asked = rounded(f"{cell['Requested']}/{price}", 0, terms.share_rounding)
        limit = cell[SHARE_LIMIT_COLUMN]
        self.check(
            row,
            "Check: share limit",
            f"=AND({at_check}{limit}=LOOKUP({at},ShareLimitPrices,ShareLimitShares),"
            f'IF(ISNUMBER(SEARCH("{OVER_SHARE_LIMIT}",{cell["Status"]})),{asked}>{limit},'
            f"{asked}<={limit}))",
        )


def _sessions(day: dt.date, terms: Terms) -> tuple[dt.date, ...]:
    """The pricing sessions of a date whose price could not be set, when the calendar has them."""
    try:
        return pricing_sessions(day, terms)
    except EqlError:
        return ()


def _from_prices(terms: Terms, heading: str, day: str) -> str:
    """The Prices sheet's value of a column on the date in cell ``day``."""
    column = prices_column(terms, heading)
    return f"INDEX({PRICES_SHEET}!${column}:${column},MATCH({day},{PRICES_SHEET}!$A:$A,0))"


def _floor_check(price: str, funded: str, status: str) -> str:
    """Below the floor price: blocked, funding nothing, and saying so; at or above it: never
    blocked for it."""
    says = f'ISNUMBER(SEARCH("{BELOW_FLOOR}",{status}))'
    return f"=IF({price}<FloorPrice,AND({funded}=0,{says}),NOT({says}))"


def price_check(value: str, price: str, terms: Terms, low: str | None = None) -> str:
    """The price recomputed from the rule's value (the lesser of it and the day's ``low`` when the
    rule reads the low): the factor, then the terms' rounding."""
    base = value if low is None else f"MIN({low},{value})"
    expected = f"{base}*PricingFactor"
    if terms.pricing.rounding != "none":
        quantum, mode = terms.pricing.rounding.split()
        digits = -Decimal(quantum).normalize().as_tuple().exponent  # type: ignore[operator]
        expected = rounded(expected, digits, Rounding(mode))
    return f"=ABS({expected}-{price})<={PRICE_TOLERANCE}"
