"""``eql quarter-end``: the closing pack of a fiscal quarter, a workbook that needs no add-in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from eql.commands.common import (
    chosen_terms,
    inputs_arguments,
    out_arguments,
    require_inputs,
    terms_argument,
)
from eql.facility import Facility
from eql.quarters import fiscal_quarter_from_label
from eql.safeio import check_target, output_folder, write_atomically
from eql.sources import read_inputs
from eql.workbook.layout import ILLUSTRATIVE_PRICES
from eql.workbook.pack import pack_file_name, pack_quarters, quarter_pack


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "quarter-end",
        help="write a quarter-end pack (or one per fiscal quarter with --all)",
        description="Write the closing pack of a fiscal quarter: every draw with its pricing "
        "sessions, closes, price and shares, the rooms, conditions, reductions and fees as of "
        "the quarter's last day, with check formulas that recompute them, and charts.",
    )
    inputs_arguments(
        parser,
        "a filled template, a ledger workbook of your own with its input sheets, or a folder of CSV inputs",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--quarter", help='the fiscal quarter, e.g. "FY2003 Q2"')
    which.add_argument(
        "--all", action="store_true", help="one pack for every fiscal quarter of the term"
    )
    out_arguments(
        parser,
        "the pack's file (with --quarter) or folder (with --all, created if missing); "
        "default: the current folder",
        force_help="replace files that exist",
    )
    terms_argument(parser)
    parser.set_defaults(run=run)


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.shown = self.stream.isatty()

    def step(self, done: int, label: str) -> None:
        if not self.shown:
            return
        filled = self.WIDTH * done // max(self.total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done}/{self.total} {label:<12}")
        if done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def write_packs(
    facility: Facility,
    quarters: list[str],
    targets: list[Path],
    *,
    force: bool,
    inputs: list[Path],
    progress: Progress | None = None,
    prices_note: str | None = None,
    example: bool = False,
) -> list[Path]:
    """Each quarter's pack to its target; every target is checked before any is written."""
    for target in targets:
        check_target(target, force=force, inputs=inputs)
    written = []
    for done, (label, target) in enumerate(zip(quarters, targets, strict=True), start=1):
        pack = quarter_pack(facility, label, prices_note, example=example)
        written.append(write_atomically(target, pack.book.save, force=force, inputs=inputs))
        if progress:
            progress.step(done, label)
    return written


def run(args: argparse.Namespace) -> int:
    require_inputs(args, "quarter-end")
    terms = chosen_terms(args)
    facility = read_inputs(args.inputs, terms)
    inputs = [p for p in (args.inputs, args.terms) if p is not None]
    if args.all:
        quarters = pack_quarters(facility.terms)
        folder = output_folder(args.out or Path())
        targets = [folder / pack_file_name(label) for label in quarters]
        progress = Progress(len(quarters))
    else:
        quarters = [fiscal_quarter_from_label(args.quarter, "--quarter", facility.terms).label]
        targets = [args.out or Path(pack_file_name(quarters[0]))]
        progress = None
    note = ILLUSTRATIVE_PRICES if args.example else None
    written = write_packs(
        facility,
        quarters,
        targets,
        force=args.force,
        inputs=inputs,
        progress=progress,
        prices_note=note,
        example=args.example,
    )
    for label, path in zip(quarters, written, strict=True):
        print(f"{label}: {path}")
    return 0
