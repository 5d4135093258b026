"""The Conditions sheet: the milestones reached by the quarter's last day, and each condition's
status on that day with a check that recomputes it from the milestone dates."""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.formatting.rule import CellIsRule

from eql.amendments import terms_on
from eql.conditions import failures, standing
from eql.terms import Condition, Terms
from eql.vocabulary import ConditionKind, registry
from eql.workbook import style
from eql.workbook.pack.facts import PackFacts
from eql.workbook.pack.writer import HEADER, PackWriter, red_when_false


def _milestones(
    condition: Condition, _terms: Terms, where: Mapping[str, str], status: str
) -> tuple[str, str]:
    assert condition.after is not None
    after = condition.after
    reached = ",".join(f"ISNUMBER({where[k]}),{where[k]}<=AsOf" for k in condition.requires)
    day = f"DATE({after.year},{after.month},{after.day})"
    deadline = f"for funding after {after}: {', '.join(condition.requires)}"
    formula = f'=IF(AND({reached}),"met",IF(AsOf<={day},"not yet required","FAILS"))={status}'
    return deadline, formula


def _no_event(
    condition: Condition, terms: Terms, where: Mapping[str, str], status: str
) -> tuple[str, str]:
    assert condition.event is not None
    event = where[condition.event]
    deadline = f"throughout the term: no {condition.event} after {terms.term_sheet_date}"
    formula = (
        f'=IF(AND(ISNUMBER({event}),{event}>TermSheetDate,{event}<=AsOf),"FAILS","met")={status}'
    )
    return deadline, formula


# Each kind of condition: what its deadline says, and its status recomputed from the milestone
# dates (``where``: each milestone key's date cell) against the status cell.
STATUS_CHECKS = registry(
    ConditionKind,
    {ConditionKind.MILESTONES: _milestones, ConditionKind.NO_EVENT: _no_event},
    "pack Conditions sheet status checks",
)


def conditions_sheet(writer: PackWriter, found: PackFacts) -> None:
    terms, as_of, milestones = found.terms, found.as_of, found.facility.milestones
    sheet = writer.sheet(
        "Conditions",
        f"Conditions to funding on {as_of}",
        "Each condition's status on the quarter's last day. Milestones dated after it are not "
        "shown.",
    )
    in_force = terms_on(as_of, terms).conditions
    if not terms.milestones and not in_force:
        # Empty tables under their headings would read as conditions left out of the pack.
        writer.put(sheet, HEADER, 1, "These terms name no condition to funding and no milestone.")
        style.widths(sheet, {"A": 13})
        return
    writer.header(sheet, HEADER, ("Milestone", "Date reached", "What it means"))
    where: dict[str, str] = {}
    for offset, (key, text) in enumerate(terms.milestones, start=1):
        row = HEADER + offset
        writer.put(sheet, row, 1, key)
        writer.put(sheet, row, 2, milestones.get(key), style.DATE)
        writer.put(sheet, row, 3, text)
        sheet.cell(row, 3).alignment = style.WRAP
        where[key] = f"$B${row}"
    top = HEADER + len(terms.milestones) + 3
    writer.header(
        sheet, top, ("Clause", "Condition", "Deadline", "Status", "Reason", "Check: status")
    )
    failing = {failure.clause: failure for failure in failures(as_of, milestones, terms)}
    # The conditions as amended by the quarter's last day (eql.amendments).
    for offset, condition in enumerate(in_force, start=1):
        row = top + offset
        failure = failing.get(condition.clause)
        status = standing(condition, as_of, milestones, terms)
        # A waived condition fails as recomputed; its status says it is waived.
        shown = f'IF(D{row}="waived","FAILS",D{row})' if status == "waived" else f"D{row}"
        deadline, formula = STATUS_CHECKS[ConditionKind(condition.kind)](
            condition, terms, where, shown
        )
        for column, value in (
            (1, condition.clause),
            (2, condition.text),
            (3, deadline),
            (4, status),
            (5, failure.reason if failure else ""),
        ):
            writer.put(sheet, row, column, value)
            sheet.cell(row, column).alignment = style.WRAP
        writer.check(sheet, row, 6, formula)
    last = top + len(terms.conditions)
    if terms.conditions:  # a facility may name no condition to funding
        red_when_false(sheet, f"F{top + 1}:F{last}")
        sheet.conditional_formatting.add(
            f"D{top + 1}:D{last}",
            CellIsRule(operator="equal", formula=['"FAILS"'], fill=style.RED_FILL),
        )
    style.widths(sheet, {"A": 13, "B": 36, "C": 40, "D": 16, "E": 40, "F": 9})
