"""What changed after signing, by date: the terms in force on a date, and the waivers that cover it.

A terms file may add ``[amendments.<name>]`` (terms changed from an effective date on) and
``[waivers.<name>]`` (conditions the investor waived for funding dates in a range). Both are
dated data of the terms; this module answers, for one date, which of them are in force.
"""

from __future__ import annotations

import bisect
import datetime as dt

from eql.terms import Amendment, Terms, Waiver
from eql.values import show


def terms_on(day: dt.date, terms: Terms) -> Terms:
    """The terms in force on ``day``: the signed terms, changed by every amendment that applies
    and is effective on or before it."""
    versions = terms.versions
    if not versions or day < versions[0][0]:
        return terms
    at = bisect.bisect_right(versions, day, key=lambda version: version[0])
    return versions[at - 1][1]


def waiver_of(condition: str, day: dt.date, terms: Terms) -> Waiver | None:
    """The waiver that covers condition ``condition`` (its key) on funding date ``day``, if any."""
    for waiver in terms.waivers:
        if waiver.applies and waiver.start <= day <= waiver.end and condition in waiver.conditions:
            return waiver
    return None


def waivers_on(day: dt.date, terms: Terms) -> tuple[Waiver, ...]:
    """Every waiver that applies to funding date ``day``."""
    return tuple(w for w in terms.waivers if w.applies and w.start <= day <= w.end)


def amendments_by(day: dt.date, terms: Terms) -> tuple[Amendment, ...]:
    """Every amendment that applies and is effective on or before ``day``, in date order."""
    found = (a for a in terms.amendments if a.applies and a.effective <= day)
    return tuple(sorted(found, key=lambda amendment: amendment.effective))


def waivers_during(start: dt.date, end: dt.date, terms: Terms) -> tuple[Waiver, ...]:
    """Every waiver that applies to some funding date from ``start`` to ``end``."""
    return tuple(w for w in terms.waivers if w.applies and w.start <= end and start <= w.end)


def amendment_text(amendment: Amendment) -> str:
    """An amendment in a line: what it sets, and its source."""
    changes = ", ".join(f"{name} = {show(value)}" for name, value in amendment.changes)
    return f"{changes} ({amendment.source})"


def waiver_text(waiver: Waiver) -> str:
    """A waiver in a line: the conditions, the funding dates, and its source."""
    return (
        f"conditions {', '.join(waiver.conditions)} waived for funding "
        f"{waiver.start} .. {waiver.end} ({waiver.source})"
    )
