"""Checking a draw ledger the finance team keeps in a workbook of their own against the terms."""

from eql.check.annotate import write_annotated
from eql.check.locate import find_ledger, parse_mapping, read_rows
from eql.check.recompute import CheckResult, Finding, check_rows
from eql.check.report import json_report, text_report
from eql.check.workbook import Checked, check_workbook

__all__ = [
    "CheckResult",
    "Checked",
    "Finding",
    "check_rows",
    "check_workbook",
    "find_ledger",
    "json_report",
    "parse_mapping",
    "read_rows",
    "text_report",
    "write_annotated",
]
