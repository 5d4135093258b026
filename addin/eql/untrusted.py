"""Opening workbooks that eql did not write: checked before openpyxl parses a byte of them.

A workbook is a zip of XML parts, so a hostile or broken file can be a zip bomb (a few kilobytes
that decompress to gigabytes) or XML that expands without bound (entity declarations, the
"billion laughs"), or a few kilobytes that name a range of billions of cells which openpyxl would
build one by one. Before openpyxl sees the file, eql reads it once into memory (it is small: the
compressed size is limited), checks every part's declared size and compression ratio, scans every
part that an XML parser could read (whatever its name), in bounded chunks, for document type and
entity declarations, which no Excel file contains, and counts the cells openpyxl would build
(:mod:`eql.census`). openpyxl then parses with defusedxml, which refuses entities a second time.
Anything refused is an :class:`UntrustedFileError` naming the file and the reason.

openpyxl also drops or rewrites parts of a workbook it does not model; :func:`lost_on_save` lists
them so that no command saves a copy of a user's file that silently loses their charts or macros.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.packaging.manifest import Manifest
from openpyxl.reader.excel import _find_workbook_part
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.workbook.workbook import Workbook
from openpyxl.xml.functions import fromstring

from eql.census import Census, DeclarationError, TooManyCellsError
from eql.errors import EqlError

MIB = 1024 * 1024


class UntrustedFileError(EqlError):
    msg = "{path}: {problem}"


@dataclass(frozen=True)
class Limits:
    """What a workbook eql reads may weigh; far above any facility ledger, far below a bomb."""

    file_bytes: int = 100 * MIB  # the file itself, compressed
    members: int = 10_000  # parts in the zip
    member_bytes: int = 128 * MIB  # one part, decompressed
    total_bytes: int = 256 * MIB  # all parts, decompressed
    ratio: int = 200  # decompressed / compressed, for parts past ratio_floor
    ratio_floor: int = 1 * MIB  # small parts compress as they like
    chunk_bytes: int = 64 * 1024  # how much of a part is decompressed at a time
    # Cells openpyxl would build, over all sheets: each cell and row, each shared string, and
    # each cell a merged range, hyperlink or comment covers. About 0.5 KB and 25 us each.
    cells: int = 500_000


DEFAULT_LIMITS = Limits()

# What may come before the first markup of an XML document: byte order marks and white space,
# in UTF-8 or UTF-16. A part that starts with anything else is not XML to any parser.
_XML_PROLOGUE = b"\xef\xbb\xbf\xff\xfe \t\r\n\x00"
# The encodings a workbook's XML may declare: those in which the declarations searched for
# below are the bytes searched for. Excel and LibreOffice write UTF-8.
_ENCODINGS = frozenset(
    {"utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "ascii", "iso-8859-1"}
)
# How XML in UTF-32 (with and without a byte order mark) or EBCDIC begins.
_OTHER_SIGNATURES = frozenset(
    {
        b"\x00\x00\xfe\xff",
        b"\xff\xfe\x00\x00",
        b"\x00\x00\x00<",
        b"<\x00\x00\x00",
        b"\x4c\x6f\xa7\x94",
    }
)
_ENCODING = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")

# Markup that opens a document type definition or declares an entity; Excel never writes either,
# and every XML expansion attack needs one. Searched in the encodings XML parsers accept.
_DECLARATIONS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_LONGEST_DECLARATION = max(len(marker) for marker in _DECLARATIONS)

# What zipfile and zlib raise on a damaged archive, found by fuzzing damaged files.
_DAMAGED = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
)

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OPENDOCUMENT = b"application/vnd.oasis.opendocument"

# What openpyxl does not carry through a load and save, by the folder or name of the part that
# holds it. Charts and images are read back only in part (formatting, shapes and, without Pillow,
# every image are lost), so they count as lost.
_LOST_PARTS = (
    ("xl/charts/", "charts"),
    ("xl/chartsheets/", "chart sheets"),
    ("xl/media/", "images"),
    ("xl/drawings/drawing", "drawings (shapes, pictures, text boxes)"),
    ("xl/pivotTables/", "pivot tables"),
    ("xl/pivotCache/", "pivot tables"),
    ("xl/slicers/", "slicers"),
    ("xl/slicerCaches/", "slicers"),
    ("xl/timelines/", "timelines"),
    ("xl/embeddings/", "embedded objects"),
    ("xl/activeX/", "ActiveX controls"),
    ("xl/ctrlProps/", "form controls"),
    ("xl/threadedComments/", "threaded comments"),
    ("xl/model/", "a data model"),
    ("xl/queryTables/", "query tables"),
    ("xl/connections.xml", "data connections"),
)
_VBA_PARTS = ("xl/vbaProject.bin", "xl/vbaProjectSignature.bin")


@dataclass(frozen=True)
class Package:
    """A workbook file's bytes, checked, and the formula cells of each sheet (by title) that
    hold no saved value, as (row, column).
    """

    data: bytes
    uncomputed: Mapping[str, frozenset[tuple[int, int]]] = field(default_factory=dict)

    @property
    def parts(self) -> tuple[str, ...]:
        """The names of the package's parts, from the zip's directory."""
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            return tuple(archive.namelist())


@dataclass(frozen=True)
class Opened:
    """A workbook read from an untrusted file, with what openpyxl said while reading it, the
    formula cells that hold no saved value (a values-only load reads them as blank), and the
    names of the file's parts.
    """

    workbook: Workbook
    warnings: list[str] = field(default_factory=list)
    uncomputed: Mapping[str, frozenset[tuple[int, int]]] = field(default_factory=dict)
    parts: tuple[str, ...] = ()


def read_package(path: Path, limits: Limits = DEFAULT_LIMITS) -> Package:
    """The file's bytes once checked to be a workbook package that is safe to parse."""
    path = Path(path)
    if not path.exists():
        raise UntrustedFileError(path=path, problem="does not exist")
    if not path.is_file():
        raise UntrustedFileError(path=path, problem="is not a file")
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise UntrustedFileError(
            path=path,
            problem=f"is {size:,} bytes, more than the {limits.file_bytes:,} eql reads",
        )
    with path.open("rb") as handle:
        data = handle.read(size + 1)
    if len(data) > size:
        raise UntrustedFileError(path=path, problem="grew while being read; refused")
    return Package(data, check_package(data, path, limits))


def check_package(
    data: bytes, path: Path, limits: Limits = DEFAULT_LIMITS
) -> dict[str, frozenset[tuple[int, int]]]:
    """Refuse a package that is not a workbook, would decompress past the limits, declares XML
    entities, or would make openpyxl build more cells than the limit. Sizes are checked from the
    zip's directory before anything is decompressed; zipfile never yields more than a part's
    declared size, so the checks bound the reads too. Returns the formula cells with no saved
    value, by sheet title.
    """
    if data.startswith(_OLE2_MAGIC):
        raise UntrustedFileError(
            path=path,
            problem="is an Excel 97-2003 (.xls) or a password-protected workbook; save it as an unprotected .xlsx",
        )
    if not data.startswith(b"PK"):
        raise UntrustedFileError(path=path, problem=_not_a_package(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _DAMAGED as error:
        raise UntrustedFileError(
            path=path, problem=f"is not a readable workbook (damaged zip: {error})"
        ) from None
    with archive:
        members = archive.infolist()
        _check_sizes(members, path, limits)
        names = {member.filename for member in members}
        if "xl/workbook.bin" in names:
            raise UntrustedFileError(
                path=path, problem="is a binary workbook (.xlsb); save it as .xlsx"
            )
        if "mimetype" in names and archive.read("mimetype").startswith(_OPENDOCUMENT):
            raise UntrustedFileError(
                path=path,
                problem="is an OpenDocument spreadsheet (.ods), not an Excel workbook; save it as .xlsx (Excel 2007-365)",
            )
        if "[Content_Types].xml" not in names:
            raise UntrustedFileError(path=path, problem="is not an Excel workbook (.xlsx or .xlsm)")
        readable = [
            member
            for member in members
            if not member.is_dir() and _may_be_xml(archive, member, path, limits)
        ]
        for member in readable:
            _scan_declarations(archive, member, path, limits)
        sheets = _sheet_parts(archive)
        census = Census(limits.cells)
        for member in readable:
            title = sheets.get(member.filename)
            where = f"sheet {title!r}" if title is not None else f"part {member.filename}"
            try:
                census.count_part(member.filename, _chunks(archive, member, path, limits), where)
            except TooManyCellsError as error:
                raise UntrustedFileError(
                    path=path,
                    problem=f"{error}, the most eql reads (counting each cell and row of every sheet, each shared string, and each cell a merged range, hyperlink or comment covers); refused",
                ) from None
            except DeclarationError as error:
                raise UntrustedFileError(
                    path=path,
                    problem=f"{error}, which Excel never writes (refused: XML that can expand without bound)",
                ) from None
        return {
            sheets[name]: frozenset(cells)
            for name, cells in census.uncomputed.items()
            if name in sheets
        }


def _chunks(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path, limits: Limits
) -> Iterator[bytes]:
    """A part's bytes, decompressed a bounded chunk at a time."""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(limits.chunk_bytes):
                yield chunk
    except _DAMAGED as error:
        raise UntrustedFileError(
            path=path, problem=f"part {member.filename} cannot be read ({error})"
        ) from None


def _may_be_xml(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path, limits: Limits
) -> bool:
    """Whether an XML parser could read the part: judged by its first bytes, not its name (a
    part named .png can be XML wired in through the relationships).
    """
    for chunk in _chunks(archive, member, path, limits):
        if chunk[:4] in _OTHER_SIGNATURES:
            return True
        start = chunk.lstrip(_XML_PROLOGUE)
        if start:
            return start.startswith(b"<")
    return False


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's part and title, found as openpyxl finds them; empty when openpyxl could
    not find them either (it then refuses the file).
    """
    try:
        manifest = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
        part = _find_workbook_part(manifest)
        parser = WorkbookParser(archive, part.PartName[1:])
        parser.parse()
        return {rel.target: sheet.name for sheet, rel in parser.find_sheets()}
    except Exception:  # openpyxl raises anything on a malformed part
        return {}


def _not_a_package(data: bytes) -> str:
    """Why a file that is not a zip package is refused, saying what to save it as."""
    head = data[:4096]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:  # a multi-byte character cut at the end is still text
        is_text = error.start >= len(head) - 3 and b"\x00" not in head
    else:
        is_text = b"\x00" not in head
    if is_text and head.strip():
        return "is a text file (CSV?), not an Excel workbook; open it in Excel or LibreOffice and save it as .xlsx"
    return "is not an Excel workbook (.xlsx or .xlsm)"


def _check_sizes(members: list[zipfile.ZipInfo], path: Path, limits: Limits) -> None:
    if len(members) > limits.members:
        raise UntrustedFileError(
            path=path,
            problem=f"holds {len(members):,} parts, more than the {limits.members:,} eql reads (refused as a possible zip bomb)",
        )
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise UntrustedFileError(
                path=path, problem=f"part {member.filename} is encrypted; refused"
            )
        if member.file_size > limits.member_bytes:
            raise UntrustedFileError(
                path=path,
                problem=f"part {member.filename} decompresses to {member.file_size:,} bytes, more than the {limits.member_bytes:,} eql allows (refused as a possible zip bomb)",
            )
        if member.file_size > limits.ratio_floor:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > limits.ratio:
                raise UntrustedFileError(
                    path=path,
                    problem=f"part {member.filename} is compressed {ratio:,.0f} to 1, more than the {limits.ratio} to 1 eql allows (refused as a possible zip bomb)",
                )
        total += member.file_size
        if total > limits.total_bytes:
            raise UntrustedFileError(
                path=path,
                problem=f"decompresses to more than {limits.total_bytes:,} bytes (refused as a possible zip bomb)",
            )


def _scan_declarations(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path, limits: Limits
) -> None:
    tail = b""
    for chunk in _chunks(archive, member, path, limits):
        if not tail:
            _check_encoding(chunk, member, path)
        window = tail + chunk
        if any(marker in window for marker in _DECLARATIONS):
            raise UntrustedFileError(
                path=path,
                problem=f"part {member.filename} declares a document type or XML entities, which Excel never writes (refused: XML that can expand without bound)",
            )
        tail = window[-(_LONGEST_DECLARATION - 1) :]


def _check_encoding(start: bytes, member: zipfile.ZipInfo, path: Path) -> None:
    """Refuse XML in an encoding where the declarations would be other bytes (UTF-7, UTF-32,
    EBCDIC ...): no spreadsheet writes one, and some XML parsers read them.
    """
    if start[:4] in _OTHER_SIGNATURES:
        encoding = "UTF-32 or EBCDIC"
    elif match := _ENCODING.match(start.lstrip(_XML_PROLOGUE)):
        encoding = match.group(1).decode("ascii", "replace")
        if encoding.lower() in _ENCODINGS:
            return
    else:
        return
    raise UntrustedFileError(
        path=path,
        problem=f"part {member.filename} is XML in the encoding {encoding!r}, which no spreadsheet writes; refused",
    )


def open_workbook(
    path: Path | str, *, limits: Limits = DEFAULT_LIMITS, **openpyxl_kwargs: Any
) -> Opened:
    """A workbook from a file eql did not write, checked first; openpyxl's warnings collected."""
    path = Path(path)
    if not openpyxl.DEFUSEDXML:
        raise UntrustedFileError(
            path=path,
            problem="not read: defusedxml is not in use by openpyxl (is OPENPYXL_DEFUSEDXML set to False?)",
        )
    package = read_package(path, limits)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(package.data), **openpyxl_kwargs)
        except EqlError:
            raise
        except Exception as error:  # openpyxl raises anything on a malformed part
            raise UntrustedFileError(
                path=path, problem=f"is not a readable workbook ({_describe(error)})"
            ) from None
    return Opened(
        workbook=workbook,
        warnings=[str(warning.message) for warning in caught],
        uncomputed=package.uncomputed,
        parts=package.parts,
    )


def load_workbook(path: Path | str, **openpyxl_kwargs: Any) -> Workbook:
    """openpyxl.load_workbook for a file eql did not write: refused with a reason if unsafe."""
    return open_workbook(path, **openpyxl_kwargs).workbook


def lost_on_save(path: Path | str, *, keep_vba: bool = False) -> list[str]:
    """What a copy saved by openpyxl would lose of this workbook (charts, images, pivot tables,
    VBA, ...), each once, in a stable order; empty when nothing would be lost.
    """
    return lost_parts(read_package(Path(path)).parts, keep_vba=keep_vba)


def lost_parts(names: tuple[str, ...], *, keep_vba: bool = False) -> list[str]:
    """What a copy saved by openpyxl would lose of a workbook with these parts (see
    :func:`lost_on_save`); for a workbook already opened, whose ``parts`` are at hand.
    """
    lost: list[str] = []
    for prefix, what in _LOST_PARTS:
        if any(name.startswith(prefix) for name in names) and what not in lost:
            lost.append(what)
    if not keep_vba and any(name in _VBA_PARTS for name in names):
        lost.append("VBA macros")
    return lost


def _describe(error: BaseException) -> str:
    """The cause of a parse failure in one line; openpyxl wraps the XML parser's own error."""
    cause: BaseException | None = error
    while cause is not None:
        if type(cause).__name__ in {
            "EntitiesForbidden",
            "DTDForbidden",
            "ExternalReferenceForbidden",
        }:
            return "it declares XML entities or a document type, refused by defusedxml"
        cause = cause.__cause__ or cause.__context__
    text = " ".join(str(error).split())
    name = type(error).__name__
    return f"{name}: {text[:160]}" if text else name
