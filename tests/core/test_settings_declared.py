"""Every setting the code reads is declared in settings/base.py (or is Django's own), and every
environment variable the settings read is documented in .env.example — so no setting is a trap
that only a ``getattr`` default knows about."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import global_settings

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "tuyenquang_pcmt" / "settings" / "base.py").read_text(encoding="utf-8")
#: read by tools, not by the application
_NOT_SETTINGS = {"PYTEST_XDIST_WORKER"}


def _sources(*dirs: str):
    for d in dirs:
        for path in (ROOT / d).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.read_text(encoding="utf-8")


def _declared(name: str) -> bool:
    return bool(re.search(rf"^{name}\s*[:=]", BASE, re.MULTILINE)) or hasattr(global_settings, name)


def test_every_setting_read_is_declared_in_base():
    missing = set()
    for path, text in _sources("apps"):
        for name in re.findall(r"getattr\(settings, \"([A-Z][A-Z0-9_]*)\"", text):
            if not _declared(name):
                missing.add(f"{name} ({path.relative_to(ROOT)})")
        for name in re.findall(r"\bsettings\.([A-Z][A-Z0-9_]*)\b", text):
            if not _declared(name):
                missing.add(f"{name} ({path.relative_to(ROOT)})")
    assert not missing, sorted(missing)


def test_every_environment_variable_is_in_env_example():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    read = set()
    for _path, text in _sources("tuyenquang_pcmt", "apps"):
        read |= set(re.findall(r"\benv(?:\.[a-z_]+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", text))
        read |= set(re.findall(r"os\.environ(?:\.get)?[\[(]\"([A-Z][A-Z0-9_]*)\"", text))
    assert not (read - documented - _NOT_SETTINGS), sorted(read - documented - _NOT_SETTINGS)
