"""How amounts are written in messages and reports: thousands separators, cents only when present."""

from __future__ import annotations

from decimal import Decimal


def fmt_money(amount: Decimal) -> str:
    """``5,000,000`` or ``1,250.50``; exact, never rounded to hide a fraction of a cent."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    text = f"{amount:,f}"
    whole, _, cents = text.partition(".")
    return f"{whole}.{cents.rstrip('0').ljust(2, '0')}"


def fmt_pct(share: Decimal) -> str:
    """``75 %`` for 0.75."""
    value = (share * 100).normalize()
    return f"{value:f} %"
