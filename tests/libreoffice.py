"""LibreOffice headless as the tests' spreadsheet engine: recalculate files eql writes.

Each call starts soffice with a fresh, throw-away user profile (so no user setting and no other
soffice process interferes), set to recalculate every formula on load even where a file holds
cached values. CI installs LibreOffice (.ci/run), so nothing here skips.

    recalculate(path, outdir) -> Path                 the recalculated copy of one workbook
    recalculate_many(paths, outdir) -> list[Path]     many workbooks in one soffice run
    convert(paths, outdir, to) -> list[Path]          any export soffice knows: "pdf", "csv" ...
    extension_profile(folder) -> Path                 a profile with eql's extension installed
    Office(profile).open(path) -> Book                a running office over UNO: calculate_all(),
                                                      cells(sheet), save_xlsx(path)

Each of them takes ``profile=``, a profile made by :func:`extension_profile`, to compute the
EQL_ functions; without it no add-in is loaded.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# 0 = always recalculate on load, for OOXML and ODF files alike.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

TIMEOUT_SECONDS = 300


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise RuntimeError("LibreOffice (soffice) is not installed; .ci/run installs it")
    return found


def _settings(profile: Path) -> None:
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")


def extension_profile(folder: Path) -> Path:
    """A profile in ``folder`` that recalculates on load, with the extension that
    ``eql libreoffice build`` writes installed by ``eql libreoffice install``, as a user does."""
    profile = folder / "profile"
    _settings(profile)
    oxt = folder / "eql.oxt"
    for command in (
        ["libreoffice", "build", "--out", str(oxt)],
        ["libreoffice", "install", "--oxt", str(oxt), "--profile", str(profile)],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "eql.cli", *command],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"eql {' '.join(command)} failed: {done.stderr}{done.stdout}")
    return profile


def convert(
    paths: Sequence[Path], outdir: Path, to: str, profile: Path | None = None
) -> list[Path]:
    """Each file converted by one soffice run into ``outdir``, under its own stem.

    ``to`` is a soffice --convert-to target such as ``xlsx``, ``pdf`` or a full filter string.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    sources = [Path(p).resolve() for p in paths]
    for source in sources:
        if source.parent == outdir.resolve():
            raise ValueError(f"{source} is in {outdir}: the converted copy would replace it")
    with tempfile.TemporaryDirectory(prefix="eql-lo-profile-") as fresh:
        if profile is None:
            _settings(Path(fresh))
        result = subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation={(profile or Path(fresh)).resolve().as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                *map(str, sources),
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    extension = to.split(":", 1)[0]
    outputs = [outdir / f"{source.stem}.{extension}" for source in sources]
    missing = [str(p) for p in outputs if not p.is_file()]
    if result.returncode != 0 or missing:
        raise RuntimeError(
            f"soffice failed (status {result.returncode}); missing {missing}\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return outputs


def recalculate_many(
    paths: Sequence[Path], outdir: Path, profile: Path | None = None
) -> list[Path]:
    """Recalculated xlsx copies of ``paths`` in ``outdir``, from one soffice run."""
    return convert(paths, outdir, "xlsx", profile)


def recalculate(path: Path, outdir: Path, profile: Path | None = None) -> Path:
    """The recalculated xlsx copy of ``path`` in ``outdir``."""
    return recalculate_many([path], outdir, profile)[0]


# --- a running office driven over UNO ---------------------------------------------------------
#
# The tests that judge the template need more than a conversion: an office with the EQL_
# extension installed in its own profile, a workbook loaded, recalculated with calculateAll(),
# every cell read back, and the result saved as .xlsx. One soffice process serves them all.

# Where LibreOffice's Python-UNO bridge (uno.py) lives when the tests' Python is not the office's
# own: Debian's python3-uno, then the office's program folder (Windows, macOS, LibreOffice.org's
# own Linux packages).
UNO_PLACES = (
    Path("/usr/lib/python3/dist-packages"),
    Path("/usr/lib/libreoffice/program"),
    Path("/opt/libreoffice/program"),
)
START_SECONDS = 120
XLSX_FILTER = "Calc MS Excel 2007 XML"
# com.sun.star.sheet.FormulaResult: what a formula cell holds after calculation.
FORMULA_RESULT_ERROR = 4


def uno_module() -> Any:
    """The ``uno`` module, imported from the office when the tests' Python lacks it."""
    if "uno" in sys.modules:
        return sys.modules["uno"]
    try:
        return importlib.import_module("uno")
    except ImportError:
        pass
    for place in UNO_PLACES:
        path = place / "uno.py"
        if path.is_file():
            spec = importlib.util.spec_from_file_location("uno", path)
            assert spec is not None
            assert spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules["uno"] = module
            spec.loader.exec_module(module)
            return module
    raise RuntimeError("LibreOffice's Python-UNO bridge (uno.py) is not installed: python3-uno")


def _properties(**values: Any) -> tuple[Any, ...]:
    uno = uno_module()
    return tuple(
        uno.createUnoStruct("com.sun.star.beans.PropertyValue", name, 0, value, 0)
        for name, value in values.items()
    )


@dataclass(frozen=True)
class CellError:
    """A cell whose formula gives a spreadsheet error, as the office shows it (``#N/A``)."""

    text: str


Cell = float | str | CellError | None


class Office:
    """soffice headless on a private profile, driven over a named pipe.

    ``with Office(profile) as office, office.open(path) as book: book.calculate_all()``. The
    profile is the office's own: with eql's extension installed in it, the EQL_ functions compute.
    """

    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self.process: subprocess.Popen[bytes] | None = None
        self.context: Any = None
        self.desktop: Any = None
        self.pipe = ""

    def __enter__(self) -> Office:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def start(self) -> None:
        uno = uno_module()
        self.pipe = f"eql-{uuid.uuid4().hex}"
        self.process = subprocess.Popen(
            [
                soffice(),
                f"-env:UserInstallation={self.profile.as_uri()}",
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                "--nodefault",
                f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                self.context = resolver.resolve(
                    f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
                )
                break
            except Exception as error:  # NoConnectException is a UNO type, not importable here
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"soffice did not start: {error}") from None
                time.sleep(0.25)
        self.desktop = self.context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", self.context
        )

    def stop(self) -> None:
        if self.desktop is not None:
            with contextlib.suppress(Exception):  # the bridge closes as the office quits
                self.desktop.terminate()
        self.desktop = self.context = None
        if self.process is not None:
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def open(self, path: Path) -> Book:
        """The workbook at ``path``, loaded hidden (and so computed once, on load)."""
        uno = uno_module()
        url = uno.systemPathToFileUrl(str(path.resolve()))
        document = self.desktop.loadComponentFromURL(url, "_blank", 0, _properties(Hidden=True))
        if document is None:
            raise RuntimeError(f"LibreOffice could not open {path}")
        return Book(document)


class Book:
    """A workbook open in the office."""

    def __init__(self, document: Any) -> None:
        self.document = document

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.document.close(True)

    def calculate_all(self) -> float:
        """Recalculate every formula, as Ctrl+Shift+F9 does; the seconds it took."""
        start = time.perf_counter()
        self.document.calculateAll()
        return time.perf_counter() - start

    def sheet_names(self) -> list[str]:
        return list(self.document.Sheets.ElementNames)

    def cells(self, sheet: str) -> list[list[Cell]]:
        """The sheet's used area as rows of values: numbers (dates as serial numbers), text,
        ``CellError`` for a formula's error, and None for an empty cell."""
        area = self.document.Sheets.getByName(sheet)
        cursor = area.createCursor()
        cursor.gotoEndOfUsedArea(False)
        end = cursor.RangeAddress
        block = area.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow)
        values = block.getDataArray()
        formulas = block.getFormulaArray()
        rows: list[list[Cell]] = []
        for r, (row_values, row_formulas) in enumerate(zip(values, formulas, strict=True)):
            row: list[Cell] = []
            for c, (value, formula) in enumerate(zip(row_values, row_formulas, strict=True)):
                if formula.startswith(("=", "{=")):  # {=...}: a cell of an array formula
                    cell = block.getCellByPosition(c, r)
                    if cell.FormulaResultType2 == FORMULA_RESULT_ERROR:
                        row.append(CellError(cell.getString()))
                        continue
                if value is None or (value == "" and formula == ""):
                    row.append(None)
                else:
                    row.append(float(value) if isinstance(value, int | float) else str(value))
            rows.append(row)
        return rows

    def set_value(self, sheet: str, address: str, value: float) -> None:
        self.document.Sheets.getByName(sheet).getCellRangeByName(address).setValue(value)

    def save_xlsx(self, path: Path) -> Path:
        """A copy of the computed workbook as .xlsx; refuses to write over an existing file."""
        if path.exists():
            raise FileExistsError(path)
        uno = uno_module()
        url = uno.systemPathToFileUrl(str(path.resolve()))
        self.document.storeToURL(url, _properties(FilterName=XLSX_FILTER))
        return path
