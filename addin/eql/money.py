"""How amounts and counts are written in messages and reports: thousands separators, cents only
when present, a noun in the plural only when the count is not one."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction


def fmt_money(amount: Decimal) -> str:
    """``5,000,000`` or ``1,250.50``; exact, never rounded to hide a fraction of a cent.

    >>> fmt_money(Decimal("5000000")), fmt_money(Decimal("1250.5")), fmt_money(Decimal("0.125"))
    ('5,000,000', '1,250.50', '0.125')
    """
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    text = f"{amount:,f}"
    whole, _, cents = text.partition(".")
    return f"{whole}.{cents.rstrip('0').ljust(2, '0')}"


# A price in a message: at most this many places; a longer one (a mean of three closes is often a
# repeating decimal) is rounded there and marked, the exact value being the cell's, never the text's.
PRICE_PLACES = 6


def fmt_price(price: Decimal | Fraction) -> str:
    """A price per share as a message gives it: as written when it has at most six places, else
    rounded half-up to six and marked ``~``, as the schedule shows such a price; an exact fraction
    (PriceQuote.exact_price) likewise.

    >>> fmt_price(Decimal("0.5287")), fmt_price(Decimal("1.00")), fmt_price(Decimal(491) / 300)
    ('0.5287', '1.00', '~1.636667')
    >>> fmt_price(Fraction(491, 300)), fmt_price(Fraction(5, 4)), fmt_price(Fraction(37501, 30000))
    ('~1.636667', '1.25', '~1.250033')
    """
    if isinstance(price, Fraction):
        scaled = price * 10**PRICE_PLACES
        if scaled.denominator == 1:
            return f"{Decimal(scaled.numerator).scaleb(-PRICE_PLACES).normalize():f}"
        return f"~{Decimal(math.floor(scaled + Fraction(1, 2))).scaleb(-PRICE_PLACES):f}"
    rounded = price.quantize(Decimal(1).scaleb(-PRICE_PLACES), rounding="ROUND_HALF_UP")
    return f"{price:f}" if rounded == price else f"~{rounded:f}"


def fmt_pct(share: Decimal) -> str:
    """A share as a percentage.

    >>> fmt_pct(Decimal("0.75")), fmt_pct(Decimal("1.00"))
    ('75 %', '100 %')
    """
    value = (share * 100).normalize()
    return f"{value:f} %"


def counted(count: int, noun: str) -> str:
    """A count with its noun, plural unless the count is one.

    >>> counted(1, "finding"), counted(2, "finding"), counted(0, "draw"), counted(1200, "draw")
    ('1 finding', '2 findings', '0 draws', '1,200 draws')
    """
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"
