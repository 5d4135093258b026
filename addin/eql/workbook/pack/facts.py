"""The engine's facts a pack shows, computed once: every sheet reads them from here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from eql.caps import Cap, Facts, Room, room_on
from eql.facility import Facility
from eql.ledger import ScheduleRow
from eql.quarters import FiscalQuarter
from eql.terms import Limit, Terms
from eql.vocabulary import LimitKind
from eql.workbook.layout import EXAMPLE


def pack_date(quarter: FiscalQuarter, terms: Terms) -> dt.date:
    """The day a pack states the facility as of: the quarter's last day, or the term's last day
    when the term ends inside the quarter (after it nothing may be funded and no limit has room)."""
    return min(quarter.end, terms.term_end)


@dataclass(frozen=True)
class PackFacts:
    """A facility as known on a quarter's last day, with its schedule and its cap on that day."""

    facility: Facility
    quarter: FiscalQuarter
    schedule: Sequence[ScheduleRow]
    facts: Facts
    last_day: Cap
    example: bool = False

    @property
    def terms(self) -> Terms:
        return self.facility.terms

    @property
    def as_of(self) -> dt.date:
        """The quarter's last day, or the term's when the term ends inside the quarter."""
        return pack_date(self.quarter, self.terms)

    @property
    def name(self) -> str:
        """The pack's name, as its title and footer say it."""
        name = f"{self.terms.name}: quarter-end pack {self.quarter.label}"
        return f"{EXAMPLE}: {name}" if self.example else name

    @property
    def footer(self) -> str:
        # & starts a code in a page footer; && prints one.
        return f"{self.name}, as of {self.as_of}".replace("&", "&&")

    def room(self, day: dt.date, limit: Limit) -> Room:
        """One limit's room on ``day``; on the as-of date, as the pack's cap counted it."""
        if day == self.as_of:
            return next(r for r in self.last_day.rooms if r.key == limit.key)
        return room_on(day, limit, self.facts, self.terms)

    def limit(self, kind: LimitKind) -> Limit | None:
        return self.terms.limit(kind)

    @property
    def in_quarter(self) -> list[ScheduleRow]:
        return [row for row in self.schedule if row.request.date >= self.quarter.start]

    @property
    def funded_to_date(self) -> Decimal:
        return self.facts.funded.through(self.as_of)

    @property
    def funded_in_quarter(self) -> Decimal:
        return self.facts.funded.between(self.quarter.start, self.as_of)

    def commitment_less_reductions(self, day: dt.date) -> Decimal | None:
        """What the commitment allows on ``day`` once the reductions in force are taken off."""
        limit = self.limit(LimitKind.COMMITMENT)
        return None if limit is None else self.room(day, limit).allowed

    def reductions_in_force(self, day: dt.date) -> Decimal | None:
        allowed = self.commitment_less_reductions(day)
        return None if allowed is None else self.terms.commitment - allowed

    def period_start(self, room: Room) -> dt.date:
        """The first day whose draws count against ``room``'s limit."""
        return room.allowance.since or self.terms.term_start
