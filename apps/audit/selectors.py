from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from apps.core import scoping

from .models import AuditLogEntry


def entry_list(
    *,
    user,
    actor: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    object_type: str = "",
    object_id: str = "",
) -> QuerySet[AuditLogEntry]:
    """Audit entries the user may read (entries of units in their scope), newest first."""
    qs = scoping.visible_to(AuditLogEntry.objects.all(), user).select_related("area", "content_type")
    if actor:
        qs = qs.filter(actor_username__icontains=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if date_from:
        qs = qs.filter(time__date__gte=date_from)
    if date_to:
        qs = qs.filter(time__date__lte=date_to)
    if object_type:
        app_label, _sep, model = object_type.partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs.order_by("-time", "-pk")


def entries_for_object(*, user, obj, limit: int = 50) -> list[AuditLogEntry]:
    """Who viewed or changed this object: the panel on sensitive pages."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(obj)
    qs = scoping.visible_to(AuditLogEntry.objects.all(), user).filter(content_type=ct, object_id=str(obj.pk))
    return list(qs.order_by("-time", "-pk")[:limit])
