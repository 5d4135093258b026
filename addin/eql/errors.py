"""Errors of the engine: one template per class, each naming the input and the value.

Every error carries the Excel error code it becomes in a cell (``#VALUE!``, ``#N/A``, ``#NUM!``);
the Excel adapter turns any of them into cell text in one place.
"""

from __future__ import annotations

from typing import Any, ClassVar

# The most characters an Excel cell holds; a longer message is cut and says how long it was.
CELL_TEXT_LIMIT = 32767


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
        """The text an Excel function returns for this error, never more than a cell holds."""
        text = f"{self.code} {self}"
        if len(text) <= CELL_TEXT_LIMIT:
            return text
        size = f"... (a message of {len(text):,} characters, cut to fit a cell)"
        return text[: CELL_TEXT_LIMIT - len(size)] + size


class InputError(EqlError):
    """A value handed in is not usable: names the input and what it received."""

    msg = "{name} {problem}, got {value}"


class TermsError(EqlError):
    """A terms file or a terms override is not usable."""

    msg = "terms: {detail}"


class MissingCloseError(EqlError):
    code = "#N/A"
    msg = "no closing price for {date} (pricing session {n} of {count})"


class MissingBidError(MissingCloseError):
    msg = "no closing bid for {date} (pricing session {n} of {count})"


class MissingVwapError(MissingCloseError):
    msg = "no daily VWAP for {date} (pricing session {n} of {count})"


class PricePendingError(EqlError):
    code = "#N/A"
    msg = "price pending: {pending} of {count} pricing sessions still to come ({days})"


class MissingLowError(EqlError):
    code = "#N/A"
    msg = "no lowest sale price for {date}, the purchase date (the {where} of prices)"


class MissingColumnError(EqlError):
    """A prices range without a column the terms read (a header that names no volume column)."""

    code = "#N/A"
    msg = "prices has no {column} column, needed for {use}: {layout}"


class MissingMarketDataError(EqlError):
    """A day of the market data a limit reads (its VWAP, its volume) that the prices lack."""

    code = "#N/A"
    msg = "no {what} for {date}{row}, needed for {use}"


class MissingPricesError(EqlError):
    """A limit that reads market data asked without a prices range (EQL_CAP's optional one)."""

    code = "#N/A"
    msg = "no prices given: limit {limit} on {date} reads the {columns} of the {count} sessions before it"


class ConflictingMarketDataError(EqlError):
    msg = "two different {what} for {date}: {first} and {second}, needed for {use}"


class ConflictingLowError(EqlError):
    msg = "two different lowest sale prices for {date}, the purchase date: {first} and {second}"


class BelowFloorError(EqlError):
    """A purchase the terms forbid: its price is below the floor price."""

    code = "#N/A"
    msg = "no purchase on {date}: the price {price} is below the floor price {floor}"


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


class ResultRangeError(EqlError):
    """A result that no spreadsheet cell can hold as the number it is."""

    code = "#NUM!"
    msg = "{what} would be {value}, {problem}"


class FiscalRangeError(EqlError):
    code = "#NUM!"
    msg = "{date} falls in fiscal year FY{year}, which ends after 9999-12-31, the last date a spreadsheet holds"


class MissingShareCountError(EqlError):
    """A share cap needs a count of shares (outstanding, or the investor's holdings) dated on or
    before a date, and the range has none."""

    code = "#N/A"
    msg = "{name}: no {what} dated on or before {date}, needed for {needed}"


class AcceleratedPendingError(PricePendingError):
    """An accelerated purchase whose market data (its VWAP, close or volume) is still to come."""

    msg = "accelerated purchase pending: the {what} of {days} (the accelerated purchase {dates}) still to come"


class NoShareLimitError(EqlError):
    code = "#N/A"
    msg = "the terms set no per-purchase share limit ({detail})"
