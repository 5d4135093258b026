"""Writing outputs so that nothing is lost: never over an input, never over an existing file
without ``force``, and always through a temporary file beside the target put in place whole at
the end, so a writer killed midway leaves the old file whole.

Without ``force`` the temporary is published with a hard link, which the system refuses when the
target exists: of two writers racing for one name exactly one wins, and a file created after
eql looked is never replaced. With ``force`` it is renamed over the target, atomically. Either
way the file gets the permissions any program's new file gets (the umask), and a replaced file
keeps its own.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from eql.errors import EqlError


class OutputError(EqlError):
    msg = "{path}: {problem}"


EXISTS = "already exists; pass --force to replace it"


def check_target(target: Path, *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Refuse a target that is one of the inputs, or that exists when not forced."""
    resolved = target.resolve()
    for source in inputs:
        # The same file by any name: a symbolic or hard link, another spelling of the path.
        if target.exists() and source.exists() and target.samefile(source):
            raise OutputError(path=target, problem="is an input; eql never writes over its inputs")
        # An input folder (of CSV files) is read whole: any file already in it may be an input.
        if source.is_dir() and target.is_file() and source.resolve() in resolved.parents:
            raise OutputError(
                path=target,
                problem=f"is in the input folder {source}; eql never writes over its inputs",
            )
    if target.exists() and not force:
        raise OutputError(path=target, problem=EXISTS)
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


def _umask() -> int:
    # The umask can only be read by setting it; a command runs one thread, so nothing else
    # creates a file in between.
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _mode_for(target: Path) -> int:
    """The permissions of ``target`` if it exists, else those of a new file under the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _publish(temporary: Path, target: Path, *, force: bool) -> None:
    temporary.chmod(_mode_for(target))
    if force:
        temporary.replace(target)
        return
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise OutputError(path=target, problem=EXISTS) from None
    except OSError as error:
        if error.errno not in {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK}:
            raise
        _publish_without_links(temporary, target)


def _publish_without_links(temporary: Path, target: Path) -> None:
    """On a file system without hard links: Windows refuses to rename onto an existing file;
    elsewhere the check and the rename are two steps, as close together as they can be.
    """
    if os.name != "nt" and target.exists():
        raise OutputError(path=target, problem=EXISTS)
    try:
        temporary.rename(target)
    except FileExistsError:
        raise OutputError(path=target, problem=EXISTS) from None


def _temporary(target: Path) -> Path:
    """A new hidden file beside ``target`` (so that publishing it never crosses a file system)."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise OutputError(path=target, problem=_reason(error)) from None
    os.close(handle)
    return Path(name)


def _reason(error: OSError) -> str:
    return f"not written: {error.strerror or error}"


def write_atomically(
    target: Path, write: Callable[[Path], None], *, force: bool, inputs: Iterable[Path] = ()
) -> Path:
    """Check ``target``, then let ``write`` fill a temporary file put in place at the end.

    A system error on the way (a folder that cannot be written, a full disk) is reported for
    ``target``, the file the user asked for, never for the temporary, which is removed.
    """
    check_target(target, force=force, inputs=inputs)
    temporary = _temporary(target)
    problem: str | None = None
    hook = sys.unraisablehook
    try:
        try:
            write(temporary)
            _publish(temporary, target, force=force)
        except OSError as error:
            problem = _reason(error)
            # A writer stopped by the error (a zip half written) fails again when it is freed,
            # at the end of this block: that second report would only repeat this one.
            sys.unraisablehook = _ignore
    finally:
        if problem is not None:
            gc.collect()
        sys.unraisablehook = hook
        with contextlib.suppress(OSError):
            temporary.unlink()
    if problem is not None:
        raise OutputError(path=target, problem=problem)
    return target


def _ignore(_: Any) -> None:
    return None
