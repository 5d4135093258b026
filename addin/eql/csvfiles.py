"""Reading a CSV file of inputs: UTF-8 text (as Excel's "CSV UTF-8" saves it), comment lines
starting with ``#`` dropped, empty cells as ``None``. Anything else is refused in one line naming
the file and the line: another encoding, a field longer than a spreadsheet cell holds, a file
larger than eql reads.
"""

from __future__ import annotations

import csv
import io
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from eql.errors import EqlError
from eql.places import Place

FILE_BYTES = 100 * 1024 * 1024  # as for a workbook: far above any facility's inputs
FIELD_CHARS = 32_767  # the most a spreadsheet cell holds
_SAVE_AS = "save it as CSV UTF-8 (comma delimited)"


class CsvFileError(EqlError):
    msg = "{path}: {problem}"


def read_csv_table(path: Path | Traversable) -> tuple[list[list[Any]], Place]:
    """The rows of a CSV file of inputs and the line each ends on."""
    data = _read_bytes(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvFileError(path=path, problem=f"is UTF-16 text; {_SAVE_AS}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CsvFileError(
            path=path,
            problem=f"line {line}: byte 0x{data[error.start]:02x} is not UTF-8 text; {_SAVE_AS}",
        ) from None
    rows, ends = _read_rows(text, path)
    return rows, Place(str(path), tuple(ends))


def _read_bytes(path: Path | Traversable) -> bytes:
    if isinstance(path, Path):
        size = path.stat().st_size
        if size > FILE_BYTES:
            raise CsvFileError(
                path=path, problem=f"is {size:,} bytes, more than the {FILE_BYTES:,} eql reads"
            )
    return path.read_bytes()


def _read_rows(text: str, path: Path | Traversable) -> tuple[list[list[Any]], list[int]]:
    """Rows of a CSV text, comment lines dropped and empty cells ``None``, and the file line
    each row ends on.
    """
    kept = [
        (n, line)
        for n, line in enumerate(text.splitlines(), start=1)
        if not line.lstrip().startswith("#")
    ]
    numbers = [n for n, _ in kept]
    reader = csv.reader(io.StringIO("\n".join(line for _, line in kept)))
    rows: list[list[Any]] = []
    ends: list[int] = []
    try:
        for row in reader:
            for cell in row:
                if len(cell) > FIELD_CHARS:
                    raise CsvFileError(
                        path=path,
                        problem=f"line {_line(numbers, reader.line_num)}: a field of {len(cell):,} characters, more than the {FIELD_CHARS:,} a spreadsheet cell holds",
                    )
            rows.append([cell if cell.strip() else None for cell in row])
            ends.append(_line(numbers, reader.line_num))
    except csv.Error as error:
        problem = str(error)
        if "field larger than field limit" in problem:
            problem = f"a field longer than {csv.field_size_limit():,} characters, more than the {FIELD_CHARS:,} a spreadsheet cell holds"
        raise CsvFileError(
            path=path, problem=f"line {_line(numbers, reader.line_num)}: {problem}"
        ) from None
    return rows, ends


def _line(numbers: list[int], line_num: int) -> int:
    """The file's line for the reader's line (comment lines are not given to the reader)."""
    return numbers[line_num - 1] if 0 < line_num <= len(numbers) else line_num
