"""Quarter-end packs of facilities other than the built-in one, and of the Valence terms with the
waiver applied, recalculated by LibreOffice: every check cell TRUE (the packs' native formulas
agree with the engine) and the values worked by hand."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl

from eql.cli import main
from eql.workbook.pack import CHECK_STYLE, pack_file_name
from libreoffice import recalculate_many

# Berg 2004: bids 3.00 .. 3.40 before 2004-07-12 (mean 3.20), 3.10 .. 3.50 before 07-13 (3.30);
# 3,000,000 / 3.20 = 937,500 and 3,000,000 / 3.30 = 909,090.9, nearest 909,091; the third
# request of 2004-08-16 finds FY2005 Q2's 6,000,000 used.
BERG_PRICES = """date,closing_bid
2004-07-02,3.00
2004-07-06,3.10
2004-07-07,3.20
2004-07-08,3.30
2004-07-09,3.40
2004-07-12,3.50
2004-08-09,2.90
2004-08-10,2.95
2004-08-11,3.00
2004-08-12,3.05
2004-08-13,3.10
"""
BERG_DRAWS = """funding_date,amount,notes
2004-07-12,3000000,first
2004-07-13,3000000,second
2004-08-16,1000000,blocked by the quarter
"""

# Valence with the earnings-call waiver applied: no milestone reached, a draw of 2002-11-15 in
# FY2003 Q3 passes (ii) only by the waiver; 75 % of 4,000,000 cash used allows 3,000,000.
VALENCE_PRICES = """date,close
2002-11-08,1.00
2002-11-11,1.00
2002-11-12,1.00
2002-11-13,1.00
2002-11-14,1.00
"""
VALENCE_DRAWS = """funding_date,amount,notes
2002-11-15,1000000,(ii) waived
"""


def _folder(root: Path, prices: str, draws: str, cash: str) -> Path:
    root.mkdir()
    (root / "prices.csv").write_text(prices, encoding="utf-8")
    (root / "draws.csv").write_text(draws, encoding="utf-8")
    (root / "cash_used.csv").write_text(f"fiscal_quarter,cash_used\n{cash}", encoding="utf-8")
    (root / "milestones.csv").write_text("key,date\n", encoding="utf-8")
    return root


def _failing_checks(written: Path, computed: Path) -> list[tuple[str, str, object]]:
    source = openpyxl.load_workbook(written)
    values = openpyxl.load_workbook(computed, data_only=True)
    checks = [
        (sheet.title, cell.coordinate)
        for sheet in source.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.style == CHECK_STYLE
    ]
    assert checks
    return [
        (sheet, where, values[sheet][where].value)
        for sheet, where in checks
        if values[sheet][where].value is not True
    ]


def test_packs_of_other_facilities_agree_in_libreoffice(tmp_path: Path) -> None:
    berg = _folder(tmp_path / "berg", BERG_PRICES, BERG_DRAWS, "")
    valence = _folder(
        tmp_path / "valence",
        VALENCE_PRICES,
        VALENCE_DRAWS,
        "FY2003 Q1,1000000\nFY2003 Q2,1000000\nFY2003 Q3,4000000\n",
    )
    out = tmp_path / "packs"
    out.mkdir()
    berg_pack = out / "berg.xlsx"
    valence_pack = out / "valence.xlsx"
    assert (
        main(
            [
                *("quarter-end", "--facility", "berg_2004", "--inputs", str(berg)),
                *("--quarter", "FY2005 Q2", "--out", str(berg_pack)),
            ]
        )
        == 0
    )
    assert (
        main(
            [
                *("quarter-end", "--inputs", str(valence)),
                *("--set", "waivers.fy2003_h2.applies=TRUE"),
                *("--quarter", "FY2003 Q3", "--out", str(valence_pack)),
            ]
        )
        == 0
    )
    computed = recalculate_many([berg_pack, valence_pack], tmp_path / "computed")
    assert _failing_checks(berg_pack, computed[0]) == []
    assert _failing_checks(valence_pack, computed[1]) == []

    draws = openpyxl.load_workbook(computed[0], data_only=True)["Draws"]
    rows = [[cell.value for cell in row] for row in draws.iter_rows()]
    shares = [row for row in rows if 937_500 in row or 909_091 in row]
    assert len(shares) == 2
    statuses = [v for row in rows for v in row if isinstance(v, str) and "BLOCKED" in v]
    assert any("fiscal-quarter limit exceeded" in status for status in statuses)

    valence_book = openpyxl.load_workbook(computed[1], data_only=True)
    status = [v for row in valence_book["Draws"].iter_rows(values_only=True) for v in row if v]
    assert "OK (waived: ii)" in status
    conditions = [
        row for row in valence_book["Conditions"].iter_rows(values_only=True) if row[0] == "(ii)"
    ]
    assert conditions[0][3] == "waived"
    terms = {
        str(row[0]): str(row[1])
        for row in valence_book["Terms"].iter_rows(values_only=True)
        if row[0]
    }
    assert "Waiver for 2002-10-01 .. 2003-03-31" in terms
    assert pack_file_name("FY2003 Q3")


# Lincoln Park shape: closes of lincoln_park.csv for 2024-07-15, the 3 lowest 1.10, 1.12, 1.15
# (mean 1.1233...), below the day's low 1.16; 100,000 / (337/300) = 89,020.77, rounded down 89,020.
LINCOLN_PRICES = """date,close,low
2024-06-28,1.20
2024-07-01,1.15
2024-07-02,1.22
2024-07-03,1.18
2024-07-05,1.10
2024-07-08,1.25
2024-07-09,1.30
2024-07-10,1.12
2024-07-11,1.28
2024-07-12,1.19
2024-07-15,1.21,1.16
"""
# Yorkville shape: VWAPs of the 3 sessions after the notice of 2024-07-03 (07-05, 07-08, 07-09),
# lowest 2.04, price 0.97 x 2.04 = 1.9788; 100,000 / 1.9788 = 50,535.68, rounded down 50,535.
# The advance limit by traded value reads the VWAP and volume of the 5 sessions before the notice
# (06-26 .. 07-02: 2.00 x 100,000 each, 1 x 200,000 allows the 100,000) and, for the Limits
# sheet, before the quarter's last day (09-23 .. 09-27: 2.50 x 80,000 each, 200,000).
YORKVILLE_PRICES = """date,vwap,volume
2024-06-26,2.00,100000
2024-06-27,2.00,100000
2024-06-28,2.00,100000
2024-07-01,2.00,100000
2024-07-02,2.00,100000
2024-07-05,2.10,100000
2024-07-08,2.04,100000
2024-07-09,2.07,100000
2024-09-23,2.50,80000
2024-09-24,2.50,80000
2024-09-25,2.50,80000
2024-09-26,2.50,80000
2024-09-27,2.50,80000
"""
ONE_DRAW = "funding_date,amount,notes\n{day},100000,one\n"


def test_packs_of_the_new_pricing_rules_agree_in_libreoffice(tmp_path: Path) -> None:
    lincoln = _folder(tmp_path / "lincoln", LINCOLN_PRICES, ONE_DRAW.format(day="2024-07-15"), "")
    yorkville = _folder(
        tmp_path / "yorkville", YORKVILLE_PRICES, ONE_DRAW.format(day="2024-07-03"), ""
    )
    out = tmp_path / "packs"
    out.mkdir()
    written = []
    for name, inputs in (("lincoln_park", lincoln), ("yorkville_sepa", yorkville)):
        path = out / f"{name}.xlsx"
        arguments = ["quarter-end", "--facility", name, "--inputs", str(inputs)]
        assert main([*arguments, "--quarter", "FY2024 Q3", "--out", str(path)]) == 0
        written.append(path)
    computed = recalculate_many(written, tmp_path / "computed")
    for path, result in zip(written, computed, strict=True):
        assert _failing_checks(path, result) == []
    lincoln_draws = openpyxl.load_workbook(computed[0], data_only=True)["Draws"]
    assert 89_020 in [v for row in lincoln_draws.iter_rows(values_only=True) for v in row]
    yorkville_draws = openpyxl.load_workbook(computed[1], data_only=True)["Draws"]
    values = [v for row in yorkville_draws.iter_rows(values_only=True) for v in row]
    assert 50_535 in values
    assert 1.9788 in values
    # Its advance limit is 1 x the mean daily traded value of the 5 sessions before the quarter's
    # last day (2.50 x 80,000 = 200,000 each): the Limits sheet names its factor columns so.
    limits = openpyxl.load_workbook(computed[1], data_only=True)["Limits"]
    rows = list(limits.iter_rows(values_only=True))
    heading = next(row for row in rows if row[0] == "Limit")
    assert heading[7:9] == ("Multiple", "Mean daily traded value")
    advance = [row for row in rows if row[7:9] == (1, 200_000)]
    assert [row[3] for row in advance] == [200_000], rows  # allowed: 1 x 200,000


# Accelerated purchases of the Lincoln Park-style facility (purchases.kind = accelerated): each
# priced at 0.97 x the lesser of the VWAP and the close of the session after the purchase date,
# at most the lesser of 3 x the regular limit at the purchase date's close (100,000 below 3.00)
# and 0.30 of that session's volume. 2024-07-08: min(1.28, 1.30) x 0.97 = 1.2416, 372,480 /
# 1.2416 = 300,000, exactly 3 x 100,000 (0.30 x 1,200,000 = 360,000). 2024-07-10: min(1.06,
# 1.10) x 0.97 = 1.0282, 100,000 / 1.0282 = 97,257.34, down to 97,257; at most min(300,000,
# 0.30 x 900,000 = 270,000) = 270,000.
ACCELERATED_PRICES = """date,close,low,vwap,volume
2024-07-08,1.24,1.22,1.23,500000
2024-07-09,1.30,1.25,1.28,1200000
2024-07-10,1.20,1.18,1.19,900000
2024-07-11,1.10,1.05,1.06,900000
"""
ACCELERATED_DRAWS = """funding_date,amount,notes
2024-07-08,372480,exactly the most
2024-07-10,100000,priced at the VWAP
"""


def test_a_pack_of_accelerated_purchases_agrees_in_libreoffice(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "accelerated", ACCELERATED_PRICES, ACCELERATED_DRAWS, "")
    pack = tmp_path / "pack.xlsx"
    arguments = ["quarter-end", "--facility", "lincoln_park", "--inputs", str(folder)]
    arguments += ["--set", "purchases.kind=accelerated", "--quarter", "FY2024 Q3"]
    assert main([*arguments, "--out", str(pack)]) == 0
    book = openpyxl.load_workbook(pack)
    draws = book["Draws"]
    heading = {cell.value: cell.column for cell in draws[4] if cell.value}
    assert {"VWAP 1", "Close 1", "Volume 1", "Most shares a purchase may be"} <= set(heading)
    # A wrong volume in the prices, and a wrong most on the Draws sheet, each in a copy.
    volume = book["Prices"]
    wrong_volume = tmp_path / "wrong-volume.xlsx"
    volume_column = next(c.column for c in volume[4] if c.value == "Volume")
    volume.cell(8, volume_column).value = 1_000_000  # 2024-07-11, the fourth day
    book.save(wrong_volume)
    book = openpyxl.load_workbook(pack)
    book["Draws"].cell(6, heading["Most shares a purchase may be"]).value = 300_000
    wrong_most = tmp_path / "wrong-most.xlsx"
    book.save(wrong_most)
    computed = recalculate_many([pack, wrong_volume, wrong_most], tmp_path / "computed")
    assert _failing_checks(pack, computed[0]) == []
    values = openpyxl.load_workbook(computed[0], data_only=True)["Draws"]
    rows = [[values.cell(r, heading[h]).value for h in ("Price", "Shares")] for r in (5, 6)]
    assert rows == [[1.2416, 300_000], [1.0282, 97_257]]
    assert values.cell(6, heading["Most shares a purchase may be"]).value == 270_000
    check = {c.value: c.column_letter for c in draws[4] if c.value}
    assert ("Draws", f"{check['Check: volumes']}6", False) in _failing_checks(pack, computed[1])
    assert _failing_checks(pack, computed[2]) == [
        ("Draws", f"{check['Check: share limit']}6", False)
    ]


# The Lincoln Park-style term ends on 2027-06-02 (term_end in lincoln_park.toml), inside fiscal
# quarter FY2027 Q2 (April .. June 2027, the fiscal year being the calendar year). The pack of that
# quarter states the facility as of the term's last day, when the limits still have room: the
# commitment of 10,000,000 less the one draw of 100,000 of 2024-07-15 leaves 9,900,000.
def test_the_pack_of_the_quarter_the_term_ends_in_is_as_of_the_terms_last_day(
    tmp_path: Path,
) -> None:
    lincoln = _folder(tmp_path / "lincoln", LINCOLN_PRICES, ONE_DRAW.format(day="2024-07-15"), "")
    pack = tmp_path / "last.xlsx"
    arguments = ["quarter-end", "--facility", "lincoln_park", "--inputs", str(lincoln)]
    assert main([*arguments, "--quarter", "FY2027 Q2", "--out", str(pack)]) == 0
    computed = recalculate_many([pack], tmp_path / "computed")[0]
    assert _failing_checks(pack, computed) == []
    limits = openpyxl.load_workbook(computed, data_only=True)["Limits"]
    cells = [v for row in limits.iter_rows(values_only=True) for v in row if v is not None]
    assert "Limits on 2027-06-02" in cells
    assert "Cap on 2027-06-02" in cells
    assert 9_900_000 in cells


def _funding_chart(pack: Path) -> tuple[str, list[object]]:
    """The funding chart's XML and the Chart data sheet's header (row 4)."""
    with zipfile.ZipFile(pack) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        xml = archive.read(charts[0]).decode()
    data = openpyxl.load_workbook(pack)["Chart data"]
    return xml, [cell.value for cell in data[4] if cell.value is not None][:4]


def test_the_funding_chart_names_the_limits_the_terms_have(tmp_path: Path) -> None:
    # Each agreement's limits on the amount funded, typed from it: Valence's term sheet, a total
    # commitment and a limit per term quarter; Berg 2004, "$20 million ... $6 million per fiscal
    # quarter"; the Lincoln Park shape, a total commitment and no quarter limit at all.
    lincoln = _folder(tmp_path / "lincoln", LINCOLN_PRICES, ONE_DRAW.format(day="2024-07-15"), "")
    berg = _folder(tmp_path / "berg", BERG_PRICES, BERG_DRAWS, "")
    cases = [
        (
            ["--facility", "lincoln_park", "--inputs", str(lincoln), "--quarter", "FY2024 Q3"],
            "Cumulative funding against the total commitment<",
            ["Date", "Funded to date", "Commitment less reductions", "Purchase date"],
        ),
        (
            ["--facility", "berg_2004", "--inputs", str(berg), "--quarter", "FY2005 Q2"],
            "Cumulative funding against the total commitment and the fiscal-quarter limit<",
            [
                "Date",
                "Funded to date",
                "Commitment less reductions",
                "Fiscal-quarter limit, cumulative",
            ],
        ),
        (
            ["--example", "--quarter", "FY2003 Q3"],
            "Cumulative funding against the total commitment and the term-quarter limit<",
            [
                "Date",
                "Funded to date",
                "Commitment less reductions",
                "Term-quarter limit, cumulative",
            ],
        ),
    ]
    for number, (arguments, title, header) in enumerate(cases):
        pack = tmp_path / f"pack{number}.xlsx"
        assert main(["quarter-end", *arguments, "--out", str(pack)]) == 0
        xml, found = _funding_chart(pack)
        assert title in xml
        assert "quarter limit" not in xml or "quarter limit" in title
        assert found == header


def test_a_fiscal_quarter_limit_steps_up_at_each_fiscal_quarter(tmp_path: Path) -> None:
    # Berg 2004's "$6 million per fiscal quarter" (Valence's fiscal year ends March 31), with
    # the term moved to start on 2004-08-16, inside FY2005 Q2 (2004-07-01 .. 09-30): that
    # quarter allows 6,000,000 from the term's start, and FY2005 Q3 another 6,000,000 from
    # 2004-10-01, so 12,000,000 in all from then, not from the start of a second term quarter
    # (2004-11-16).
    draws = "funding_date,amount,notes\n2004-08-16,1000000,one\n"
    berg = _folder(tmp_path / "berg", BERG_PRICES, draws, "")
    pack = tmp_path / "berg.xlsx"
    arguments = ["quarter-end", "--facility", "berg_2004", "--inputs", str(berg)]
    arguments += ["--set", "facility.term_start=2004-08-16", "--quarter", "FY2005 Q3"]
    assert main([*arguments, "--out", str(pack)]) == 0
    data = openpyxl.load_workbook(pack)["Chart data"]
    assert data.cell(4, 4).value == "Fiscal-quarter limit, cumulative"
    line = {
        data.cell(row, 1).value.date(): data.cell(row, 4).value
        for row in range(5, data.max_row + 1)
        if data.cell(row, 1).value is not None
    }
    assert line[dt.date(2004, 8, 16)] == 6_000_000
    assert line[dt.date(2004, 9, 30)] == 6_000_000
    assert line[dt.date(2004, 10, 1)] == 12_000_000
    assert line[dt.date(2004, 12, 31)] == 12_000_000
    assert dt.date(2004, 11, 16) not in line  # no step at a term quarter's start


def test_the_price_chart_shows_a_purchase_priced_after_its_date(tmp_path: Path) -> None:
    # The SEPA-shape file written from the README prices an advance on the 3 sessions after its
    # notice: the advance of 2025-04-07 (tests/resources/outsider/sepa_shape/draws.csv) is priced
    # on 04-08 .. 04-10, and the prices begin on 04-08. The price chart's date axis starts at the
    # notice so its mark is on the chart; the title names the VWAPs the rule reads, as written.
    outsider = Path(__file__).parent / "resources" / "outsider"
    pack = tmp_path / "pack.xlsx"
    arguments = ["quarter-end", "--inputs", str(outsider / "sepa_shape")]
    arguments += ["--terms", str(outsider / "sepa_shape.toml"), "--quarter", "FY2025 Q2"]
    assert main([*arguments, "--out", str(pack)]) == 0
    with zipfile.ZipFile(pack) as archive:
        charts = [
            archive.read(name).decode()
            for name in sorted(archive.namelist())
            if "charts/chart" in name
        ]
    prices = next(chart for chart in charts if "purchase prices of the draws" in chart)
    assert "Daily VWAPs and the purchase prices of the draws" in prices
    serial = (dt.date(2025, 4, 7) - dt.date(1899, 12, 30)).days  # the spreadsheet date serial
    assert f'<min val="{serial}"' in prices.replace("c:min", "min")
