"""The pricing rule of the Yorkville-shaped facility (the lowest VWAP after the notice, pending
until its sessions have passed) through the EQL_ functions, against
tests/resources/pricing_rules.csv; the Lincoln Park-shaped facility's are in test_lincoln_park.py.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from eql import udfs
from eql.errors import TermsError
from eql.terms import facility_terms

RESOURCES = Path(__file__).parent / "resources"


def _answers() -> list[Any]:
    with (RESOURCES / "pricing_rules.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return [
        pytest.param(row, id=f"{row['facility']}-{row['function']}-{row['date']}-{n}")
        for n, row in enumerate(rows)
    ]


@pytest.mark.parametrize("row", _answers())
def test_pricing_rule(row: dict[str, str]) -> None:
    terms = [["facility", row["facility"]]]
    day, expect = row["date"], row["expect"]
    if row["function"] == "dates":
        result = udfs.EQL_PRICING_DATES(day, terms)
        assert [r[0].date().isoformat() for r in result] == expect.split(";")
        return
    prices = [["Date", "Price"]] + [
        [date, float(price)] for date, price in (p.split(":") for p in row["prices"].split(";"))
    ]
    call = udfs.EQL_PRICE if row["function"] == "price" else udfs.EQL_AVG_CLOSE
    result = call(day, prices, terms)
    assert result == (expect if expect.startswith("#") else float(expect))


def test_the_lowest_count_must_fit_the_window(tmp_path: Path) -> None:
    text = (Path(udfs.__file__).parent / "data" / "lincoln_park.toml").read_text(encoding="utf-8")
    path = tmp_path / "lp.toml"
    path.write_text(text.replace("lowest = 3", "lowest = 11"), encoding="utf-8")
    with pytest.raises(TermsError, match=r"pricing.lowest must be a whole number from 1 to 10"):
        facility_terms(str(path))
