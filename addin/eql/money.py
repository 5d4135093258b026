"""How amounts are written in messages and reports: thousands separators, cents only when present."""

from __future__ import annotations

from decimal import Decimal


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


def fmt_pct(share: Decimal) -> str:
    """A share as a percentage.

    >>> fmt_pct(Decimal("0.75")), fmt_pct(Decimal("1.00"))
    ('75 %', '100 %')
    """
    value = (share * 100).normalize()
    return f"{value:f} %"
