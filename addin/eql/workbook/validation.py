"""The template's input validation: what a typed date, amount or choice must be."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from eql.values import to_serial
from eql.workbook.layout import FIRST_ROW, LAST_FORMATTED_ROW

EARLIEST_DATE = to_serial(dt.date(1990, 1, 1))
LATEST_DATE = to_serial(dt.date(2099, 12, 31))


def validate(sheet: Worksheet, column: str, rule: DataValidation) -> None:
    sheet.add_data_validation(rule)
    rule.add(f"{column}{FIRST_ROW}:{column}{LAST_FORMATTED_ROW}")


def date_rule() -> DataValidation:
    return DataValidation(
        type="date",
        operator="between",
        formula1=str(EARLIEST_DATE),
        formula2=str(LATEST_DATE),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="A date",
        error="Enter a date (for example 2002-04-15).",
    )


def amount_rule(*, zero: bool = False) -> DataValidation:
    return DataValidation(
        type="decimal",
        operator="greaterThanOrEqual" if zero else "greaterThan",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="An amount",
        error="Enter an amount of zero or more." if zero else "Enter an amount more than zero.",
    )


def list_rule(choices: Sequence[str], what: str) -> DataValidation:
    # The list is a string constant of a formula: a quote in a choice is doubled, so no choice
    # can end the constant and add a formula of its own.
    quoted = ",".join(choice.replace('"', '""') for choice in choices)
    return DataValidation(
        type="list",
        formula1=f'"{quoted}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=what,
        error=f"Choose one of: {', '.join(choices)}.",
    )
