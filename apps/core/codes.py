"""Stable codes with their Vietnamese labels (audit actions, roles), each declared on one line.

A code is stored (in the audit log, as a group name) and never changes meaning; its label is
what users read. Declaring both at once keeps the module constant and the label together::

    LABELS = CodeLabels()
    LOGIN = LABELS.add("accounts.user.login", _("Đăng nhập"))
"""

from __future__ import annotations

from typing import Any


class CodeLabels(dict[str, Any]):
    """``{code: label}`` in the order declared (the order lists and filters show them)."""

    def add(self, code: str, label: Any) -> str:
        """Record ``code``'s label and return the code, for the module constant."""
        if code in self:
            # Two constants naming one code would make one of the labels silently disappear.
            raise ValueError(f"code {code!r} is declared twice")
        self[code] = label
        return code
