"""What the demo seeders share: the province and the demo accounts the first seeder creates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apps.areas.models import AdministrativeUnit


@dataclass
class DemoContext:
    province: AdministrativeUnit
    #: (DemoUser, unit) of every demo account, filled by the accounts seeder (it runs first)
    accounts: list[tuple[Any, AdministrativeUnit]] = field(default_factory=list)
    administrator: Any = None
    province_staff: Any = None
    #: commune code -> the demo commune officer, who writes that commune's data
    officers: dict[str, Any] = field(default_factory=dict)
