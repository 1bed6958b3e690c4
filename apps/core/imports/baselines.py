"""The preview's baseline of the records a file targets, and the check that refuses a confirmation
when a colleague changed one of them since."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from apps.audit.models import AuditLogEntry
from apps.audit.services import is_change
from apps.core.locking import person_name

from .report import MESSAGE_MAX_CHARS, RowError, clip


def empty_baseline(checked: str | None = None) -> dict[str, Any]:
    """The baseline of a preview that recorded none (made before baselines existed): every row
    matching a record then counts as changed since, so the file is checked again, never written."""
    return {"checked": checked or dt.datetime.min.replace(tzinfo=dt.UTC).isoformat(), "targets": {}}


def lock_targets(baseline: dict[str, Any]) -> None:
    """Lock every record the preview saw a row match, until the confirmation commits: a colleague's
    save from now on waits for the import instead of slipping between its check and its write."""
    from django.apps import apps

    by_model: dict[str, list[int]] = {}
    for target in baseline.get("targets", {}).values():
        for label, pk in target["objects"]:
            by_model.setdefault(label, []).append(pk)
    for label, pks in sorted(by_model.items()):
        manager = apps.get_model(label)._default_manager
        for start in range(0, len(pks), 2000):
            list(
                manager.select_for_update(no_key=True)
                .filter(pk__in=sorted(pks[start : start + 2000]))
                .values_list("pk", flat=True)
            )


def _changed_by(objects: list, *, since: dt.datetime, until: dt.datetime) -> str:
    """Who saved these records between the preview and the confirmation, from the audit trail."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q
    from django.utils import timezone

    which = Q(pk__in=[])
    for label, pk in objects:
        app_label, model = label.split(".")
        which |= Q(content_type=ContentType.objects.get_by_natural_key(app_label, model), object_id=str(pk))
    entries = AuditLogEntry.objects.filter(which, time__gte=since, time__lt=until).select_related("actor")
    latest: dict[str, dt.datetime] = {}
    for entry in entries.order_by("time", "pk"):
        if is_change(entry.action):
            latest[person_name(entry.actor, entry.actor_username)] = timezone.localtime(entry.time)
    return "; ".join(
        _("%(who)s (%(when)s)") % {"who": who, "when": when.strftime("%H:%M %d/%m/%Y")} for who, when in latest.items()
    )


def baseline_conflicts(
    expected: dict[str, Any], found: dict[str, Any], *, failed_rows: set[int], until: dt.datetime
) -> list[RowError]:
    """The rows whose records are not as the preview saw them: changed (which columns, by whom),
    gone (deleted, closed, moved out of reach) or matched now but not then (created since)."""
    try:
        since = dt.datetime.fromisoformat(expected.get("checked", ""))
    except ValueError:
        since = dt.datetime.min.replace(tzinfo=dt.UTC)
    before_all, now_all = expected.get("targets", {}), found.get("targets", {})
    conflicts: list[RowError] = []
    for key in set(before_all) | set(now_all):
        before, now = before_all.get(key), now_all.get(key)
        if before is not None and now is not None and list(before["v"]) == list(now["v"]) and before["f"] == now["f"]:
            continue  # as the preview saw it (the usual case: no query)
        if now is None and before["row"] in failed_rows:
            continue  # the row's own error says more
        target = now or before
        who = _changed_by(target["objects"], since=since, until=until) or _("người khác")
        if before is not None and now is not None:
            columns = [c for c in now["f"] if before["f"].get(c) != now["f"][c]]
            fields = _("cột %(c)s") % {"c": ", ".join(columns)} if columns else _("những thông tin không có trong tệp")
            message = _("%(label)s: %(who)s đã sửa sau khi kiểm tra thử (%(fields)s).") % {
                "label": target["label"],
                "who": who,
                "fields": fields,
            }
        elif now is None:
            message = _(
                "%(label)s: bản ghi mà dòng này cập nhật lúc kiểm tra thử đã thay đổi (bị xóa, kết thúc hoặc không "
                "còn khớp với dòng này; %(who)s)."
            ) % {"label": target["label"], "who": who}
        else:
            message = _(
                "%(label)s: bản ghi này được %(who)s lập hoặc sửa sau khi kiểm tra thử; lúc kiểm tra thử, dòng "
                "này là thêm mới."
            ) % {"label": target["label"], "who": who}
        conflicts.append(RowError(row=target["row"], column="", message=clip(message, 2 * MESSAGE_MAX_CHARS)))
    return sorted(conflicts, key=lambda e: (e.row, e.message))


def stale_message() -> str:
    return _(
        "Dữ liệu đã thay đổi sau khi kiểm tra thử, nên tệp CHƯA được nhập (không có gì được ghi) để không ghi "
        "đè thay đổi của người khác. Hãy bấm “Kiểm tra thử lại” để xem các thay đổi so với dữ liệu hiện nay, "
        "rồi xác nhận."
    )
