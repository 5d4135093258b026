"""The README's terms file example is a facility eql reads and computes, worked by hand."""

from __future__ import annotations

import re
from pathlib import Path

from eql import udfs
from eql.amendments import terms_on
from eql.terms import load_terms

README = Path(__file__).parents[1] / "README.md"


def _example(tmp_path: Path) -> Path:
    section = README.read_text(encoding="utf-8").split("## The terms file format", 1)[1]
    block = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert block is not None
    path = tmp_path / "example.toml"
    path.write_text(block.group(1), encoding="utf-8")
    return path


def test_the_readme_example_is_a_facility(tmp_path: Path) -> None:
    import datetime as dt

    path = _example(tmp_path)
    terms = load_terms(path)
    assert terms.pricing.sessions == 10
    draw = next(limit for limit in terms.limits if limit.key == "draw")
    assert draw.amount == 1_000_000
    later = terms_on(dt.date(2025, 1, 2), terms)
    assert next(limit for limit in later.limits if limit.key == "draw").amount == 1_500_000
    facility = [["facility", str(path)]]
    # Ten XNAS sessions before 2024-07-08: 06-21 .. 07-05, with 06-19 (Juneteenth) and 07-04
    # closed: 06-21, 06-24, 06-25, 06-26, 06-27, 06-28, 07-01, 07-02, 07-03, 07-05.
    dates = udfs.EQL_PRICING_DATES("2024-07-08", facility)
    assert [row[0].date().isoformat() for row in dates] == [
        "2024-06-21",
        "2024-06-24",
        "2024-06-25",
        "2024-06-26",
        "2024-06-27",
        "2024-06-28",
        "2024-07-01",
        "2024-07-02",
        "2024-07-03",
        "2024-07-05",
    ]
    # A funding date after 2024-06-30 without the registration: (a) fails, but the Q3 waiver
    # covers 2024-07-08; on 2024-10-01 it blocks.
    assert udfs.EQL_STATUS("2024-07-08", [["RESALE_S1", None]], facility) == "OK (waived: filing)"
    status = udfs.EQL_STATUS("2024-10-01", [["RESALE_S1", None]], facility)
    assert status.startswith("BLOCKED: (a)"), status
    # 1,000,000 a draw until 2024-12-31, 1,500,000 from 2025-01-01 (the amendment); the
    # quarterly limit of 2,500,000 is below neither.
    assert udfs.EQL_CAP("2024-12-31", None, None, None, facility) == 1_000_000
    assert udfs.EQL_CAP("2025-01-02", None, None, None, facility) == 1_500_000
