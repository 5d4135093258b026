"""LibreOffice headless as the tests' spreadsheet engine: recalculate files eql writes.

Each call starts soffice with a fresh, throw-away user profile (so no user setting and no other
soffice process interferes), set to recalculate every formula on load even where a file holds
cached values. CI installs LibreOffice (.ci/run), so nothing here skips.

    recalculate(path, outdir) -> Path                 the recalculated copy of one workbook
    recalculate_many(paths, outdir) -> list[Path]     many workbooks in one soffice run
    convert(paths, outdir, to) -> list[Path]          any export soffice knows: "pdf", "csv" ...
    extension_profile(folder) -> Path                 a profile with eql's extension installed

Each of them takes ``profile=``, a profile made by :func:`extension_profile`, to compute the
EQL_ functions; without it no add-in is loaded.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

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
