"""Random picks for the generated benchmark data: weighted choices and day offsets."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


class Picker:
    """Weighted choice with precomputed cumulative weights (random.choices recomputes them)."""

    def __init__(self, rng: random.Random, pairs: Iterable[tuple[Any, float]]):
        self.rng = rng
        self.values, weights = zip(*pairs, strict=True)
        self.cum, total = [], 0.0
        for w in weights:
            total += w
            self.cum.append(total)
        self.total = total

    def __call__(self) -> Any:
        return self.rng.choices(self.values, cum_weights=self.cum, k=1)[0]

    def many(self, k: int) -> list[Any]:
        return self.rng.choices(self.values, cum_weights=self.cum, k=k)
