"""Reading workbooks eql did not write: bombs and expanding XML refused before openpyxl parses,
with a message naming the file and the reason, in bounded memory. Every hostile file is built here.
"""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from eql import census, untrusted
from eql.untrusted import Limits, UntrustedFileError, load_workbook, lost_on_save

MIB = 1024 * 1024

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>\n"
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>'
    "</worksheet>"
)


def plain_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Funding date"
    workbook.active["B1"] = "Amount"
    workbook.save(path)
    return path


def rebuilt(source: Path, target: Path, replace: dict[str, bytes], *, level: int = 6) -> Path:
    """A copy of a workbook's package with some parts replaced or added."""
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as copy,
    ):
        for member in original.infolist():
            if member.filename not in replace:
                copy.writestr(member, original.read(member.filename))
        for name, data in replace.items():
            copy.writestr(name, data)
    return target


def with_streamed_part(source: Path, target: Path, name: str, block: bytes, count: int) -> Path:
    """A copy with one part written block by block, so a huge part never sits in memory."""
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy,
    ):
        for member in original.infolist():
            copy.writestr(member, original.read(member.filename))
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with copy.open(info, "w", force_zip64=True) as stream:
            for _ in range(count):
                stream.write(block)
    return target


def refusal(path: Path, **kwargs: object) -> str:
    with pytest.raises(UntrustedFileError) as caught:
        load_workbook(path, **kwargs)
    message = str(caught.value)
    assert message.startswith(str(path))
    return message


def test_a_plain_workbook_loads(tmp_path: Path) -> None:
    workbook = load_workbook(plain_workbook(tmp_path / "ok.xlsx"))
    assert workbook.active["A1"].value == "Funding date"
    assert lost_on_save(tmp_path / "ok.xlsx") == []


def test_keyword_arguments_reach_openpyxl(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = 2
    workbook.active["A2"] = "=A1*2"
    workbook.save(path)
    assert load_workbook(path).active["A2"].value == "=A1*2"
    assert load_workbook(path, data_only=True).active["A2"].value is None  # never computed


def test_zip_bomb_is_refused_from_the_directory_in_bounded_memory(tmp_path: Path) -> None:
    # 300 MiB of blanks in one part: a third of a megabyte on disk.
    bomb = with_streamed_part(
        plain_workbook(tmp_path / "ok.xlsx"),
        tmp_path / "bomb.xlsx",
        "xl/worksheets/sheet2.xml",
        b" " * MIB,
        300,
    )
    assert bomb.stat().st_size < 2 * MIB
    tracemalloc.start()
    try:
        message = refusal(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "xl/worksheets/sheet2.xml decompresses to 314,572,800 bytes" in message
    assert "zip bomb" in message
    assert peak < 2 * bomb.stat().st_size + 4 * MIB


def test_high_compression_ratio_is_refused(tmp_path: Path) -> None:
    # 40 MiB is under the per-part limit, but 40 MiB of blanks compresses about 1000 to 1.
    bomb = with_streamed_part(
        plain_workbook(tmp_path / "ok.xlsx"),
        tmp_path / "ratio.xlsx",
        "xl/sharedStrings2.xml",
        b" " * MIB,
        40,
    )
    message = refusal(bomb)
    assert "is compressed" in message
    assert "to 1, more than the 200 to 1" in message


def test_total_size_and_part_count_are_limited(tmp_path: Path) -> None:
    source = plain_workbook(tmp_path / "ok.xlsx")
    parts = {f"xl/extra/part{n}.xml": b"<a/>" * 1000 for n in range(20)}
    many = rebuilt(source, tmp_path / "many.xlsx", parts)
    with pytest.raises(UntrustedFileError, match=r"holds 2[0-9] parts, more than the 10"):
        untrusted.read_package(many, Limits(members=10))
    with pytest.raises(UntrustedFileError, match="decompresses to more than 50,000 bytes"):
        untrusted.read_package(many, Limits(total_bytes=50_000))
    with pytest.raises(UntrustedFileError, match=r"is .* bytes, more than the 1,000 eql reads"):
        untrusted.read_package(many, Limits(file_bytes=1_000))


def test_too_many_parts_at_the_default_limit(tmp_path: Path) -> None:
    parts = {f"xl/e/{n}": b"" for n in range(10_001)}
    many = rebuilt(plain_workbook(tmp_path / "ok.xlsx"), tmp_path / "many.xlsx", parts)
    assert "more than the 10,000 eql reads" in refusal(many)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_expanding_xml_is_refused_before_parsing(tmp_path: Path, encoding: str) -> None:
    xml = BILLION_LAUGHS.replace('version="1.0"', f'version="1.0" encoding="{encoding}"')
    laughs = rebuilt(
        plain_workbook(tmp_path / "ok.xlsx"),
        tmp_path / "laughs.xlsx",
        {"xl/worksheets/sheet1.xml": xml.encode(encoding)},
    )
    message = refusal(laughs)
    assert "xl/worksheets/sheet1.xml declares a document type or XML entities" in message


# Names of binary parts (images, printer settings, embedded objects), each given to an XML part.
DISGUISES = [
    "xl/media/image1.png",
    "xl/media/photo.JPEG",
    "xl/printerSettings/printerSettings1.bin",
    "xl/embeddings/oleObject1.bin",
    "xl/worksheets/sheet1.emf",
]


@pytest.mark.parametrize("name", DISGUISES)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_xml_under_a_binary_name_wired_in_as_a_sheet_is_scanned(
    tmp_path: Path, name: str, encoding: str
) -> None:
    # The workbook's relationships point the sheet at a part named like an image: openpyxl
    # parses it as XML whatever its name, so the scan judges a part by its bytes.
    source = plain_workbook(tmp_path / "ok.xlsx")
    with zipfile.ZipFile(source) as original:
        rels = original.read("xl/_rels/workbook.xml.rels").decode()
    assert "/xl/worksheets/sheet1.xml" in rels
    xml = BILLION_LAUGHS.replace('version="1.0"', f'version="1.0" encoding="{encoding}"')
    laughs = rebuilt(
        source,
        tmp_path / "disguised.xlsx",
        {
            "xl/_rels/workbook.xml.rels": rels.replace(
                "/xl/worksheets/sheet1.xml", f"/{name}"
            ).encode(),
            name: xml.encode(encoding),
        },
    )
    assert f"part {name} declares a document type or XML entities" in refusal(laughs)


@pytest.mark.parametrize("name", DISGUISES)
def test_xml_under_a_binary_name_is_scanned_wired_in_or_not(tmp_path: Path, name: str) -> None:
    laughs = rebuilt(
        plain_workbook(tmp_path / "ok.xlsx"),
        tmp_path / "extra.xlsx",
        {name: b"\n  " + BILLION_LAUGHS.split("\n", 1)[1].encode()},
    )
    assert f"part {name} declares a document type or XML entities" in refusal(laughs)


def test_a_real_image_is_not_read_as_xml(tmp_path: Path) -> None:
    # PNG bytes that happen to hold the text of a declaration: no XML parser reads a part that
    # starts with PNG's signature, so it is not refused.
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16 + b"<!DOCTYPE x>" + b"\x00" * 16
    with_image = rebuilt(
        plain_workbook(tmp_path / "ok.xlsx"), tmp_path / "img.xlsx", {"xl/media/image1.png": png}
    )
    assert load_workbook(with_image).active["A1"].value == "Funding date"


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0" encoding="utf-7"?><worksheet/>',
        b'<?xml version="1.0" encoding="cp500"?><worksheet/>',
        '<?xml version="1.0" encoding="UTF-32"?><worksheet/>'.encode("utf-32"),
        '<?xml version="1.0"?><worksheet/>'.encode("utf-32-le"),
        '<?xml version="1.0"?><worksheet/>'.encode("cp500"),
    ],
    ids=["utf-7", "ebcdic declared", "utf-32 with a mark", "utf-32", "ebcdic"],
)
def test_xml_in_an_encoding_that_hides_declarations_is_refused(tmp_path: Path, data: bytes) -> None:
    # In these encodings a document type is other bytes than the scan looks for.
    odd = rebuilt(
        plain_workbook(tmp_path / "ok.xlsx"), tmp_path / "odd.xlsx", {"xl/media/image2.png": data}
    )
    assert "part xl/media/image2.png is XML in the encoding" in refusal(odd)


def test_a_declaration_split_across_read_chunks_is_found(tmp_path: Path) -> None:
    padding = b" " * (64 * 1024 - 4)  # the first chunk ends inside "<!DOCTYPE"
    laughs = rebuilt(
        plain_workbook(tmp_path / "ok.xlsx"),
        tmp_path / "split.xlsx",
        {"xl/worksheets/sheet1.xml": padding + BILLION_LAUGHS.split("\n", 1)[1].encode()},
    )
    assert "declares a document type" in refusal(laughs)


def test_defusedxml_refuses_entities_that_get_past_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The byte scan is the first line, the parser that counts cells the second (it stops at the
    # document type, before any entity is expanded), openpyxl parsing with defusedxml the third.
    monkeypatch.setattr(untrusted, "_DECLARATIONS", ())
    laughs = rebuilt(
        plain_workbook(tmp_path / "ok.xlsx"),
        tmp_path / "laughs.xlsx",
        {"xl/worksheets/sheet1.xml": BILLION_LAUGHS.encode()},
    )
    assert "sheet 'Sheet' declares a document type" in refusal(laughs)
    monkeypatch.setattr(census._PartReader, "declaration", lambda *_: None)
    assert "refused by defusedxml" in refusal(laughs)


def test_openpyxl_without_defusedxml_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    assert "defusedxml is not in use" in refusal(plain_workbook(tmp_path / "ok.xlsx"))


def test_files_that_are_not_workbooks(tmp_path: Path) -> None:
    text = tmp_path / "ledger.xlsx"
    text.write_text("Funding date,Amount\n2002-04-01,1000000\n")
    assert "is a text file (CSV?), not an Excel workbook" in refusal(text)
    assert refusal(text).endswith("save it as .xlsx")

    # An OpenDocument package starts with an uncompressed 'mimetype' part naming its type
    # (OASIS OpenDocument 1.2, part 3, section 3.3).
    ods = tmp_path / "ledger.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert "is an OpenDocument spreadsheet (.ods)" in refusal(ods)
    assert refusal(ods).endswith("save it as .xlsx (Excel 2007-365)")

    legacy = tmp_path / "old.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert "Excel 97-2003 (.xls) or a password-protected workbook" in refusal(legacy)

    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert "is not an Excel workbook" in refusal(empty)

    good = plain_workbook(tmp_path / "ok.xlsx").read_bytes()
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good[: len(good) // 2])
    assert "damaged zip" in refusal(truncated)

    other_zip = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "is not an Excel workbook" in refusal(other_zip)

    binary = rebuilt(
        tmp_path / "ok.xlsx", tmp_path / "binary.xlsx", {"xl/workbook.bin": b"\x00" * 10}
    )
    assert "binary workbook (.xlsb)" in refusal(binary)

    assert "does not exist" in refusal(tmp_path / "missing.xlsx")
    assert "is not a file" in refusal(tmp_path)


def test_a_part_that_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    source = plain_workbook(tmp_path / "ok.xlsx")
    liar = rebuilt(source, tmp_path / "liar.xlsx", {"xl/extra.xml": b"<a>" + b" " * 5000 + b"</a>"})
    data = bytearray(liar.read_bytes())
    # Shrink the declared size of the last part in the central directory to 10 bytes.
    with zipfile.ZipFile(liar) as archive:
        info = archive.getinfo("xl/extra.xml")
    directory = data.rfind(b"PK\x01\x02")
    assert data[directory + 46 : directory + 46 + len(info.filename)] == info.filename.encode()
    data[directory + 24 : directory + 28] = (10).to_bytes(4, "little")
    liar.write_bytes(bytes(data))
    message = refusal(liar)
    assert "xl/extra.xml cannot be read" in message


def test_a_damaged_sheet_is_refused_with_a_reason(tmp_path: Path) -> None:
    broken = rebuilt(
        plain_workbook(tmp_path / "ok.xlsx"),
        tmp_path / "broken.xlsx",
        {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"},
    )
    assert "is not a readable workbook" in refusal(broken)


def test_what_openpyxl_would_lose_on_save(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in ([1, 2], [3, 4]):
        sheet.append(row)
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=1, min_row=1, max_row=2))
    sheet.add_chart(chart, "D2")
    workbook.save(tmp_path / "chart.xlsx")
    assert lost_on_save(tmp_path / "chart.xlsx") == [
        "charts",
        "drawings (shapes, pictures, text boxes)",
    ]

    macros = rebuilt(
        plain_workbook(tmp_path / "ok.xlsx"),
        tmp_path / "macros.xlsm",
        {
            "xl/vbaProject.bin": b"\x00" * 64,
            "xl/pivotTables/pivotTable1.xml": b"<pivotTableDefinition/>",
            "xl/media/image1.png": b"\x89PNG",
        },
    )
    assert lost_on_save(macros) == ["images", "pivot tables", "VBA macros"]
    assert lost_on_save(macros, keep_vba=True) == ["images", "pivot tables"]


def test_a_corrupt_compressed_part_is_refused(tmp_path: Path) -> None:
    # Found by fuzzing: zlib's own error escaped from a damaged deflate stream.
    source = rebuilt(
        plain_workbook(tmp_path / "ok.xlsx"),
        tmp_path / "corrupt.xlsx",
        {"xl/extra.xml": b"<a>" + b"text " * 2000 + b"</a>"},
    )
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo("xl/extra.xml")
    data = bytearray(source.read_bytes())
    name_length = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    data[start] = 0xFF  # a deflate block of the reserved type 3
    source.write_bytes(bytes(data))
    assert "part xl/extra.xml cannot be read (Error -3 while decompressing data" in refusal(source)
