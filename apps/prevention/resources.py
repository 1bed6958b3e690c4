"""Spreadsheet imports: propaganda activities, and the list of registered people an activity reached.

Rows are saved through the services (validation, scope, audit exactly as on screen). A file is
imported whole or not at all: besides the dry run of ``core.imports``, a row refused at the
confirmation rolls the whole file back (``rollback_on_validation_errors``).

Activities: one row = one activity. Communes by code or name, current or pre-2025 (through the
official conversion), several separated by ";". Re-importing the same file updates instead of
duplicating: a row matches an existing activity with the same title, dates and communes.
"""

from __future__ import annotations

import dataclasses
import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields

from apps.areas.selectors import UnitResolutionError, resolve_current_unit
from apps.cases.resources import parse_date
from apps.core import scoping
from apps.core.imports import FieldChange, RowChange, shown
from apps.core.resources import CodedColumn, ScopedResource, VNIntegerWidget, choice_column, communes_column
from apps.core.text import normalize

from . import selectors, services
from .choices import ActivityKind, HighRiskStatus, Topic
from .models import Activity, ActivityReach, AudienceGroup
from .reference import AUDIENCE_GROUPS

COL_TITLE, COL_FROM, COL_TO, COL_COMMUNES = "Nội dung, tên hoạt động", "Từ ngày", "Đến ngày", "Xã, phường"
COL_KIND, COL_TOPICS, COL_SESSIONS = "Hình thức", "Chủ đề", "Số buổi"
COL_MATERIALS, COL_MATERIALS_DESC = "Số tài liệu đã phát", "Tài liệu đã phát"
COL_ORGANISER, COL_NOTES = "Đơn vị tổ chức", "Ghi chú"
#: one column per audience group shipped with the app: header → group code
GROUP_COLUMNS = {f"Lượt người: {short}": code for code, _name, short, _hr in AUDIENCE_GROUPS}

FIELD_COLUMNS = {
    "title": COL_TITLE,
    "date_from": COL_FROM,
    "date_to": COL_TO,
    "communes": COL_COMMUNES,
    "kind": COL_KIND,
    "topics": COL_TOPICS,
    "sessions": COL_SESSIONS,
    "materials_count": COL_MATERIALS,
    "materials_description": COL_MATERIALS_DESC,
    "organiser": COL_ORGANISER,
    "notes": COL_NOTES,
    "participation": "Lượt người",
}


def _choice_lookup(choices) -> dict[str, str]:
    table = {}
    for code, label in choices:
        table[code] = code
        table[normalize(str(label))] = code
    return table


def _match_choice(text: str, table: dict[str, str]) -> str | None:
    key = normalize(text)
    if not key:
        return None
    if key in table:
        return table[key]
    found = {code for label, code in table.items() if label.startswith(key)}
    return found.pop() if len(found) == 1 else None


class _ServiceRowResource(ScopedResource):
    """What both imports share: a file is saved whole or not at all, each row is parsed (with its
    sheet row number) in ``get_or_init_instance`` and saved through a service in ``save_instance``,
    so import-export's own field import and validation stay out of the way."""

    #: service/model field → spreadsheet column, so errors raised by services name the column
    FIELD_COLUMNS: dict[str, str] = {}

    class Meta:
        import_id_fields = ()
        skip_unchanged = False
        use_transactions = True
        skip_diff = True

    def import_data(self, dataset, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    @staticmethod
    def cell(row, column: str):
        value = row.get(column)
        return value.strip() if isinstance(value, str) else value

    def next_row_number(self) -> int:
        """The sheet row of the row being read (as the preview numbers it)."""
        rows = getattr(self, "sheet_rows", None) or []
        number = rows[self._index] if self._index < len(rows) else self._index + 2
        self._index += 1
        return number

    def before_import(self, dataset, **kwargs):
        self._index = 0

    def before_import_row(self, row, **kwargs):
        pass

    def import_instance(self, instance, row, **kwargs):
        pass

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def column_label(self, attribute: str) -> str:
        return self.FIELD_COLUMNS.get(attribute, "")


class ActivityResource(_ServiceRowResource):
    columns = {
        COL_TITLE: True,
        COL_FROM: True,
        COL_TO: False,
        COL_COMMUNES: True,
        COL_KIND: True,
        COL_TOPICS: True,
        COL_SESSIONS: False,
        **dict.fromkeys(GROUP_COLUMNS, False),
        COL_MATERIALS: False,
        COL_MATERIALS_DESC: False,
        COL_ORGANISER: True,
        COL_NOTES: False,
    }
    example_row = [
        "Tuyên truyền tác hại của ma túy tổng hợp cho học sinh",
        "15/03/2026",
        "",
        "Xã Trung Sơn",
        "Ngoại khóa, sinh hoạt tại trường học",
        "Tác hại của ma túy tổng hợp, chất hướng thần mới; Quy định pháp luật về phòng, chống ma túy",
        1,
        *["" for _c in GROUP_COLUMNS],
        120,
        "Tờ rơi về ma túy tổng hợp",
        "Công an xã Trung Sơn",
        "",
    ]
    example_row[7 + list(GROUP_COLUMNS.values()).index("students")] = 350

    blank_keeps_stored = True
    FIELD_COLUMNS = FIELD_COLUMNS

    title = fields.Field(attribute="title", column_name=COL_TITLE, readonly=True)

    class Meta:
        model = Activity
        fields = ("title",)

    @classmethod
    def coded_columns(cls) -> dict[str, CodedColumn]:
        return {
            COL_COMMUNES: communes_column(_("Một hoặc nhiều xã, phường, cách nhau bằng dấu “;”.")),
            COL_KIND: choice_column(ActivityKind),
            COL_TOPICS: choice_column(Topic, strict=False, hint=_("Một hoặc nhiều chủ đề, cách nhau bằng dấu “;”.")),
        }

    def __init__(self, *, user, **kwargs):
        super().__init__(user=user, **kwargs)
        self._kinds = _choice_lookup(ActivityKind.choices)
        self._topics = _choice_lookup(Topic.choices)
        self._groups = {g.code: g for g in AudienceGroup.objects.all()}
        self._seen: dict[tuple, int] = {}
        self.changes: list[RowChange] = []

    def _communes(self, text, errors):
        communes = []
        if isinstance(text, float) and text.is_integer():
            text = int(text)
        parts = [p.strip() for p in str(text or "").split(";") if p.strip()]
        if not parts:
            errors["communes"] = _("Thiếu xã, phường.")
            return communes
        for part in parts:
            try:
                unit = resolve_current_unit(part)
            except UnitResolutionError as exc:
                hint = _(" Với xã cũ bị chia cho nhiều xã mới, hãy ghi tên hoặc mã xã mới.") if exc.candidates else ""
                errors["communes"] = exc.message + hint
                continue
            if not scoping.unit_in_scope(self.user, unit):
                errors["communes"] = _("%(u)s nằm ngoài phạm vi được giao.") % {"u": unit.full_name}
                continue
            communes.append(unit)
        return communes

    def _parse(self, row, number: int) -> services.ActivityInput:
        errors: dict[str, str] = {}
        get = functools.partial(self.cell, row)

        title = " ".join(str(get(COL_TITLE) or "").split())
        if not title:
            errors["title"] = _("Thiếu nội dung, tên hoạt động.")
        date_from = date_to = None
        try:
            date_from, _y = parse_date(get(COL_FROM))
            if date_from is None:
                errors["date_from"] = _("Thiếu ngày bắt đầu.")
        except ValueError as exc:
            errors["date_from"] = str(exc)
        try:
            date_to, _y = parse_date(get(COL_TO))
        except ValueError as exc:
            errors["date_to"] = str(exc)
        # The service's date rules, said with the row's other errors (one preview lists them all).
        if date_from and date_from > timezone.localdate():
            errors["date_from"] = _("Ngày bắt đầu không được sau ngày hôm nay.")
        if date_from and date_to and date_to < date_from:
            errors["date_to"] = _("Ngày kết thúc không được trước ngày bắt đầu.")
        communes = self._communes(get(COL_COMMUNES), errors)
        kind = _match_choice(str(get(COL_KIND) or ""), self._kinds)
        if kind is None:
            errors["kind"] = _("Không nhận ra hình thức “%(v)s”.") % {"v": get(COL_KIND) or ""}
        topics = []
        for part in str(get(COL_TOPICS) or "").split(";"):
            if not part.strip():
                continue
            code = _match_choice(part, self._topics)
            if code is None:
                errors["topics"] = _("Không nhận ra chủ đề “%(v)s” (các chủ đề cách nhau bằng dấu “;”).") % {
                    "v": part.strip()
                }
            else:
                topics.append(code)
        if not topics and "topics" not in errors:
            errors["topics"] = _("Thiếu chủ đề.")
        numbers = {}
        for attr, col, minimum in (("sessions", COL_SESSIONS, 1), ("materials_count", COL_MATERIALS, 0)):
            try:
                numbers[attr] = VNIntegerWidget(minimum=minimum).clean(get(col))
            except ValueError as exc:
                errors[attr] = str(exc)
        participation = {}
        for header, code in GROUP_COLUMNS.items():
            try:
                count = VNIntegerWidget(minimum=0).clean(get(header))
            except ValueError as exc:
                errors["participation"] = f"{header}: {exc}"
                continue
            if count is not None and code in self._groups:
                participation[self._groups[code].pk] = count
        organiser = " ".join(str(get(COL_ORGANISER) or "").split())
        if errors:
            raise ValidationError(errors)
        key = (normalize(title), date_from, date_to or date_from, frozenset(u.pk for u in communes))
        if key in self._seen:
            raise ValidationError({"title": _("Trùng với dòng %(n)s của tệp.") % {"n": self._seen[key]}})
        self._seen[key] = number
        return services.ActivityInput(
            title=title,
            date_from=date_from,
            date_to=date_to,
            communes=communes,
            kind=kind,
            topics=topics,
            participation=participation,
            sessions=numbers.get("sessions") or 1,
            materials_count=numbers.get("materials_count") or 0,
            materials_description=str(get(COL_MATERIALS_DESC) or ""),
            organiser=organiser,
            notes=str(get(COL_NOTES) or ""),
        )

    def _differences(self, activity: Activity, data: services.ActivityInput) -> list[FieldChange]:
        """What saving the row would change in the existing activity, column by column (old → new);
        empty when the row is "unchanged"."""
        kinds, topics = dict(ActivityKind.choices), dict(Topic.choices)
        groups = {g.pk: g for g in self._groups.values()}
        current_counts = {p.group_id: p.count for p in activity.participations.all()}
        wanted_counts = dict(data.participation)
        pairs = [
            (COL_KIND, kinds.get(activity.kind, activity.kind), kinds.get(data.kind, data.kind)),
            (
                COL_TOPICS,
                "; ".join(str(topics.get(t, t)) for t in sorted(t.topic for t in activity.topics.all())),
                "; ".join(str(topics.get(t, t)) for t in sorted(set(data.topics))),
            ),
            (COL_SESSIONS, activity.sessions, data.sessions),
            (COL_MATERIALS, activity.materials_count, data.materials_count),
            (COL_MATERIALS_DESC, activity.materials_description, " ".join(data.materials_description.split())),
            (COL_ORGANISER, activity.organiser, data.organiser),
            (COL_NOTES, activity.notes, data.notes.strip()),
        ]
        header_of = {code: header for header, code in GROUP_COLUMNS.items()}
        for pk in sorted(set(current_counts) | set(wanted_counts)):
            group = groups.get(pk)
            column = header_of.get(group.code, str(group)) if group else str(pk)
            pairs.append((column, current_counts.get(pk), wanted_counts.get(pk)))
        return [FieldChange(col, shown(old), shown(new)) for col, old, new in pairs if old != new]

    def _stored(self, activity: Activity) -> dict[str, str]:
        """Column → the stored value a row can change, for the preview's baseline."""
        header_of = {code: header for header, code in GROUP_COLUMNS.items()}
        groups = {g.pk: g.code for g in self._groups.values()}
        values = {
            COL_KIND: activity.kind,
            COL_TOPICS: ";".join(sorted(t.topic for t in activity.topics.all())),
            COL_SESSIONS: str(activity.sessions),
            COL_MATERIALS: str(activity.materials_count),
            COL_MATERIALS_DESC: activity.materials_description,
            COL_ORGANISER: activity.organiser,
            COL_NOTES: activity.notes,
        }
        for p in activity.participations.all():
            values[header_of.get(groups.get(p.group_id), str(p.group_id))] = str(p.count)
        return values

    def _keep_blank(self, row, activity: Activity, data: services.ActivityInput) -> services.ActivityInput:
        """On a row matching an existing activity a blank cell keeps the stored value."""

        def blank(column: str) -> bool:
            value = row.get(column)
            return value is None or (isinstance(value, str) and not value.strip())

        kept = {
            name: getattr(activity, name)
            for name, column in (
                ("sessions", COL_SESSIONS),
                ("materials_count", COL_MATERIALS),
                ("materials_description", COL_MATERIALS_DESC),
                ("notes", COL_NOTES),
            )
            if blank(column)
        }
        participation = dict(data.participation)
        for p in activity.participations.all():
            group = next((g for g in self._groups.values() if g.pk == p.group_id), None)
            header = next((h for h, code in GROUP_COLUMNS.items() if group and code == group.code), None)
            if header is not None and blank(header):
                participation[p.group_id] = p.count
        return dataclasses.replace(data, participation=participation, **kept)

    def _find_existing(self, data: services.ActivityInput) -> Activity | None:
        wanted = {u.pk for u in data.communes}
        candidates = scoping.visible_to(Activity.objects.all(), self.user).filter(
            title=" ".join(data.title.split()), date_from=data.date_from, date_to=data.date_to or data.date_from
        )
        for activity in candidates.prefetch_related("communes", "topics", "participations"):
            if {c.pk for c in activity.communes.all()} == wanted:
                return activity
        return None

    # --- import-export hooks -----------------------------------------------------------------------

    def get_or_init_instance(self, instance_loader, row):
        number = self.next_row_number()
        data = self._parse(row, number)
        existing = self._find_existing(data)
        if existing is not None:
            self.note_target(
                row=number,
                label=f"{existing.title} ({shown(existing.date_from)})",
                objects=[existing],
                values=self._stored(existing),
            )
            data = self._keep_blank(row, existing, data)
        self._row_number = number
        instance = existing or Activity()
        instance._pcmt_input, instance._pcmt_existing = data, existing
        return instance, existing is None

    def skip_row(self, instance, original, row, import_validation_errors=None):
        existing = instance._pcmt_existing
        if existing is None:
            return False
        differences = self._differences(existing, instance._pcmt_input)
        if differences:
            label = f"{existing.title} ({shown(existing.date_from)})"
            self.changes.append(RowChange(row=self._row_number, label=label, fields=differences))
        return not differences

    def save_instance(self, instance, is_create, row, **kwargs):
        data, existing = instance._pcmt_input, instance._pcmt_existing
        try:
            if existing is not None:
                services.activity_update(actor=self.user, activity=existing, data=data, expected_version=None)
            else:
                services.activity_create(actor=self.user, data=data)
        except PermissionDenied as exc:
            raise ValidationError({"communes": str(exc)}) from exc


COL_NAME, COL_YEAR, COL_COMMUNE, COL_VILLAGE = "Họ và tên", "Năm sinh", "Xã, phường", "Thôn, tổ dân phố"
REACH_FIELD_COLUMNS = {"full_name": COL_NAME, "birth_year": COL_YEAR, "commune": COL_COMMUNE, "village": COL_VILLAGE}


class ReachResource(_ServiceRowResource):
    """The people an activity reached, from an attendance list: each row must be an active person
    of the high-risk register of the activity's communes (name + birth year, the village when two
    people share both). Already recorded people are counted as unchanged."""

    #: set on a per-request subclass by the view
    activity: Activity | None = None

    FIELD_COLUMNS = REACH_FIELD_COLUMNS
    columns = {COL_NAME: True, COL_YEAR: True, COL_COMMUNE: False, COL_VILLAGE: False}
    example_row = ["Nguyễn Văn A", 1995, "Xã Trung Sơn", "Thôn Đồng Cầu"]

    full_name = fields.Field(attribute="person", column_name=COL_NAME, readonly=True)

    class Meta:
        model = ActivityReach
        fields = ("full_name",)

    @classmethod
    def coded_columns(cls) -> dict[str, CodedColumn]:
        return {COL_COMMUNE: communes_column()}

    def __init__(self, *, user, **kwargs):
        super().__init__(user=user, **kwargs)
        activity = type(self).activity
        commune_ids = [c.pk for c in activity.communes.all()] if activity else []
        self._candidates = list(
            selectors.reach_candidates(user=user, commune_ids=commune_ids).filter(status=HighRiskStatus.ACTIVE)
        )
        self._reached = set(activity.reaches.values_list("person_id", flat=True)) if activity else set()
        self._seen: dict[int, int] = {}

    def _match(self, row):
        errors: dict[str, str] = {}
        get = functools.partial(self.cell, row)

        name = normalize(str(get(COL_NAME) or ""))
        if not name:
            errors["full_name"] = _("Thiếu họ và tên.")
        year = None
        try:
            year = VNIntegerWidget(minimum=1900).clean(get(COL_YEAR))
            if year is None:
                errors["birth_year"] = _("Thiếu năm sinh.")
        except ValueError as exc:
            errors["birth_year"] = str(exc)
        if errors:
            raise ValidationError(errors)
        matches = [p for p in self._candidates if normalize(p.full_name) == name and p.birth_year == year]
        commune_text = normalize(str(get(COL_COMMUNE) or ""))
        if commune_text and len(matches) > 1:
            matches = [p for p in matches if commune_text in (normalize(p.commune.full_name), p.commune.search_name)]
        village = normalize(str(get(COL_VILLAGE) or ""))
        if village and len(matches) > 1:
            matches = [p for p in matches if normalize(p.village) == village]
        if not matches:
            raise ValidationError(
                {
                    "full_name": _(
                        "Không có “%(n)s” (%(y)s) trong sổ nhóm nguy cơ cao đang theo dõi của các xã, phường của "
                        "hoạt động (thuộc phạm vi được giao)."
                    )
                    % {"n": get(COL_NAME), "y": year}
                }
            )
        if len(matches) > 1:
            raise ValidationError(
                {
                    "village": _("Có %(k)s người cùng họ tên, năm sinh: hãy ghi thôn, tổ dân phố (%(v)s).")
                    % {"k": len(matches), "v": "; ".join(p.village or "—" for p in matches)}
                }
            )
        return matches[0]

    def get_or_init_instance(self, instance_loader, row):
        number = self.next_row_number()
        person = self._match(row)
        if person.pk in self._seen:
            raise ValidationError({"full_name": _("Trùng với dòng %(n)s của tệp.") % {"n": self._seen[person.pk]}})
        self._seen[person.pk] = number
        instance = ActivityReach(activity=type(self).activity, person=person)
        return instance, person.pk not in self._reached

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return instance.person_id in self._reached

    def save_instance(self, instance, is_create, row, **kwargs):
        services.activity_set_reaches(
            actor=self.user, activity=type(self).activity, persons=[instance.person], add_only=True
        )
