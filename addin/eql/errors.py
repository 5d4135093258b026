"""Errors of the engine: one template per class, each naming the input and the value.

Every error carries the Excel error code it becomes in a cell (``#VALUE!``, ``#N/A``, ``#NUM!``);
the Excel adapter turns any of them into cell text in one place.
"""

from __future__ import annotations

from typing import Any, ClassVar


class EqlError(Exception):
    """Root of every error the engine raises on purpose."""

    code: ClassVar[str] = "#VALUE!"
    msg: ClassVar[str] = "{detail}"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__()
        self.kwargs = kwargs

    def __str__(self) -> str:
        return self.msg.format(**self.kwargs)

    def cell_text(self) -> str:
        """The text an Excel function returns for this error."""
        return f"{self.code} {self}"


class InputError(EqlError):
    """A value handed in is not usable: names the input and what it received."""

    msg = "{name} {problem}, got {value}"


class TermsError(EqlError):
    """A terms file or a terms override is not usable."""

    msg = "terms: {detail}"


class MissingCloseError(EqlError):
    code = "#N/A"
    msg = "no closing price for {date} (pricing session {n} of {count})"


class ConflictingCloseError(EqlError):
    msg = "two different closing prices for {date}: {first} and {second} (pricing session {n} of {count})"


class CalendarRangeError(EqlError):
    code = "#NUM!"
    msg = "{date} is outside the {calendar} calendar known to eql ({first} .. {last})"


class OutsideTermError(EqlError):
    code = "#N/A"
    msg = "{date} is outside the term ({start} .. {end})"


class MissingCashUsedError(EqlError):
    code = "#N/A"
    msg = (
        "no cash used in operations entered for {quarter}, needed for condition {clause} on {date}"
    )


class LedgerError(EqlError):
    """A range or table does not have the shape it must have."""

    msg = "{name}: {detail}"
