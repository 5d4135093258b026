"""``eql schedule``: the worked schedule of a facility, in the terminal or as a file to analyse."""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from eql.commands.common import inputs_arguments, load_inputs, out_arguments, terms_argument
from eql.errors import EqlError
from eql.facility import Facility
from eql.ledger import ScheduleRow
from eql.money import counted, fmt_money
from eql.safeio import write_atomically
from eql.schedule_view import BY_KEY, Column, choose, table, to_csv, to_json
from eql.workbook.layout import EXAMPLE
from eql.workbook.schedule_book import schedule_book

FORMATS = ("table", "csv", "json", "xlsx")
SUFFIX_FORMATS = {".txt": "table", ".csv": "csv", ".json": "json", ".xlsx": "xlsx"}
TERMINAL_FALLBACK = (100, 24)  # the width when the output is not a terminal and COLUMNS is unset


class ScheduleOptionError(EqlError):
    msg = "schedule: {detail}"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "schedule",
        help="the worked schedule of a facility, in the terminal or as CSV, JSON or xlsx",
        description="Every draw request checked in date order: its pricing sessions, the value the "
        "pricing rule takes of them (average close, lowest VWAP ...), price, shares, the room before it and what binds, and whether it may be funded. In the "
        "terminal the main columns fit its width (--wide or --columns for the others); --format "
        "csv, json or xlsx gives every column with exact values.",
    )
    inputs_arguments(
        parser,
        "a filled template, a ledger workbook of your own with its input sheets, or a folder of CSV inputs (prices.csv, draws.csv, ...)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="table (the default), csv, json or xlsx; with --out, taken from its extension",
    )
    out_arguments(
        parser,
        "write to this file instead of the terminal (xlsx needs one)",
        force_help="replace the --out file if it exists",
    )
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--wide", action="store_true", help="the table shows every column")
    shown.add_argument(
        "--columns",
        metavar="NAME,...",
        help=f"the columns to show, in the schedule's order; from: {', '.join(BY_KEY)}",
    )
    terms_argument(parser)
    parser.set_defaults(run=run)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.out is None:
        return "table"
    chosen = SUFFIX_FORMATS.get(args.out.suffix.lower())
    if chosen is None:
        raise ScheduleOptionError(
            detail=f"cannot tell the format from {args.out.name!r}; pass --format "
            f"{', '.join(FORMATS[:-1])} or {FORMATS[-1]}"
        )
    return chosen


def _funded(schedule: list[ScheduleRow]) -> Decimal:
    return sum((row.funded for row in schedule), start=Decimal(0))


def _summary(facility: Facility, schedule: list[ScheduleRow]) -> str:
    funded = _funded(schedule)
    draws = counted(sum(1 for row in schedule if row.funded), "draw")
    return f"funded {fmt_money(funded)} of {fmt_money(facility.terms.commitment)} in {draws}"


def _columns(kind: str, args: argparse.Namespace) -> tuple[Column, ...]:
    """The columns asked for; a file gets every column unless --columns names some."""
    keys = [key.strip() for key in args.columns.split(",") if key.strip()] if args.columns else None
    try:
        return choose(keys, wide=args.wide or (kind != "table" and not keys))
    except ValueError as error:
        raise ScheduleOptionError(detail=f"--columns: {error}") from None


def _title(facility: Facility, example: bool) -> str:
    name = facility.terms.name
    return f"{EXAMPLE}: {name}" if example else name


def _text(kind: str, facility: Facility, columns: tuple[Column, ...], example: bool) -> str:
    schedule = facility.schedule()
    if kind == "csv":
        return to_csv(schedule, facility.terms, columns)
    if kind == "json":
        report = {
            "facility": _title(facility, example),
            "example": example,
            "commitment": f"{facility.terms.commitment.normalize():f}",
            "funded": f"{_funded(schedule).normalize():f}",
            "rows": to_json(schedule, facility.terms, columns),
        }
        return json.dumps(report, indent=2) + "\n"
    width = shutil.get_terminal_size(TERMINAL_FALLBACK).columns
    return "\n".join(
        [
            _title(facility, example),
            table(schedule, facility.terms, columns, width),
            "",
            _summary(facility, schedule),
            "",
        ]
    )


def _writer(
    kind: str, facility: Facility, columns: tuple[Column, ...], example: bool
) -> Callable[[Path], None]:
    if kind == "xlsx":
        book = schedule_book(facility.terms, facility.schedule(), columns, example=example)

        def save(path: Path) -> None:
            book.save(path)

        return save
    text = _text(kind, facility, columns, example)

    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return write


def run(args: argparse.Namespace) -> int:
    kind = _format(args)
    if kind == "xlsx" and args.out is None:
        raise ScheduleOptionError(
            detail="--format xlsx writes a workbook: give it a file with --out"
        )
    columns = _columns(kind, args)
    facility = load_inputs(args, "schedule")
    if args.out is None:
        print(_text(kind, facility, columns, args.example), end="")
        return 0
    inputs = [p for p in (args.inputs, args.terms) if p is not None]
    target = write_atomically(
        args.out, _writer(kind, facility, columns, args.example), force=args.force, inputs=inputs
    )
    print(f"wrote the schedule of {facility.terms.name} to {target}")
    return 0
