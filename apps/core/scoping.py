"""Area scoping: the one place that decides what a user may see and touch.

Two orthogonal axes (see style.md §2.4):

* *what* — Django model permissions, granted through role groups (``<app>.<action>_<model>``);
* *where* — the subtree of the administrative unit the user is assigned to, plus the former
  (pre-2025) units that were merged into that subtree, so history recorded under an old commune
  stays visible to the commune that replaced it.

Every door goes through here: views (``ScopedViewMixin``), the admin (``ScopedModelAdmin``), form
choices (``restrict_form_fields``), imports, exports, dashboards, reports and the audit log.
A scoped model only declares ``area_lookup``: the ORM path from the model to its unit.
Objects outside the user's scope answer 404, exactly like objects that do not exist.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from apps.areas.models import AdministrativeUnit

    AnyUser = AbstractBaseUser | AnonymousUser

M = TypeVar("M", bound=models.Model)

_SCOPE_CACHE_ATTR = "_pcmt_visible_unit_ids"


def permission_name(model: type[models.Model], action: str) -> str:
    """``<app_label>.<action>_<model_name>``, the Django permission for an action on a model."""
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def has_action(user: AnyUser, model: type[models.Model], action: str) -> bool:
    """Does the user hold the model permission for this action at all (on *some* objects)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(permission_name(model, action))


def scope_root(user: AnyUser) -> AdministrativeUnit | None:
    """The unit whose subtree the user sees (``None`` for superusers and unassigned accounts)."""
    return getattr(user, "area", None) if user.is_authenticated else None


def visible_unit_ids(user: AnyUser) -> list[int]:
    """Ids of the administrative units in the user's scope.

    Resolved once per request (cached on the user object) into a short list, so every scoped
    query afterwards is a plain ``unit_id IN (…)``: a commune officer has a handful of ids,
    province staff a few hundred.
    """
    from apps.areas.models import AdministrativeUnit

    cached = getattr(user, _SCOPE_CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        ids = list(AdministrativeUnit.objects.values_list("pk", flat=True))
    elif scope_root(user) is None:
        ids = []
    else:
        ids = list(AdministrativeUnit.objects.scope_of(scope_root(user)).values_list("pk", flat=True))
    setattr(user, _SCOPE_CACHE_ATTR, ids)
    return ids


def clear_scope_cache(user: AnyUser) -> None:
    """Forget the cached scope (after the user's unit was changed)."""
    if hasattr(user, _SCOPE_CACHE_ATTR):
        delattr(user, _SCOPE_CACHE_ATTR)


def scope_filter(model: type[models.Model], user: AnyUser) -> models.Q:
    """The ``Q`` restricting ``model`` to the user's units, through ``model.area_lookup``."""
    lookup = getattr(model, "area_lookup", None)
    if not lookup:
        raise TypeError(f"{model.__name__} is not area-scoped: declare area_lookup")
    return models.Q(**{f"{lookup}__in": visible_unit_ids(user)})


def visible_to(queryset: models.QuerySet[M], user: AnyUser, action: str = "view") -> models.QuerySet[M]:
    """Restrict a queryset to the objects the user may ``action`` (view/add/change/delete/…)."""
    model = queryset.model
    if not has_action(user, model, action):
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(scope_filter(model, user))


def can(user: AnyUser, action: str, obj: models.Model) -> bool:
    """Object-level check against the database row, not the in-memory instance (NetBox)."""
    if obj.pk is None:
        return False
    return visible_to(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def unit_in_scope(user: AnyUser, unit: AdministrativeUnit | None) -> bool:
    """Is this unit inside the user's scope? Used to validate units chosen in forms and imports."""
    if unit is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True

    return unit.pk in visible_unit_ids(user)


def ensure_can(user: AnyUser, action: str, obj: models.Model) -> None:
    """Raise if the user may not act on ``obj``: 404 when it is out of scope (existence must not
    leak), 403 when it is in scope but the role lacks the permission."""
    if can(user, action, obj):
        return
    if can(user, "view", obj):
        raise PermissionDenied
    raise Http404


def get_visible_or_404(queryset: models.QuerySet[M], user: AnyUser, action: str = "view", **lookup: Any) -> M:
    """Fetch one object within the user's scope; missing and forbidden look the same (404)."""
    try:
        return visible_to(queryset, user, action).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def restrict_form_fields(form, user: AnyUser, action: str = "view") -> None:
    """Narrow every model-choice field of a form to what the user may see (no leaking dropdowns)."""
    from apps.areas.models import AdministrativeUnit

    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        model = queryset.model
        if model is AdministrativeUnit or getattr(model, "area_lookup", None):
            if user.is_superuser:
                continue
            field.queryset = queryset.filter(scope_filter(model, user))


# --- break-glass -------------------------------------------------------------------------------
# Province staff may see every commune, but opening a named record outside one's own commune asks
# for a reason first (DHIS2's "break the glass"); the reason is recorded with the view and kept in
# the session for that record for PCMT_BREAK_GLASS_MINUTES, so it is not asked on every click.

_BREAK_GLASS_SESSION_KEY = "pcmt_break_glass"
BREAK_GLASS_MIN_LENGTH = 10


def own_unit_ids(user: AnyUser) -> list[int]:
    """The units that are the user's *own* commune (with its former communes): empty for accounts
    above commune level (province staff, superusers), who see communes without belonging to them."""
    root = scope_root(user)
    if root is None or root.level != "commune":
        return []
    return visible_unit_ids(user)


def needs_reason(user: AnyUser, unit: AdministrativeUnit | None) -> bool:
    """Must the user give a reason before opening a named record filed under ``unit``?"""
    if unit is None or not user.is_authenticated:
        return False
    return unit.pk not in own_unit_ids(user)


def _break_glass_key(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def break_glass_reason(request, obj: models.Model) -> str | None:
    """The reason given for ``obj`` in this session, while it is still fresh; ``None`` otherwise."""
    grants = request.session.get(_BREAK_GLASS_SESSION_KEY) or {}
    grant = grants.get(_break_glass_key(obj))
    if not grant or grant.get("until", 0) < time.time():
        return None
    return grant.get("reason") or None


def break_glass_grant(request, obj: models.Model, reason: str) -> None:
    """Remember the reason for ``obj`` for a short time (expired grants are dropped on the way)."""
    now = time.time()
    grants = {k: v for k, v in (request.session.get(_BREAK_GLASS_SESSION_KEY) or {}).items() if v["until"] >= now}
    grants[_break_glass_key(obj)] = {"reason": reason, "until": now + settings.PCMT_BREAK_GLASS_MINUTES * 60}
    request.session[_BREAK_GLASS_SESSION_KEY] = grants
