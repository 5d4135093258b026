"""The Draws sheet: every request to the quarter's end with its pricing sessions, daily prices,
the value the pricing rule takes of them, price and shares as the engine found them, and checks
that recompute each from the sheet.

The columns follow the facility: the daily prices are headed as the terms price on them (Close,
Bid, VWAP); a rule that reads the purchase date's lowest sale price gets a Low column and a check
of it against the Prices sheet; a floor price and per-purchase share limits get a check each, only
where the terms set them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from eql.errors import AcceleratedPendingError, BelowFloorError, EqlError, PricePendingError
from eql.ledger import ScheduleRow
from eql.pricing import PriceQuote, pricing_sessions, purchase_rule, quote
from eql.purchase_limits import most_shares
from eql.terms import Terms
from eql.terms_records import AcceleratedPurchase, PricingRule
from eql.vocabulary import (
    LimitPrice,
    MarketColumn,
    PricingRuleKind,
    PurchaseKind,
    Rounding,
    registry,
)
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
    HEADINGS,
    LOW_HEADING,
    purchase_series,
    reads_low,
    rule_heading,
)
from eql.workbook.roundings import rounded

# What a status says when the floor or a per-purchase share limit blocks a request (the
# engine's wording, searched for by the checks).
BELOW_FLOOR = "below the floor price"
OVER_SHARE_LIMIT = "per-purchase share limit exceeded"
LOW_COLUMN = f"{LOW_HEADING} on the date"
SHARE_LIMIT_COLUMN = "Most shares a purchase may be"
LIMIT_CLOSE_COLUMN = "Close on the date"
VOLUME = HEADINGS[MarketColumn.VOLUME]
# The market column of each heading the sheet shows.
COLUMNS = {heading: column for column, heading in HEADINGS.items()}
PENDING = "pending"


def _mean(closes: str, _rule: PricingRule) -> str:
    return f"AVERAGE({closes})"


def _mean_lowest(closes: str, rule: PricingRule) -> str:
    # SMALL(range, k) is the k-th lowest: two sessions with the same close both count.
    count = rule.lowest
    smallest = "+".join(f"SMALL({closes},{k})" for k in range(1, count + 1))
    return f"({smallest})/{count}"


def _lowest(closes: str, _rule: PricingRule) -> str:
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


def _accelerated(terms: Terms) -> AcceleratedPurchase | None:
    """The accelerated purchase the terms compute (``purchases.kind``), or None for regular ones."""
    if terms.purchase is PurchaseKind.ACCELERATED:
        return terms.accelerated
    return None


def _plural(heading: str) -> str:
    return f"{heading if heading == 'VWAP' else heading.lower()}s"


def columns(terms: Terms) -> list[str]:
    """The Draws sheet's headings for these terms, checks last: the daily prices of each series
    the purchase is priced on, and the volumes an accelerated purchase is limited by."""
    sessions = purchase_rule(terms).sessions
    accelerated = _accelerated(terms)
    return [
        "Funding date",
        "Requested",
        "Funded",
        "Status",
        "Fiscal quarter",
        "Term quarter",
        "Cap before the draw",
        *(f"Session {n}" for n in range(1, sessions + 1)),
        *(f"{series} {n}" for series in purchase_series(terms) for n in range(1, sessions + 1)),
        *(f"{VOLUME} {n}" for n in range(1, sessions + 1) if accelerated is not None),
        *([LOW_COLUMN] if reads_low(terms) else []),
        rule_heading(terms),
        "Price",
        "Shares",
        *([LIMIT_CLOSE_COLUMN] if _limit_at_close(terms) else []),
        *([SHARE_LIMIT_COLUMN] if _share_limited(terms) else []),
        "Restricted legend",
        *checks(terms),
    ]


def _limit_at_close(terms: Terms) -> bool:
    """Whether the per-purchase share limit is read at the purchase date's close."""
    return bool(terms.share_limits) and terms.share_limit_price is LimitPrice.CLOSE


def _share_limited(terms: Terms) -> bool:
    """Whether a purchase is limited in shares: per purchase, or by an accelerated purchase's
    share of the volume."""
    return bool(terms.share_limits) or _accelerated(terms) is not None


def checks(terms: Terms) -> list[str]:
    """The headings of the Draws sheet's check columns for these terms."""
    heading = rule_heading(terms)
    return [
        f"Check: {heading[0].lower()}{heading[1:]}",
        "Check: price",
        "Check: shares",
        *(f"Check: {_plural(series)}" for series in purchase_series(terms)),
        *(["Check: volumes"] if _accelerated(terms) is not None else []),
        *(["Check: low"] if reads_low(terms) else []),
        *(["Check: floor"] if purchase_rule(terms).floor is not None else []),
        *(["Check: share limit"] if _share_limited(terms) else []),
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
    """The terms with no floor price, regular or accelerated, as signed and as amended."""

    def unfloored(version: Terms) -> Terms:
        pricing = dataclasses.replace(version.pricing, floor=None)
        accelerated = version.accelerated
        if accelerated is not None:
            floorless = dataclasses.replace(accelerated.pricing, floor=None)
            accelerated = dataclasses.replace(accelerated, pricing=floorless)
        return dataclasses.replace(version, pricing=pricing, accelerated=accelerated)

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
    sessions = purchase_rule(terms).sessions
    last_price = (
        f"{VOLUME} {sessions}"
        if _accelerated(terms) is not None
        else f"{purchase_series(terms)[-1]} {sessions}"
    )
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
        self.pricing = purchase_rule(self.terms)
        self.accelerated = _accelerated(self.terms)
        self.series = purchase_series(self.terms)
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

    def daily(self, heading: str, day: dt.date) -> Decimal | None:
        """A day's value of a market column, None when the prices do not give it."""
        try:
            return self.history.daily(COLUMNS[heading], day, "the quarter-end pack")
        except EqlError:
            return None

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
            self._daily_prices(row, _sessions(request.date, self.terms))
            self.put(row, "Price", error)
            # The reason is read whole, wrapped in its cell, not cut at the next column.
            self.sheet.cell(row, self.at["Price"]).alignment = style.WRAP
            if isinstance(item.price_error, PricePendingError | AcceleratedPendingError):
                self.put(row, self.rule, PENDING)
                self.put(row, "Shares", PENDING)
            return
        self._priced(row, item, shown)

    def _daily_prices(self, row: int, sessions: Sequence[dt.date]) -> None:
        """Each session, with each series' price (and an accelerated purchase's volume) that the
        prices give by the quarter's last day."""
        headings = [*self.series, *([VOLUME] if self.accelerated is not None else [])]
        for n, session in enumerate(sessions, start=1):
            self.put(row, f"Session {n}", session)
            if session > self.found.as_of:
                continue
            for heading in headings:
                value = self.daily(heading, session)
                if value is not None:
                    chosen = style.WHOLE if heading == VOLUME else style.DAILY_PRICE
                    self.put(row, f"{heading} {n}", value, chosen)

    def _priced(self, row: int, item: ScheduleRow, shown: PriceQuote) -> None:
        terms, rule = self.terms, self.pricing
        self._daily_prices(row, shown.sessions)
        self.put(row, self.rule, shown.mean, style.PRICE)
        self.put(row, "Price", shown.price, style.PRICE)
        self.put(row, "Shares", item.shares or 0, style.WHOLE)
        self.put(row, "Restricted legend", terms.legend if item.shares else "")
        self.sheet.cell(row, self.at["Restricted legend"]).alignment = style.WRAP_INDENTED
        cell = {name: self.cell(name, row) for name in self.at}
        last = rule.sessions
        values = [
            RULE_CHECKS[rule.rule](f"{cell[f'{series} 1']}:{cell[f'{series} {last}']}", rule)
            for series in self.series
        ]
        lesser = values[0] if len(values) == 1 else f"MIN({','.join(values)})"
        value, price, funded = cell[self.rule], cell["Price"], cell["Funded"]
        self.check(row, self.check_names[0], f"=ABS({lesser}-{value})<={PRICE_TOLERANCE}")
        low = None
        if reads_low(terms):
            low = cell[LOW_COLUMN]
            self.put(row, LOW_COLUMN, self.history.low(item.request.date))
            self.sheet[low].number_format = style.DAILY_PRICE
            on_date = _from_prices(terms, LOW_HEADING, cell["Funding date"])
            self.check(row, "Check: low", f"={low}={on_date}")
        self.check(row, "Check: price", price_check(value, price, rule, low))
        expected = rounded(f"{funded}/{price}", 0, terms.share_rounding)
        shares = cell["Shares"]
        self.check(row, "Check: shares", f"=IF({funded}=0,{shares}=0,{shares}={expected})")
        for heading in [*self.series, *([VOLUME] if self.accelerated is not None else [])]:
            matches = ",".join(
                f"{cell[f'{heading} {n}']}={_from_prices(terms, heading, cell[f'Session {n}'])}"
                for n in range(1, last + 1)
            )
            self.check(row, f"Check: {_plural(heading)}", f"=AND({matches})")
        status = cell["Status"]
        if rule.floor is not None:
            self.check(row, "Check: floor", _floor_check(price, funded, status))
        if _share_limited(terms):
            self._share_limit(row, item, shown, cell)

    def _share_limit(
        self, row: int, item: ScheduleRow, shown: PriceQuote, cell: dict[str, str]
    ) -> None:
        """The most shares the purchase may be, from the price the terms read the limit at (the
        purchase date's close, checked against the Prices sheet, or the purchase price) and, for
        an accelerated purchase, its share of the volume; and whether the status says the request
        is over it exactly when it is."""
        terms, price = self.terms, cell["Price"]
        day = item.request.date
        try:
            most = most_shares(day, self.found.facility.prices, terms, shown)
        except EqlError:  # no close on the date: the status says so, and nothing is checked
            return
        parts: list[str] = []
        regular = ""
        if terms.share_limits:
            at = price
            if terms.share_limit_price is LimitPrice.CLOSE:
                at = cell[LIMIT_CLOSE_COLUMN]
                close = self.daily(CLOSE_HEADING, day)
                self.put(row, LIMIT_CLOSE_COLUMN, close, style.DAILY_PRICE)
                parts.append(f"{at}={_from_prices(terms, CLOSE_HEADING, cell['Funding date'])}")
            regular = f"LOOKUP({at},ShareLimitPrices,ShareLimitShares)"
        limit = cell[SHARE_LIMIT_COLUMN]
        self.put(row, SHARE_LIMIT_COLUMN, most.most, style.WHOLE)
        if self.accelerated is not None:
            volumes = f"{cell[f'{VOLUME} 1']}:{cell[f'{VOLUME} {self.pricing.sessions}']}"
            by_volume = rounded(f"VolumeShare*SUM({volumes})", 0, Rounding.DOWN)
            if regular and terms.share_limit_price is LimitPrice.CLOSE:
                by_regular = rounded(f"RegularMultiple*{regular}", 0, Rounding.DOWN)
                parts.append(f"{limit}=MIN({by_regular},{by_volume})")
            elif not regular:
                parts.append(f"{limit}={by_volume}")
        elif regular:
            parts.append(f"{limit}={regular}")
        asked = rounded(f"{cell['Requested']}/{price}", 0, terms.share_rounding)
        parts.append(
            f'IF(ISNUMBER(SEARCH("{OVER_SHARE_LIMIT}",{cell["Status"]})),{asked}>{limit},'
            f"{asked}<={limit})"
        )
        self.check(row, "Check: share limit", f"=AND({','.join(parts)})")


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


def price_check(value: str, price: str, rule: PricingRule, low: str | None = None) -> str:
    """The price recomputed from the rule's value (the lesser of it and the day's ``low`` when the
    rule reads the low): the factor, then the rule's rounding."""
    base = value if low is None else f"MIN({low},{value})"
    expected = f"{base}*PricingFactor"
    if rule.rounding != "none":
        quantum, mode = rule.rounding.split()
        digits = -Decimal(quantum).normalize().as_tuple().exponent  # type: ignore[operator]
        expected = rounded(expected, digits, Rounding(mode))
    return f"=ABS({expected}-{price})<={PRICE_TOLERANCE}"
