"""``eql demo``: the example facility end to end, written into one folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from eql.commands.common import out_arguments
from eql.commands.quarter_end import Progress, write_packs
from eql.example import example_folder
from eql.facility import load_folder
from eql.safeio import check_target, output_folder, write_atomically
from eql.terms import default_terms
from eql.workbook.layout import ILLUSTRATIVE_PRICES
from eql.workbook.pack import pack_file_name, pack_quarters
from eql.workbook.properties import save_reproducibly, terms_moment
from eql.workbook.template import build_template

FILLED = "example-facility.xlsx"
EMPTY = "eql-template.xlsx"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="write the example facility's template, the empty template and every quarter-end pack",
        description="Run the whole job on the built-in example facility (the Valence terms with "
        "illustrative prices): the template filled with it, the empty template, and one "
        "quarter-end pack per fiscal quarter of the term, all written into one folder.",
    )
    out_arguments(
        parser,
        "the folder to write into (created if missing)",
        force_help="replace files that exist",
        required=True,
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    terms = default_terms()
    facility = load_folder(example_folder(), terms)
    quarters = pack_quarters(terms)
    folder = output_folder(args.out)
    templates = [folder / FILLED, folder / EMPTY]
    packs = [folder / pack_file_name(label) for label in quarters]
    for target in [*templates, *packs]:
        check_target(target, force=args.force)
    write_atomically(
        templates[0],
        build_template(terms, facility, ILLUSTRATIVE_PRICES, example=True).save,
        force=args.force,
    )
    empty = build_template(terms)
    moment = terms_moment(terms.term_sheet_date)

    def save_empty(path: Path) -> None:
        save_reproducibly(empty, path, moment)

    write_atomically(templates[1], save_empty, force=args.force)
    progress = Progress(len(quarters))
    write_packs(
        facility,
        quarters,
        packs,
        force=args.force,
        inputs=[],
        progress=progress,
        prices_note=ILLUSTRATIVE_PRICES,
        example=True,
    )
    print(f"wrote into {folder}:")
    print(
        f"  {templates[0]}  the template filled with the example facility (open it in Excel with the xlwings add-in)"
    )
    print(f"  {templates[1]}  the empty template")
    for label, path in zip(quarters, packs, strict=True):
        print(f"  {path}  quarter-end pack {label}")
    return 0
