"""Duplicate people: the rate-limited, audited who-has-a-file lookup, and merging people."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.actions import PERSON_LOOKUP
from apps.audit.models import AuditLogEntry
from apps.audit.services import audit_read, audit_record
from apps.core import scoping
from apps.core.dates import today

from .. import selectors as selectors_module
from ..models import CaseFile, DistinctPair, Person, PersonMerge


class LookupLimitError(ValidationError):
    """The user made more duplicate checks today than ``PCMT_LOOKUP_DAILY_LIMIT`` allows."""


def _start_of_today() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today(), dt.time.min))


def lookups_today(actor) -> int:
    """Identifiers this user checked today (an import preview counts each cross-commune match)."""
    afters = AuditLogEntry.objects.filter(actor=actor, action=PERSON_LOOKUP, time__gte=_start_of_today()).values_list(
        "after", flat=True
    )
    return sum(int((after or {}).get("count", 1)) for after in afters)


def ensure_lookup_allowed(actor, count: int = 1) -> None:
    """Refuse a check that would take the user past today's limit (probing who has a file)."""
    limit = settings.PCMT_LOOKUP_DAILY_LIMIT
    done = lookups_today(actor)
    if done + count > limit:
        raise LookupLimitError(
            _(
                "Bạn đã tra cứu trùng người %(done)s lần hôm nay; giới hạn là %(limit)s lần mỗi ngày. Việc kiểm tra "
                "trùng người tạm dừng đến ngày mai; nếu cần gấp, hãy liên hệ Công an tỉnh."
            )
            % {"done": done, "limit": limit},
            code="lookup_limit",
        )


def record_lookup(*, actor, source: str, identifiers: list[dict[str, Any]], answered: list[dict[str, Any]]) -> None:
    """Audit a duplicate check: who asked, for which identifiers, what was answered. Filed under
    the asker's unit, so the province reads it in the log and in the monthly access digest."""
    audit_read(
        actor=actor,
        action=PERSON_LOOKUP,
        after={
            "source": source,
            "count": max(len(identifiers), 1) if source == "entry" else len(answered),
            "identifiers": identifiers,
            "answered": answered,
            "cross_commune": sum(1 for a in answered if a.get("elsewhere")),
        },
    )


def person_lookup(
    *, actor, full_name: str, birth_year: int | None, sex: str, citizen_id: str = ""
) -> list[selectors_module.DuplicateMatch]:
    """The duplicate check at entry: may this person already have a file, here or in another
    commune? Rate-limited per user and day, and audited with what it answered."""
    ensure_lookup_allowed(actor)
    matches = selectors_module.duplicates_find(
        user=actor, full_name=full_name, birth_year=birth_year, sex=sex, citizen_id=citizen_id
    )
    own = set(scoping.visible_unit_ids(actor))
    record_lookup(
        actor=actor,
        source="entry",
        identifiers=[{"citizen_id": citizen_id, "full_name": full_name, "birth_year": birth_year, "sex": sex}],
        answered=[
            {
                "person": m.person.pk,
                "communes": [u.code for u in m.communes],
                "elsewhere": any(u.pk not in own for u in m.communes),
                "reason": m.reason,
            }
            for m in matches
        ],
    )
    return matches


@transaction.atomic
def person_merge(*, actor, keep: Person, merge: Person, reason: str) -> PersonMerge:
    """Move ``merge``'s files to ``keep`` and mark ``merge`` as merged. Reversible."""
    if not actor.has_perm("cases.merge_person"):
        raise ValidationError(_("Bạn không có quyền gộp hồ sơ."))
    if keep.pk == merge.pk or merge.merged_into_id or keep.merged_into_id:
        raise ValidationError(_("Không thể gộp hai bản ghi này."))
    if not reason.strip():
        raise ValidationError(_("Cần ghi lý do gộp."))
    moved = list(merge.case_files.values_list("pk", flat=True))
    merge.case_files.update(person=keep)
    merge.merged_into = keep
    merge.save(update_fields=["merged_into"])
    record = PersonMerge.objects.create(kept=keep, merged=merge, moved_case_ids=moved, reason=reason, merged_by=actor)
    _audit_moves(actor, moved, action="cases.person.merge", source=merge.pk, target=keep.pk, message=reason)
    return record


@transaction.atomic
def person_unmerge(*, actor, record: PersonMerge) -> None:
    """Undo a merge: the moved files go back to the merged person."""
    if not actor.has_perm("cases.merge_person"):
        raise ValidationError(_("Bạn không có quyền tách hồ sơ."))
    if record.undone_at:
        raise ValidationError(_("Lần gộp này đã được hoàn tác."))
    CaseFile.objects.filter(pk__in=record.moved_case_ids).update(person=record.merged)
    Person.objects.filter(pk=record.merged_id).update(merged_into=None)
    record.undone_by, record.undone_at = actor, timezone.now()
    record.save(update_fields=["undone_by", "undone_at"])
    _audit_moves(
        actor, record.moved_case_ids, action="cases.person.unmerge", source=record.kept_id, target=record.merged_id
    )


def _audit_moves(actor, case_ids: list[int], *, action: str, source: int, target: int, message: str = "") -> None:
    """One audit row per file moved between two people, filed under the file's commune so that the
    commune sees whose file it now is."""
    for case in CaseFile.objects.filter(pk__in=case_ids).select_related("commune"):
        audit_record(
            actor=actor,
            action=action,
            obj=case,
            area=case.commune,
            before={"person": source},
            after={"person": target},
            message=message,
        )


@transaction.atomic
def person_mark_distinct(*, actor, first: Person, second: Person) -> DistinctPair:
    if not actor.has_perm("cases.merge_person"):
        raise ValidationError(_("Bạn không có quyền thực hiện thao tác này."))
    a, b = sorted([first, second], key=lambda p: p.pk)
    pair, _created = DistinctPair.objects.get_or_create(first=a, second=b, defaults={"decided_by": actor})
    audit_record(actor=actor, action="cases.person.distinct", obj=a, message=f"≠ {b} (#{b.pk})")
    return pair
