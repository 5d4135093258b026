"""Each rounding the terms allow, as a formula every spreadsheet computes (the packs' checks).

The spreadsheet's ROUND rounds halves away from zero, which is the terms' ``half_up`` for the
positive amounts of a ledger but not ``half_even``: 850,000.85 at 1.70 is 500,000.5 shares, which
``half_even`` rounds to 500,000 and ROUND to 500,001. So an exact half is found first and sent to
the even neighbour: for ``s`` = n + 0.5, ``2 * ROUND(s / 2, 0)`` is n when n is even and n + 1
when it is odd.

The quotient is first rounded to 6 decimals after the rounding digit: a price or an amount has
at most a few decimals, so this only cancels binary noise (1,904,000 / 1.904 is
999,999.9999999999 in a float) and lets an exact half be seen as one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from eql.vocabulary import Rounding, registry

NOISE_DIGITS = 6


def _half_even(scaled: str) -> str:
    return f"IF(MOD({scaled},1)=0.5,2*ROUND({scaled}/2,0),ROUND({scaled},0))"


# Each rounding of a non-negative number to a whole one, as a formula of that number.
TO_WHOLE: Mapping[Rounding, Callable[[str], str]] = registry(
    Rounding,
    {
        Rounding.DOWN: lambda scaled: f"ROUNDDOWN({scaled},0)",
        Rounding.UP: lambda scaled: f"ROUNDUP({scaled},0)",
        Rounding.HALF_UP: lambda scaled: f"ROUND({scaled},0)",
        Rounding.HALF_EVEN: _half_even,
    },
    "workbook check formulas of each rounding",
)


def rounded(expression: str, digits: int, mode: Rounding) -> str:
    """A formula rounding the non-negative ``expression`` to ``digits`` decimals as ``mode`` does."""
    scale = f"1E{digits}"
    scaled = expression if digits == 0 else f"({expression})*{scale}"
    whole = TO_WHOLE[mode](f"ROUND({scaled},{NOISE_DIGITS})")
    return whole if digits == 0 else f"{whole}/{scale}"
