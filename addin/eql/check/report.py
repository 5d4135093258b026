"""The report of a check: a table for the terminal, and the same facts as JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from eql.check.recompute import Finding, RowResult, count_text
from eql.check.workbook import Checked
from eql.money import counted, fmt_money, fmt_price

COLUMNS = (
    "row",
    "funding date",
    "amount",
    "price (ledger)",
    "price (eql)",
    "shares (ledger)",
    "shares (eql)",
    "result",
)


def _cells(row: RowResult) -> list[str]:
    entry = row.entry
    differences = [f.kind for f in row.findings if f.is_difference]
    others = [_not_checked(f) for f in row.findings if not f.is_difference]
    if differences:
        result = "DIFFERS: " + ", ".join(dict.fromkeys(differences))
    elif others:
        result = "NOT CHECKED: " + ", ".join(dict.fromkeys(others))
    else:
        result = "agrees"
    return [
        str(entry.row),
        "" if entry.date is None else str(entry.date),
        "" if entry.amount is None else fmt_money(entry.amount),
        "" if entry.price is None else f"{entry.price:f}",
        "" if row.price is None else fmt_price(row.price),
        "" if entry.shares is None else count_text(entry.shares),
        "" if row.shares is None else f"{row.shares:,}",
        result,
    ]


def _not_checked(finding: Finding) -> str:
    """What a finding left unchecked, for the result column: the unreadable cell, or what the
    engine could not work out ("price", "limits")."""
    if finding.kind == "unreadable":
        return f"{finding.cell or 'row'} unreadable"
    subject, found, _ = finding.message.partition(" not checked")
    return subject if found else finding.kind


def text_report(checked: Checked) -> str:
    result = checked.result
    located = checked.located
    letters = located.letters()
    lines = [
        f"{checked.path}: sheet {located.grid.title!r}, headings in row {located.header_row}, "
        + ", ".join(f"{name} in {letter}" for name, letter in letters.items()),
        "inputs: "
        + ", ".join(
            f"{name.replace('_', ' ')} from {where}" for name, where in checked.sources.items()
        ),
        "",
    ]
    table = [_cells(row) for row in result.rows]
    widths = [
        max(len(cells[i]) for cells in [list(COLUMNS), *table]) for i in range(len(COLUMNS) - 1)
    ]
    for cells in [list(COLUMNS), *table]:
        lines.append(
            "  ".join(
                [*(c.ljust(w) for c, w in zip(cells, widths, strict=False)), cells[-1]]
            ).rstrip()
        )
    if result.findings:
        lines.append("")
        for finding in result.findings:
            where = f"row {finding.row}" + (f" ({finding.cell})" if finding.cell else "")
            lines.append(f"{where}: {finding.kind}: {finding.message}")
    lines.append("")
    lines.append(_summary(checked))
    return "\n".join(lines)


def _summary(checked: Checked) -> str:
    result = checked.result
    computed = result.shares_computed
    shares = f"{count_text(result.shares_recorded)} shares recorded, {'?' if computed is None else f'{computed:,}'} by the terms"
    verdict = {
        0: "the ledger agrees with the terms",
        1: counted(len(result.differences), "difference"),
        2: f"{counted(len(result.unchecked), 'finding')} could not be checked",
    }[result.exit_status]
    if result.exit_status == 1 and result.unchecked:
        verdict += f", and {counted(len(result.unchecked), 'finding')} could not be checked"
    return f"{counted(len(result.rows), 'draw')}, {fmt_money(result.amount)} funded, {shares}: {verdict}"


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _count(value: int | None) -> str | None:
    """A share count as JSON gives the ledger's: decimal text (a ledger may record a fraction)."""
    return None if value is None else str(value)


def json_report(checked: Checked) -> dict[str, Any]:
    result = checked.result
    located = checked.located
    return {
        "workbook": str(checked.path),
        "sheet": located.grid.title,
        "header_row": located.header_row,
        "columns": located.letters(),
        "inputs": checked.sources,
        "agrees": result.exit_status == 0,
        "exit_status": result.exit_status,
        "rows": [
            {
                "row": row.entry.row,
                "funding_date": None if row.entry.date is None else row.entry.date.isoformat(),
                "amount": _decimal(row.entry.amount),
                "price": {"ledger": _decimal(row.entry.price), "eql": _decimal(row.price)},
                "shares": {"ledger": _decimal(row.entry.shares), "eql": _count(row.shares)},
                "status": row.status,
                "findings": [
                    {"kind": f.kind, "cell": f.cell, "message": f.message} for f in row.findings
                ],
            }
            for row in result.rows
        ],
        "totals": {
            "draws": len(result.rows),
            "amount": _decimal(result.amount),
            "shares_ledger": _decimal(result.shares_recorded),
            "shares_eql": _count(result.shares_computed),
            "differences": len(result.differences),
            "unchecked": len(result.unchecked),
            "findings": [
                {"kind": f.kind, "row": f.row, "cell": f.cell, "message": f.message}
                for f in result.totals
            ],
        },
    }
