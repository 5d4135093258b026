"""The built-in Valence terms against what Valence reported: the three draws of its press releases
(tests/resources/valence_draws.csv) and the shares outstanding on its 10-Q covers
(tests/resources/valence_shares_outstanding.csv). Expected values are the company's own figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest

from eql import udfs

RESOURCES = Path(__file__).parent / "resources"


def _read(name: str) -> list[dict[str, str]]:
    with (RESOURCES / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


DRAWS = _read("valence_draws.csv")
COVERS = _read("valence_shares_outstanding.csv")


def _day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _prices(row: dict[str, str]) -> list[list[Any]]:
    sessions = row["sessions"].split(";")
    closes = row["closes"].split(";")
    return [["Date", "Close"]] + [
        [_day(s), float(c)] for s, c in zip(sessions, closes, strict=True)
    ]


def _draw_ids() -> list[str]:
    return [row["announced"] for row in DRAWS]


@pytest.mark.parametrize("row", DRAWS, ids=_draw_ids())
def test_the_pricing_sessions(row: dict[str, str]) -> None:
    result = udfs.EQL_PRICING_DATES(_day(row["purchase_date"]))
    assert isinstance(result, list), result
    assert [r[0].date().isoformat() for r in result] == row["sessions"].split(";")


@pytest.mark.parametrize("row", DRAWS, ids=_draw_ids())
def test_the_average_and_the_price(row: dict[str, str]) -> None:
    purchase = _day(row["purchase_date"])
    assert udfs.EQL_AVG_CLOSE(purchase, _prices(row)) == float(row["mean"])
    assert udfs.EQL_PRICE(purchase, _prices(row)) == float(row["price"])


@pytest.mark.parametrize("row", DRAWS, ids=_draw_ids())
def test_the_reported_share_count(row: dict[str, str]) -> None:
    price = udfs.EQL_PRICE(_day(row["purchase_date"]), _prices(row))
    assert udfs.EQL_SHARES(float(row["amount"]), price) == int(row["shares"])


@pytest.mark.parametrize("row", DRAWS, ids=_draw_ids())
def test_rounding_down_is_still_a_setting(row: dict[str, str]) -> None:
    down = [["shares.rounding", "down"]]
    price = udfs.EQL_PRICE(_day(row["purchase_date"]), _prices(row), down)
    assert udfs.EQL_SHARES(float(row["amount"]), price, down) == int(row["shares_down"])


def test_the_first_draw_is_the_difference_of_the_first_two_covers() -> None:
    # 10-Q covers of 2002-07-08 and 2002-11-12, with the draw of 2002-09-30 between them and no
    # other issuance: the difference is the share count of the draw.
    first, second = (int(cover["shares_outstanding"]) for cover in COVERS[:2])
    draw = DRAWS[0]
    assert COVERS[0]["as_of"] < draw["purchase_date"] < COVERS[1]["as_of"]
    price = udfs.EQL_PRICE(_day(draw["purchase_date"]), _prices(draw))
    assert udfs.EQL_SHARES(float(draw["amount"]), price) == second - first


def test_shares_outstanding_rise_by_at_least_the_draws_between_covers() -> None:
    # The later covers include other issuance (options, warrants), so only a lower bound holds.
    for before, after in itertools.pairwise(COVERS):
        issued = sum(
            int(draw["shares"])
            for draw in DRAWS
            if before["as_of"] < draw["purchase_date"] < after["as_of"]
        )
        rise = int(after["shares_outstanding"]) - int(before["shares_outstanding"])
        assert rise >= issued, (before["as_of"], after["as_of"])
