"""The headings finance teams give a draw ledger's columns and the tables beside it, and how
well a row of a sheet reads as such a heading.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eql.check.cells import heading
from eql.check.grid import Grid

# Headings by field, as finance teams write them; compared once reduced to their words.
LEDGER_HEADINGS: dict[str, tuple[str, ...]] = {
    "date": (
        "funding date",
        "purchase date",
        "draw date",
        "draw down date",
        "drawdown date",
        "date funded",
        "funded on",
        "date of draw",
        "settlement date",
        "closing date",
        "date",
    ),
    "amount": (
        "draw amount",
        "draw down amount",
        "drawdown amount",
        "amount funded",
        "funded amount",
        "funding amount",
        "amount drawn",
        "purchase amount",
        "gross proceeds",
        "proceeds",
        "amount",
    ),
    "price": (
        "purchase price",
        "purchase price per share",
        "price per share",
        "price",
        "share price",
        "issue price",
    ),
    "shares": (
        "shares issued",
        "shares",
        "number shares",
        "number shares issued",
        "shares purchased",
        "shares sold",
        "share count",
    ),
}
REQUIRED = ("date", "amount")
LEDGER_FIELDS = ("date", "amount", "price", "shares")

# The inputs beside the ledger, each a table of two (or three) columns found by its headings.
INPUT_HEADINGS: dict[str, dict[str, tuple[str, ...]]] = {
    # Every column a prices table may hold; the terms say which of them are needed
    # (:func:`price_fields`).
    "prices": {
        "date": ("date", "trading date", "session", "trade date"),
        "close": ("close", "closing price", "close price", "closing", "last", "adj close"),
        "bid": ("bid", "closing bid", "close bid", "bid price"),
        "vwap": ("vwap", "daily vwap", "volume weighted average price"),
        "low": ("low", "lowest sale price", "low price", "day low", "intraday low"),
        "volume": ("volume", "shares traded", "daily volume", "trading volume"),
    },
    "cash_used": {
        "quarter": ("fiscal quarter", "quarter", "fiscal period", "period"),
        "cash": (
            "cash used",
            "cash used operations",
            "cash used by operations",
            "operating cash used",
            "cash burn",
        ),
    },
    "milestones": {
        "key": ("milestone", "key", "milestone key", "event"),
        "date": ("date", "date achieved", "achieved", "date reached", "reached"),
    },
    "reductions": {
        "date": ("date", "reduction date", "election date"),
        "third_party": ("third party financing", "third party amount"),
        "elected": ("amount elected", "reduction", "reduction elected", "elected"),
    },
}
# The share caps' counts, read when the terms name a share cap (each optional: without shares
# outstanding the caps are not counted, and the report's inputs line says "none").
INPUT_HEADINGS["outstanding"] = {
    "date": ("date", "as of", "count date"),
    "shares": ("shares outstanding", "common shares outstanding", "outstanding"),
}
INPUT_HEADINGS["holdings"] = {
    "date": ("date", "as of", "count date"),
    "shares": ("investor holdings", "shares held", "holdings", "investor shares"),
}
INPUT_HEADINGS["issued"] = {
    "date": ("date", "issue date"),
    "shares": ("shares issued outside ledger", "commitment shares", "other shares issued"),
    "paid": ("amount paid", "paid"),
}
OPTIONAL_COLUMNS = {"reductions": ("third_party",)}

HEADER_SEARCH_ROWS = 40


def header_rows(values: Grid) -> list[int]:
    """The rows where a heading is looked for: those present among the first few."""
    return [row for row in values.rows if row <= HEADER_SEARCH_ROWS]


def column_labels(grid_: Grid, row: int, column: int) -> list[str]:
    """The headings a column may have at a header row: its own text, or, under a merged group
    heading such as "Purchase" over "price" and "shares", the two read together.
    """
    own = heading(grid_.value(row, column))
    found = [own] if own else []
    if row > 1:
        above = heading(grid_.value(row - 1, column))
        if above and own and above != own:
            found.append(f"{above} {own}")
    return found


def _match(labels: Sequence[str], spellings: tuple[str, ...]) -> int | None:
    """How well headings match a field's spellings: 0 exact, 1 the words contained, else None."""
    best: int | None = None
    for label in labels:
        if label in spellings:
            return 0
        words = set(label.split())
        for spelling in spellings:
            if set(spelling.split()) <= words and best is None:
                best = 1
    return best


def header_fields(grid_: Grid, row: int, fields: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """The columns of a header row that name each field, best match first."""
    chosen: dict[str, tuple[int, int]] = {}
    for column in grid_.columns(row):
        labels = column_labels(grid_, row, column)
        if not labels:
            continue
        scores = [
            (score, name) for name in fields if (score := _match(labels, fields[name])) is not None
        ]
        if not scores:
            continue
        # A heading is one field's: the exact spelling wins, then the more specific field.
        score, name = min(scores, key=lambda pair: (pair[0], -len(fields[pair[1]])))
        if name not in chosen or score < chosen[name][0]:
            chosen[name] = (score, column)
    return {name: column for name, (_, column) in chosen.items()}


def _excluded(label: str) -> bool:
    # Columns a ledger often carries beside the draw that must not be read as its amount or price.
    return any(
        word in label.split()
        for word in (
            "average",
            "avg",
            "close",
            "closing",
            "cumulative",
            "elected",
            "cash",
            "room",
            "cap",
            "remaining",
            "balance",
        )
    )


def ledger_fields(grid_: Grid, row: int) -> dict[str, int]:
    found = header_fields(grid_, row, LEDGER_HEADINGS)
    return {
        name: column
        for name, column in found.items()
        if not any(_excluded(label) for label in column_labels(grid_, row, column))
    }


def says_total(values: Sequence[Any]) -> bool:
    return any(isinstance(v, str) and "total" in v.lower() for v in values)
