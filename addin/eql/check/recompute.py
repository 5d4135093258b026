"""Every draw of a ledger recomputed by the engine, and each difference from what it records.

The ledger holds draws actually funded, so each counts as funded, in date order (rows of one
date in their order): a row is checked against the draws before it. A difference is a price off
by more than half a cent, a share count off by any share, or a draw that broke a limit or a
condition to funding on its date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from eql.caps import facts_for
from eql.check.rows import LedgerRow, LedgerRows, TotalsRow
from eql.conditions import Milestones, failures
from eql.errors import BelowFloorError, EqlError
from eql.ledger import ShareInputs, check_draw, share_cap_failures
from eql.money import fmt_money, fmt_price
from eql.price_history import PriceHistory
from eql.pricing import PriceQuote, quote, share_count
from eql.purchase_limits import most_shares
from eql.records import Draw, Issue, Reduction
from eql.rule_words import rule_value
from eql.share_caps import IssuedShares
from eql.terms import Terms
from eql.workbook.price_columns import reads_low

HALF_CENT = Fraction(1, 200)

# Kinds of finding: the first four are differences; "unreadable" and "unchecked" mean a row
# could not be (fully) checked.
DIFFERENCE_KINDS = ("price", "shares", "limit", "condition", "total")


@dataclass(frozen=True)
class Finding:
    kind: str  # price, shares, limit, condition, total, unreadable, unchecked
    row: int
    cell: str  # the cell to look at, e.g. "D7"; "" when the whole row
    message: str

    @property
    def is_difference(self) -> bool:
        return self.kind in DIFFERENCE_KINDS


@dataclass(frozen=True)
class RowResult:
    entry: LedgerRow
    price: Decimal | None  # as the engine sets it (exact, or as rounded by the terms)
    shares: int | None
    status: str  # OK, or the engine's reasons the draw could not be funded on its date
    findings: tuple[Finding, ...]
    # The price as an exact fraction (PriceQuote.exact_price): what the share caps compare with
    # the minimum price, where a repeating decimal's 60 digits could decide the wrong way.
    exact_price: Fraction | None = None


@dataclass
class CheckResult:
    rows: list[RowResult] = field(default_factory=list)
    totals: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for row in self.rows for f in row.findings] + self.totals

    @property
    def differences(self) -> list[Finding]:
        return [f for f in self.findings if f.is_difference]

    @property
    def unchecked(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_difference]

    @property
    def exit_status(self) -> int:
        """0 the ledger agrees, 1 it differs, 2 some of it could not be checked (and nothing differs)."""
        if self.differences:
            return 1
        return 2 if self.unchecked else 0

    @property
    def amount(self) -> Decimal:
        return sum((r.entry.amount or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def shares_recorded(self) -> Decimal:
        return sum((r.entry.shares or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def shares_computed(self) -> int | None:
        if any(r.shares is None for r in self.rows):
            return None
        return sum(r.shares or 0 for r in self.rows)


def check_rows(
    ledger: LedgerRows,
    history: PriceHistory,
    cash_used: Mapping[str, Decimal],
    milestones: Milestones,
    reductions: Sequence[Reduction],
    terms: Terms,
    shares: ShareInputs | None = None,
) -> CheckResult:
    """Each row against the rows before it; against the share caps too when ``shares`` are
    given (the shares of the rows before it counted as issued, at their amounts)."""
    result = CheckResult()
    issued = IssuedShares(shares.issued) if shares is not None else None
    readable = [row for row in ledger.draws if row.date is not None and row.amount is not None]
    ordered = sorted(readable, key=lambda r: (r.date or dt.date.min, r.row))
    funded: list[Draw] = []
    results: dict[int, RowResult] = {}
    for entry in ordered:
        assert entry.date is not None
        assert entry.amount is not None
        checked = _check_row(entry, funded, history, cash_used, milestones, reductions, terms)
        if shares is not None and issued is not None and checked.exact_price is not None:
            checked = _share_caps(checked, issued, shares, terms)
        results[entry.row] = checked
        # Every row was funded; one dated outside the term is reported and cannot count in a cap.
        if entry.amount > 0 and terms.in_term(entry.date):
            funded.append(Draw(entry.date, entry.amount, entry.row))
    for entry in ledger.draws:
        if entry.row in results:
            found = results[entry.row]
            if entry.problems:
                found = dataclasses.replace(found, findings=_problems(entry) + found.findings)
            result.rows.append(found)
        else:
            result.rows.append(RowResult(entry, None, None, "not checked", _problems(entry)))
    result.totals = _totals(ledger.totals, result)
    return result


def _problems(entry: LedgerRow) -> tuple[Finding, ...]:
    return tuple(
        Finding("unreadable", entry.row, entry.cells.get(name, ""), message)
        for name, message in entry.problems
    )


def _check_row(
    entry: LedgerRow,
    funded: list[Draw],
    history: PriceHistory,
    cash_used: Mapping[str, Decimal],
    milestones: Milestones,
    reductions: Sequence[Reduction],
    terms: Terms,
) -> RowResult:
    assert entry.date is not None
    assert entry.amount is not None
    day, amount, cells = entry.date, entry.amount, entry.cells
    findings: list[Finding] = []
    status = "OK"
    if amount == 0:
        return RowResult(entry, None, 0, "nothing funded", ())
    conditions = failures(day, milestones, terms)
    try:
        check = check_draw(
            day, amount, facts_for(funded, cash_used, reductions, terms), milestones, terms
        )
        status = check.text
        broken = check.failures
    except EqlError as error:
        findings.append(
            Finding("unchecked", entry.row, cells["date"], f"limits not checked: {error}")
        )
        broken = conditions
        status = "limits not checked"
    for failure in broken:
        kind = "condition" if failure in conditions else "limit"
        findings.append(
            Finding(
                kind,
                entry.row,
                cells["amount"] if kind == "limit" else cells["date"],
                f"funded {fmt_money(amount)} on {day} but {failure}",
            )
        )
    price: Decimal | None = None
    exact_price: Fraction | None = None
    shares: int | None = None
    try:
        priced = quote(day, history, terms)
    except BelowFloorError as error:
        # The ledger funded a purchase the terms forbid.
        findings.append(
            Finding(
                "condition",
                entry.row,
                cells.get("price", cells["date"]),
                f"funded {fmt_money(amount)} on {day} but {error}",
            )
        )
    except EqlError as error:
        if "price" in cells or "shares" in cells:
            findings.append(
                Finding(
                    "unchecked",
                    entry.row,
                    cells.get("price", cells["date"]),
                    f"price not checked: {error}",
                )
            )
    else:
        price, exact_price = priced.price, priced.exact_price
        shares = share_count(amount, exact_price, terms)
        recorded = entry.price
        if recorded is not None and abs(Fraction(recorded) - priced.exact_price) > HALF_CENT:
            findings.append(
                Finding(
                    "price",
                    entry.row,
                    cells["price"],
                    f"price {recorded:f} recorded, {fmt_price(price)} by the terms ({_basis(priced, history, terms)}); off by more than half a cent",
                )
            )
        if entry.shares is not None and entry.shares != shares:
            off = entry.shares - shares
            findings.append(
                Finding(
                    "shares",
                    entry.row,
                    cells["shares"],
                    f"{count_text(entry.shares)} shares recorded, {shares:,} by the terms ({fmt_money(amount)} at {fmt_price(price)}); {'+' if off > 0 else ''}{count_text(off)}",
                )
            )
        if terms.share_limits:
            findings.extend(_share_limit(entry, priced, shares, history, terms))
    return RowResult(entry, price, shares, status, tuple(findings), exact_price)


def _share_caps(
    checked: RowResult, issued: IssuedShares, shares: ShareInputs, terms: Terms
) -> RowResult:
    """The row with each share cap its purchase broke, as the ledger counts them; its shares then
    count as issued for the rows after it."""
    entry = checked.entry
    assert entry.date is not None
    assert entry.amount is not None
    assert checked.exact_price is not None
    count = checked.shares or 0
    where = entry.cells.get("shares", entry.cells["amount"])
    broken = share_cap_failures(entry.date, count, checked.exact_price, issued, shares, terms)
    found = tuple(
        Finding(
            "limit", entry.row, where, f"funded {fmt_money(entry.amount)} on {entry.date} but {f}"
        )
        for f in broken
    )
    if count:
        issued.add(Issue(entry.date, count, entry.amount, entry.row))
    return dataclasses.replace(checked, findings=checked.findings + found)


def _share_limit(
    entry: LedgerRow, priced: PriceQuote, shares: int, history: PriceHistory, terms: Terms
) -> list[Finding]:
    """A funded draw of more shares than one purchase may be, at the price the terms read the
    limit at (the purchase date's close, or the purchase price)."""
    assert entry.amount is not None
    where = entry.cells.get("shares", entry.cells["amount"])
    try:
        found = most_shares(priced.purchase_date, history, terms, priced)
    except EqlError as error:
        return [Finding("unchecked", entry.row, where, f"share limit not checked: {error}")]
    most = found.most
    if most is None or shares <= most:
        return []
    return [
        Finding(
            "limit",
            entry.row,
            where,
            f"funded {fmt_money(entry.amount)} on {priced.purchase_date} but that is {shares:,} "
            f"shares at {fmt_price(priced.price)}, over the per-purchase share limit of "
            f"{most:,} {found.basis}",
        )
    ]


def _basis(priced: PriceQuote, history: PriceHistory, terms: Terms) -> str:
    """What the price was taken from, in the words of the facility's rule: ``from the average
    close 2.24 of 2002-04-08 .. 2002-04-12``; a rule reading the day's low names it too."""
    window = f"of {priced.sessions[0]} .. {priced.sessions[-1]}"
    value = f"{rule_value(terms)} {fmt_price(priced.mean)} {window}"
    if not reads_low(terms):
        return f"from the {value}"
    low = history.low(priced.purchase_date)
    return f"the lesser of the day's low {fmt_price(low)} and the {value}"


def count_text(value: Decimal | int) -> str:
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,f}"


def _totals(rows: list[TotalsRow], result: CheckResult) -> list[Finding]:
    found: list[Finding] = []
    computed = result.shares_computed
    for total in rows:
        # A total that cannot be read is not checked, never skipped: the ledger cannot agree.
        found.extend(
            Finding("unchecked", total.row, total.cells.get(name, ""), f"not checked: {message}")
            for name, message in total.problems
        )
        if total.amount is not None and total.amount != result.amount:
            found.append(
                Finding(
                    "total",
                    total.row,
                    total.cells["amount"],
                    f"total amount {fmt_money(total.amount)} recorded, the draws add up to {fmt_money(result.amount)}",
                )
            )
        if total.shares is not None and computed is not None and total.shares != computed:
            found.append(
                Finding(
                    "total",
                    total.row,
                    total.cells["shares"],
                    f"total shares {count_text(total.shares)} recorded, {computed:,} by the terms",
                )
            )
    return found
