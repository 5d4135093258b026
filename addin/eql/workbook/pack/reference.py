"""What the checks read besides the draws: the Terms sheet (each value under a defined name) and
the close history, printed last as an appendix."""

from __future__ import annotations

from typing import Any

from eql.amendments import amendment_text, amendments_by, waiver_text, waivers_during
from eql.workbook import style
from eql.workbook.pack.facts import PackFacts
from eql.workbook.pack.writer import HEADER, PackWriter

PRICES_SHEET = "Prices"


def terms_sheet(writer: PackWriter, found: PackFacts) -> None:
    terms, quarter = found.terms, found.quarter
    sheet = writer.sheet(
        "Terms",
        "Terms used by the checks",
        f"From the terms file: {terms.name}.",
        landscape=False,
    )
    writer.header(sheet, HEADER, ("Term", "Value"))
    rows: list[tuple[str, str, Any, str | None]] = [
        ("AsOf", "As of (the quarter's last day)", found.as_of, style.DATE),
        ("QuarterStart", f"{quarter.label} starts", quarter.start, style.DATE),
        ("TermStart", "Term starts", terms.term_start, style.DATE),
        ("TermEnd", "Term ends", terms.term_end, style.DATE),
        ("TermSheetDate", "Term sheet dated", terms.term_sheet_date, style.DATE),
        ("Commitment", "Commitment", terms.commitment, style.MONEY),
        ("PricingFactor", "Price factor (× average close)", terms.pricing.factor, None),
        ("PricingSessions", "Pricing sessions", terms.pricing.sessions, None),
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
    style.widths(sheet, {"A": 40, "B": 16})


def prices_sheet(writer: PackWriter, found: PackFacts, note: str | None) -> None:
    sheet = writer.sheet(
        PRICES_SHEET,
        "Appendix: closing prices",
        note or "The closes entered up to the quarter's last day.",
        landscape=False,
    )
    writer.header(sheet, HEADER, ("Date", "Close"))
    for offset, (day, close) in enumerate(found.facility.closes, start=1):
        writer.put(sheet, HEADER + offset, 1, day)
        writer.put(sheet, HEADER + offset, 2, close, style.MONEY)
    sheet.freeze_panes = f"A{HEADER + 1}"
    style.widths(sheet, {"A": 13, "B": 10})
