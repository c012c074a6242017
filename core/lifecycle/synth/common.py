"""Building blocks of the generator: weighted choice, gold segments, the ad record and small text helpers."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------


class _Weighted(Generic[T]):
    """A weighted choice over a fixed list, one random() call per pick."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        """Store items and cumulative weights."""
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> T:
        """One item drawn by weight."""
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


@dataclass(slots=True)
class _Gold:
    """A contact fragment of the description with its gold annotation."""

    text: str
    kind: str
    value: str
    disguise: str


Segment = str | _Gold
# Splits a contact phrase into pieces placed apart (a number in several pieces); never in ad text.
_BREAK = "\x1e"


def _lower_first(text: str) -> str:
    """Lower-case the first letter of a Cyrillic word (brands in Latin stay as they are)."""
    if text and "А" <= text[0] <= "Я" and not (len(text) > 1 and "А" <= text[1] <= "Я"):
        return text[0].lower() + text[1:]
    return text


def _cap(text: str) -> str:
    """Upper-case the first character."""
    return text[:1].upper() + text[1:] if text else text


def _money(value: int, rng: random.Random) -> str:
    """Format a sum the way sellers do: 12 500, 12500 or 12.500."""
    roll = rng.random()
    if roll < 0.5 or value < 1000:
        return f"{value:,}".replace(",", " ") if value >= 1000 else str(value)
    if roll < 0.85:
        return str(value)
    return f"{value:,}".replace(",", ".")


@dataclass(slots=True)
class _Ad:
    """Everything decided about one ad while it is being built."""

    category: str
    subcategory: str
    style: str
    region: str
    city: str
    code: str
    price: float
    title: str = ""
    bullet: str = ""
