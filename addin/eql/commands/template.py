"""``eql template``: write the template workbook, empty, for the terms given."""

from __future__ import annotations

import argparse
from pathlib import Path

from eql.commands.common import chosen_terms, out_arguments, terms_argument
from eql.safeio import write_atomically
from eql.workbook.properties import save_reproducibly, terms_moment
from eql.workbook.template import build_template

DEFAULT_OUT = Path("eql-template.xlsx")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "template",
        help="write the template workbook (Excel with the xlwings add-in)",
        description="Write the workbook a finance user runs the facility from: input tables "
        "(Terms, Prices, Draws, CashUsed, Milestones, Reductions, Fees), the Draws formulas "
        "calling the EQL_ functions, and a Summary sheet.",
    )
    out_arguments(parser, "where to write it", default=DEFAULT_OUT)
    terms_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    terms = chosen_terms(args)
    book = build_template(terms)
    inputs = [args.terms] if args.terms else []
    moment = terms_moment(terms.term_sheet_date)

    def save(path: Path) -> None:
        save_reproducibly(book, path, moment)

    target = write_atomically(args.out, save, force=args.force, inputs=inputs)
    print(f"wrote the template for {terms.name} to {target}")
    return 0
