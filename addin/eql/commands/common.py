"""What the commands share: the --terms, --inputs and --out options and loading a facility's
inputs."""

from __future__ import annotations

import argparse
from pathlib import Path

from eql.errors import EqlError, TermsError
from eql.facility import Facility
from eql.sources import read_inputs
from eql.terms import Terms, builtin_facilities, facility_terms, load_terms


def terms_argument(parser: argparse.ArgumentParser) -> None:
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument(
        "--terms", type=Path, help="a terms file (TOML); the built-in Valence 2002 terms by default"
    )
    chosen.add_argument(
        "--facility",
        metavar="NAME",
        help=f"a built-in facility's terms ({', '.join(builtin_facilities())})",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override one term, e.g. --set pricing.factor=0.80 (repeatable)",
    )


def chosen_terms(args: argparse.Namespace) -> Terms:
    facility = getattr(args, "facility", None)
    terms = facility_terms(facility) if facility else load_terms(args.terms)
    pairs = []
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep:
            raise TermsError(detail=f"--set takes NAME=VALUE, got {item!r}")
        pairs.append((name.strip(), value.strip()))
    return terms.with_overrides(pairs)


def out_arguments(
    parser: argparse.ArgumentParser,
    out_help: str,
    *,
    force_help: str = "replace the file if it exists",
    default: Path | None = None,
    required: bool = False,
) -> None:
    """--out, where the command writes, and --force: an output that exists is replaced only when
    asked to."""
    if default is not None:
        out_help = f"{out_help} (default {default})"
    parser.add_argument("--out", type=Path, default=default, required=required, help=out_help)
    parser.add_argument("--force", action="store_true", help=force_help)


class InputsOptionError(EqlError):
    msg = "{command}: {detail}"


def inputs_arguments(parser: argparse.ArgumentParser, inputs_help: str) -> None:
    """--inputs, or --example for the built-in example facility: a command never computes the
    example's illustrative numbers unless asked to by name."""
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--inputs", type=Path, help=inputs_help)
    which.add_argument(
        "--example",
        action="store_true",
        help="the built-in example facility (illustrative closes; everything written says EXAMPLE)",
    )


def require_inputs(args: argparse.Namespace, command: str) -> None:
    if args.inputs is None and not args.example:
        raise InputsOptionError(
            command=command,
            detail="give --inputs (your facility's inputs) or --example (the built-in example "
            "facility, illustrative numbers)",
        )


def load_inputs(args: argparse.Namespace, command: str) -> Facility:
    """The facility named by --inputs (a folder of CSV files, a filled template or a ledger
    workbook of the team's own), or the built-in example."""
    require_inputs(args, command)
    return read_inputs(args.inputs, chosen_terms(args))
