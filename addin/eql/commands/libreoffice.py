"""``eql libreoffice build|install``: the EQL_ functions as a LibreOffice Calc extension."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from eql.commands.common import out_arguments
from eql.libreoffice.build import write_extension
from eql.libreoffice.install import install
from eql.safeio import write_atomically

DEFAULT_OUT = Path("eql.oxt")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "libreoffice",
        help="build or install the LibreOffice Calc extension with the EQL_ functions",
        description="The EQL_ functions in LibreOffice Calc (25.2 or later): an extension (.oxt) "
        "with eql's engine inside, so LibreOffice's own Python runs it with nothing to install.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)

    build = actions.add_parser(
        "build",
        help="write the extension (.oxt)",
        description="Write the extension. Needs unoidl-write from the LibreOffice SDK "
        "(libreoffice-dev on Debian and Ubuntu) and an installed LibreOffice.",
    )
    out_arguments(build, "where to write it", default=DEFAULT_OUT)
    build.set_defaults(run=run_build)

    add = actions.add_parser(
        "install",
        help="install the extension into LibreOffice",
        description="Install the extension into a LibreOffice user profile, replacing an earlier "
        "version. Close LibreOffice first. Builds the extension unless --oxt names one.",
    )
    add.add_argument("--oxt", type=Path, help="an extension built with 'eql libreoffice build'")
    add.add_argument(
        "--profile",
        type=Path,
        help="the LibreOffice user profile folder (default: your own profile)",
    )
    add.set_defaults(run=run_install)


def run_build(args: argparse.Namespace) -> int:
    target = write_atomically(args.out, write_extension, force=args.force)
    print(f"wrote the LibreOffice extension to {target}")
    return 0


def run_install(args: argparse.Namespace) -> int:
    if args.oxt is not None:
        how = install(args.oxt, args.profile)
    else:
        with tempfile.TemporaryDirectory(prefix="eql-oxt-") as scratch:
            oxt = Path(scratch) / DEFAULT_OUT
            write_extension(oxt)
            how = install(oxt, args.profile)
    where = f"the profile {args.profile}" if args.profile else "your LibreOffice profile"
    print(f"installed the EQL_ functions into {where} ({how}); restart LibreOffice to use them")
    return 0
