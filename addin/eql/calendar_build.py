"""Writes a calendar's sessions into the small data file the engine reads.

Run ``python -m eql.calendar_build XNAS`` to regenerate ``data/sessions_XNAS.txt`` from
exchange_calendars. The engine then needs neither pandas nor exchange_calendars to know the
trading days, and starts in milliseconds; a test checks the file still equals exchange_calendars.
"""

from __future__ import annotations

import argparse
import datetime as dt
import warnings
from pathlib import Path

FIRST = "1990-01-01"
LAST = "2030-12-31"


def exchange_sessions(calendar: str, first: str = FIRST, last: str = LAST) -> list[dt.date]:
    """The sessions exchange_calendars knows for ``calendar`` between two dates, inclusive."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas deprecations inside exchange_calendars
        import exchange_calendars  # noqa: PLC0415  (slow; only this maintenance path needs it)

        schedule = exchange_calendars.get_calendar(calendar, start=first, end=last)
        return [stamp.date() for stamp in schedule.sessions]


def closures_text(calendar: str, sessions: list[dt.date]) -> str:
    first, last = sessions[0], sessions[-1]
    open_days = set(sessions)
    lines = [
        f"# {calendar} trading sessions: every weekday from 'first' to 'last' except the closures",
        "# listed below. Generated from exchange_calendars by `python -m eql.calendar_build "
        f"{calendar}`;",
        "# tests/test_calendar.py checks that it still agrees.",
        f"calendar {calendar}",
        f"first {first.isoformat()}",
        f"last {last.isoformat()}",
    ]
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in open_days:
            lines.append(day.isoformat())
        day += dt.timedelta(days=1)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("calendar", help="exchange code, e.g. XNAS")
    args = parser.parse_args()
    target = Path(__file__).parent / "data" / f"sessions_{args.calendar}.txt"
    target.write_text(
        closures_text(args.calendar, exchange_sessions(args.calendar)), encoding="utf-8"
    )
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
