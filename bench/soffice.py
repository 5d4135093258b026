"""LibreOffice headless for the benchmark: a fresh profile that recalculates every file on load,
conversions timed from outside, and ``calculateAll()`` timed inside the office by a Basic macro."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

# Opens a workbook hidden and times calculateAll() (every formula, dependencies or not) inside
# LibreOffice, so neither start-up nor loading nor saving is in the figure.
RECALC_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Bench
    Dim args(0) As New com.sun.star.beans.PropertyValue
    args(0).Name = &quot;Hidden&quot;
    args(0).Value = True
    t = GetSystemTicks()
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(Environ(&quot;EQL_BENCH_FILE&quot;)), &quot;_blank&quot;, 0, args())
    result = (GetSystemTicks() - t)
    For i = 1 To CInt(Environ(&quot;EQL_BENCH_RUNS&quot;))
        t = GetSystemTicks()
        doc.calculateAll()
        result = result &amp; &quot; &quot; &amp; (GetSystemTicks() - t)
    Next i
    If Environ(&quot;EQL_BENCH_SAVE&quot;) &lt;&gt; &quot;&quot; Then
        Dim save(0) As New com.sun.star.beans.PropertyValue
        save(0).Name = &quot;FilterName&quot;
        save(0).Value = &quot;Calc MS Excel 2007 XML&quot;
        doc.storeToURL(ConvertToURL(Environ(&quot;EQL_BENCH_SAVE&quot;)), save())
    End If
    f = FreeFile
    Open Environ(&quot;EQL_BENCH_OUT&quot;) For Output As #f
    Print #f, result
    Close #f
    doc.close(True)
    StarDesktop.terminate()
End Sub
</script:module>
"""


class LibreOffice:
    """soffice headless with a fresh profile that recalculates every file on load."""

    def __init__(self, root: Path) -> None:
        self.profile = root / "profile"
        (self.profile / "user").mkdir(parents=True)
        (self.profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
        self.binary = shutil.which("soffice") or shutil.which("libreoffice")

    def _run(self, args: list[str], env: dict[str, str] | None = None) -> None:
        assert self.binary is not None
        done = subprocess.run(
            [
                self.binary,
                f"-env:UserInstallation={self.profile.as_uri()}",
                "--headless",
                "--norestore",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
            env=None if env is None else {**os.environ, **env},
        )
        if done.returncode != 0:
            raise SystemExit(f"bench: soffice failed: {done.stdout}{done.stderr}")

    def convert(self, source: Path, outdir: Path) -> Path:
        self._run(["--convert-to", "xlsx", "--outdir", str(outdir), str(source)])
        target = outdir / f"{source.stem}.xlsx"
        if not target.is_file():
            raise SystemExit(f"bench: soffice wrote no {target}")
        return target

    def recalculation(
        self, source: Path, runs: int, work: Path, save: Path
    ) -> tuple[float, list[float]]:
        """Seconds to load ``source`` (computing it), and to recalculate all of it ``runs`` times;
        the computed workbook is saved to ``save``."""
        module = self.profile / "user" / "basic" / "Standard" / "Module1.xba"
        module.write_text(RECALC_MACRO, encoding="utf-8")
        out = work / "recalc.txt"
        env = {
            "EQL_BENCH_FILE": str(source),
            "EQL_BENCH_RUNS": str(runs),
            "EQL_BENCH_OUT": str(out),
            "EQL_BENCH_SAVE": str(save),
        }
        self._run(
            ["vnd.sun.star.script:Standard.Module1.Bench?language=Basic&location=application"], env
        )
        load, *times = (int(ms) / 1000 for ms in out.read_text(encoding="utf-8").split())
        return load, times
