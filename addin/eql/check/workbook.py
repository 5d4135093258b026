"""``check_workbook``: a ledger workbook read safely, its inputs gathered, every draw recomputed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from eql import tables
from eql.check.locate import Located, find_ledger
from eql.check.recompute import CheckResult, check_rows
from eql.check.rows import LedgerRows, read_rows
from eql.ledger import ShareInputs
from eql.places import named_places
from eql.sources import ledger_sheet, workbook_inputs
from eql.terms import Terms
from eql.untrusted import open_workbook


@dataclass(frozen=True)
class Checked:
    path: Path
    located: Located
    ledger: LedgerRows
    result: CheckResult
    sources: dict[str, str]  # input -> where it came from, e.g. "sheet 'Prices'" or a file


def check_workbook(
    path: Path,
    terms: Terms,
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    files: Mapping[str, Path | None] | None = None,
) -> Checked:
    """Find the ledger in ``path``, gather its inputs, and recompute every draw."""
    path = Path(path)
    keep_vba = path.suffix.lower() == ".xlsm"
    opened = open_workbook(path, data_only=True, keep_vba=keep_vba)
    workbook = opened.workbook
    try:
        # The values are what the ledger shows; a formula never computed is told from a blank.
        # A filled template's ledger is its Draws table; a team's own is found on any sheet.
        located = find_ledger(
            workbook, str(path), sheet or ledger_sheet(workbook), mapping, opened.uncomputed
        )
        ledger = read_rows(located)
        inputs = workbook_inputs(workbook, str(path), terms, files or {}, located.grid.title)
    finally:
        workbook.close()
    ranges, chosen = inputs.ranges, inputs.terms
    with named_places(inputs.places):
        prices = tables.price_history(ranges["prices"])
        cash_used = tables.cash_used(ranges["cash_used"], chosen)
        milestones = tables.milestones(ranges["milestones"], chosen)
        reductions = tables.reductions(ranges["reductions"])
        outstanding = tables.shares_outstanding(ranges["outstanding"])
        shares = (
            ShareInputs(
                tables.issued(ranges["issued"]), outstanding, tables.holdings(ranges["holdings"])
            )
            if outstanding
            else None
        )
    result = check_rows(ledger, prices, cash_used, milestones, reductions, chosen, shares)
    return Checked(path, located, ledger, result, inputs.sources)
