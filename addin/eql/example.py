"""The example facility shipped with eql: Valence's terms with illustrative inputs.

The closing prices are ILLUSTRATIVE, not real quotes: a seeded random walk on the real XNAS
sessions of 2001-12-03 .. 2004-06-30, rounded to cents. ``python -m eql.example`` rewrites
``data/example/prices.csv``; the other example files are written by hand to exercise every clause.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from eql.calendar import sessions

FIRST = dt.date(2001, 12, 3)
LAST = dt.date(2004, 6, 30)
SEED = 20020312
CENT = Decimal("0.01")

HEADER = "# ILLUSTRATIVE closing prices (a seeded random walk), not real Valence quotes.\n"


def illustrative_closes() -> list[tuple[dt.date, Decimal]]:
    generator = random.Random(SEED)  # noqa: S311  (illustrative prices, not secrets)
    level = 2.60
    rows = []
    for day in sessions("XNAS").between(FIRST, LAST):
        level = max(0.50, level * (1 + generator.gauss(0.0006, 0.03)))
        rows.append((day, Decimal(repr(level)).quantize(CENT, rounding=ROUND_HALF_UP)))
    return rows


def example_folder() -> Traversable:
    """The folder of example input CSV files inside the installed package."""
    return resources.files("eql").joinpath("data", "example")


def main() -> None:
    target = Path(__file__).parent / "data" / "example" / "prices.csv"
    lines = [HEADER, "date,close\n"] + [f"{day},{close}\n" for day, close in illustrative_closes()]
    target.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
