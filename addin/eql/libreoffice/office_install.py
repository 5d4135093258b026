"""Installs an extension from inside LibreOffice, through its own extension manager.

``unopkg`` refuses to install into a user profile when run as root; the office itself does not.
``eql libreoffice install`` copies this file into the profile's Python scripts, starts soffice
headless with ``install`` as the script to run, and removes the file again. It runs in
LibreOffice's Python, so it imports nothing of eql. The environment names the extension
(``EQL_INSTALL_OXT``) and the file that receives the outcome (``EQL_INSTALL_REPORT``).
"""

from __future__ import annotations

import os
from typing import Any

import uno  # type: ignore[import-not-found]
import unohelper  # type: ignore[import-not-found]
from com.sun.star.task import XInteractionHandler  # type: ignore[import-not-found]
from com.sun.star.ucb import (  # type: ignore[import-not-found]
    XCommandEnvironment,
    XProgressHandler,
)

APPROVE = "com.sun.star.task.XInteractionApprove"


class Approve(unohelper.Base, XInteractionHandler):  # type: ignore[misc]
    """Says yes where the manager asks (replacing an earlier version of the extension)."""

    def handle(self, request: Any) -> None:
        for choice in request.getContinuations():
            if choice.queryInterface(uno.getTypeByName(APPROVE)):
                choice.select()
                return


class Silent(unohelper.Base, XProgressHandler):  # type: ignore[misc]
    def push(self, status: Any) -> None:
        pass

    def update(self, status: Any) -> None:
        pass

    def pop(self) -> None:
        pass


class Environment(unohelper.Base, XCommandEnvironment):  # type: ignore[misc]
    def getInteractionHandler(self) -> Any:  # noqa: N802  (UNO's method names)
        return Approve()

    def getProgressHandler(self) -> Any:  # noqa: N802
        return Silent()


def install(*_: Any) -> None:
    context = uno.getComponentContext()
    manager = context.getValueByName("/singletons/com.sun.star.deployment.ExtensionManager")
    try:
        url = uno.systemPathToFileUrl(os.environ["EQL_INSTALL_OXT"])
        added = manager.addExtension(url, (), "user", None, Environment())
        outcome = "installed" if added is not None else "not installed"
    except Exception as error:  # reported by the command, which runs outside this process
        outcome = f"failed: {getattr(error, 'Message', '') or error!r}"
    with open(os.environ["EQL_INSTALL_REPORT"], "w", encoding="utf-8") as report:  # noqa: PTH123
        report.write(outcome)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    desktop.terminate()


g_exportedScripts = (install,)
