"""Share room: how many shares may be issued on a date under every cap the terms count in shares,
and which cap binds.

Each kind of cap is computed by the function registered for it: the exchange cap (the shares
issued under the agreement, at most a share of those outstanding at signing, unless stockholders
approved more or the average price stays at or above the minimum price) and the beneficial
ownership cap (the investor's holdings, at most a share of the shares outstanding after the
purchase). The room of a cap is the largest number of shares such that every purchase of that
many or fewer is allowed; counts are whole shares, rounded down, in exact arithmetic.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from fractions import Fraction

from eql.amendments import terms_on
from eql.errors import MissingShareCountError
from eql.money import fmt_money, fmt_pct, fmt_price
from eql.records import DatedCount, Issue
from eql.terms import Terms
from eql.terms_records import ShareCap
from eql.vocabulary import ShareCapKind, registry


@dataclass(frozen=True)
class CapRoom:
    """One share cap on one date: the shares outstanding it is a share of, the shares counted
    against it (issued under the agreement, or held by the investor), the room left (None: the
    cap does not limit a purchase on the date) and how that was reached."""

    cap: ShareCap
    base: int
    counted: int
    room: int | None
    basis: str

    @property
    def name(self) -> str:
        return self.cap.label


@dataclass(frozen=True)
class ShareRoom:
    """The most shares that may be issued on ``date`` under every share cap, and why: ``shares``
    is None when no cap limits the date (the terms name none, or every one is lifted)."""

    date: dt.date
    rooms: tuple[CapRoom, ...]
    shares: int | None
    binding: tuple[CapRoom, ...]

    @property
    def binds(self) -> str:
        return " and ".join(room.name for room in self.binding)


@dataclass(frozen=True, slots=True)
class Issued:
    """What was issued under the agreement up to a date: every share, the shares sold for cash
    (an amount paid above 0), and the amount paid for them."""

    shares: int
    sold: int
    paid: Decimal


# Running totals of amounts are added without rounding, whatever their size and number.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


class IssuedShares:
    """The shares issued under the agreement, in date order, with running totals: what was
    issued up to a date is one search, however many rows (a ledger asks on every request, and
    adds each purchase it funds)."""

    __slots__ = ("_dates", "_issues", "_totals")

    def __init__(self, issues: Iterable[Issue] = ()) -> None:
        self._issues: list[Issue] = sorted(issues, key=lambda issue: issue.date)
        self._dates = [issue.date for issue in self._issues]
        self._totals: list[Issued] = [Issued(0, 0, Decimal(0))]
        self._total_from(0)

    def _total_from(self, index: int) -> None:
        del self._totals[index + 1 :]
        for issue in self._issues[index:]:
            last = self._totals[-1]
            sold = issue.shares if issue.paid > 0 else 0
            paid = _EXACT.add(last.paid, issue.paid)
            self._totals.append(Issued(last.shares + issue.shares, last.sold + sold, paid))

    def add(self, issue: Issue) -> None:
        """Counts ``issue`` too; one dated before others is put in its place."""
        at = bisect.bisect_right(self._dates, issue.date)
        self._issues.insert(at, issue)
        self._dates.insert(at, issue.date)
        self._total_from(at)

    def by(self, day: dt.date) -> Issued:
        """What was issued on or before ``day``: a row dated later is not yet issued."""
        return self._totals[bisect.bisect_right(self._dates, day)]


@dataclass(frozen=True)
class ShareFacts:
    """What the share caps of a date are computed from: the shares issued under the agreement,
    the counts of shares outstanding and of the investor's holdings (each oldest first), and the
    proposed purchase's price per share (None: not given)."""

    date: dt.date
    issued: IssuedShares
    outstanding: Sequence[DatedCount]
    holdings: Sequence[DatedCount]
    price: Decimal | Fraction | None = None


def share_room(facts: ShareFacts, terms: Terms) -> ShareRoom:
    """The room under each share cap of the terms in force on ``facts.date``; the least binds."""
    caps = terms_on(facts.date, terms).share_caps
    rooms = tuple(_ROOMS[cap.kind](facts, cap) for cap in caps)
    limited = [room for room in rooms if room.room is not None]
    if not limited:
        return ShareRoom(facts.date, rooms, None, ())
    least = min(room.room for room in limited if room.room is not None)
    return ShareRoom(
        facts.date, rooms, least, tuple(room for room in limited if room.room == least)
    )


def exceeded(shares: int, room: ShareRoom) -> tuple[CapRoom, ...]:
    """The caps a purchase of ``shares`` would break: each whose room is smaller."""
    return tuple(cap for cap in room.rooms if cap.room is not None and shares > cap.room)


def latest_count(
    counts: Sequence[DatedCount], day: dt.date, name: str, what: str, needed: str
) -> DatedCount:
    """The count dated on or before ``day`` (the latest such): a count dated later is not known
    on the date; none at all is refused, naming the range and what needed it."""
    at = bisect.bisect_right(counts, day, key=lambda count: count.date)
    if at == 0:
        raise MissingShareCountError(name=name, what=what, date=day, needed=needed)
    return counts[at - 1]


def _exchange(facts: ShareFacts, cap: ShareCap) -> CapRoom:
    """At most ``share`` of the shares outstanding at signing, issued under the agreement in all;
    lifted from the date stockholders approved more, and to the extent the average price of all
    shares sold, the proposed purchase's included, is at least the minimum price."""
    signed = cap.signed or facts.date
    base = latest_count(
        facts.outstanding,
        signed,
        "outstanding",
        "shares outstanding",
        f"share_caps.{cap.key} (the count at signing, {signed})",
    )
    allowed = math.floor(Fraction(cap.share) * base.shares)
    issued = facts.issued.by(facts.date)
    used = issued.shares
    head = (
        f"{fmt_pct(cap.share)} of {base.shares:,} shares outstanding on {base.date} (the latest "
        f"count on or before signing, {signed}) is {allowed:,} shares; {used:,} issued on or "
        f"before {facts.date}"
    )
    if cap.approved and cap.approved_on is not None and cap.approved_on <= facts.date:
        return CapRoom(
            cap,
            base.shares,
            used,
            None,
            f"{head}; no limit: stockholders approved issuing more on {cap.approved_on}",
        )
    within = max(0, allowed - used)
    room, note = _minimum_price(facts, cap, issued, within)
    return CapRoom(cap, base.shares, used, room, f"{head}; {note}")


def _minimum_price(
    facts: ShareFacts, cap: ShareCap, issued: Issued, within: int
) -> tuple[int | None, str]:
    """The room once the minimum-price exception is counted: N shares at price p keep the
    average price of all shares sold at or above the minimum price M when A + N p >= M (S + N),
    S shares having been sold for A."""
    if cap.minimum_price is None:
        return within, f"room {within:,}"
    low = Fraction(cap.minimum_price)
    # Shares issued for no cash paid nothing: counted in the average, they only add shares.
    count, paid = issued.shares if cap.unpaid_in_average else issued.sold, issued.paid
    so_far = f"{count:,} shares sold for {fmt_money(paid)}"
    shown = fmt_price(cap.minimum_price)
    if facts.price is None:
        return within, (
            f"room {within:,} (the minimum-price exception is not counted without the purchase "
            "price)"
        )
    price = Fraction(facts.price)
    at = fmt_price(price)
    surplus = Fraction(paid) - low * count  # what the sales so far paid above the minimum price
    if price >= low and surplus >= 0:
        return None, (
            f"no limit: {so_far}, and any number at {at} keeps the average price at or above "
            f"the minimum price {shown}"
        )
    if price > low:
        needed = math.ceil(-surplus / (price - low))
        if needed <= within + 1:
            return None, (
                f"no limit: up to {within:,} within the cap, and {needed:,} or more at {at} lift "
                f"the average price of {so_far} to the minimum price {shown}"
            )
        return within, (
            f"room {within:,}: {so_far}, and only {needed:,} or more at {at} would lift the "
            f"average price to the minimum price {shown}"
        )
    if surplus < 0 or price == low:
        return (
            within,
            f"room {within:,}: {so_far}, an average price below the minimum price {shown}",
        )
    above = math.floor(surplus / (low - price))
    if above <= within:
        return within, (
            f"room {within:,}: {so_far}; at {at}, below the minimum price {shown}, "
            f"{above:,} shares keep the average price at or above it"
        )
    return above, (
        f"room {above:,}: {so_far}; at {at}, below the minimum price {shown}, up to {above:,} "
        "shares keep the average price of all shares sold at or above it"
    )


def _ownership(facts: ShareFacts, cap: ShareCap) -> CapRoom:
    """The investor's holdings H and the shares outstanding O on the date: a purchase of N shares
    must leave (H + N) / (O + N) at most ``share``, so N <= (share x O - H) / (1 - share)."""
    needed = f"share_caps.{cap.key} on {facts.date}"
    out = latest_count(facts.outstanding, facts.date, "outstanding", "shares outstanding", needed)
    held = latest_count(facts.holdings, facts.date, "holdings", "holdings", needed)
    outstanding, outstanding_text = _since(facts, cap, out, "outstanding")
    holding, holding_text = _since(facts, cap, held, "held")
    share = Fraction(cap.share)
    most = (share * outstanding - holding) / (1 - share)
    head = f"{holding_text}; {outstanding_text}"
    if most < 0:
        return CapRoom(
            cap,
            outstanding,
            holding,
            0,
            f"{head}; already above {fmt_pct(cap.share)} of the shares outstanding: room 0",
        )
    room = math.floor(most)
    return CapRoom(
        cap,
        outstanding,
        holding,
        room,
        f"{head}; (held + N) / (outstanding + N) at most {fmt_pct(cap.share)}: N at most "
        f"({cap.share} x {outstanding:,} - {holding:,}) / (1 - {cap.share}): room {room:,}",
    )


def _since(facts: ShareFacts, cap: ShareCap, count: DatedCount, what: str) -> tuple[int, str]:
    """A count on the date: the latest count, and, as the cap says, the shares issued under the
    agreement after its date and on or before the date (issued shares are outstanding, and the
    investor is counted as still holding them)."""
    shown = f"{count.shares:,} {what} on {count.date}"
    if not cap.count_issued_since:
        return count.shares, shown
    later = facts.issued.by(facts.date).shares - facts.issued.by(count.date).shares
    if not later:
        return count.shares, shown
    total = count.shares + later
    return total, f"{total:,} {what} ({shown} + {later:,} issued since)"


_ROOMS: Mapping[ShareCapKind, Callable[[ShareFacts, ShareCap], CapRoom]] = registry(
    ShareCapKind,
    {ShareCapKind.EXCHANGE: _exchange, ShareCapKind.OWNERSHIP: _ownership},
    "eql.share_caps",
)
