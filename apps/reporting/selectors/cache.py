"""The data-stamped cache of the dashboards (``PCMT_DASHBOARD_CACHE_SECONDS``)."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache

# --- cache of the dashboards' aggregates -------------------------------------------------------------


def cache_seconds() -> int:
    """``PCMT_DASHBOARD_CACHE_SECONDS`` (0 disables the cache; base.py sets 300)."""
    return int(getattr(settings, "PCMT_DASHBOARD_CACHE_SECONDS", 0) or 0)


def source_digest(paths) -> str:
    """A short digest of these source files' bytes, in path order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def code_fingerprint() -> str:
    """A digest of the source of what the cache holds (reporting's dashboards and the plan
    targets they show), read once per process. The cache holds finished objects (charts, tables)
    whose shape changes between releases; the data stamp does not move on a deploy, so without
    this a new release would read the old one's entries — a dashboard with parts missing until
    they expire."""
    apps = Path(__file__).resolve().parents[2]
    sources = [*(apps / "reporting").rglob("*.py"), *(apps / "prevention" / "targets").rglob("*.py")]
    return source_digest(p for p in sources if "migrations" not in p.parts)


def cached(kind: str, key_data: Any, build, stamp: str | None):
    """``build()`` through the cache, keyed by the data stamp and the code's fingerprint (no
    cache when disabled)."""
    seconds = cache_seconds()
    if not seconds or stamp is None:
        return build()
    parts = [kind, key_data, stamp, code_fingerprint()]
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    key = f"pcmt:reporting:{kind}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value
