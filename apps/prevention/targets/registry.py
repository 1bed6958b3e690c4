"""The registry of indicators (``@indicator``), what one computes (``Measure``) and over what
(``Scope``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from apps.core import formatting


@dataclass(frozen=True)
class Scope:
    """Where and when an indicator is computed."""

    commune_ids: tuple[int, ...]
    start: dt.date
    end: dt.date
    on: dt.date
    #: the reader sees the whole province (needed by indicators whose baseline is province-wide)
    province_wide: bool = False
    params: dict[str, Any] = field(default_factory=dict)
    baseline: Decimal | None = None
    #: the year the target is about (its assessment year), None: the latest up to ``end``
    year: int | None = None
    #: the communes' data stamps when the caller has read them (``reporting.figures.stamps``)
    stamps: dict[int, str] | None = field(default=None, hash=False, compare=False)


@dataclass
class Measure:
    value: Decimal | None
    detail: str = ""
    note: str = ""
    #: what is still missing (groups without a model point…), shown under the figure
    gaps: list[str] = field(default_factory=list)
    #: communes the value is measured over (with data) and communes of the scope; None when the
    #: indicator does not count communes
    covered: int | None = None
    communes: int | None = None
    #: (lowest, highest) value whatever the communes without data hold (None: unbounded)
    bounds: tuple[Decimal | None, Decimal | None] | None = None

    @property
    def partial(self) -> bool:
        return self.covered is not None and self.communes is not None and self.covered < self.communes

    @property
    def coverage_text(self) -> str:
        if self.covered is None or self.communes is None:
            return ""
        return f"tính trên {self.covered}/{self.communes} xã có số liệu"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    source_app: str
    compute: Callable[[Scope], Measure]


REGISTRY: dict[str, Indicator] = {}


def indicator(code: str, *, label: str, unit: str = "%", source_app: str = "apps.prevention"):
    """Register a computing function for an indicator code."""

    def register(func: Callable[[Scope], Measure]) -> Callable[[Scope], Measure]:
        REGISTRY[code] = Indicator(code=code, label=label, unit=unit, source_app=source_app, compute=func)
        return func

    return register


def indicator_choices() -> list[tuple[str, str]]:
    return [(code, ind.label) for code, ind in REGISTRY.items()]


def measure(code: str, scope: Scope) -> Measure:
    ind = REGISTRY.get(code)
    if ind is None:
        return Measure(None, note="chỉ số không có trong danh mục")
    return ind.compute(scope)


def _pct(part: int | Decimal, whole: int | Decimal) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None, unit: str = "") -> str:
    """ "1.359 lượt người", "12,5%": one decimal at most (``apps.core.formatting``)."""
    return formatting.quantity(value, unit, places=1)
