"""How the audit's explanations write numbers and roundings."""

from __future__ import annotations

from collections.abc import Iterable

from hmbook.grim import DOUBLE

__all__ = ["span", "how", "percent"]

_HOW = {"half_up": "rounding halves up", "half_even": "rounding halves to even", "half_down": "rounding halves "
        "down", "truncate": "truncation (dropping the extra decimals)", "ceiling": "rounding up (ceiling)",
        DOUBLE: "double rounding (first to one more decimal, then again)"}


def span(values: Iterable[int]) -> str:
    """A run of whole numbers as text: ``72-74``; a list may have several runs: ``3, 7-9``.

    >>> span(range(72, 75)), span([3, 7, 8, 9]), span([])
    ('72-74', '3, 7-9', 'none')
    """
    if isinstance(values, range):
        if not values:
            return "none"
        return f"{values[0]}" if values[0] == values[-1] else f"{values[0]}-{values[-1]}"  # (no len: may pass 2**63)
    ordered = sorted(values)
    if not ordered:
        return "none"
    runs, start = [], ordered[0]
    for a, b in zip(ordered, [*ordered[1:], None]):
        if b != a + 1:
            runs.append(f"{start}" if start == a else f"{start}-{a}")
            if b is not None:
                start = b
    return ", ".join(runs)


def how(conventions: Iterable[str]) -> str:
    """Conventions in words: ``truncation (dropping the extra decimals) or rounding up (ceiling)``."""
    return " or ".join(_HOW[c] for c in conventions)


def percent(text: str) -> str:
    """A printed percentage as the paper prints it: ``12.50%``."""
    return f"{text}%"
