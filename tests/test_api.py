"""The Python API an analyst uses in a notebook: the same facility from a workbook or a folder, its
schedule as a DataFrame of exact values, and its caps on a date.

Expected values: the example facility's 2002-11-15 request was designed to be blocked by condition
(v) with 1,000,000 of room (75 % of the 4,000,000 cash used in FY2003 Q3, less the 2,000,000
funded on 2002-10-15; addin/eql/data/example/cash_used.csv and draws.csv).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd

from eql import api
from eql.terms import default_terms
from eql.workbook.template import build_template

EXAMPLE = Path(__file__).parents[1] / "addin/eql/data/example"


def test_a_workbook_and_a_folder_give_the_same_schedule(tmp_path: Path) -> None:
    folder = api.load(EXAMPLE)
    workbook = tmp_path / "facility.xlsx"
    build_template(default_terms(), folder).save(workbook)
    from_folder = api.schedule(folder)
    from_workbook = api.schedule(api.load(str(workbook)))
    pd.testing.assert_frame_equal(from_folder, from_workbook)


def test_the_schedule_keeps_exact_values() -> None:
    frame = api.schedule(api.load())
    assert frame["date"].dtype.kind == "M"
    assert all(isinstance(value, Decimal) for value in frame["price"])
    assert frame["shares"].dtype == "Int64"
    blocked = frame[frame["funded"] == 0]
    assert [day.date() for day in blocked["date"]] == [
        dt.date(2002, 11, 15),
        dt.date(2003, 4, 15),
        dt.date(2003, 10, 15),
        dt.date(2004, 1, 15),
    ]
    assert frame["funded"].sum() == Decimal(22_000_000)
    assert frame["price_error"].isna().all()


def test_caps_on_a_date() -> None:
    facility = api.load()
    caps = api.caps(facility, dt.date(2002, 11, 15))
    cash = caps.loc["(v) cash used in operations"]
    assert (cash["allowed"], cash["used"], cash["room"]) == (3_000_000, 2_000_000, 1_000_000)
    assert bool(cash["binds"])
    assert caps["binds"].sum() == 1
    assert api.cap_on(facility, "2002-11-15").amount == 1_000_000
    assert api.caps(facility, "2005-01-03").empty  # after the term: nothing may be funded
    assert api.cap_on(facility, "2005-01-03").amount == 0


def test_terms_and_overrides() -> None:
    # With a price factor of 0.80 the first price is 0.80 x 2.534 (the mean of its closes).
    frame = api.schedule(api.load(overrides={"pricing.factor": "0.80"}))
    assert frame.loc[0, "price"] == Decimal("2.0272")


def test_the_readme_example_runs(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```python\n", 1)[1].split("```", 1)[0]
    workbook = tmp_path / "facility.xlsx"
    build_template(default_terms(), api.load(EXAMPLE)).save(workbook)
    namespace: dict[str, object] = {}
    exec(block.replace('"facility.xlsx"', repr(str(workbook))), namespace)  # noqa: S102
    assert len(namespace["frame"]) == 13  # type: ignore[arg-type]
