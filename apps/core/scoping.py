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

import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.core import actors

from .lookups import Ids
from .prepared import prepared

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

M = TypeVar("M", bound=models.Model)
logger = logging.getLogger(__name__)

_SCOPE_CACHE_ATTR = "_pcmt_visible_unit_ids"


def permission_name(model: type[models.Model], action: str) -> str:
    """``<app_label>.<action>_<model_name>``, the Django permission for an action on a model."""
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


# --- actors ------------------------------------------------------------------------------------
# The system-actor convention lives in ``core.actors`` (``actor=None`` is the system, which holds
# every permission and every unit on the write side).


def require(actor: AnyUser | None, perm: str, message: str | None = None) -> None:
    """THE permission check of the services: ``PermissionDenied`` unless ``actor`` holds ``perm``
    (``<app>.<action>_<model>``, see ``permission_name``). The system (``None``) always may."""
    if actors.is_system(actor):
        return
    if not (actor.is_authenticated and actor.is_active and actor.has_perm(perm)):
        raise PermissionDenied(message or _("Bạn không có quyền thực hiện thao tác này."))


def require_action(actor: AnyUser | None, model: type[models.Model], action: str, message: str | None = None) -> None:
    """``require`` for a model action (``add``, ``change``…): the services' role check."""
    require(actor, permission_name(model, action), message)


def has_action(user: AnyUser, model: type[models.Model], action: str) -> bool:
    """Does the user hold the model permission for this action at all (on *some* objects)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(permission_name(model, action))


def can_flags(user: AnyUser, model: type[models.Model], *actions: str) -> dict[str, bool]:
    """``{"can_<action>": …}`` for a page's buttons: which of ``actions`` the role allows on ``model``."""
    return {f"can_{action}": has_action(user, model, action) for action in actions}


def scope_root(user: AnyUser) -> AdministrativeUnit | None:
    """The unit whose subtree the user sees (``None`` for superusers and unassigned accounts)."""
    return getattr(user, "area", None) if user.is_authenticated else None


# --- resolved once per worker, not once per request ---------------------------------------------
# Every page needs the user's permissions (2 queries) and unit ids (2 more). They change only when
# a role, a permission, the user's unit or the unit tree changes, so each worker keeps them per
# user and reuses them while the shared *version* (one cache read per request, in the cache every
# worker shares) is unchanged. Any save, delete or membership change of those models bumps the
# version (``bump_scope_version``, connected in core's ``ready()``), so the next request of every
# worker resolves again. The user row itself is read on every request as before: an entry is used
# only for the same unit and superuser flag, and a deactivated account is refused at once.
# Writes that send no signal (``bulk_create``, ``update()`` on units) are bounded by the lifetime.

#: seconds a worker reuses a resolved scope at most (the bound for writes that send no signal)
SCOPE_CACHE_SECONDS = 300
_VERSION_KEY = "scoping:version"
_RESOLVED_ATTR = "_pcmt_resolved"


@dataclass
class Resolved:
    """One user's permissions and unit ids, as resolved under ``version``."""

    version: str
    generation: int
    expires: float
    area_id: int | None
    is_superuser: bool
    unit_ids: list[int] | None = None
    permissions: set[str] | None = None


#: user id -> the last resolution in this worker
_resolved: dict[int, Resolved] = {}
#: bumped with the version: an entry already attached to a user object in this worker (a request
#: in progress, a test's user) is not reused after a change either
_generation = 0


def bump_scope_version(**_signal_kwargs: Any) -> None:
    """Make every worker resolve permissions and scopes again (a signal receiver).

    This worker forgets its entries at once (a later read in the same transaction sees the
    change). The shared version moves when the transaction commits: before that no other worker
    can see the change, and a worker that resolved meanwhile from the committed state has its
    entry dropped by the move. A fresh random value, so it never comes back to one an entry
    carries. Outside the transaction also because the database cache may not exist yet (migrate
    syncs the roles before ``createcachetable``) and a failed statement would abort it."""
    from django.db import transaction

    _forget_here()
    transaction.on_commit(_publish_new_version)


def _forget_here() -> None:
    global _generation  # noqa: PLW0603 - this worker's counterpart of the shared version
    _resolved.clear()
    _generation += 1


def _publish_new_version() -> None:
    from django.core.cache import cache

    _forget_here()
    try:
        cache.set(_VERSION_KEY, uuid.uuid4().hex, None)
    except Exception as error:  # noqa: BLE001 - e.g. the database cache's table not created yet
        # Other workers then keep their entries for at most SCOPE_CACHE_SECONDS. One line: migrate
        # meets this once per role group before createcachetable.
        first_line = (str(error).splitlines() or [type(error).__name__])[0]
        logger.warning("scope version not bumped, the cache is not reachable: %s", first_line)


def connect_scope_signals() -> None:
    """Bump the version whenever what a scope or a permission set is made of changes (from
    core's ``ready()``): roles and permissions, a user's roles, the unit tree and its successions.
    The user's own unit and flags need no signal: the user row is read on every request."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    user = apps.get_model(settings.AUTH_USER_MODEL)
    for label in ("auth.Group", "auth.Permission", "areas.AdministrativeUnit", "areas.UnitSuccession"):
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(bump_scope_version, sender=model, dispatch_uid=f"scoping.bump.{label}.{signal}")
    group = apps.get_model("auth.Group")
    for through in (user.groups.through, user.user_permissions.through, group.permissions.through):
        m2m_changed.connect(bump_scope_version, sender=through, dispatch_uid=f"scoping.bump.{through._meta.label}")


def _current_version() -> str:
    from django.core.cache import cache

    try:
        version = cache.get(_VERSION_KEY)
        if version is None:  # first use, or evicted: nobody's entry matches a new value
            version = uuid.uuid4().hex
            cache.add(_VERSION_KEY, version, None)
            version = cache.get(_VERSION_KEY) or version
    except Exception:  # noqa: BLE001 - a cache that is down must not take every page down with it
        logger.warning("scope version not read: the cache is not reachable", exc_info=True)
        return uuid.uuid4().hex  # matches no entry: resolved from the database, as without reuse
    return version


def resolved(user: AnyUser) -> Resolved:
    """The user's reusable resolution (read the version once per user object, i.e. per request)."""
    entry = getattr(user, _RESOLVED_ATTR, None)
    if entry is not None and entry.generation == _generation:
        return entry
    version, now = _current_version(), time.monotonic()
    entry = _resolved.get(user.pk)
    if (
        entry is None
        or entry.version != version
        or entry.generation != _generation
        or entry.expires <= now
        or entry.area_id != user.area_id
        or entry.is_superuser != user.is_superuser
    ):
        entry = Resolved(version, _generation, now + SCOPE_CACHE_SECONDS, user.area_id, user.is_superuser)
        _resolved[user.pk] = entry
    setattr(user, _RESOLVED_ATTR, entry)
    return entry


def visible_unit_ids(user: AnyUser) -> list[int]:
    """Ids of the administrative units in the user's scope.

    Resolved into a short list, so every scoped query afterwards is a plain ``unit_id IN (…)``: a
    commune officer has a handful of ids, province staff a few hundred. Kept on the user object
    for the request and per worker across requests (``resolved``).
    """

    cached = getattr(user, _SCOPE_CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        return []
    entry = resolved(user)
    if entry.unit_ids is not None:
        ids = entry.unit_ids
    elif user.is_superuser:
        ids = list(AdministrativeUnit.objects.values_list("pk", flat=True))
    elif scope_root(user) is None:
        ids = []
    else:
        ids = list(AdministrativeUnit.objects.scope_of(scope_root(user)).values_list("pk", flat=True))
    entry.unit_ids = ids
    setattr(user, _SCOPE_CACHE_ATTR, ids)
    return ids


def clear_scope_cache(user: AnyUser) -> None:
    """Forget the cached scope (after the user's unit was changed)."""
    for attr in (_SCOPE_CACHE_ATTR, _RESOLVED_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)
    _resolved.pop(user.pk, None)


def scope_filter(model: type[models.Model], user: AnyUser) -> models.Q:
    """The ``Q`` restricting ``model`` to the user's units, through ``model.area_lookup``."""
    lookup = getattr(model, "area_lookup", None)
    if not lookup:
        raise TypeError(f"{model.__name__} is not area-scoped: declare area_lookup")
    # __in_ids (core.lookups): one array parameter instead of ~975 placeholders for province staff.
    return models.Q(**{f"{lookup}__in_ids": Ids(visible_unit_ids(user))})


@cache
def crosses_to_many(model: type[models.Model]) -> bool:
    """Does ``model.area_lookup`` pass through a to-many relation (an activity's communes, a
    person's case files)? Then a join on it repeats a row once per matching unit."""
    current = model
    for name in model.area_lookup.split("__"):
        try:
            field = current._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a lookup suffix such as "parent_id": not a relation
            return False
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        current = field.related_model
    return False


def _restrict(queryset: models.QuerySet[M], user: AnyUser) -> models.QuerySet[M]:
    model = queryset.model
    if crosses_to_many(model):
        # NetBox #8715: through a to-many join a record covering two of the user's communes would
        # come back twice (and ``get`` would fail); a subquery of the scoped ids returns it once,
        # without the DISTINCT that breaks ``update()`` and ordering by annotations.
        ids = model._default_manager.filter(scope_filter(model, user)).values("pk")
        return queryset.filter(pk__in=ids)
    return queryset.filter(scope_filter(model, user))


def visible_to(queryset: models.QuerySet[M], user: AnyUser, action: str = "view") -> models.QuerySet[M]:
    """Restrict a queryset to the objects the user may ``action`` (view/add/change/delete/…),
    each object once even when ``area_lookup`` crosses a to-many relation."""
    model = queryset.model
    if not has_action(user, model, action):
        return queryset.none()
    if user.is_superuser:
        return queryset
    return _restrict(queryset, user)


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


def is_current_commune(unit: AdministrativeUnit | None) -> bool:
    """A commune of today's map (after the 01/7/2025 merger), the only unit new records belong to."""
    return unit is not None and unit.level == "commune" and unit.valid_to is None


def commune_error(
    actor: AnyUser | None,
    unit: AdministrativeUnit | None,
    *,
    not_current: str | None = None,
    out_of_scope: str | None = None,
) -> str:
    """Why ``unit`` cannot be the commune of a record the actor writes ('' when it can): it must be
    a current commune in the actor's scope. ``actor=None`` is the system (commands, the demo seed,
    background jobs), which may write for any current commune.

    The messages may be given in the caller's words (each names the record); ``%(unit)s`` is the
    unit's full name.
    """
    if unit is None:
        return _("Hãy chọn xã, phường.")
    names = {"unit": unit.full_name}
    if not is_current_commune(unit):
        return (not_current or _("%(unit)s không phải xã, phường hiện hành (từ 01/7/2025).")) % names
    if actor is not None and not unit_in_scope(actor, unit):
        return (out_of_scope or _("%(unit)s nằm ngoài phạm vi được giao.")) % names
    return ""


def ensure_commune_in_scope(
    actor: AnyUser | None,
    unit: AdministrativeUnit | None,
    *,
    field: str = "commune",
    not_current: str | None = None,
    out_of_scope: str | None = None,
) -> None:
    """Raise ``ValidationError({field: …})`` unless ``unit`` is a current commune in the actor's
    scope (see ``commune_error``)."""
    message = commune_error(actor, unit, not_current=not_current, out_of_scope=out_of_scope)
    if message:
        raise ValidationError({field: message})


def units_outside_scope(user: AnyUser, unit_ids: Iterable[int]) -> list[int]:
    """The ids (of a record's units) that the user does not have in scope."""
    if user.is_superuser:
        return []
    visible = set(visible_unit_ids(user))
    return [pk for pk in unit_ids if pk not in visible]


def ensure_units_in_scope(user: AnyUser | None, unit_ids: Iterable[int], message: str) -> None:
    """Shared data of a multi-unit record (an activity, a training) and province-wide operations
    (a classification parameter): only someone with every one of the units in scope may act.
    ``user=None`` is the system. Raises ``PermissionDenied(message)``."""
    if user is not None and units_outside_scope(user, unit_ids):
        raise PermissionDenied(message)


def current_communes(user: AnyUser) -> models.QuerySet:
    """Today's communes in the user's scope, by name: the communes a new record may belong to."""
    from .collation import vi_order

    qs = AdministrativeUnit.objects.current().communes()
    if not user.is_superuser:
        qs = qs.filter(pk__in_ids=Ids(visible_unit_ids(user)))
    return vi_order(qs, "name")


@prepared
def _communes_by_name(*, ids: Ids):
    from .collation import vi_order

    communes = AdministrativeUnit.objects.current().communes().filter(pk__in_ids=ids)
    return vi_order(communes, "name").values_list("pk", flat=True)


def commune_ids_in_scope(user: AnyUser, unit: AdministrativeUnit | None = None, *, perm: str) -> list[int]:
    """Ids of today's communes at or under ``unit`` (default: the user's whole scope) that the user
    may read with ``perm``, by name. 404 when ``unit`` is outside the scope, 403 without ``perm``."""

    from .collation import vi_order

    visible = set(visible_unit_ids(user))
    if unit is not None and not (user.is_superuser or unit.pk in visible):
        raise Http404
    if not user.has_perm(perm):
        raise PermissionDenied
    if unit is None:
        if not user.is_superuser:
            return _communes_by_name(ids=Ids(list(visible)))
        return list(vi_order(AdministrativeUnit.objects.current().communes(), "name").values_list("pk", flat=True))
    if unit.level == "commune":
        ids = [unit.pk] if unit.valid_to is None else []  # today's commune, or a former one (none)
    else:
        communes = AdministrativeUnit.objects.current().communes().subtree(unit)
        ids = list(vi_order(communes, "name").values_list("pk", flat=True))
    return ids if user.is_superuser else [i for i in ids if i in visible]


def ensure_can(user: AnyUser | None, action: str, obj: models.Model) -> None:
    """Raise if the user may not act on ``obj``: 404 when it is out of scope (existence must not
    leak), 403 when it is in scope but the role lacks the permission. The system (``None``) may,
    as in ``require``."""
    if actors.is_system(user) or can(user, action, obj):
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
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        model = queryset.model
        if model is AdministrativeUnit or getattr(model, "area_lookup", None):
            if user.is_superuser:
                continue
            field.queryset = _restrict(queryset, user)


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
