"""Optimistic locking shared by every service: re-read the row under a lock and refuse a save based
on a stale version, telling the editor who saved what since (read from the audit trail)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Without the version the form was opened at, a save could silently overwrite a colleague's: the
# services only compare versions they are given, so every edit form must send it back.
VERSION_MISSING = gettext_lazy(
    "Biểu mẫu thiếu số phiên bản của bản ghi lúc mở trang, nên không thể biết người khác đã sửa hay chưa. "
    "Thay đổi CHƯA được lưu; hãy tải lại trang rồi sửa lại."
)

LabelFn = Callable[[type[models.Model], str], str]


def person_name(user, username: str = "") -> str:
    """How a colleague is named in messages: the full name people know each other by; the login
    only for an account without one (or a deleted account, from the audit row's username)."""
    if user is not None:
        return user.get_full_name() or user.get_username()
    return username or _("không rõ")


class StaleObjectError(ValidationError):
    """Someone else saved the object after it was opened: the save is refused, nothing is lost."""


def version_missing_error() -> ValidationError:
    return ValidationError(VERSION_MISSING, code="version_missing")


class VersionRequiredMixin:
    """For forms with a hidden ``version`` field: an edit (``require_version()`` called, usually in
    ``__init__`` when the form is bound to an existing record) is refused when the POST lacks it."""

    version_required = False

    def require_version(self, required: bool = True) -> None:
        self.version_required = required

    def full_clean(self) -> None:
        super().full_clean()
        if not (self.is_bound and self.version_required) or self.has_error("version"):
            return
        if self.cleaned_data.get("version") is None:
            self.add_error(None, version_missing_error())


def field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return name


def stale_error(
    obj: models.Model, expected_version: int, *, label: LabelFn = field_label, unnamed: str = ""
) -> StaleObjectError:
    """Who saved what since the version the editor opened, read from the audit trail."""
    from django.contrib.contenttypes.models import ContentType

    from apps.audit.models import AuditLogEntry
    from apps.audit.services import changed_fields

    model = type(obj)
    entries = (
        AuditLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=str(obj.pk))
        .select_related("actor")
        .order_by("time", "pk")
    )
    changes: list[str] = []
    for entry in entries:
        after = entry.after or {}
        version = after.get("version")
        if not isinstance(version, int) or version <= expected_version:
            continue
        diff = changed_fields(entry.before, after) if entry.before else {}
        labels = [label(model, name) for name in diff if name != "version"]
        who = person_name(entry.actor, entry.actor_username)
        when = timezone.localtime(entry.time).strftime("%H:%M %d/%m/%Y")
        fields = ", ".join(labels) or unnamed or _("nội dung")
        changes.append(_("%(who)s lúc %(when)s sửa: %(fields)s") % {"who": who, "when": when, "fields": fields})
    return StaleObjectError(
        _(
            "%(what)s “%(name)s” đã được người khác lưu sau khi bạn mở (%(detail)s). Thay đổi của bạn CHƯA được "
            "lưu; hãy tải lại trang, xem các thay đổi rồi sửa lại."
        )
        % {
            "what": str(model._meta.verbose_name).capitalize(),
            "name": obj,
            "detail": "; ".join(changes) or _("không rõ nội dung"),
        },
        code="stale",
    )


def lock_for_update(
    obj: models.Model, expected_version: int | None, *, label: LabelFn = field_label, unnamed: str = ""
):
    """Re-read the row under a lock; refuse when it moved past the version the editor saw."""
    # NO KEY: foreign-key checks of rows citing this one (audit rows, at COMMIT) are not blocked.
    locked = type(obj)._default_manager.select_for_update(no_key=True).get(pk=obj.pk)
    if expected_version is not None and locked.version != expected_version:
        raise stale_error(locked, expected_version, label=label, unnamed=unnamed)
    return locked
