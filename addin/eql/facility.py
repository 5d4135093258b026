"""A facility's inputs in one place: terms, prices, draw requests, cash used, milestones,
reductions and fees, and the share caps' shares issued, outstanding and held, read from a folder
of CSV files (the example facility is one).

Each file holds the same columns as the matching table of the template workbook; lines starting
with ``#`` are comments. Every value goes through the same parsers as the Excel functions use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from eql import tables
from eql.csvfiles import read_csv_table
from eql.errors import EqlError, LedgerError
from eql.ledger import ScheduleRow, ShareInputs, evaluate_schedule
from eql.places import Place, named_places
from eql.price_history import PriceHistory
from eql.records import Draw, Fee, Reduction
from eql.terms import Terms, default_terms

FILES = (
    "prices",
    "draws",
    "cash_used",
    "milestones",
    "reductions",
    "fees",
    "issued",
    "outstanding",
    "holdings",
)
# The share caps are checked when outstanding.csv is there (issued.csv and holdings.csv as for
# EQL_SCHEDULE's arguments of those names).
OPTIONAL = frozenset({"reductions", "fees", "issued", "outstanding", "holdings"})


@dataclass(frozen=True)
class Facility:
    terms: Terms
    prices: PriceHistory
    requests: list[Draw]
    notes: dict[int, str]  # draws row -> note
    cash_used: dict[str, Decimal]
    milestones: dict[str, dt.date | None]
    reductions: list[Reduction]
    fees: list[Fee]
    closes: list[tuple[dt.date, Decimal]] = field(default_factory=list)  # every valid close, sorted
    share_inputs: ShareInputs | None = None  # the share caps' counts; None: not checked

    def schedule(self) -> list[ScheduleRow]:
        return evaluate_schedule(
            self.requests,
            self.prices,
            self.cash_used,
            self.milestones,
            self.reductions,
            self.terms,
            self.share_inputs,
        )


def from_rows(ranges: dict[str, list[list[Any]]], terms: Terms | None = None) -> Facility:
    """A facility from the rows of each input range (as CSV files or workbook tables hold them)."""
    chosen = terms or default_terms()
    draw_rows = ranges.get("draws", [])
    prices = tables.price_history(ranges.get("prices", []))
    return Facility(
        terms=chosen,
        prices=prices,
        requests=tables.draws([row[:2] for row in draw_rows]),
        notes={
            n: str(row[2]) for n, row in enumerate(draw_rows, start=1) if len(row) > 2 and row[2]
        },
        cash_used=tables.cash_used(ranges.get("cash_used", []), chosen),
        milestones=tables.milestones(ranges.get("milestones", []), chosen),
        reductions=tables.reductions(ranges.get("reductions", [])),
        fees=tables.fees(ranges.get("fees", [])),
        closes=_valid_closes(prices.of(chosen.pricing.series)),
        share_inputs=_share_inputs(ranges),
    )


def _share_inputs(ranges: dict[str, list[list[Any]]]) -> ShareInputs | None:
    """The share caps' inputs when an outstanding range is given, else None (not checked)."""
    if "outstanding" not in ranges:
        return None
    return ShareInputs(
        tables.issued(ranges.get("issued", [])),
        tables.shares_outstanding(ranges["outstanding"]),
        tables.holdings(ranges.get("holdings", [])),
    )


def _valid_closes(history: PriceHistory) -> list[tuple[dt.date, Decimal]]:
    """Every date's daily price the terms price on (the close, the bid or the VWAP) that reads as
    a price, in date order, for charts and listings."""
    found = []
    for day in history.closes:
        try:
            found.append((day, history.close(day, 1, 1)))
        except EqlError:  # a bad close is reported where a pricing session uses it
            continue
    return sorted(found)


def load_folder(folder: Path | Traversable, terms: Terms | None = None) -> Facility:
    """A facility from ``prices.csv``, ``draws.csv`` ... in ``folder``."""
    ranges: dict[str, list[list[Any]]] = {}
    places: dict[str, Place] = {}
    for name in FILES:
        file = folder / f"{name}.csv"
        if not file.is_file():
            if name in OPTIONAL:
                continue
            raise LedgerError(name=name, detail=f"no {name}.csv in {folder}")
        ranges[name], places[name] = read_csv_table(file)
    with named_places(places):
        return from_rows(ranges, terms)
