"""A benchmark ledger written in a spreadsheet's native formulas, for LibreOffice to recalculate
beside EQL_SCHEDULE: written for speed, or as the term sheet reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from synthetic import Ledger, session_days

from eql.caps import cash_used_share

NATIVE_COLUMNS = (
    "funding date", "amount", "term quarter", "fiscal quarter", "sessions", "average close",
    "price", "funded before in fiscal quarter", "funded before in term quarter",
    "funded before", "cash room", "cash row", "room", "funded", "shares", "status",
)  # fmt: skip


def write_native_ledger(ledger: Ledger, path: Path, *, plain: bool) -> None:
    """The ledger in native formulas, in one of two ways a spreadsheet author would write it.

    ``plain=False``, written for speed: closes are one row per session in date order, so the five
    sessions before a date are the five rows above MATCH(date - 1, dates, 1), a binary search, and
    the rooms are running totals down the sorted ledger.
    ``plain=True``, written as the term sheet reads: the five sessions are WORKDAY(date, -k, the
    exchange's closures), each close is looked up by an exact MATCH (a missing close shows #N/A),
    and each room sums the funded amounts above with SUMIFS.
    Conditions are met throughout and left out of both.
    """
    terms = ledger.terms
    quarter_limit = next(limit.amount for limit in terms.limits if limit.kind == "per_period")
    cash_limit = next(limit for limit in terms.limits if limit.kind == "cash_used")
    # Shares are rounded as the terms say; the quotient is first rounded to 6 decimals, which only
    # cancels binary noise (1904000 / 1.904 is 999999.9999999999 in floats).
    rounding = {"down": "ROUNDDOWN", "up": "ROUNDUP", "half_up": "ROUND"}[terms.share_rounding]
    book = Workbook()
    prices = book.active
    prices.title = "Prices"
    prices.append(["Date", "Close"])
    for day, close in ledger.closes:
        prices.append([day, close])
    last_price = len(ledger.closes) + 1
    dates, closes = f"Prices!$A$2:$A${last_price}", f"Prices!$B$2:$B${last_price}"
    cash = book.create_sheet("Cash")
    cash.append(["Fiscal quarter", "Cash used", "Share"])
    for label, amount in ledger.cash:
        cash.append([label, amount, float(cash_used_share(label, cash_limit) or 0)])
    last_cash = len(ledger.cash) + 1
    closed = book.create_sheet("Closures")
    first, last = ledger.closes[0][0], ledger.closes[-1][0]
    open_days = set(session_days(first - dt.timedelta(days=14), last))
    closures = [
        first + dt.timedelta(days=n)
        for n in range(-14, (last - first).days + 1)
        if (first + dt.timedelta(days=n)).weekday() < 5
        and first + dt.timedelta(days=n) not in open_days
    ]
    for day in closures:
        closed.append([day])
    holidays = f"Closures!$A$1:$A${len(closures)}"
    sheet = book.create_sheet("Ledger")
    sheet.append(list(NATIVE_COLUMNS))
    start_year, start_month = terms.term_start.year, terms.term_start.month
    for r, (date, amount) in enumerate(ledger.requests, start=2):
        up = r - 1
        if plain:
            session = f"=MATCH(WORKDAY(A{r},-1,{holidays}),{dates},0)"
            average = (
                "=AVERAGE("
                + ",".join(
                    f"INDEX({closes},MATCH(WORKDAY(A{r},-{k},{holidays}),{dates},0))"
                    for k in (5, 4, 3, 2, 1)
                )
                + ")"
            )
            fiscal_before = f"=SUMIFS(N$1:N{up},D$1:D{up},D{r})"
            term_before = f"=SUMIFS(N$1:N{up},C$1:C{up},C{r})"
            total_before = f"=SUM(N$1:N{up})"
        else:
            session = f"=MATCH(A{r}-1,{dates},1)"
            average = (
                "=AVERAGE(" + ",".join(f"INDEX({closes},E{r}-{k})" for k in (4, 3, 2, 1, 0)) + ")"
            )
            fiscal_before = 0 if r == 2 else f"=IF(D{r}=D{up},H{up}+N{up},0)"
            term_before = 0 if r == 2 else f"=IF(C{r}=C{up},I{up}+N{up},0)"
            total_before = 0 if r == 2 else f"=J{up}+N{up}"
        end_month = terms.fiscal_year_end_month
        sheet.append(
            [
                date,
                amount,
                f"=INT(((YEAR(A{r})-{start_year})*12+MONTH(A{r})-{start_month})/3)+1",
                f'="FY"&(YEAR(A{r})+IF(MONTH(A{r})>{end_month},1,0))'
                f'&" Q"&(INT(MOD(MONTH(A{r})-{end_month + 1},12)/3)+1)',
                session,
                average,
                f"=F{r}*{terms.pricing.factor}",
                fiscal_before,
                term_before,
                total_before,
                f"=INDEX(Cash!$B$2:$B${last_cash},L{r})*INDEX(Cash!$C$2:$C${last_cash},L{r})-H{r}",
                f"=MATCH(D{r},Cash!$A$2:$A${last_cash},0)",
                f"=MAX(0,MIN({quarter_limit}-I{r},{terms.commitment}-J{r},K{r}))",
                f"=IF(B{r}<=M{r},B{r},0)",
                f"=IF(N{r}>0,{rounding}(ROUND(N{r}/G{r},6),0),0)",
                f'=IF(N{r}>0,"OK","BLOCKED")',
            ]
        )
    book.save(path)
