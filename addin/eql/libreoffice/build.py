"""Builds the extension (.oxt): the generated texts, the interface compiled to a type library, the
add-in component and eql's engine under ``pythonpath/``, where LibreOffice's Python finds it, so
the extension needs nothing installed with pip.

Nothing generated is kept in the repository: the IDL is compiled at build time by the SDK's
``unoidl-write``, against the type library of the LibreOffice that is installed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import eql
from eql.errors import EqlError
from eql.libreoffice import interface

# Files of the package the extension does not need: caches and the build's own byproducts.
SKIPPED = {"__pycache__"}


class BuildError(EqlError):
    msg = "libreoffice build: {detail}"


def soffice_program() -> Path | None:
    """The folder of the installed LibreOffice's programs (soffice, types.rdb), if any."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return Path(found).resolve().parent if found else None


def unoidl_write() -> Path:
    """The SDK's IDL compiler: on the PATH, or in the SDK beside the installed LibreOffice."""
    found = shutil.which("unoidl-write")
    if found:
        return Path(found)
    program = soffice_program()
    if program is not None:
        for candidate in (
            program.parent / "sdk" / "bin" / "unoidl-write",
            program.parent / "sdk" / "bin" / "unoidl-write.exe",
        ):
            if candidate.is_file():
                return candidate
    raise BuildError(
        detail="unoidl-write (from the LibreOffice SDK) is needed to compile the add-in's "
        "interface; on Debian or Ubuntu install libreoffice-dev, elsewhere the LibreOffice SDK "
        "of the same version as LibreOffice, and put its bin folder on the PATH"
    )


def base_types() -> list[Path]:
    """The installed LibreOffice's type libraries the interface refers to: the core types
    (XInterface) and the office API (XCellRange, XPropertySet)."""
    program = soffice_program()
    if program is not None:
        # Linux and Windows keep them beside soffice; macOS in the bundle's Resources.
        for folder in (program, program.parent / "Resources"):
            found = [folder / "types.rdb", folder / "types" / "offapi.rdb"]
            if all(path.is_file() for path in found):
                return found
    raise BuildError(
        detail="LibreOffice is not installed (no soffice on the PATH, or no types.rdb and "
        "types/offapi.rdb beside it)"
    )


def compile_interface(folder: Path) -> Path:
    """eql.rdb: the generated IDL compiled by unoidl-write."""
    source = folder / "eql.idl"
    source.write_text(interface.idl(), encoding="utf-8")
    target = folder / interface.TYPES
    done = subprocess.run(
        [str(unoidl_write()), *map(str, base_types()), str(source), str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not target.is_file():
        raise BuildError(
            detail=f"unoidl-write failed (status {done.returncode}): {(done.stderr or done.stdout).strip()}"
        )
    return target


def package_files() -> Iterator[tuple[Path, str]]:
    """Every file of the eql package, with its path inside the extension."""
    root = Path(eql.__file__).resolve().parent
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not SKIPPED.intersection(relative.parts) and path.suffix != ".pyc":
            yield path, f"pythonpath/eql/{relative.as_posix()}"


def write_extension(target: Path) -> None:
    """Writes the whole .oxt to ``target``."""
    with tempfile.TemporaryDirectory(prefix="eql-oxt-") as scratch:
        types = compile_interface(Path(scratch))
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as oxt:
            oxt.writestr("META-INF/manifest.xml", interface.manifest())
            oxt.writestr("description.xml", interface.description())
            oxt.writestr(interface.COMPONENTS, interface.components())
            oxt.writestr(interface.CONFIGURATION, interface.calc_addins())
            oxt.writestr(interface.LOADER, interface.loader())
            oxt.write(types, interface.TYPES)
            for path, name in package_files():
                oxt.write(path, name)
