"""A quarter's pack: the facility as known on the quarter's last day, the engine's facts about it
computed once, and the sheets written from them in print order (the close history last)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from openpyxl import Workbook

from eql.caps import cap_on, facts_for
from eql.errors import InputError
from eql.facility import Facility
from eql.ledger import ShareInputs
from eql.quarters import FiscalQuarter, fiscal_quarter_from_label
from eql.records import Draw
from eql.terms import Terms
from eql.workbook import style
from eql.workbook.pack.charts import add_charts, chart_data_sheet
from eql.workbook.pack.conditions import conditions_sheet
from eql.workbook.pack.draws import draws_sheet
from eql.workbook.pack.facts import PackFacts, pack_date
from eql.workbook.pack.ledgers import ledger_sheets
from eql.workbook.pack.limits import limits_sheet
from eql.workbook.pack.reference import prices_sheet, terms_sheet
from eql.workbook.pack.share_caps import share_caps_sheet
from eql.workbook.pack.summary import summary_sheet
from eql.workbook.pack.writer import PackWriter
from eql.workbook.properties import stamp
from eql.workbook.template import term_fiscal_quarters


@dataclass(frozen=True)
class Pack:
    """A pack as written: the workbook, and where its check cells are."""

    quarter: FiscalQuarter
    book: Workbook
    checks: tuple[tuple[str, str], ...]  # (sheet, cell) of every check formula


def pack_quarters(terms: Terms) -> list[str]:
    """Every fiscal quarter of the term: ``eql quarter-end --all`` writes one pack for each."""
    return term_fiscal_quarters(terms)


def pack_file_name(label: str) -> str:
    return f"quarter-end-{label.replace(' ', '-')}.xlsx"


def as_of_quarter(facility: Facility, label: str) -> Facility:
    """The facility as known on the quarter's last day: later requests, closes, events dropped."""
    terms = facility.terms
    quarter = fiscal_quarter_from_label(label, "quarter", terms)
    if label not in pack_quarters(terms):
        raise InputError(
            name="quarter",
            problem=f"must be a fiscal quarter of the term ({', '.join(pack_quarters(terms))})",
            value=label,
        )
    end = quarter.end
    return dataclasses.replace(
        facility,
        requests=[r for r in facility.requests if r.date <= end],
        milestones={
            k: (d if d is not None and d <= end else None) for k, d in facility.milestones.items()
        },
        reductions=[r for r in facility.reductions if r.date <= end],
        fees=[f for f in facility.fees if f.requested <= end],
        closes=[(d, c) for d, c in facility.closes if d <= end],
        share_inputs=None
        if facility.share_inputs is None
        else _shares_by(facility.share_inputs, end),
    )


def _shares_by(inputs: ShareInputs, end: dt.date) -> ShareInputs:
    """The share caps' inputs as known on ``end``: later issues and counts dropped."""
    return ShareInputs(
        [issue for issue in inputs.issued if issue.date <= end],
        [count for count in inputs.outstanding if count.date <= end],
        [count for count in inputs.holdings if count.date <= end],
    )


def quarter_pack(
    facility: Facility, label: str, prices_note: str | None = None, *, example: bool = False
) -> Pack:
    """The pack of fiscal quarter ``label`` (``FY2003 Q2``); ``prices_note`` heads the close
    history; ``example`` marks a pack of the built-in example facility as such."""
    known = as_of_quarter(facility, label)
    terms = known.terms
    quarter = fiscal_quarter_from_label(label, "quarter", terms)
    schedule = known.schedule()
    funded = [Draw(row.request.date, row.funded, row.request.row) for row in schedule if row.funded]
    facts = facts_for(funded, known.cash_used, known.reductions, terms, known.prices)
    found = PackFacts(
        known,
        quarter,
        schedule,
        facts,
        cap_on(pack_date(quarter, terms), facts, terms),
        example=example,
    )

    book = stamp(Workbook(), found.name)
    first = book.active
    assert first is not None
    writer = PackWriter(book, found.footer, style.paper_for(terms.currency))
    terms_sheet(writer, found)
    draws_sheet(writer, found)
    limits_layout = limits_sheet(writer, found)
    share_caps_sheet(writer, found)
    conditions_sheet(writer, found)
    ledgers_layout = ledger_sheets(writer, found)
    chart_rows = chart_data_sheet(writer, found)
    prices_sheet(writer, found, prices_note)
    summary_sheet(writer, first, found, limits_layout, ledgers_layout)
    add_charts(first, found, chart_rows)
    for sheet in book.worksheets:
        style.fit_rows(sheet)
    return Pack(quarter, book, tuple(writer.checks))
