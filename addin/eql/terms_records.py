"""The parts of a facility's terms: its pricing rule, limits, conditions, waivers and
amendments, as frozen records (the whole is :class:`eql.terms_reader.Terms`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from eql.terms_names import Entry
from eql.vocabulary import (
    ConditionKind,
    LimitKind,
    PriceSeries,
    PricingRuleKind,
    PricingWindow,
    ShareCapKind,
)


@dataclass(frozen=True)
class PricingRule:
    """How a purchase price is set: ``factor`` × the ``rule`` over ``sessions`` sessions."""

    rule: PricingRuleKind
    sessions: int
    window: PricingWindow
    factor: Decimal
    rounding: str  # "none", or "<quantum> <mode>" such as "0.0001 half_up"
    series: PriceSeries = PriceSeries.CLOSE  # the daily price averaged: close, or closing bid
    lowest: int = 0  # for mean_lowest: how many of the lowest daily prices are averaged
    floor: Decimal | None = None  # no purchase at a price below it; None: no floor


@dataclass(frozen=True)
class AcceleratedPurchase:
    """An accelerated purchase (``[purchases.accelerated]``), made on a day the company makes a
    regular purchase of the most shares it may: priced by ``pricing`` over the sessions of its
    window (the accelerated purchase date: the session after the purchase date), at the lesser
    of the rule's value over each of ``series``; at most the lesser of ``regular_multiple`` times
    the regular purchase share limit and ``volume_share`` of the shares traded in the window."""

    pricing: PricingRule  # its series is the first of ``series``
    series: tuple[PriceSeries, ...]
    volume_share: Decimal
    regular_multiple: Decimal


@dataclass(frozen=True)
class Limit:
    """One limit on funding, named by the terms: per period, the commitment, cash used, or a
    multiple of the traded value before the notice."""

    key: str
    kind: LimitKind
    label: str
    clause: str
    period: str  # a Period, or "" for a limit not counted per period (the commitment)
    amount: Decimal | None
    schedule: tuple[tuple[str, Decimal], ...]  # fiscal quarter label -> share of cash used
    # A limit by traded value: at most ``multiple`` x the mean of ``sessions`` sessions' traded
    # value, each session's ``price`` (its VWAP, close or bid) x its volume.
    multiple: Decimal | None = None
    sessions: int = 0
    price: PriceSeries = PriceSeries.VWAP

    @property
    def name(self) -> str:
        """The limit as a status or a complaint names it: its clause and label."""
        return f"{self.clause} {self.label}".strip()


@dataclass(frozen=True)
class Condition:
    """One condition to funding: no event since the term sheet, or milestones after a date."""

    key: str
    kind: ConditionKind
    clause: str
    text: str
    event: str | None
    after: dt.date | None
    requires: tuple[str, ...]


@dataclass(frozen=True)
class Waiver:
    """The investor's waiver of named conditions for funding dates from ``start`` to ``end``
    inclusive (``[waivers.<name>]``): a waived condition that fails does not block funding, and the
    status says it passed only because it was waived. ``applies = false`` sets it aside."""

    key: str
    conditions: tuple[str, ...]  # keys of [conditions.<key>] tables
    start: dt.date
    end: dt.date
    source: str
    applies: bool


@dataclass(frozen=True)
class Amendment:
    """Terms changed from a date on (``[amendments.<name>]``): from ``effective``, every term named
    in ``changes`` takes its new value for funding and purchase dates on or after it."""

    key: str
    effective: dt.date
    changes: tuple[Entry, ...]  # dotted term name -> new value
    source: str
    applies: bool


@dataclass(frozen=True)
class ShareCap:
    """A cap counted in shares (``[share_caps.<name>]``): the exchange cap on the shares issued
    under the agreement, or the investor's beneficial ownership cap.

    ``share`` is the cap as a share of the shares outstanding (0.1999 for 19.99 %). The exchange
    cap counts from the shares outstanding on the latest date on or before ``signed``; it is lifted
    from ``approved_on`` when ``approved`` (stockholders approved issuing more), and for purchases
    that keep the average price of the shares sold at or above ``minimum_price`` (None: the
    agreement has no such exception). ``unpaid_in_average`` says whether shares issued for no
    cash (commitment shares) count in that average. ``count_issued_since`` says whether shares
    issued under the agreement after the date of the latest count are added to it (outstanding,
    and for the ownership cap the investor's holdings)."""

    key: str
    kind: ShareCapKind
    share: Decimal
    label: str
    source: str
    count_issued_since: bool = True
    signed: dt.date | None = None
    minimum_price: Decimal | None = None
    approved: bool = False
    approved_on: dt.date | None = None
    unpaid_in_average: bool = False
