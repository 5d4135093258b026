"""How an EQL_ function is declared: its arguments as the function wizard shows them, and the one
registry both adapters read.

``declare`` registers a function under its own name in ``FUNCTIONS``, in the order the functions
are declared (the order of the LibreOffice interface's methods), and wraps it so that every error
it raises comes back as cell text: no function ever raises into a sheet.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eql.errors import EqlError


@dataclass(frozen=True)
class Param:
    """One argument as the function wizard shows it."""

    name: str
    help: str
    is_range: bool = False  # a block of cells, handed over as rows
    optional: bool = False


@dataclass(frozen=True)
class Declared:
    """A spreadsheet function: what it does, its arguments, and whether it returns a table."""

    name: str
    description: str
    params: tuple[Param, ...]
    returns_table: bool
    compute: Callable[..., Any]


FUNCTIONS: dict[str, Declared] = {}


def declare(
    description: str, *params: Param, returns_table: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Registers a function under its own name; every error it raises becomes cell text."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        safe = _cell_errors(function)
        FUNCTIONS[function.__name__] = Declared(
            function.__name__, description, params, returns_table, safe
        )
        return safe

    return register


def _cell_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """Turns every error into cell text, in one place, so no function raises into a sheet."""

    @functools.wraps(function)
    def safe(*args: Any) -> Any:
        try:
            return function(*args)
        except EqlError as error:
            return error.cell_text()
        except RecursionError:
            return f"#VALUE! {function.__name__}: the input is nested too deeply"
        except Exception as error:  # the last line of defence: a cell, never a traceback
            return f"#VALUE! {function.__name__} could not evaluate this input ({type(error).__name__}: {error})"

    return safe
