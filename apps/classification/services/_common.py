"""What every classification write shares: the permission checks (user actors only; ``actor=None``
is the system) and the audit action codes, re-exported for callers (labels in actions.LABELS)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.core import scoping

from .. import actions

# Audit action codes, re-exported for callers (labels in actions.LABELS).
RULESET_CREATE = actions.RULESET_CREATE
RULESET_IMPORT = actions.RULESET_IMPORT
RULESET_REPLACE = actions.RULESET_REPLACE
KEYROUTE_CREATE = actions.KEYROUTE_CREATE
KEYROUTE_UPDATE = actions.KEYROUTE_UPDATE
KEYROUTE_DELETE = actions.KEYROUTE_DELETE
ASSESSMENT_RUN = actions.ASSESSMENT_RUN
ASSESSMENT_APPROVE = actions.ASSESSMENT_APPROVE
ASSESSMENT_SUPERSEDE = actions.ASSESSMENT_SUPERSEDE
RESULT_OVERRIDE = actions.RESULT_OVERRIDE


def _require(actor, perm: str) -> None:
    scoping.require(actor, perm, _("Tài khoản không có quyền thực hiện thao tác này."))


def _require_province(actor, communes: list[AdministrativeUnit]) -> None:
    """A province-wide operation needs every commune in the actor's scope."""
    scoping.ensure_units_in_scope(
        actor,
        [c.pk for c in communes],
        _("Chỉ cán bộ được giao phạm vi toàn tỉnh mới thực hiện được thao tác này."),
    )
