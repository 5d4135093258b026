"""Installs the extension into a LibreOffice user profile.

As an ordinary user this is ``unopkg add``, LibreOffice's own installer. ``unopkg`` refuses a
user profile when run as root (it wants ``--shared``, which writes into the installation for every
user), so as root the office installs it itself: soffice runs headless with
:mod:`eql.libreoffice.office_install` as a script, which asks LibreOffice's extension manager.
Either way LibreOffice must not be running on the same profile.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from eql.errors import EqlError

TIMEOUT_SECONDS = 300
SCRIPT = Path(__file__).with_name("office_install.py")


class InstallError(EqlError):
    msg = "libreoffice install: {detail}"


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        beside = Path(soffice).resolve().parent / name if soffice else None
        if beside is None or not beside.is_file():
            raise InstallError(detail=f"{name} not found: is LibreOffice installed?")
        return str(beside)
    return found


def _profile_option(profile: Path | None) -> list[str]:
    return [f"-env:UserInstallation={profile.resolve().as_uri()}"] if profile else []


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def default_profile() -> Path:
    """Where LibreOffice keeps the user's profile on Linux (root's, when installing as root)."""
    return Path.home() / ".config" / "libreoffice" / "4"


def install(oxt: Path, profile: Path | None = None) -> str:
    """Installs ``oxt`` (replacing an earlier version) and says how."""
    if not oxt.is_file():
        raise InstallError(detail=f"{oxt} does not exist; build it with: eql libreoffice build")
    if _is_root():
        return _install_from_office(oxt.resolve(), profile or default_profile())
    done = subprocess.run(
        [
            _program("unopkg"),
            "add",
            "--force",
            "--suppress-license",
            *_profile_option(profile),
            str(oxt.resolve()),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        detail = " ".join((done.stderr or done.stdout).split())
        raise InstallError(detail=f"unopkg failed (status {done.returncode}): {detail}")
    return "unopkg add"


def _install_from_office(oxt: Path, profile: Path) -> str:
    scripts = profile / "user" / "Scripts" / "python"
    scripts.mkdir(parents=True, exist_ok=True)
    script = scripts / "eql_office_install.py"
    shutil.copyfile(SCRIPT, script)
    with tempfile.TemporaryDirectory(prefix="eql-install-") as scratch:
        report = Path(scratch) / "report.txt"
        try:
            done = subprocess.run(
                [
                    _program("soffice"),
                    *_profile_option(profile),
                    "--headless",
                    "--norestore",
                    "vnd.sun.star.script:eql_office_install.py$install?language=Python&location=user",
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
                env={**os.environ, "EQL_INSTALL_OXT": str(oxt), "EQL_INSTALL_REPORT": str(report)},
            )
        finally:
            with contextlib.suppress(FileNotFoundError):
                script.unlink()
        outcome = report.read_text(encoding="utf-8") if report.is_file() else ""
    if outcome != "installed":
        detail = outcome or " ".join((done.stderr or done.stdout).split()) or "no report"
        raise InstallError(
            detail=f"LibreOffice did not install {oxt.name} into {profile} ({detail}); is "
            "LibreOffice running on that profile, or its Python script support "
            "(libreoffice-script-provider-python on Debian) missing?"
        )
    return "LibreOffice's extension manager (unopkg refuses a user profile as root)"
