"""``eql terms``: every term by its dotted name, with its value, as a Terms range takes it."""

from __future__ import annotations

import argparse
from typing import Any

from eql.commands.common import chosen_terms, terms_argument


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "terms",
        help="list every term by name and value (the names a Terms range or --set overrides)",
        description="Print every term of the facility by its dotted name with its value: the "
        "built-in Valence 2002 terms, or those of --terms FILE with each --set applied. These "
        "are the names a terms file, --set NAME=VALUE, and the two-column Terms range passed to "
        "the EQL_ functions in Excel take; an unknown name is refused with the closest known one.",
    )
    terms_argument(parser)
    parser.set_defaults(run=run)


def show_value(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def run(args: argparse.Namespace) -> int:
    terms = chosen_terms(args)
    width = max(len(name) for name, _ in terms.entries)
    for name, value in terms.entries:
        print(f"{name.ljust(width)}  {show_value(value)}")
    return 0
