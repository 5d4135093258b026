"""The annotated copy of a checked ledger: the user's values untouched, each difference's cell
highlighted, and a new sheet listing every finding.

openpyxl drops or alters parts it does not model (charts, images, pivot tables, and VBA unless
kept), so a copy of a workbook holding any is written only when the user allows the loss, and
the new sheet then says at its top what the copy lacks. The input itself is never written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink

from eql.check.recompute import Finding
from eql.check.workbook import Checked
from eql.errors import EqlError
from eql.money import counted
from eql.safeio import check_target, write_atomically
from eql.untrusted import Opened, lost_parts, open_workbook
from eql.workbook import cells
from eql.workbook.properties import edited

SHEET_TITLE = "eql check"
DIFFERENCE_FILL = PatternFill("solid", start_color="FFF4B6B6", end_color="FFF4B6B6")
UNCHECKED_FILL = PatternFill("solid", start_color="FFFFE699", end_color="FFFFE699")
SUFFIXES = (".xlsx", ".xlsm")
# openpyxl's notice that a file had no default style carries no loss.
_HARMLESS_WARNINGS = ("Workbook contains no default style",)


class AnnotationError(EqlError):
    msg = "{path}: {problem}"


def _losses(opened: Opened, keep_vba: bool) -> list[str]:
    lost = lost_parts(opened.parts, keep_vba=keep_vba)
    for warning in opened.warnings:
        if not warning.startswith(_HARMLESS_WARNINGS):
            lost.append(f"what openpyxl warned of: {' '.join(warning.split())}")
    return lost


def check_copy_target(
    source: Path, target: Path, *, force: bool, inputs: Iterable[Path] = ()
) -> None:
    """Refuse, before any work, a copy that could not be written: a file type other than the
    workbook's, an input, or an existing file without ``force``.
    """
    if target.suffix.lower() != source.suffix.lower() or target.suffix.lower() not in SUFFIXES:
        raise AnnotationError(
            path=target,
            problem=f"the annotated copy of a {source.suffix or 'workbook'} file must end in {source.suffix.lower() or '.xlsx'} (Excel will not open a workbook whose extension does not match its contents)",
        )
    check_target(target, force=force, inputs=[source, *inputs])


def write_annotated(
    checked: Checked,
    target: Path,
    *,
    force: bool,
    allow_loss: bool,
    inputs: Iterable[Path] = (),
) -> list[str]:
    """Write the annotated copy to ``target``, never over the workbook nor any of ``inputs``;
    returns what the copy lacks of the original.
    """
    source = checked.path
    check_copy_target(source, target, force=force, inputs=inputs)
    keep_vba = source.suffix.lower() == ".xlsm"
    opened = open_workbook(source, keep_vba=keep_vba)
    workbook = opened.workbook
    lost = _losses(opened, keep_vba)
    if lost and not allow_loss:
        raise AnnotationError(
            path=target,
            problem=f"not written: {source} holds {', '.join(lost)}, which a copy written by eql would lose; no copy written (pass --allow-loss to write one without them, marked as such; the original is never changed)",
        )
    annotate(workbook, checked, lost)
    edited(workbook)

    def save(temporary: Path) -> None:
        workbook.save(temporary)

    write_atomically(target, save, force=force, inputs=[source, *inputs])
    return lost


def annotate(workbook: Workbook, checked: Checked, lost: list[str]) -> None:
    """Highlight each finding's cell in the ledger sheet and add a sheet listing the findings."""
    ledger = workbook[checked.located.grid.title]
    result = checked.result
    for finding in result.findings:
        if finding.cell:
            ledger[finding.cell].fill = DIFFERENCE_FILL if finding.is_difference else UNCHECKED_FILL
    title = SHEET_TITLE
    number = 2
    while title in workbook.sheetnames:
        title, number = f"{SHEET_TITLE} {number}", number + 1
    sheet = workbook.create_sheet(title)
    bold = Font(bold=True)
    lines: list[list[str | int]] = []
    if lost:
        lines.append(
            [
                f"This copy lacks {', '.join(lost)} of the original {checked.path.name}, which eql cannot carry; the original is unchanged."
            ]
        )
    lines.append(
        [
            f"Checked sheet {checked.located.grid.title!r} of {checked.path.name} against the terms: {_verdict(checked)}"
        ]
    )
    lines.append(
        ["Differences are highlighted red in the ledger, rows that could not be checked yellow."]
    )
    lines.append([])
    lines.append(["row", "cell", "kind", "finding"])
    header_at = len(lines)
    for finding in result.findings:
        lines.append([finding.row, finding.cell, finding.kind, finding.message])
    if not result.findings:
        lines.append(["", "", "", "no differences"])
    for row_number, values in enumerate(lines, start=1):
        for column, value in enumerate(values, start=1):
            cell = cells.put(sheet, row_number, column, value)
            if row_number == header_at:
                cell.font = bold
    for row_number, finding in enumerate(result.findings, start=header_at + 1):
        _link(sheet.cell(row=row_number, column=2), ledger.title, finding)
    for letter, width in zip("ABCD", (6, 8, 11, 150), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0


def _link(cell: Cell, sheet_title: str, finding: Finding) -> None:
    if finding.cell:
        quoted = sheet_title.replace("'", "''")
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{quoted}'!{finding.cell}")


def _verdict(checked: Checked) -> str:
    result = checked.result
    if result.exit_status == 0:
        return (
            "the draw agrees" if len(result.rows) == 1 else f"all {len(result.rows):,} draws agree"
        )
    parts = []
    if result.differences:
        parts.append(counted(len(result.differences), "difference"))
    if result.unchecked:
        parts.append(f"{counted(len(result.unchecked), 'finding')} could not be checked")
    return ", ".join(parts)
