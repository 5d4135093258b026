"""Writing outputs so that nothing is lost: never over an input, never over an existing file
without ``force``, and always through a temporary file beside the target renamed into place, so a
writer killed midway leaves the old file whole.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from eql.errors import EqlError


class OutputError(EqlError):
    msg = "{path}: {problem}"


def check_target(target: Path, *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Refuse a target that is one of the inputs, or that exists when not forced."""
    resolved = target.resolve()
    for source in inputs:
        if source.exists() and resolved == source.resolve():
            raise OutputError(path=target, problem="is an input; eql never writes over its inputs")
        # An input folder (of CSV files) is read whole: any file already in it may be an input.
        if source.is_dir() and target.is_file() and source.resolve() in resolved.parents:
            raise OutputError(
                path=target,
                problem=f"is in the input folder {source}; eql never writes over its inputs",
            )
    if target.exists() and not force:
        raise OutputError(path=target, problem="already exists; pass --force to replace it")
    if target.exists() and target.is_dir():
        raise OutputError(path=target, problem="is a folder, not a file")
    if not target.parent.is_dir():
        raise OutputError(path=target, problem=f"folder {target.parent} does not exist")


def output_folder(folder: Path) -> Path:
    """A folder to write several outputs into, created (with its parents) when missing."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(path=folder, problem="is a file, not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``; renamed onto it only when the block completes."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.replace(target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def write_atomically(
    target: Path, write: Callable[[Path], None], *, force: bool, inputs: Iterable[Path] = ()
) -> Path:
    """Check ``target``, then let ``write`` fill a temporary file that replaces it at the end."""
    check_target(target, force=force, inputs=inputs)
    with atomic_path(target) as temporary:
        write(temporary)
    return target
