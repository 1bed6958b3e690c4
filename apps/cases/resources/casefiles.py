"""``CaseResource``: the import-export hooks that parse, match, validate and save each row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import UnitResolutionError
from apps.core import scoping
from apps.core.imports import RowChange, RowError
from apps.core.resources import CodedColumn, ScopedResource, choice_column, communes_column
from apps.core.text import normalize

from .. import services
from ..choices import CaseType, Sex, Status
from ..models import CaseFile, Ethnicity, Person, SubstanceType
from ..selectors import ethnicity_index
from . import columns as cols
from ._common import _CASE_BASELINE, _PERSON_BASELINE, _chunks, _commune_text, _differences, _FileRef, _name_key
from .matching import CaseMatchingMixin
from .parsing import CaseParsingMixin


class CaseResource(CaseParsingMixin, CaseMatchingMixin, ScopedResource):
    columns = {
        cols.COL_NAME: True,
        cols.COL_ALIAS: False,
        cols.COL_SEX: True,
        cols.COL_DOB: True,
        cols.COL_ETHNIC: False,
        cols.COL_ID: False,
        cols.COL_COMMUNE: True,
        cols.COL_CURRENT: False,
        cols.COL_VILLAGE: False,
        cols.COL_ADDRESS: False,
        cols.COL_TYPE: False,
        cols.COL_SUBST: False,
        cols.COL_DETECTED: True,
        cols.COL_NOTES: False,
    }
    # On the template's "Ví dụ" sheet, never read by the import; no real-looking person or CCCD.
    example_row = [
        "Nguyễn Văn A",
        "Tên gọi khác (nếu có)",
        "Nam",
        "05/03/1990",
        "Kinh",
        "",
        "Xã Trung Sơn",
        "",
        "Thôn Đồng Cầu",
        "",
        "Người sử dụng trái phép chất ma túy",
        "Methamphetamine, Heroin",
        "12/01/2026",
        "Dòng ví dụ, không phải người thật",
    ]

    blank_keeps_stored = True

    @classmethod
    def coded_columns(cls) -> dict[str, CodedColumn]:
        return {
            cols.COL_SEX: choice_column(Sex),
            cols.COL_ETHNIC: CodedColumn(
                list(Ethnicity.objects.values_list("name", flat=True)),
                strict=False,
                hint=_("Tên dân tộc trong danh mục; tên gọi khác (như “Mông”, “H'Mông”) cũng được nhận."),
            ),
            cols.COL_COMMUNE: communes_column(),
            cols.COL_CURRENT: CodedColumn(
                communes_column().values,
                hint=_("Chỉ cần khi cột “Xã/phường” ghi xã cũ bị chia cho nhiều xã mới: xã, phường hiện nay."),
            ),
            cols.COL_TYPE: choice_column(CaseType),
            cols.COL_SUBST: CodedColumn(
                list(SubstanceType.objects.values_list("name", flat=True)),
                strict=False,
                hint=_("Một hoặc nhiều chất, cách nhau bằng dấu phẩy."),
            ),
        }

    file_number = fields.Field(attribute="file_number", column_name="Số hồ sơ", readonly=True)

    class Meta:
        model = CaseFile
        fields = ("file_number",)
        import_id_fields = ()
        skip_unchanged = False
        use_transactions = True
        skip_diff = True

    def __init__(self, *, user, **kwargs):
        super().__init__(user=user, **kwargs)
        self.warnings: list[RowError] = []
        self.changes: list[RowChange] = []
        self._substance_names = {s.code: s.name for s in SubstanceType.objects.all()}
        self._ethnicities = ethnicity_index()  # names and aliases ("Mông", "H'Mông", "Hmông"…)
        self._substances = {normalize(s.name): s.code for s in SubstanceType.objects.all()}
        self._substances.update({s.code: s.code for s in SubstanceType.objects.all()})
        # Names officers write that are not the catalogue's wording ("ATS, thuốc lắc" has a comma).
        self._substances.update(
            {
                "thuoc lac": "ats",
                "mdma": "ats",
                "ma tuy da": "meth",
                "can sa": "cannabis",
                "ke": "ketamine",
            }
        )
        self._scope = scoping.visible_to(AdministrativeUnit.objects.all(), user)
        self._seen: dict[tuple, int] = {}
        # Rows whose person has a file in a commune outside the user's scope (issue 11 §4).
        self._own_units = set(scoping.visible_unit_ids(user))
        self.cross_commune: list[dict] = []

    # --- import-export hooks -----------------------------------------------------------------------
    #
    # The file is read in three passes, so the cost per row is a few in-memory checks instead of
    # some twenty queries: ``before_import`` loads every person and file the rows can match (by
    # CCCD and by name key) in a handful of queries; each row is then parsed and validated in
    # memory (new rows through ``services.CaseBatch.add``, which applies every rule of
    # ``case_create``); ``after_import`` writes the new rows in bulk. Rows matching an open file go
    # through ``services.case_update`` one by one, unless nothing in them changed.

    def before_import_row(self, row, **kwargs):
        pass

    def before_import(self, dataset, **kwargs):
        self._index = 0
        self._batch: services.CaseBatch | None = None  # made at the first new row (it checks the permission)
        self._communes: dict[str | tuple, AdministrativeUnit | UnitResolutionError] = {}
        self._former: dict[str, tuple[AdministrativeUnit | None, set[int]]] = {}
        self._pending_by_id: dict[str, Person] = {}
        self._pending_communes: dict[tuple, set[str]] = {}
        # What the rows can match: CCCDs, and (name key, birth year, sex) for rows without one.
        citizen_ids, name_keys, communes = set(), set(), set()
        for raw in dataset.dict:
            try:
                citizen_id, _kind = services.normalize_citizen_id(raw.get(cols.COL_ID))
            except ValidationError:
                citizen_id = ""
            if citizen_id:
                citizen_ids.add(citizen_id)
            name = normalize(str(raw.get(cols.COL_NAME) or ""))
            try:
                _day, year = cols.parse_date(raw.get(cols.COL_DOB), allow_year=True)
            except ValueError:
                year = None
            if name and year:
                name_keys.add((_name_key(name), year, cols.SEX_WORDS.get(normalize(str(raw.get(cols.COL_SEX) or "")))))
            commune_text = _commune_text(raw.get(cols.COL_COMMUNE))
            try:
                communes.add(self._resolve_commune(commune_text).pk if commune_text else None)
            except UnitResolutionError:
                pass
            current_text = _commune_text(raw.get(cols.COL_CURRENT))
            try:  # a split former commune: today's commune is in this column
                communes.add(self._resolve_today(current_text).pk if current_text else None)
            except UnitResolutionError:
                pass
        people: dict[int, Person] = {}
        for chunk in _chunks(sorted(citizen_ids)):
            people.update({p.pk: p for p in Person.objects.filter(citizen_id__in=chunk)})
        for chunk in _chunks(sorted({key for key, _y, _s in name_keys})):
            people.update(
                {
                    p.pk: p
                    for p in Person.objects.filter(name_key__in=chunk)
                    if (p.name_key, p.birth_year, p.sex) in name_keys
                }
            )
        self._by_id: dict[str, Person] = {}
        self._by_key: dict[tuple, list[Person]] = {}
        for person in sorted(people.values(), key=lambda p: p.pk):
            if person.citizen_id and person.merged_into_id is None:
                self._by_id.setdefault(person.citizen_id, person)
            self._by_key.setdefault((person.name_key, person.birth_year, person.sex), []).append(person)
        # Every file of those people, for the warnings (commune names only) ...
        self._files: dict[int, list[_FileRef]] = {}
        open_ids: list[int] = []
        for chunk in _chunks(sorted(people)):
            rows = CaseFile.objects.filter(person_id__in=chunk).order_by("pk")
            for ref in rows.values_list("pk", "person_id", "commune_id", "commune__full_name", "status"):
                ref = _FileRef(*ref)
                self._files.setdefault(ref.person_id, []).append(ref)
                if ref.status != Status.CLOSED and ref.commune_id in communes:
                    open_ids.append(ref.pk)
        # ... and the open ones in the communes of the file, whole: rows matching them update them.
        self._open: dict[tuple[int, int], CaseFile] = {}
        for chunk in _chunks(open_ids):
            found = CaseFile.objects.filter(pk__in=chunk).order_by("pk")
            for case in found.select_related("commune", "recorded_unit").prefetch_related("substances"):
                case.person = people[case.person_id]  # one object per person across its files
                self._open.setdefault((case.person_id, case.commune_id), case)

    def get_or_init_instance(self, instance_loader, row):
        # Parsed here (not in import_instance) so the row is counted as new or update correctly.
        rows = getattr(self, "sheet_rows", None) or []
        self._row_number = rows[self._index] if self._index < len(rows) else self._index + 2
        self._index += 1
        data, commune, blank = self._parse(row, self._row_number)
        existing = self._find_existing(data, commune)
        if existing is not None:
            values = self.stored_values(existing.person, _PERSON_BASELINE)
            for column, value in self.stored_values(existing, _CASE_BASELINE).items():
                values[column] = values.get(column, "") + value
            values[cols.COL_SUBST] = ",".join(sorted(s.code for s in existing.substances.all()))
            self.note_target(
                row=self._row_number,
                label=f"{existing.file_number} — {existing.person.full_name}",
                objects=[existing, existing.person],
                values=values,
            )
            # A blank cell is "not given", never "erase": the stored value stays.
            for name in blank:
                if name == "substances":
                    data.substances = [s.code for s in existing.substances.all()]
                else:
                    data.person.pop(name, None)
                    data.case.pop(name, None)
        instance = existing or CaseFile()
        instance._pcmt_input, instance._pcmt_existing, instance._pcmt_row = data, existing, self._row_number
        return instance, existing is None

    def import_instance(self, instance, row, **kwargs):
        pass

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        existing = getattr(instance, "_pcmt_existing", None)
        if existing is None or import_validation_errors:
            return False
        data = instance._pcmt_input
        # The file's type and detection date belong to the workflow once it exists: a re-import
        # refreshes personal data and notes, it does not turn an addict back into a user.
        data.case.pop("case_type", None)
        data.case.pop("detected_on", None)
        differences = _differences(existing, data, self._substance_names)
        if not differences:
            return True
        label = f"{existing.file_number} — {existing.person.full_name}"
        self.changes.append(RowChange(row=instance._pcmt_row, label=label, fields=differences))
        return False

    def save_instance(self, instance, is_create, row, **kwargs):
        data, existing = instance._pcmt_input, instance._pcmt_existing
        try:
            if existing is not None:
                data.case.pop("case_type", None)  # see skip_row
                data.case.pop("detected_on", None)
                services.case_update(actor=self.user, case=existing, data=data, expected_version=None)
                return
            person = self._person_match(data) if data.person["citizen_id"] else None
            if person is None:
                self._warn_possible_duplicate(data, instance._pcmt_row)
            else:
                self._warn_open_elsewhere(person, data.case["commune"], instance._pcmt_row)
            if self._batch is None:
                self._batch = services.CaseBatch(actor=self.user, commune_ids=scoping.visible_unit_ids(self.user))
            case = self._batch.add(data, person=person)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise ValidationError({k: v for k, v in exc.message_dict.items()}) from exc
            raise
        if case.person.citizen_id:
            self._pending_by_id.setdefault(case.person.citizen_id, case.person)
        key = (case.person.name_key, case.person.birth_year, case.person.sex)
        self._pending_communes.setdefault(key, set()).add(case.commune.full_name)
        if case.person.citizen_id:
            self._pending_communes.setdefault(("id", case.person.citizen_id), set()).add(case.commune.full_name)

    def after_import(self, dataset, result, **kwargs):
        if self._batch is not None and not result.has_errors() and not result.has_validation_errors():
            self._batch.commit()

    def after_preview(self, report) -> None:
        """Called by the import view after the dry run: the preview's cross-commune matches are
        duplicate checks like the one at entry (audited, counted in the daily limit), and a file
        with more than PCMT_IMPORT_CROSS_COMMUNE_MAX of them stops and goes to the province."""
        from django.conf import settings

        crossing = self.cross_commune
        if not crossing:
            return
        limit = settings.PCMT_IMPORT_CROSS_COMMUNE_MAX
        refusal = ""
        try:
            services.ensure_lookup_allowed(self.user, len(crossing))
        except services.LookupLimitError as exc:
            refusal = " ".join(exc.messages)
        if not refusal and len(crossing) > limit:
            refusal = _(
                "Tệp có %(n)s dòng trùng với người đã có hồ sơ ở xã, phường khác (tối đa %(max)s dòng mỗi lần "
                "nhập). Việc nhập dừng lại ở đây: hãy gửi tệp cho Công an tỉnh để kiểm tra trùng người."
            ) % {"n": len(crossing), "max": limit}
        services.record_lookup(
            actor=self.user,
            source="import",
            identifiers=[c["identifier"] for c in crossing],
            answered=[
                {"row": c["row"], "units": c["units"], "elsewhere": True, "withheld": bool(refusal)} for c in crossing
            ],
        )
        if refusal:
            rows = {c["row"] for c in crossing}
            report.warnings = [w for w in report.warnings if w.row not in rows]  # the communes stay unsaid
            report.errors.append(RowError(row=0, column="", message=refusal))

    def column_label(self, attribute: str) -> str:
        return cols.FIELD_COLUMNS.get(attribute, "")
