"""Optimistic locking shared by every service: re-read the row under a lock and refuse a save based
on a stale version, telling the editor who saved what since (read from the audit trail)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.models import AuditLogEntry
from apps.audit.services import changed_fields, snapshot

# Without the version the form was opened at, a save could silently overwrite a colleague's: the
# services only compare versions they are given, so every edit form must send it back.
VERSION_MISSING = gettext_lazy(
    "Biểu mẫu thiếu số phiên bản của bản ghi lúc mở trang, nên không thể biết người khác đã sửa hay chưa. "
    "Thay đổi CHƯA được lưu; hãy tải lại trang rồi sửa lại."
)

LabelFn = Callable[[type[models.Model], str], str]
#: builds the refusal's text from the locked row and the version the editor saw
MessageFn = Callable[[models.Model, int], str]


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


@dataclass(frozen=True)
class Change:
    """One save made after the version an editor opened: who, when (local time) and the labels of
    the fields changed (empty when the audit row names none, e.g. a status-only change)."""

    who: str
    when: str
    fields: list[str]


def changes_since(
    obj: models.Model,
    expected_version: int,
    *,
    label: LabelFn = field_label,
    nested: Sequence[str] = (),
) -> list[Change]:
    """Who saved what since the version the editor opened, read from the audit trail.

    ``nested`` names snapshot keys that hold a related row's own snapshot (the case file's
    ``person``): their fields are diffed too and passed to ``label`` as ``"person.<field>"``.
    """
    from django.contrib.contenttypes.models import ContentType

    model = type(obj)
    entries = (
        AuditLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=str(obj.pk))
        .select_related("actor")
        .order_by("time", "pk")
    )
    changes: list[Change] = []
    for entry in entries:
        after = entry.after or {}
        version = after.get("version")
        if not isinstance(version, int) or version <= expected_version:
            continue
        before = entry.before or {}
        diff = changed_fields(before, after) if entry.before else {}
        for key in nested:
            if entry.before:
                sub = changed_fields(before.get(key) or {}, after.get(key) or {})
                diff.update({f"{key}.{name}": value for name, value in sub.items()})
        labels = [label(model, name) for name in diff if name != "version" and name not in nested]
        who = person_name(entry.actor, entry.actor_username)
        when = timezone.localtime(entry.time).strftime("%H:%M %d/%m/%Y")
        changes.append(Change(who=who, when=when, fields=labels))
    return changes


def stale_error(
    obj: models.Model, expected_version: int, *, label: LabelFn = field_label, unnamed: str = ""
) -> StaleObjectError:
    """The refusal of a stale save, naming who saved what since the version the editor opened."""
    changes = [
        _("%(who)s lúc %(when)s sửa: %(fields)s")
        % {"who": c.who, "when": c.when, "fields": ", ".join(c.fields) or unnamed or _("nội dung")}
        for c in changes_since(obj, expected_version, label=label)
    ]
    return StaleObjectError(
        _(
            "%(what)s “%(name)s” đã được người khác lưu sau khi bạn mở (%(detail)s). Thay đổi của bạn CHƯA được "
            "lưu; hãy tải lại trang, xem các thay đổi rồi sửa lại."
        )
        % {
            "what": str(type(obj)._meta.verbose_name).capitalize(),
            "name": obj,
            "detail": "; ".join(changes) or _("không rõ nội dung"),
        },
        code="stale",
    )


def ensure_version(
    locked: models.Model,
    expected_version: int | None,
    *,
    label: LabelFn = field_label,
    unnamed: str = "",
    message: MessageFn | None = None,
) -> None:
    """THE optimistic-lock check of every service: refuse when the row, already re-read under a lock,
    moved past the version the editor saw. ``None`` means "not an edit form" (imports, commands).

    The refusal names who changed what from the audit trail (``stale_error``) unless ``message``
    builds a text of its own for rows whose audit diff says little to the user (a submission, a
    population figure, a rule set, a case file with its person).
    """
    if expected_version is None or locked.version == expected_version:
        return
    if message is not None:
        raise StaleObjectError(message(locked, expected_version), code="stale")
    raise stale_error(locked, expected_version, label=label, unnamed=unnamed)


def edited_fields(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """The snapshot keys an edit changed, the version aside: a save that would only bump the
    version changes nothing, and is not written (so a stale refusal always has a change to name)."""
    return changed_fields(before, after).keys() - {"version"}


def versioned_snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The audit snapshot of a record under optimistic locking: its ``fields`` and its version,
    which ``snapshot`` leaves out (not editable) and which the stale-save message reads."""
    data = snapshot(obj, fields=fields)
    data["version"] = obj.version
    return data


def lock_for_update(
    obj: models.Model,
    expected_version: int | None,
    *,
    label: LabelFn = field_label,
    unnamed: str = "",
    message: MessageFn | None = None,
    queryset: models.QuerySet | None = None,
):
    """Re-read the row under a lock; refuse when it moved past the version the editor saw.

    ``queryset`` lets a caller lock with its ``select_related`` (the case file with its person and
    commune) so the row it goes on working with is the locked one.
    """
    # NO KEY: foreign-key checks of rows citing this one (audit rows, at COMMIT) are not blocked.
    base = queryset if queryset is not None else type(obj)._default_manager.all()
    locked = base.select_for_update(no_key=True).get(pk=obj.pk)
    ensure_version(locked, expected_version, label=label, unnamed=unnamed, message=message)
    return locked
