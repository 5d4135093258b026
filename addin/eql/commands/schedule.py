"""``eql schedule``: the worked schedule of a facility, printed as a table."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

from eql.commands.common import load_inputs, terms_argument
from eql.ledger import ScheduleRow
from eql.money import fmt_money

COLUMNS = (
    "funding date",
    "asked",
    "fiscal q",
    "term q",
    "pricing sessions",
    "avg close",
    "price",
    "shares",
    "room before",
    "binds",
    "funded",
    "status",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "schedule",
        help="print the worked schedule of a facility (the built-in example when no --inputs)",
        description="Every draw request checked in date order: its pricing sessions, average close, "
        "price, shares, the room before it and what binds, and whether it may be funded.",
    )
    parser.add_argument(
        "--inputs", type=Path, help="a folder of CSV inputs (prices.csv, draws.csv, ...)"
    )
    terms_argument(parser)
    parser.set_defaults(run=run)


def row_cells(row: ScheduleRow) -> list[str]:
    quote = row.quote
    return [
        str(row.request.date),
        fmt_money(row.request.amount),
        row.fiscal_quarter.label,
        "" if row.term_quarter is None else str(row.term_quarter),
        f"{quote.sessions[0]} .. {quote.sessions[-1]}" if quote else "",
        f"{quote.mean:f}" if quote else "",
        f"{quote.price:f}" if quote else (row.price_error.cell_text() if row.price_error else ""),
        "" if row.shares is None else f"{row.shares:,}",
        fmt_money(row.check.cap.amount),
        row.check.cap.binds,
        fmt_money(row.funded),
        row.check.text,
    ]


def format_table(rows: list[list[str]], header: tuple[str, ...]) -> str:
    """A plain text table; the last column is left unpadded so long reasons wrap naturally."""
    widths = [max(len(cells[i]) for cells in [list(header), *rows]) for i in range(len(header) - 1)]
    lines = []
    for cells in [list(header), *rows]:
        padded = [cell.ljust(width) for cell, width in zip(cells, widths, strict=False)]
        lines.append("  ".join([*padded, cells[-1]]))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    facility = load_inputs(args)
    schedule = facility.schedule()
    print(f"{facility.terms.name}")
    print(format_table([row_cells(row) for row in schedule], COLUMNS))
    funded = sum((row.funded for row in schedule), start=Decimal(0))
    print(
        f"\nfunded {fmt_money(funded)} of {fmt_money(facility.terms.commitment)} in {sum(1 for r in schedule if r.funded)} draws"
    )
    return 0
