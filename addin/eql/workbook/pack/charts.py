"""The Summary's two charts, and the Chart data sheet they draw: cumulative funding against the
limits the terms have of the commitment and the quarter limit; the daily prices, with the price of
each draw that bought shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RichTextProperties,
)
from openpyxl.worksheet.worksheet import Worksheet

from eql.caps import PERIODS
from eql.terms import Limit, Terms
from eql.values import to_serial
from eql.vocabulary import LimitKind, Period
from eql.workbook import style
from eql.workbook.pack.facts import PackFacts
from eql.workbook.pack.reference import PRICES_SHEET
from eql.workbook.pack.writer import HEADER, PackWriter
from eql.workbook.price_columns import series_words

CHART_DATA = "Chart data"
LINE_COLOURS = ("1F4E79", "C00000", "7F7F7F")
PRICE_COLOUR = "C00000"
# The purchases table sits to the right of the funding series on the Chart data sheet.
PURCHASES_COLUMN = 6


@dataclass(frozen=True)
class _Line:
    """One line of the funding chart: its name on the Chart data sheet and its value on a day."""

    name: str
    value: Callable[[dt.date], Decimal | None]
    steps: tuple[dt.date, ...] = ()  # the days it steps up on besides the ledger's own dates


def _funding_lines(found: PackFacts) -> tuple[list[_Line], list[Limit]]:
    """The funding chart's lines after the amount funded: one for each limit of the terms it is
    drawn against (the commitment less reductions; a limit per quarter, cumulative), and those
    limits. A facility without a limit per quarter draws no quarter line and names none."""
    terms = found.terms
    lines: list[_Line] = []
    against: list[Limit] = []
    commitment = found.limit(LimitKind.COMMITMENT)
    if commitment is not None:
        lines.append(_Line("Commitment less reductions", found.commitment_less_reductions))
        against.append(commitment)
    quarter_limit = found.limit(LimitKind.PER_PERIOD)
    if quarter_limit is not None and quarter_limit.amount is not None:
        per_quarter = quarter_limit.amount
        starts = _period_starts(quarter_limit, terms, found.as_of)

        def cumulative(day: dt.date) -> Decimal:
            return per_quarter * sum(1 for start in starts if start <= day)

        lines.append(
            _Line(
                f"{quarter_limit.label[:1].upper()}{quarter_limit.label[1:]}, cumulative",
                cumulative,
                starts,
            )
        )
        against.append(quarter_limit)
    return lines, against


def _period_starts(limit: Limit, terms: Terms, last: dt.date) -> tuple[dt.date, ...]:
    """The first day within the term of each period a limit per period counts over (a term
    quarter, or a fiscal quarter: the term's start in the one it begins in), to ``last``."""
    starts: list[dt.date] = []
    day = terms.term_start
    while day <= min(last, terms.term_end):
        starts.append(day)
        _, end, _ = PERIODS[Period(limit.period)](day, terms)
        day = end + dt.timedelta(days=1)
    return tuple(starts)


def funding_title(found: PackFacts) -> str:
    """The funding chart's title, naming the limits the terms have: ``Cumulative funding against
    the total commitment and the term-quarter limit``; ``... against the total commitment``."""
    _, against = _funding_lines(found)
    if not against:
        return "Cumulative funding"
    return "Cumulative funding against " + " and ".join(f"the {limit.label}" for limit in against)


def chart_data_sheet(writer: PackWriter, found: PackFacts) -> tuple[int, int]:
    """The series of both charts; the first and last rows of the funding series."""
    terms, as_of = found.terms, found.as_of
    sheet = writer.sheet(
        CHART_DATA, "Chart data", "The series the Summary's charts draw.", landscape=False
    )
    lines, _ = _funding_lines(found)
    writer.header(sheet, HEADER, ["Date", "Funded to date", *(line.name for line in lines)])
    days = {terms.term_start, as_of}
    days.update(d.date for d in found.facts.funded)
    days.update(r.reduction.date for r in found.facts.reductions)
    days.update(step for line in lines for step in line.steps)
    # The day before each change too, so the lines step rather than slope between changes.
    days.update(d - dt.timedelta(days=1) for d in list(days) if d > terms.term_start)
    row = HEADER
    for day in sorted(d for d in days if d <= as_of):
        row += 1
        writer.put(sheet, row, 1, day)
        writer.put(sheet, row, 2, found.facts.funded.through(day), style.MONEY)
        for column, line in enumerate(lines, start=3):
            writer.put(sheet, row, column, line.value(day), style.MONEY)
    _purchases(writer, sheet, found)
    style.widths(sheet, {"A": 11, "B": 14, "C": 16, "D": 16, "E": 3, "F": 11, "G": 14})
    return HEADER + 1, row


def _purchases(writer: PackWriter, sheet: Worksheet, found: PackFacts) -> None:
    """The date and price of every request that bought shares: the price chart's marks."""
    for column, name in enumerate(("Purchase date", "Purchase price"), start=PURCHASES_COLUMN):
        writer.put(sheet, HEADER, column, name)
        sheet.cell(HEADER, column).font = style.BOLD
        sheet.cell(HEADER, column).alignment = style.WRAP
    row = HEADER
    for item in found.schedule:
        if item.shares and item.quote is not None:
            row += 1
            writer.put(sheet, row, PURCHASES_COLUMN, item.request.date)
            writer.put(sheet, row, PURCHASES_COLUMN + 1, item.quote.price, style.PRICE)


def add_charts(summary: Worksheet, found: PackFacts, funding_rows: tuple[int, int]) -> None:
    book = summary.parent
    summary.add_chart(_funding_chart(book[CHART_DATA], found, funding_rows), "E4")
    summary.add_chart(_prices_chart(book[PRICES_SHEET], book[CHART_DATA], found), "E26")


# A text rotation in a chart is counted in 60,000ths of a degree, clockwise negative.
DATE_LABEL_ROTATION = -45 * 60_000


def _chart(title: str, y_title: str, y_format: str) -> ScatterChart:
    chart = ScatterChart()
    chart.title = title
    chart.style = 13
    chart.x_axis.number_format = style.DATE
    # Dates written across would run into each other: they are set at 45 degrees.
    chart.x_axis.txPr = RichText(
        bodyPr=RichTextProperties(rot=DATE_LABEL_ROTATION, vert="horz"),
        p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties()), endParaRPr=None)],
    )
    chart.y_axis.number_format = y_format
    chart.y_axis.title = y_title
    # openpyxl 3.1 marks axes deleted unless told otherwise; LibreOffice and Excel then hide them.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.width, chart.height = 22, 10
    return chart


def _line(values: Reference, x_values: Reference, colour: str) -> Series:
    series = Series(values, x_values, title_from_data=True)
    series.marker.symbol = "none"
    series.smooth = False  # a ledger moves in steps; openpyxl smooths scatter lines by default
    series.graphicalProperties.line.solidFill = colour
    series.graphicalProperties.line.width = 28575  # 2.25 pt, in EMU
    return series


def _funding_chart(data: Worksheet, found: PackFacts, rows: tuple[int, int]) -> ScatterChart:
    first, last = rows
    chart = _chart(
        funding_title(found),
        found.terms.currency,
        style.WHOLE,
    )
    chart.x_axis.scaling.min = to_serial(found.terms.term_start)
    x_values = Reference(data, min_col=1, min_row=first, max_row=last)
    for column in range(2, 5):
        if data.cell(HEADER, column).value is None:
            continue
        values = Reference(data, min_col=column, min_row=first - 1, max_row=last)
        chart.series.append(_line(values, x_values, LINE_COLOURS[(column - 2) % len(LINE_COLOURS)]))
    return chart


def _prices_chart(prices: Worksheet, data: Worksheet, found: PackFacts) -> ScatterChart:
    chart = _chart(
        f"{_sentence(series_words(found.terms))} and the purchase prices of the draws",
        f"{found.terms.currency} per share",
        "0.00",
    )
    closes = found.facility.closes
    if closes:
        last = HEADER + len(closes)
        values = Reference(prices, min_col=2, min_row=HEADER, max_row=last)
        x_values = Reference(prices, min_col=1, min_row=HEADER + 1, max_row=last)
        chart.series.append(_line(values, x_values, LINE_COLOURS[0]))
    purchases = [
        item.request.date for item in found.schedule if item.shares and item.quote is not None
    ]
    # The axis starts at the first price or the first purchase, whichever is earlier: a purchase
    # priced on the sessions after its date may come before every price the pack holds.
    starts = [day for day, *_ in closes[:1]] + purchases[:1]
    if starts:
        chart.x_axis.scaling.min = to_serial(min(starts))
    bought = len(purchases)
    if bought:
        last = HEADER + bought
        series = Series(
            Reference(data, min_col=PURCHASES_COLUMN + 1, min_row=HEADER, max_row=last),
            Reference(data, min_col=PURCHASES_COLUMN, min_row=HEADER + 1, max_row=last),
            title_from_data=True,
        )
        series.marker.symbol = "diamond"
        series.marker.size = 9
        series.marker.graphicalProperties = GraphicalProperties(solidFill=PRICE_COLOUR)
        series.marker.graphicalProperties.line.solidFill = PRICE_COLOUR
        series.graphicalProperties.line.noFill = True
        chart.series.append(series)
    return chart


def _sentence(words: str) -> str:
    """``words`` starting a title: the first letter capital, the rest as written (VWAPs)."""
    return words[:1].upper() + words[1:]
