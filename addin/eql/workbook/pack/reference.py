"""What the checks read besides the draws: the Terms sheet (each value under a defined name) and
the close history, printed last as an appendix."""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter

from eql.amendments import amendment_text, amendments_by, waiver_text, waivers_during
from eql.pricing import purchase_rule
from eql.terms import Terms
from eql.vocabulary import PurchaseKind
from eql.workbook import style
from eql.workbook.pack.facts import PackFacts
from eql.workbook.pack.writer import HEADER, PackWriter
from eql.workbook.price_columns import (
    prices_headings,
    prices_in_words,
    prices_rows,
    reads_low,
    rule_heading,
)

PRICES_SHEET = "Prices"


def prices_column(terms: Terms, heading: str) -> str:
    """The letter of the Prices sheet's column ``heading``."""
    return str(get_column_letter(prices_headings(terms).index(heading) + 1))


def terms_sheet(writer: PackWriter, found: PackFacts) -> None:
    terms, quarter = found.terms, found.quarter
    sheet = writer.sheet(
        "Terms",
        "Terms used by the checks",
        f"From the terms file: {terms.name}.",
        landscape=False,
    )
    # The purchases the pack's draws are (regular, or accelerated: purchases.kind) are priced by
    # this rule; the rule in words above the table, across its columns.
    pricing = purchase_rule(terms)
    rule = writer.put(sheet, HEADER - 1, 1, f"Pricing rule: {_rule_text(terms)}.")
    sheet[rule].alignment = style.WRAP
    sheet.merge_cells(f"A{HEADER - 1}:C{HEADER - 1}")
    sheet.row_dimensions[HEADER - 1].height = 2 * style.LINE_HEIGHT
    threshold = ("Price at or above",) if terms.share_limits else ()
    writer.header(sheet, HEADER, ("Term", "Value", *threshold))
    rows: list[tuple[str, str, Any, str | None]] = [
        ("AsOf", "As of (the quarter's last day)", found.as_of, style.DATE),
        ("QuarterStart", f"{quarter.label} starts", quarter.start, style.DATE),
        ("TermStart", "Term starts", terms.term_start, style.DATE),
        ("TermEnd", "Term ends", terms.term_end, style.DATE),
        ("TermSheetDate", "Term sheet dated", terms.term_sheet_date, style.DATE),
        ("Commitment", "Commitment", terms.commitment, style.MONEY),
        ("PricingSessions", "Pricing sessions", pricing.sessions, None),
        ("PricingFactor", f"Price factor (× {_factor_of(terms)})", pricing.factor, None),
    ]
    if pricing.floor is not None:
        rows.append(
            ("FloorPrice", "Floor price (no purchase below it)", pricing.floor, style.PRICE)
        )
    accelerated = terms.accelerated if terms.purchase is PurchaseKind.ACCELERATED else None
    if accelerated is not None:
        rows += [
            (
                "RegularMultiple",
                "Most shares: times the regular purchase limit",
                accelerated.regular_multiple,
                None,
            ),
            ("VolumeShare", "Most shares: share of the volume", accelerated.volume_share, None),
        ]
    for offset, (name, label, value, number_format) in enumerate(rows, start=1):
        writer.put(sheet, HEADER + offset, 1, label)
        coordinate = writer.put(sheet, HEADER + offset, 2, value, number_format)
        writer.name(name, sheet, coordinate)
    row = HEADER + len(rows) + 1
    for limit in terms.limits:
        if limit.amount is not None:
            per = limit.period.replace("_", " ") or "draw"
            writer.put(sheet, row, 1, f"{limit.label} per {per}")
            writer.name(
                f"Limit_{limit.key}", sheet, writer.put(sheet, row, 2, limit.amount, style.MONEY)
            )
            row += 1
    if terms.share_limits:
        # Two columns LOOKUP reads: a purchase at a price at or above a threshold may be at most
        # the shares beside it.
        top = row
        for at_or_above, most in terms.share_limits:
            writer.put(sheet, row, 1, f"Most shares a purchase at {at_or_above} or more may be")
            writer.put(sheet, row, 2, most, style.WHOLE)
            writer.put(sheet, row, 3, at_or_above, style.PRICE)
            row += 1
        writer.name("ShareLimitPrices", sheet, f"C{top}:C{row - 1}")
        writer.name("ShareLimitShares", sheet, f"B{top}:B{row - 1}")
    writer.put(sheet, row, 1, "Price rounding")
    writer.put(sheet, row, 2, terms.pricing.rounding)
    writer.put(sheet, row + 1, 1, "Share rounding")
    writer.put(sheet, row + 1, 2, str(terms.share_rounding))
    row += 2
    # What changed after signing (eql.amendments): amendments in force by the quarter's last day,
    # waivers covering a funding date of the quarter.
    for amendment in amendments_by(found.as_of, terms):
        writer.put(sheet, row, 1, f"Amendment in force from {amendment.effective}")
        writer.put(sheet, row, 2, amendment_text(amendment))
        row += 1
    for waiver in waivers_during(quarter.start, found.as_of, terms):
        writer.put(sheet, row, 1, f"Waiver for {waiver.start} .. {waiver.end}")
        writer.put(sheet, row, 2, waiver_text(waiver))
        row += 1
    style.widths(sheet, {"A": 40, "B": 16, "C": 12})


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _factor_of(terms: Terms) -> str:
    """What the price factor multiplies, in words."""
    mean = _lower(rule_heading(terms))
    return "the lesser of the low and the mean" if reads_low(terms) else mean


def _rule_text(terms: Terms) -> str:
    """The pricing rule in words: ``the lowest VWAP of 3 sessions after the date``."""
    rule = purchase_rule(terms)
    low = "the lesser of the day's low and " if reads_low(terms) else ""
    return f"{low}{_lower(rule_heading(terms))} of {rule.sessions} sessions {rule.window} the date"


def prices_sheet(writer: PackWriter, found: PackFacts, note: str | None) -> None:
    terms = found.terms
    headings = prices_headings(terms)
    sheet = writer.sheet(
        PRICES_SHEET,
        f"Appendix: {prices_in_words(terms)}",
        note or f"The {prices_in_words(terms)} entered up to the quarter's last day.",
        landscape=False,
    )
    writer.header(sheet, HEADER, headings)
    for offset, values in enumerate(prices_rows(found.facility), start=1):
        writer.put(sheet, HEADER + offset, 1, values[0])
        for column, value in enumerate(values[1:], start=2):
            if value is not None:
                writer.put(sheet, HEADER + offset, column, value, style.DAILY_PRICE)
    sheet.freeze_panes = f"A{HEADER + 1}"
    style.widths(sheet, {get_column_letter(i): 10 for i in range(2, len(headings) + 1)} | {"A": 13})
