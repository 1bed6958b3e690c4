"""Spreadsheet import of the registers (upload → dry run → confirm, see ``core.imports``).

The commune is written as in the paper register: today's commune or a pre-2025 one, by code or
name, diacritics optional; a former commune split between several new ones needs the column
“Xã/phường hiện nay”. Re-importing updates instead of duplicating, through natural keys:

* hotspots: commune + name (diacritics and case ignored);
* crime cases and cultivation finds: “Số hiệu” when given (the exported files carry it), otherwise
  commune + date + article + summary (crime) / commune + date + species + village (cultivation).

Rows are saved through the services, so validation, scope and audit are the same as on screen.
On a row matching an existing record a blank optional cell keeps the stored value; the preview
lists what each updating row changes.

One module per register kind (``hotspots``, ``crimecases``, ``cultivation``) on the shared
``base`` (``RegisterResource``) and cell ``parsing``. Nothing is re-exported here: callers import
the kind's module (``from apps.registers.resources.hotspots import HotspotResource``), and what
needs every kind (the exports, the tests) asks ``kinds()``, so a new kind adds its module and edits
no list.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from .base import RegisterResource


@functools.cache
def kinds() -> tuple[type[RegisterResource], ...]:
    """Every kind's resource, found by importing each module of this package (a kind is a direct
    ``RegisterResource`` subclass), in the modules' name order."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return tuple(sorted(RegisterResource.__subclasses__(), key=lambda kind: (kind.__module__, kind.__qualname__)))
