"""The data-stamped cache of the dashboards (``PCMT_DASHBOARD_CACHE_SECONDS``)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.cache import cache

# --- cache of the dashboards' aggregates -------------------------------------------------------------


def cache_seconds() -> int:
    """``PCMT_DASHBOARD_CACHE_SECONDS`` (0 disables the cache; base.py sets 300)."""
    return int(getattr(settings, "PCMT_DASHBOARD_CACHE_SECONDS", 0) or 0)


def cached(kind: str, key_data: Any, build, stamp: str | None):
    """``build()`` through the cache, keyed by the data stamp (no cache when disabled)."""
    seconds = cache_seconds()
    if not seconds or stamp is None:
        return build()
    digest = hashlib.sha256(json.dumps([kind, key_data, stamp], default=str).encode()).hexdigest()
    key = f"pcmt:reporting:{kind}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value
