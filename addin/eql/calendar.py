"""Trading sessions, from a small data file shipped with the package.

The file lists a calendar's weekday closures (see :mod:`eql.calendar_build`); reading it needs only
the standard library, so the first Excel call pays milliseconds rather than a pandas import. A
calendar with no shipped file is asked of exchange_calendars, lazily.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from eql.errors import CalendarRangeError, TermsError


@dataclass(frozen=True)
class Sessions:
    """The sessions of one exchange between ``first`` and ``last``, as sorted day ordinals."""

    calendar: str
    first: dt.date
    last: dt.date
    ordinals: tuple[int, ...]

    def _check(self, day: dt.date) -> None:
        if not self.first <= day <= self.last:
            raise CalendarRangeError(
                date=day, calendar=self.calendar, first=self.first, last=self.last
            )

    def is_session(self, day: dt.date) -> bool:
        self._check(day)
        index = bisect.bisect_left(self.ordinals, day.toordinal())
        return index < len(self.ordinals) and self.ordinals[index] == day.toordinal()

    def before(self, day: dt.date, count: int) -> tuple[dt.date, ...]:
        """The ``count`` sessions strictly before ``day``, oldest first."""
        self._check(day)
        end = bisect.bisect_left(self.ordinals, day.toordinal())
        if end < count:
            raise CalendarRangeError(
                date=day, calendar=self.calendar, first=self.first, last=self.last
            )
        return tuple(dt.date.fromordinal(o) for o in self.ordinals[end - count : end])

    def between(self, first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
        """The sessions from ``first`` to ``last``, inclusive."""
        low = bisect.bisect_left(self.ordinals, first.toordinal())
        high = bisect.bisect_right(self.ordinals, last.toordinal())
        return tuple(dt.date.fromordinal(o) for o in self.ordinals[low:high])


def parse_sessions_file(text: str) -> Sessions:
    header: dict[str, str] = {}
    closures: set[int] = set()
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line[0].isalpha():
            key, _, value = line.partition(" ")
            header[key] = value.strip()
        else:
            closures.add(dt.date.fromisoformat(line).toordinal())
    first = dt.date.fromisoformat(header["first"])
    last = dt.date.fromisoformat(header["last"])
    ordinals = tuple(
        o
        for o in range(first.toordinal(), last.toordinal() + 1)
        if o % 7 not in (6, 0) and o not in closures  # ordinal % 7: 6 is Saturday, 0 is Sunday
    )
    return Sessions(header["calendar"], first, last, ordinals)


@lru_cache(maxsize=8)
def sessions(calendar: str) -> Sessions:
    """The sessions of ``calendar`` (XNAS, XNYS ...), loaded once per process."""
    name = f"sessions_{calendar}.txt"
    data = resources.files("eql").joinpath("data", name)
    if data.is_file():
        return parse_sessions_file(data.read_text(encoding="utf-8"))
    return _from_exchange_calendars(calendar)


def _from_exchange_calendars(calendar: str) -> Sessions:
    from eql.calendar_build import FIRST, LAST, exchange_sessions  # noqa: PLC0415

    try:
        days = exchange_sessions(calendar, FIRST, LAST)
    except ImportError:
        raise TermsError(detail=f"calendar {calendar} needs exchange_calendars installed") from None
    except Exception as error:  # exchange_calendars' own InvalidCalendarName and kin
        raise TermsError(detail=f"unknown calendar {calendar!r} ({type(error).__name__})") from None
    return Sessions(calendar, days[0], days[-1], tuple(day.toordinal() for day in days))
