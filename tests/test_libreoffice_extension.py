"""The extension as a file: what ``eql libreoffice build`` puts in it, what it refuses, and what
the add-in needs at run time (LibreOffice's own Python has none of eql's dependencies)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import types
import zipfile
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree

import eql
from eql.cli import main
from eql.functions import FUNCTIONS
from eql.libreoffice import build, interface

CONFIG = "{http://openoffice.org/2001/registry}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def oxt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("oxt") / "eql.oxt"
    assert main(["libreoffice", "build", "--out", str(target)]) == 0
    return target


def test_the_manifest_lists_types_component_and_configuration(oxt: Path) -> None:
    with zipfile.ZipFile(oxt) as archive:
        manifest = ElementTree.fromstring(archive.read("META-INF/manifest.xml"))
        names = set(archive.namelist())
    listed = {
        entry.get("{http://openoffice.org/2001/manifest}full-path")
        for entry in manifest.iter("{http://openoffice.org/2001/manifest}file-entry")
    }
    assert listed == {"eql.rdb", "eql.components", "CalcAddIns.xcu"}
    assert listed <= names
    assert "eql_addin.py" in names


def test_eql_travels_inside(oxt: Path) -> None:
    with zipfile.ZipFile(oxt) as archive:
        names = set(archive.namelist())
    for needed in (
        "pythonpath/eql/functions/__init__.py",
        "pythonpath/eql/libreoffice/component.py",
        "pythonpath/eql/data/valence_2002.toml",
        "pythonpath/eql/data/sessions_XNAS.txt",
    ):
        assert needed in names
    assert not any("__pycache__" in name for name in names)


def test_every_function_has_its_excel_name_and_help(oxt: Path) -> None:
    with zipfile.ZipFile(oxt) as archive:
        root = ElementTree.fromstring(archive.read("CalcAddIns.xcu"))
    functions = {
        node.get(f"{CONFIG}name"): node
        for node in root.iter("node")
        if node.get(f"{CONFIG}name") in FUNCTIONS
    }
    assert set(functions) == set(FUNCTIONS)
    for name, node in functions.items():
        texts = {
            prop.get(f"{CONFIG}name"): (value.text, value.get(XML_LANG))
            for prop in node.findall("prop")
            for value in prop.findall("value")
        }
        assert texts["CompatibilityName"] == (name, "en-US")
        assert texts["Description"] == (FUNCTIONS[name].description, "en-US")
        params = [
            {
                prop.get(f"{CONFIG}name"): prop.find("value").text  # type: ignore[union-attr]
                for prop in param.findall("prop")
            }
            for param in node.find("node").findall("node")  # type: ignore[union-attr]
        ]
        assert params == [
            {"DisplayName": param.name, "Description": param.help}
            for param in FUNCTIONS[name].params
        ]


def test_tables_are_declared_as_rows_of_cells() -> None:
    idl = interface.idl()
    for name, declared in FUNCTIONS.items():
        kind = interface.TABLE if declared.returns_table else "any"
        assert f"{kind} {name}(" in idl


def test_a_build_without_the_sdk_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(build.shutil, "which", lambda _name: None)
    assert main(["libreoffice", "build", "--out", str(tmp_path / "eql.oxt")]) == 2
    error = capsys.readouterr().err
    assert "unoidl-write" in error
    assert "libreoffice-dev" in error
    assert not (tmp_path / "eql.oxt").exists()


def test_a_build_never_replaces_a_file_unless_forced(
    oxt: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = oxt.read_bytes()
    assert main(["libreoffice", "build", "--out", str(oxt)]) == 2
    assert "--force" in capsys.readouterr().err
    assert oxt.read_bytes() == before


def test_the_functions_need_only_the_standard_library() -> None:
    """What the add-in imports when LibreOffice calls it: eql and the standard library only."""
    program = """
import sys
from eql.functions import FUNCTIONS
from eql.libreoffice import interface
P = [["2002-03-25", 2.40], ["2002-03-26", 2.50], ["2002-03-27", 2.60], ["2002-03-28", 2.45],
     ["2002-04-01", 2.55]]
args = {"purchase_date": 37348.0, "day": 37348.0, "draw_date": 37348.0, "funding_date": 37348.0,
        "amount": 5e6, "price": 2.125, "prices": P, "draws": [["2002-04-15", 1e6]],
        "cash_used": [["FY2003 Q1", 6e6]], "milestones": [["MAC", ""]], "reductions": None,
        "terms": None, "issued": [["2002-04-01", 100, 0]], "outstanding": [["2002-03-01", 1e6]],
        "holdings": None}
for declared in FUNCTIONS.values():
    result = declared.compute(*(args[p.name] for p in declared.params))
    assert not (isinstance(result, str) and "could not evaluate" in result), result
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    loaded = set(done.stdout.split())
    assert "eql" in loaded
    assert loaded.isdisjoint({"xlwings", "openpyxl", "pandas", "numpy", "exchange_calendars"})


def test_an_ordinary_user_installs_with_unopkg(oxt: Path) -> None:
    """Not root, install is unopkg's own (as root it is the office's; the other tests use that).
    Run as root, the test installs as the unprivileged user 'nobody'."""
    with tempfile.TemporaryDirectory(prefix="eql-user-") as scratch:
        _install_as_user(oxt, Path(scratch))


def _install_as_user(oxt: Path, tmp_path: Path) -> None:
    folder = tmp_path / "user"
    shutil.copytree(Path(eql.__file__).parent, folder / "eql")
    shutil.copy(oxt, folder / "eql.oxt")
    profile = folder / "profile"
    program = (
        "from pathlib import Path; from eql.libreoffice.install import install; "
        f"print(install(Path({str(folder / 'eql.oxt')!r}), Path({str(profile)!r})))"
    )
    as_user: list[str] = []
    python = sys.executable
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root without runuser: no ordinary user to install as")
        subprocess.run(["chown", "-R", "nobody", str(tmp_path)], check=True)
        tmp_path.chmod(0o755)
        as_user = [runuser, "-u", "nobody", "--"]
        python = "/usr/bin/python3"  # LibreOffice's Python: eql alone, as the extension has it
    environment = {**os.environ, "HOME": str(folder), "PYTHONPATH": str(folder)}
    done = subprocess.run(
        [*as_user, python, "-c", program],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )
    assert done.stdout.strip() == "unopkg add", done.stderr
    listed = subprocess.run(
        [*as_user, "unopkg", "list", f"-env:UserInstallation={profile.as_uri()}"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )
    assert "org.eql.calc.extension" in listed.stdout, listed.stderr


def test_the_python_minimum_is_eqls_own() -> None:
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text("utf-8"))
    required = project["project"]["requires-python"].removeprefix(">=")
    assert tuple(int(part) for part in required.split(".")) == interface.MINIMUM_PYTHON


def test_an_older_python_gets_cells_that_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice on Windows and macOS brings its own Python: if it is older than eql needs,
    every function answers with the reason, not an unexplained error."""
    registered: dict[str, Any] = {}

    class Helper:
        def addImplementation(self, cls: type, name: str, services: tuple[str, ...]) -> None:  # noqa: N802
            registered.update(cls=cls, name=name, services=services)

    unohelper = types.ModuleType("unohelper")
    unohelper.Base = type("Base", (), {})  # type: ignore[attr-defined]
    unohelper.ImplementationHelper = Helper  # type: ignore[attr-defined]
    calc = types.ModuleType("org.eql.calc")
    calc.XEqlFunctions = type("XEqlFunctions", (), {})  # type: ignore[attr-defined]
    for name, module in {
        "unohelper": unohelper,
        "org": types.ModuleType("org"),
        "org.eql": types.ModuleType("org.eql"),
        "org.eql.calc": calc,
    }.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(sys, "version_info", (3, 10, 16, "final", 0))
    monkeypatch.setattr(sys, "version", "3.10.16 (main, Dec 2024)")
    exec(compile(interface.loader(), interface.LOADER, "exec"), {})  # noqa: S102
    problem = "#VALUE! eql needs Python 3.11 or later; this LibreOffice runs Python 3.10.16"
    addin = registered["cls"](None)
    assert registered["name"] == "org.eql.calc.EqlFunctions"
    assert addin.EQL_PRICE(None, 37348.0, None, None) == problem
    assert addin.EQL_FISCAL_QUARTER(37348.0, None) == problem
    assert addin.EQL_SCHEDULE(None, None, None, None, None, None, None) == ((problem,),)
    assert all(hasattr(addin, name) for name in FUNCTIONS)
