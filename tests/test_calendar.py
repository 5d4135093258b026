"""The shipped session file is exchange_calendars' XNAS, 1990 to 2030, day for day.

The engine reads ``addin/eql/data/sessions_XNAS.txt`` with the standard library so that Excel's
first call does not pay for pandas; this test is what keeps that file honest. Regenerate it with
``python -m eql.calendar_build XNAS`` when exchange_calendars learns of a new closure.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest

from eql.calendar import Sessions, parse_sessions_file, sessions
from eql.calendar_build import closures_text, exchange_sessions


@pytest.fixture(scope="module")
def shipped() -> Sessions:
    text = resources.files("eql").joinpath("data", "sessions_XNAS.txt").read_text(encoding="utf-8")
    return parse_sessions_file(text)


@pytest.fixture(scope="module")
def exchange() -> list[dt.date]:
    return exchange_sessions("XNAS", "1990-01-01", "2030-12-31")


def test_shipped_sessions_equal_exchange_calendars(
    shipped: Sessions, exchange: list[dt.date]
) -> None:
    assert shipped.calendar == "XNAS"
    assert (shipped.first, shipped.last) == (exchange[0], exchange[-1])
    ours = [dt.date.fromordinal(o) for o in shipped.ordinals]
    missing = sorted(set(exchange) - set(ours))
    extra = sorted(set(ours) - set(exchange))
    assert not missing, f"sessions of exchange_calendars missing from the file: {missing[:10]}"
    assert not extra, f"days the file calls sessions that exchange_calendars does not: {extra[:10]}"
    assert ours == exchange


def test_the_file_is_what_the_generator_writes(exchange: list[dt.date]) -> None:
    shipped = resources.files("eql").joinpath("data", "sessions_XNAS.txt")
    assert shipped.read_text(encoding="utf-8") == closures_text("XNAS", exchange)


# Closures and sessions known from the exchange's own history, not from any calendar library.
@pytest.mark.parametrize(
    ("day", "open_"),
    [
        ("2001-09-11", False),  # the attacks: closed 09-11 .. 09-14
        ("2001-09-14", False),
        ("2001-09-17", True),  # reopened
        ("2002-03-29", False),  # Good Friday
        ("2002-07-05", True),  # early close, still a session
        ("2004-06-11", False),  # national day of mourning for President Reagan
        ("2007-01-02", False),  # national day of mourning for President Ford
        ("2012-10-29", False),  # Hurricane Sandy: closed two days
        ("2012-10-30", False),
        ("2018-12-05", False),  # national day of mourning for President G. H. W. Bush
        ("2022-06-20", False),  # Juneteenth observed, first year on the exchanges
        ("2025-01-09", False),  # national day of mourning for President Carter
        ("2030-12-25", False),  # Christmas, the file's last year
    ],
)
def test_known_closures_and_sessions(day: str, open_: bool) -> None:
    assert sessions("XNAS").is_session(dt.date.fromisoformat(day)) is open_
