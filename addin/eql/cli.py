"""The ``eql`` command. Every problem ends as one line on stderr saying what to fix, never a traceback.

Exit status: 0 done (or the ledger agrees), 1 a check found differences, 2 unusable input.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from eql import __version__
from eql.errors import EqlError

# Each module registers one subcommand; a new command is a new module and a line here.
COMMANDS = (
    "eql.commands.schedule",
    "eql.commands.check",
    "eql.commands.terms",
    "eql.commands.template",
    "eql.commands.quarter_end",
    "eql.commands.demo",
    "eql.commands.libreoffice",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eql",
        description="Equity line of credit: prices, caps and conditions computed exactly from the term sheet.",
    )
    parser.add_argument("--version", action="version", version=f"eql {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except EqlError as error:
        print(f"eql: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(
            f"eql: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return 2
    except KeyboardInterrupt:
        print("eql: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the last line of defence: one line, never a traceback
        print(
            f"eql: internal error, a bug in eql and not in the input ({type(error).__name__}: "
            f"{error}); files already written are complete, nothing half-written was kept",
            file=sys.stderr,
        )
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
