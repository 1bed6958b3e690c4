"""Which commune and which existing person or file a row names, and the duplicate warnings
(``CaseResource`` mixes this in)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import UnitResolutionError, resolve_current_unit, resolve_unit, unit_current_successors
from apps.core.imports import RowError, clip
from apps.core.text import normalize

from .. import services
from ..choices import Status
from ..models import CaseFile, Person
from ._common import _FileRef, _name_key
from .columns import COL_CURRENT, COL_ID, COL_NAME


class CaseMatchingMixin:
    """Resolves communes and matches rows to people and files loaded by ``CaseResource.before_import``."""

    def _resolved(self, key: Any, resolve: Callable[[], AdministrativeUnit]) -> AdministrativeUnit:
        """``resolve()`` once per key and import, its refusal remembered too: a file names the same
        commune on thousands of rows."""
        if key not in self._communes:
            try:
                self._communes[key] = resolve()
            except UnitResolutionError as exc:
                self._communes[key] = exc
        found = self._communes[key]
        if isinstance(found, UnitResolutionError):
            raise found
        return found

    def _resolve_commune(self, text: str) -> AdministrativeUnit:
        return self._resolved(text, lambda: resolve_current_unit(text))

    def _communes_of(self, text: str, current_text: str) -> tuple[AdministrativeUnit, AdministrativeUnit | None]:
        """(today's commune, the former unit as written or None) for the two commune cells. A former
        commune split between several new ones needs “Xã/phường hiện nay” to say which."""
        explicit = None
        if current_text:
            try:
                explicit = self._resolve_today(current_text)
            except UnitResolutionError as exc:
                raise ValidationError(
                    {"current_commune": exc.message + _(" Cột này chỉ nhận xã, phường hiện nay (từ 01/7/2025).")}
                ) from exc
        try:
            commune = self._resolve_commune(text)
        except UnitResolutionError as exc:
            if explicit is not None and explicit.pk in {u.pk for u in exc.candidates}:
                return explicit, self._former_unit(text, explicit)
            hint = _(" Với xã cũ bị chia cho nhiều xã mới, hãy ghi xã, phường hiện nay vào cột “%(col)s”.") % {
                "col": COL_CURRENT
            }
            raise ValidationError({"commune": exc.message + (hint if exc.candidates else "")}) from exc
        if explicit is not None and explicit.pk != commune.pk:
            raise ValidationError(
                {
                    "current_commune": _("%(old)s không thuộc địa bàn %(new)s hiện nay (mà thuộc %(real)s).")
                    % {"old": clip(text), "new": explicit.full_name, "real": commune.full_name}
                }
            )
        return commune, self._former_unit(text, commune)

    def _resolve_today(self, text: str) -> AdministrativeUnit:
        return self._resolved(("today", text), lambda: resolve_unit(text, on=timezone.localdate()))

    def _former_unit(self, text: str, commune: AdministrativeUnit) -> AdministrativeUnit | None:
        """The former unit the cell names, if it names one whose territory is now ``commune``
        (the form's "đơn vị lúc ghi nhận"); None for today's commune or when it cannot be told."""
        if text not in self._former:
            try:
                self._resolve_today(text)
                found = None  # a unit in force today: nothing former about it
            except UnitResolutionError:
                try:
                    found = resolve_unit(text)
                except UnitResolutionError:
                    found = None  # e.g. the same old name in two districts, both merged into one commune
            if found is not None and (found.valid_to is None or found.level != "commune"):
                found = None
            successors = {u.pk for u in unit_current_successors(found)} if found is not None else set()
            self._former[text] = (found, successors)
        found, successors = self._former[text]
        return found if commune.pk in successors else None

    def _person_match(self, data: services.CaseInput) -> Person | None:
        p = data.person
        if p["citizen_id"]:
            return self._by_id.get(p["citizen_id"]) or self._pending_by_id.get(p["citizen_id"])
        key = (_name_key(normalize(p["full_name"])), p["birth_year"], p["sex"])
        return next((person for person in self._by_key.get(key, []) if person.merged_into_id is None), None)

    def _identity_error(self, person: Person, p: dict, commune: AdministrativeUnit | None) -> str:
        """A CCCD names one person: a row giving it with another name, sex or birth year is a
        typing error or another person, never a reason to rewrite who that person is."""
        differs = []
        if _name_key(normalize(p["full_name"])) != person.name_key:
            differs.append(_("họ tên"))
        if p["sex"] != person.sex:
            differs.append(_("giới tính"))
        if p["birth_year"] != person.birth_year:
            differs.append(_("năm sinh"))
        if not differs:
            return ""
        own = self._open.get((person.pk, commune.pk)) if person.pk and commune is not None else None
        if own is not None:
            # The importer manages this file: show what is stored, so the row can be corrected.
            stored = _("hồ sơ %(f)s: %(n)s, %(s)s, sinh năm %(y)s") % {
                "f": own.file_number,
                "n": person.full_name,
                "s": person.get_sex_display(),
                "y": person.birth_year,
            }
        else:
            # Someone filed elsewhere (or earlier in this file): their identity is not disclosed.
            stored = _("người đã có trong cơ sở dữ liệu hoặc ở dòng trước của tệp")
        return _(
            "Số CCCD/CMND này đã thuộc về một người khác (%(stored)s); dòng này khác ở: %(diff)s. "
            "Nhập dữ liệu không được đổi danh tính của một người: hãy kiểm tra lại số CCCD, "
            "hoặc sửa thông tin trên hồ sơ nếu thông tin đã lưu sai."
        ) % {"stored": stored, "diff": ", ".join(differs)}

    def _find_existing(self, data: services.CaseInput, commune) -> CaseFile | None:
        person = self._person_match(data)
        if person is None or person.pk is None:
            return None
        return self._open.get((person.pk, commune.pk))

    def _warn_possible_duplicate(self, data: services.CaseInput, number: int) -> None:
        p = data.person
        key = (_name_key(normalize(p["full_name"])), p["birth_year"], p["sex"])
        refs = [c for person in self._by_key.get(key, []) for c in self._files.get(person.pk, [])]
        self._note_cross_commune(number, p, refs)
        communes = {c.commune_name for c in refs}
        communes |= self._pending_communes.get(key, set())
        if communes:
            self.warnings.append(
                RowError(
                    number,
                    COL_NAME,
                    _("Có thể trùng người đã có hồ sơ tại: %(c)s.") % {"c": ", ".join(sorted(communes))},
                )
            )

    def _warn_open_elsewhere(self, person: Person, commune, number: int) -> None:
        refs = [c for c in self._files.get(person.pk, []) if c.status != Status.CLOSED and c.commune_id != commune.pk]
        self._note_cross_commune(number, {"citizen_id": person.citizen_id}, refs)
        elsewhere = {c.commune_name for c in refs}
        elsewhere |= self._pending_communes.get(("id", person.citizen_id), set()) - {commune.full_name}
        if elsewhere:
            self.warnings.append(
                RowError(
                    number,
                    COL_ID,
                    _(
                        "Người có số CCCD này đang có hồ sơ mở tại %(c)s: nếu chuyển nơi cư trú, hãy dùng chức năng "
                        "chuyển hồ sơ thay vì lập hồ sơ mới."
                    )
                    % {"c": ", ".join(sorted(elsewhere))},
                )
            )

    def _note_cross_commune(self, number: int, identifier: dict, refs: list[_FileRef]) -> None:
        outside = sorted({c.commune_id for c in refs if c.commune_id not in self._own_units})
        if outside:
            keys = ("citizen_id", "full_name", "birth_year", "sex")
            self.cross_commune.append(
                {"row": number, "identifier": {k: identifier[k] for k in keys if k in identifier}, "units": outside}
            )
