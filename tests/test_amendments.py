"""Amendments and waivers as dated data of the terms: the built-in Valence terms carry the
definitive agreement's move of condition (iii) (Berg's Schedule 13D of 2002-09-30) and the waiver
of FY2003 Q3-Q4 (notes of the earnings call of 2002-11-13, set aside unless applied). Expected
values are worked by hand from those sources and the term sheet; answers per funding date are in
tests/resources/conditions.csv and checks.csv (the ``terms`` column)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from eql import udfs
from eql.amendments import amendments_by, terms_on, waivers_on
from eql.conditions import standing
from eql.errors import TermsError
from eql.terms import default_terms, load_terms

D = dt.date
WAIVER_ON = [["waivers.fy2003_h2.applies", "TRUE"]]


def _condition(terms: Any, key: str) -> Any:
    return next(c for c in terms.conditions if c.key == key)


def test_the_license_condition_moves_on_the_amendments_date() -> None:
    terms = default_terms()
    # The term sheet: (iii) for funding after the third fiscal quarter 2003, 2002-12-31.
    assert _condition(terms_on(D(2002, 9, 29), terms), "iii").after == D(2002, 12, 31)
    # The definitive agreement, effective (read) on the 13D's date: after 2003-12-31.
    assert _condition(terms_on(D(2002, 9, 30), terms), "iii").after == D(2003, 12, 31)
    assert _condition(terms_on(D(2004, 3, 31), terms), "iii").after == D(2003, 12, 31)
    assert [a.key for a in amendments_by(D(2003, 1, 1), terms)] == ["definitive_agreement"]
    assert amendments_by(D(2002, 9, 29), terms) == ()


def test_an_amendment_set_aside_leaves_the_term_sheet() -> None:
    terms = default_terms().with_overrides([("amendments.definitive_agreement.applies", "FALSE")])
    assert _condition(terms_on(D(2003, 6, 1), terms), "iii").after == D(2002, 12, 31)


def test_the_waiver_is_recorded_but_set_aside_by_default() -> None:
    terms = default_terms()
    assert waivers_on(D(2002, 11, 15), terms) == ()
    waived = terms.with_overrides(WAIVER_ON)
    (waiver,) = waivers_on(D(2002, 11, 15), waived)
    assert waiver.conditions == ("ii", "iii", "iv", "vi")  # every condition but (i); (v) is a limit
    assert (waiver.start, waiver.end) == (D(2002, 10, 1), D(2003, 3, 31))
    assert "unofficial" in waiver.source
    assert waivers_on(D(2002, 9, 30), waived) == ()
    assert waivers_on(D(2003, 4, 1), waived) == ()


def test_the_pack_standing_of_a_waived_condition() -> None:
    terms = default_terms().with_overrides(WAIVER_ON)
    ii = _condition(terms, "ii")
    assert standing(ii, D(2002, 11, 15), {}, terms) == "waived"
    assert standing(ii, D(2003, 4, 1), {}, terms) == "FAILS"
    # (iii) on 2003-06-01 without a license: not yet required under the amendment.
    assert standing(_condition(terms, "iii"), D(2003, 6, 1), {}, terms) == "not yet required"


# The reported draw of 2002-12-02 (tests/resources/valence_draws.csv): purchase date 2002-11-29,
# closes in whole cents for the average 1.334, price 1.1339, 4,409,560 shares. Cash used in FY2003
# Q3 of 7,000,000 (assumed) allows 75 % = 5,250,000; term quarter 3 allows 5,000,000.
PRICES = [
    ["Date", "Close"],
    *[
        [f"2002-11-{day}", close]
        for day, close in zip((21, 22, 25, 26, 27), (1.30, 1.32, 1.34, 1.35, 1.36), strict=True)
    ],
]
CASH = [["FY2003 Q3", 7_000_000]]
NO_MILESTONES = [["POLYMER_265", None]]


def test_the_second_reported_draw_funds_only_with_the_waiver() -> None:
    draws = [["2002-11-29", 5_000_000]]
    waived = udfs.EQL_SCHEDULE(draws, PRICES, CASH, NO_MILESTONES, None, WAIVER_ON)
    assert isinstance(waived, list), waived
    row = dict(zip(waived[0], waived[1], strict=True))
    assert row["status"] == "OK (waived: ii)"
    assert (row["amount funded"], row["shares"], row["price"]) == (5_000_000, 4_409_560, 1.1339)
    plain = udfs.EQL_SCHEDULE(draws, PRICES, CASH, NO_MILESTONES)
    assert isinstance(plain, list), plain
    row = dict(zip(plain[0], plain[1], strict=True))
    assert row["status"].startswith("BLOCKED: (ii)"), row["status"]
    assert row["amount funded"] == 0
    check = udfs.EQL_CHECK("2002-11-29", 5_000_000, None, CASH, NO_MILESTONES, None, WAIVER_ON)
    assert check == "OK (waived: ii)"


def _terms_file(tmp_path: Path, extra: str) -> Path:
    text = (Path(udfs.__file__).parent / "data" / "valence_2002.toml").read_text(encoding="utf-8")
    path = tmp_path / "terms.toml"
    path.write_text(text + "\n" + extra, encoding="utf-8")
    return path


def test_a_pricing_amendment_prices_from_its_date(tmp_path: Path) -> None:
    # A factor of 0.80 from 2002-04-02: the 2002-04-01 purchase keeps 85 % (0.85 x 2.45 =
    # 2.0825), the 2002-04-02 purchase takes 80 % (0.80 x 2.50 = 2.00); closes of pricing.csv.
    from eql.price_history import PriceHistory
    from eql.pricing import quote

    terms = load_terms(
        _terms_file(
            tmp_path,
            '[amendments.factor]\neffective = 2002-04-02\nsource = "a test"\n'
            '[amendments.factor.set]\n"pricing.factor" = 0.80\n',
        )
    )
    rows = [
        [D(2002, 3, 22), "2.30"],
        [D(2002, 3, 25), "2.40"],
        [D(2002, 3, 26), "2.50"],
        [D(2002, 3, 27), "2.60"],
        [D(2002, 3, 28), "2.45"],
        [D(2002, 4, 1), "2.55"],
    ]
    positions = {row[0]: [index] for index, row in enumerate(rows)}
    history = PriceHistory(rows, positions)
    assert quote(D(2002, 4, 1), history, terms).price == Decimal("2.0825")
    assert quote(D(2002, 4, 2), history, terms).price == Decimal("2.00")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '[waivers.w]\nconditions = ["v"]\nfrom = 2002-10-01\nto = 2002-12-31\nsource = "s"\n',
            "waivers.w.conditions names 'v', not a condition of the terms (i, ii, iii, iv, vi)",
        ),
        (
            '[waivers.w]\nconditions = ["ii"]\nfrom = 2002-12-31\nto = 2002-10-01\nsource = "s"\n',
            "waivers.w.to (2002-10-01) is before waivers.w.from (2002-12-31); it must be on or after it",
        ),
        (
            '[waivers.w]\nconditions = ["ii"]\nfrom = 2002-10-01\nsource = "s"\n',
            "waivers.w.to is missing",
        ),
        (
            '[amendments.a]\neffective = 2003-01-01\nsource = "s"\n'
            '[amendments.a.set]\n"pricing.facter" = 0.8\n',
            "amendments.a.set names unknown term 'pricing.facter'; did you mean 'pricing.factor'?",
        ),
        (
            '[amendments.a]\neffective = 2003-01-01\nsource = "s"\n'
            '[amendments.a.set]\n"waivers.fy2003_h2.applies" = true\n',
            "amendments.a.set names unknown term 'waivers.fy2003_h2.applies'",
        ),
        (
            '[amendments.a]\neffective = 2003-01-01\nsource = "s"\n[amendments.a.set]\n',
            "amendments.a.set changes no term",
        ),
        (
            '[amendments.a]\neffective = 2003-01-01\nsource = "s"\n'
            '[amendments.a.set]\n"pricing.factor" = "high"\n',
            "term pricing.factor",
        ),
    ],
)
def test_a_waiver_or_amendment_that_makes_no_sense_is_refused(
    tmp_path: Path, extra: str, message: str
) -> None:
    with pytest.raises(TermsError) as refused:
        load_terms(_terms_file(tmp_path, extra))
    assert message in str(refused.value)


def test_the_pack_lists_the_amendments_and_waivers_in_force() -> None:
    from eql.example import example_folder
    from eql.facility import load_folder
    from eql.workbook.pack import quarter_pack

    facility = load_folder(example_folder(), default_terms().with_overrides(WAIVER_ON))
    rows = {
        str(row[0].value): str(row[1].value)
        for row in quarter_pack(facility, "FY2003 Q3").book["Terms"].iter_rows()
        if row[0].value is not None and len(row) > 1
    }
    assert rows["Amendment in force from 2002-09-30"].startswith(
        "conditions.iii.after = 2003-12-31 (Berg & Berg Schedule 13D of 2002-09-30"
    )
    assert rows["Waiver for 2002-10-01 .. 2003-03-31"].startswith(
        "conditions ii, iii, iv, vi waived for funding 2002-10-01 .. 2003-03-31"
    )
    # FY2003 Q2 (to 2002-09-30): the amendment is in force on its last day, no waiver yet.
    earlier = quarter_pack(facility, "FY2003 Q2").book["Terms"]
    labels = [str(row[0].value) for row in earlier.iter_rows()]
    assert "Amendment in force from 2002-09-30" in labels
    assert not any(label.startswith("Waiver") for label in labels)
