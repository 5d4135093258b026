"""``eql check``: a ledger kept in the finance team's own workbook, recomputed with the engine."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eql.check.annotate import check_copy_target, write_annotated
from eql.check.locate import parse_mapping
from eql.check.report import json_report, text_report
from eql.check.workbook import check_workbook
from eql.commands.common import chosen_terms, terms_argument
from eql.errors import EqlError
from eql.facility import FILES
from eql.money import counted


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="recompute every draw of your own ledger workbook and report each difference",
        description="Finds the draw ledger in WORKBOOK by its headings (funding date, amount, price, "
        "shares) or by --map, recomputes each draw with the terms, and reports prices off by more "
        "than half a cent, share counts off by any share, and draws that broke a limit or a "
        "condition on their date.",
        epilog="Exit status: 0 the ledger agrees; 1 it differs (even if some rows could not be "
        "checked); 2 the input is unusable or, with no difference found, part of it could not be "
        "checked; also 2 when the annotated copy could not be written (the report is printed first).",
    )
    parser.add_argument(
        "workbook", type=Path, help="the ledger workbook (.xlsx or .xlsm); never modified"
    )
    parser.add_argument("--sheet", help="the ledger's sheet (found by its headings otherwise)")
    parser.add_argument(
        "--map",
        metavar="FIELD=COL,...",
        help="the ledger's columns, e.g. date=B,amount=C,price=D,shares=E (found by headings otherwise)",
    )
    parser.add_argument(
        "--prices",
        type=Path,
        help="daily prices, a CSV of date,close (or the bid or VWAP the terms price on, and the "
        "low where the rule reads it; else a sheet with Date and Close, Bid or VWAP)",
    )
    parser.add_argument(
        "--cash-used", type=Path, help="cash used in operations, a CSV of fiscal_quarter,cash_used"
    )
    parser.add_argument("--milestones", type=Path, help="milestone dates, a CSV of key,date")
    parser.add_argument(
        "--reductions",
        type=Path,
        help="commitment reductions, a CSV of date,[third_party_financing,]amount_elected",
    )
    parser.add_argument(
        "--inputs",
        type=Path,
        help="a folder of CSV inputs (prices.csv, cash_used.csv, ...) for those not given",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--out",
        type=Path,
        help="write an annotated copy here (a new file; the workbook is never changed)",
    )
    parser.add_argument("--force", action="store_true", help="replace the --out file if it exists")
    parser.add_argument(
        "--allow-loss",
        action="store_true",
        help="write the annotated copy even when it cannot carry the workbook's charts, images, "
        "drawings, pivot tables, slicers, embedded objects or form controls (the copy says what "
        "it lacks); an .xlsm copy keeps the workbook's macros without it",
    )
    terms_argument(parser)
    parser.set_defaults(run=run)


def _files(args: argparse.Namespace) -> dict[str, Path | None]:
    files: dict[str, Path | None] = {
        "prices": args.prices,
        "cash_used": args.cash_used,
        "milestones": args.milestones,
        "reductions": args.reductions,
        # the share caps' counts, from --inputs only
        "issued": None,
        "outstanding": None,
        "holdings": None,
    }
    if args.inputs is not None:
        for name in FILES:
            candidate = args.inputs / f"{name}.csv"
            if name in files and files[name] is None and candidate.is_file():
                files[name] = candidate
    return files


def _inputs(args: argparse.Namespace, files: dict[str, Path | None]) -> list[Path]:
    """Every file and folder the command reads, which --out must never be."""
    named = [args.workbook, args.inputs, args.terms, *files.values()]
    return [path for path in named if path is not None]


def run(args: argparse.Namespace) -> int:
    terms = chosen_terms(args)
    mapping = parse_mapping(args.map) if args.map else None
    files = _files(args)
    if args.out is not None:  # refused before any work, with nothing to report yet
        check_copy_target(args.workbook, args.out, force=args.force, inputs=_inputs(args, files))
    checked = check_workbook(args.workbook, terms, sheet=args.sheet, mapping=mapping, files=files)
    # The findings come first: a copy that cannot be written must not take the report with it.
    if not args.json:
        print(text_report(checked))
    lost: list[str] = []
    failure: EqlError | None = None
    if args.out is not None:
        try:
            lost = write_annotated(
                checked,
                args.out,
                force=args.force,
                allow_loss=args.allow_loss,
                inputs=_inputs(args, files),
            )
        except EqlError as error:
            failure = error
    if args.json:
        report = json_report(checked)
        if args.out is not None:
            report["annotated_copy"] = {
                "path": str(args.out),
                "written": failure is None,
                "lacks": lost,
                "error": None if failure is None else str(failure),
            }
        print(json.dumps(report, indent=2))
    elif args.out is not None and failure is None:
        lacks = f" (without {', '.join(lost)} of the original)" if lost else ""
        print(f"annotated copy written to {args.out}{lacks}")
    if failure is not None:
        print(f"eql: {failure}", file=sys.stderr)
        return 2
    status = checked.result.exit_status
    if status == 2:
        print(
            f"eql: {counted(len(checked.result.unchecked), 'finding')} of {args.workbook} could not be checked; see the report",
            file=sys.stderr,
        )
    return status
