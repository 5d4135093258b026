"""Ledger workbooks laid out as a finance team might keep them, not as eql's template: a merged
title, a two-row merged heading, columns in their own order, dates typed three ways, spacer
rows, a totals row, and the inputs on sheets of their own names. Built here with openpyxl.

Every number is worked by hand from the term sheet (85 % of the mean of the five XNAS sessions
before the purchase date; shares rounded to the nearest whole share, as the built-in terms
say); the sessions are XNAS sessions (Good Friday 2002-03-29 closed, as on every US exchange)
or plain weeks with no holiday.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font

D = dt.datetime

# Closes of each draw's pricing sessions, plus decoys on days no window uses (a wrong window
# would pick up 9.99).
CLOSES: list[tuple[Any, float]] = [
    # 2002-04-02: sessions 03-25 .. 03-28 and 04-01 (Good Friday closed); mean 2.50, price 2.125
    (D(2002, 3, 25), 2.40),
    (D(2002, 3, 26), 2.50),
    (D(2002, 3, 27), 2.60),
    (D(2002, 3, 28), 2.45),
    (D(2002, 4, 1), 2.55),
    (D(2002, 3, 22), 9.99),
    (D(2002, 4, 2), 9.99),
    # 2002-05-29: 05-21 .. 05-24 and 05-28 (Memorial Day closed); 2.20, price 1.87
    *((D(2002, 5, day), 2.20) for day in (21, 22, 23, 24, 28)),
    (D(2002, 5, 20), 9.99),
    # 2002-07-08: 06-28, 07-01 .. 07-03, 07-05 (Independence Day closed); 2.24, price 1.904
    *((D(2002, month, day), 2.24) for month, day in ((6, 28), (7, 1), (7, 2), (7, 3), (7, 5))),
    (D(2002, 7, 8), 9.99),
    # 2002-10-15: 10-08 .. 10-11 and 10-14 (Columbus Day is a session); 2.00, price 1.70
    *((D(2002, 10, day), 2.00) for day in (8, 9, 10, 11, 14)),
    (D(2002, 10, 15), 9.99),
    # 2003-01-15: 01-08 .. 01-10, 01-13, 01-14; 2.50, price 2.125
    *((D(2003, 1, day), 2.50) for day in (8, 9, 10, 13, 14)),
    # 2003-04-15: 04-08 .. 04-11, 04-14; 1.00, price 0.85
    *((D(2003, 4, day), 1.00) for day in (8, 9, 10, 11, 14)),
]

CASH_USED = [
    ("FY2003 Q1", 6_000_000),
    ("FY2003 Q2", 4_000_000),
    ("FY2003 Q3", 4_000_000),
    ("FY2003 Q4", 4_000_000),
    ("FY2004 Q1", 8_000_000),
]

MILESTONES: list[tuple[str, Any]] = [
    ("CEO_CHANGE", None),
    ("MAC", None),
    ("POLYMER_265", D(2002, 8, 20)),
    ("SAMPLES_30", D(2002, 9, 25)),
    ("LICENSE", D(2002, 12, 16)),
    ("MFG_420", D(2003, 5, 19)),
]

# (number, purchase date as typed, draw amount, shares issued, price per share, note)
# Dates: a date cell, a serial number (37405 is 2002-05-29), US text, day-month-year text.
CORRECT_DRAWS: list[tuple[Any, ...]] = [
    (1, D(2002, 4, 2), 3_000_000, 1_411_765, 2.125, "3,000,000 / 2.125 = 1,411,764.7"),
    (2, 37405, 2_000_000, 1_069_519, 1.87, "2,000,000 / 1.87 = 1,069,518.7; quarter 1 full"),
    (3, "7/8/2002", 1_904_000, 1_000_000, 1.904, "exactly 1,000,000 (floats give 999,999)"),
    None,  # a spacer row before the second half of the fiscal year
    (4, "15-Oct-2002", 1_000_000, 588_235, 1.70, "1,000,000 / 1.70 = 588,235.3"),
    (5, D(2003, 1, 15), 500_000, 235_294, 2.125, "license signed 2002-12-16"),
]
# 1,411,765 + 1,069,519 + 1,000,000 + 588,235 + 235,294 = 4,304,813.
CORRECT_TOTALS = (8_404_000, 4_304_813)

# The same ledger with differences planted: see PLANTED.
PLANTED_DRAWS: list[tuple[Any, ...]] = [
    (1, D(2002, 4, 2), 3_000_000, 1_411_765, 2.1356, "price mistyped"),
    (2, 37405, 2_500_000, 1_336_898, 1.87, "2.5M: quarter 1 then holds 5.5M"),
    (3, "7/8/2002", 1_904_000, 999_999, 1.904, "shares from a float division"),
    None,
    (4, "15-Oct-2002", 1_000_000, 588_235, 1.70, ""),
    (5, D(2003, 1, 15), 500_000, 235_294, 2.125, ""),
    (6, "2003-04-15", 500_000, 588_235, 0.85, "manufacturing transfer only on 2003-05-19"),
]
# 9,404,000 is the sum of the amounts; the shares recorded add up to 5,160,426, by the terms
# (nearest share) 1,411,765 + 1,336,898 + 1,000,000 + 588,235 + 235,294 + 588,235 = 5,160,427;
# the total row says 5,160,425.
PLANTED_TOTALS = (9_400_000, 5_160_425)

# Ledger sheet rows: title in 1, blank 2, group headings 3, headings 4, draws from 5.
FIRST_DRAW_ROW = 5
PLANTED = {
    ("price", 5, "E5"),  # 2.1356 recorded, 2.125 by the terms
    ("limit", 6, "C6"),  # term-quarter limit: 5M a quarter, 3M already funded
    ("shares", 7, "D7"),  # 999,999 recorded, 1,000,000 by the terms
    ("condition", 11, "B11"),  # (iv) needs MFG_420, reached only 2003-05-19
    ("total", 13, "C13"),  # 9,400,000 recorded, the amounts add up to 9,404,000
    ("total", 13, "D13"),  # 5,160,425 recorded, 5,160,427 by the terms
}


def build_ledger(
    path: Path, draws: list[tuple[Any, ...] | None], totals: tuple[int, int], *, inputs: bool = True
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Draws 2002-04"
    sheet["A1"] = "Valence Technology — equity line draws (Berg & Berg)"
    sheet.merge_cells("A1:F1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["B3"] = "Draw"
    sheet.merge_cells("B3:C3")
    sheet["D3"] = "Issued to the investor"
    sheet.merge_cells("D3:E3")
    for column, text in zip(
        "ABCDEF",
        ("#", "Purchase date", "Draw amount ($)", "Shares issued", "Price per share", "Notes"),
        strict=True,
    ):
        sheet[f"{column}4"] = text
    row = FIRST_DRAW_ROW
    for draw in draws:
        if draw is not None:
            for column, value in zip("ABCDEF", draw, strict=True):
                sheet[f"{column}{row}"] = value
            sheet[f"B{row}"].number_format = "mm/dd/yyyy" if isinstance(draw[1], D) else "General"
            sheet[f"C{row}"].number_format = "#,##0"
        row += 1
    row += 1  # a blank row above the totals
    sheet[f"A{row}"] = "Total"
    sheet[f"C{row}"] = totals[0]
    sheet[f"D{row}"] = totals[1]
    if inputs:
        prices = workbook.create_sheet("Closing prices")
        prices.append(["Trade date", "Close"])
        for day, close in sorted(CLOSES, key=lambda pair: pair[0], reverse=True):
            prices.append([day, close])
        cash = workbook.create_sheet("Cash burn")
        cash["A1"] = "Cash used in operations by fiscal quarter"
        cash.append([])
        cash.append(["Fiscal quarter", "Cash used in operations"])
        for label, amount in CASH_USED:
            cash.append([label, amount])
        milestones = workbook.create_sheet("Milestones")
        milestones.append(["Milestone", "Date achieved"])
        for key, day in MILESTONES:
            milestones.append([key, day])
    workbook.save(path)
    return path


def correct_ledger(path: Path, **kwargs: Any) -> Path:
    return build_ledger(path, CORRECT_DRAWS, CORRECT_TOTALS, **kwargs)


def planted_ledger(path: Path, **kwargs: Any) -> Path:
    return build_ledger(path, PLANTED_DRAWS, PLANTED_TOTALS, **kwargs)
