"""Linear ramps and clamps shared by the score factors.

Why one helper: every sub-factor maps a market figure onto [0, 1] between a "worthless"
and a "full marks" level; doing it in one place keeps the edge cases (inverted ranges,
Decimal money, values past either end) identical everywhere.
"""

from __future__ import annotations

from decimal import Decimal


def clamp01(value: float) -> float:
    """`value` limited to [0, 1]."""
    return min(1.0, max(0.0, value))


def ramp(
    value: Decimal | float | int, low: Decimal | float | int, high: Decimal | float | int
) -> float:
    """0 at or below `low`, 1 at or above `high`, linear in between (`low` < `high`)."""
    span = Decimal(str(high)) - Decimal(str(low))
    if span <= 0:
        msg = f"ramp needs low < high, got {low} and {high}"
        raise ValueError(msg)
    position = (Decimal(str(value)) - Decimal(str(low))) / span
    return clamp01(float(position))


def falling_ramp(
    value: Decimal | float | int, good: Decimal | float | int, bad: Decimal | float | int
) -> float:
    """1 at or below `good`, 0 at or above `bad`, linear in between (`good` < `bad`)."""
    return 1.0 - ramp(value, good, bad)
