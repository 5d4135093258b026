"""Conditions to funding: which clauses a funding date fails, and why.

Each condition is computed by the function registered for its kind: ``no_event`` (nothing such as
a CEO change has happened since the term sheet date) or ``milestones`` (after a date, milestones
must have been reached). The terms list the conditions; this module knows only the kinds. The
terms in force on the funding date apply (amendments), and a condition waived for the date does
not block it (waivers): see eql.amendments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from eql.amendments import terms_on, waiver_of
from eql.terms import Condition, Terms
from eql.vocabulary import ConditionKind, registry

Milestones = Mapping[str, dt.date | None]


@dataclass(frozen=True, slots=True)
class Failure:
    """A clause that blocks funding, with the reason in words."""

    clause: str
    reason: str

    def __str__(self) -> str:
        return f"{self.clause} {self.reason}".strip()


def _no_event(
    condition: Condition, day: dt.date, milestones: Milestones, terms: Terms
) -> Failure | None:
    # Reading: the event fails the condition when it is dated after the term sheet date and on or
    # before the funding date; an event dated later has not happened yet.
    assert condition.event is not None
    happened = milestones.get(condition.event)
    if happened is not None and terms.term_sheet_date < happened <= day:
        reason = f"{condition.text} on {happened} ({condition.event}), after the term sheet of {terms.term_sheet_date}"
        return Failure(condition.clause, reason)
    return None


def _milestones(
    condition: Condition, day: dt.date, milestones: Milestones, _terms: Terms
) -> Failure | None:
    # Reading: "with respect to any funding date after the end of" a quarter: strictly after it;
    # a milestone reached on the funding date itself counts.
    assert condition.after is not None
    if day <= condition.after:
        return None
    missing = unreached(condition, day, milestones)
    if not missing:
        return None
    reason = f"{condition.text} needed for funding after {condition.after}: {', '.join(missing)}"
    return Failure(condition.clause, reason)


def unreached(condition: Condition, day: dt.date, milestones: Milestones) -> list[str]:
    """The milestones a condition requires that are not reached by ``day``, in words."""
    missing = []
    for key in condition.requires:
        reached = milestones.get(key)
        if reached is None:
            missing.append(f"{key} not reached")
        elif reached > day:
            missing.append(f"{key} only on {reached}")
    return missing


CONDITION_KINDS: Mapping[
    ConditionKind, Callable[[Condition, dt.date, Milestones, Terms], Failure | None]
] = registry(
    ConditionKind,
    {ConditionKind.NO_EVENT: _no_event, ConditionKind.MILESTONES: _milestones},
    "conditions.CONDITION_KINDS",
)


def outside_term(day: dt.date, terms: Terms) -> Failure | None:
    if terms.in_term(day):
        return None
    return Failure("", f"outside the term ({terms.term_start} .. {terms.term_end})")


def _failing(day: dt.date, milestones: Milestones, terms: Terms) -> list[tuple[Condition, Failure]]:
    """Each condition of the terms in force on ``day`` that fails, waived or not."""
    current = terms_on(day, terms)
    found = []
    for condition in current.conditions:
        failure = CONDITION_KINDS[condition.kind](condition, day, milestones, current)
        if failure is not None:
            found.append((condition, failure))
    return found


def failures(day: dt.date, milestones: Milestones, terms: Terms) -> tuple[Failure, ...]:
    """Every condition that blocks funding on ``day`` under the terms in force then (amendments
    applied); a condition waived for the date does not block. A date outside the term fails
    alone."""
    return judged(day, milestones, terms)[0]


def judged(
    day: dt.date, milestones: Milestones, terms: Terms
) -> tuple[tuple[Failure, ...], tuple[str, ...]]:
    """What :func:`failures` gives for ``day``, and the keys of the conditions that fail on it
    but are waived for it (they pass only because of the waiver), from one pass over the
    conditions."""
    outside = outside_term(day, terms)
    if outside is not None:
        return (outside,), ()
    blocked: list[Failure] = []
    passed: list[str] = []
    for condition, failure in _failing(day, milestones, terms):
        if waiver_of(condition.key, day, terms) is None:
            blocked.append(failure)
        else:
            passed.append(condition.key)
    return tuple(blocked), tuple(passed)


def status_text(found: tuple[Failure, ...], waived_keys: tuple[str, ...] = ()) -> str:
    """``OK``, or ``BLOCKED:`` and each failing clause with its reason; either followed by
    ``(waived: ii, iv)`` when conditions passed only because they were waived."""
    note = f" (waived: {', '.join(waived_keys)})" if waived_keys else ""
    if not found:
        return "OK" + note
    return "BLOCKED: " + "; ".join(str(failure) for failure in found) + note


def standing(condition: Condition, day: dt.date, milestones: Milestones, terms: Terms) -> str:
    """How one condition stands on ``day``: ``FAILS``, ``waived`` (it fails, but is waived for
    the date), ``met``, or ``not yet required`` for a milestone condition whose date has not
    passed and whose milestones are not all reached. The terms in force on ``day`` apply."""
    current = terms_on(day, terms)
    condition = next((c for c in current.conditions if c.key == condition.key), condition)
    if CONDITION_KINDS[condition.kind](condition, day, milestones, current) is not None:
        return "FAILS" if waiver_of(condition.key, day, terms) is None else "waived"
    if condition.kind is ConditionKind.MILESTONES and unreached(condition, day, milestones):
        return "not yet required"
    return "met"
