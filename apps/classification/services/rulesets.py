"""Rule sets: the file import (new code or a new version replacing one), the assumed-bound
parameter edit and the shipped rule sets (also used by the data migration, with historical models)."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core import actors, locking

from .. import rules, selectors
from ..models import Criterion, RuleLevel, RuleSet
from ._common import RULESET_CREATE, RULESET_IMPORT, RULESET_REPLACE, _require, _require_province

SHIPPED_DIR = Path(settings.BASE_DIR) / "fixtures" / "rulesets"


class RuleSetImportError(ValidationError):
    """The file was refused as a whole; ``messages`` lists every problem in Vietnamese."""


def write_spec(
    spec: rules.RuleSetSpec,
    *,
    rule_set: Any = None,
    models: tuple[Any, Any, Any] = (RuleSet, RuleLevel, Criterion),
    actor=None,
) -> Any:
    """Create (or overwrite in place) the rows of a rule set from a validated spec.

    ``models`` lets the data migration pass its historical models. No validation or audit here:
    callers parse with ``rules.spec_from_dict`` first and audit themselves.
    """
    rule_set_model, level_model, criterion_model = models
    fields = rules.columns_of(spec, rules.RULE_SET_COLUMNS)
    if actors.is_user(actor):
        fields["updated_by_id"] = actor.pk
    if rule_set is None:
        rule_set = rule_set_model.objects.create(code=spec.code, **fields)
    else:
        level_model.objects.filter(rule_set=rule_set).delete()  # criteria cascade
        for name, value in fields.items():
            setattr(rule_set, name, value)
        rule_set.save()
    # The historical model of migration 0002 predates the ``evidence`` column (added by 0003).
    has_evidence = any(f.name == "evidence" for f in criterion_model._meta.get_fields())
    for level in spec.levels:
        level_row = level_model.objects.create(rule_set=rule_set, **rules.columns_of(level, rules.LEVEL_COLUMNS))
        criterion_model.objects.bulk_create(
            criterion_model(
                level=level_row,
                position=position,
                **rules.columns_of(c, rules.CRITERION_COLUMNS),
                ref_min_count=c.ref_min_count or None,
                **({"evidence": list(c.evidence)} if has_evidence else {}),
            )
            for position, c in enumerate(level.criteria, start=1)
        )
    return rule_set


def parse_ruleset_file(content: bytes | str) -> rules.RuleSetSpec:
    """Decode and validate a rule set file; ``RuleSetImportError`` lists every problem."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RuleSetImportError([_("Tệp không phải văn bản UTF-8.")]) from exc
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise RuleSetImportError(
            [_("Tệp không phải JSON hợp lệ (dòng %(line)s, cột %(col)s): %(msg)s.") % {
                "line": exc.lineno, "col": exc.colno, "msg": exc.msg,
            }]
        ) from exc  # fmt: skip
    try:
        return rules.spec_from_dict(data)
    except rules.RuleSetFormatError as exc:
        raise RuleSetImportError(exc.errors) from exc


@transaction.atomic
def ruleset_import(*, actor, content: bytes | str, replace: bool = False, filename: str = "") -> RuleSet:
    """Import a rule set file, all or nothing.

    A new code is created as in the file. An existing code is refused unless ``replace``: then its
    levels and criteria are replaced and its version becomes the stored version + 1 (assessments
    keep the snapshot they were run with, so history is unchanged). Audited with before/after.
    """
    _require(actor, "classification.import_ruleset")
    spec = parse_ruleset_file(content)
    existing = RuleSet.objects.select_for_update().filter(code=spec.code).first()
    if existing is None:
        rule_set = write_spec(spec, actor=actor)
        audit_record(
            actor=actor,
            username="import_ruleset",
            action=RULESET_IMPORT,
            obj=rule_set,
            after=rules.spec_to_dict(spec),
            message=filename,
        )
        return rule_set
    if not replace:
        raise RuleSetImportError(
            [
                _(
                    "Bộ tiêu chí “%(code)s” đã có (phiên bản %(version)s). Không ghi gì. Muốn tạo phiên bản mới "
                    "thì chọn “Thay thế phiên bản hiện có” (lệnh: --replace)."
                )
                % {"code": spec.code, "version": existing.version}
            ]
        )
    before = selectors.ruleset_export_data(existing)
    new_version = existing.version + 1
    spec = dataclasses.replace(spec, version=new_version)
    rule_set = write_spec(spec, rule_set=existing, actor=actor)
    audit_record(
        actor=actor,
        username="import_ruleset",
        action=RULESET_REPLACE,
        obj=rule_set,
        before=before,
        after=rules.spec_to_dict(spec),
        message=filename,
    )
    return rule_set


PARAMETER_PERMISSION = "classification.run_assessment"


def _parameter_value(raw: Any) -> Decimal:
    """A typed bound as the criterion column holds it (max_digits 16, 4 decimals); a blank or
    non-numeric bound would be stored as no bound and break the next run."""
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        value = None
    if (
        value is None
        or not value.is_finite()
        or value < 0
        or value >= Decimal("1e12")
        or value.as_tuple().exponent < -4
    ):
        raise ValidationError(
            {"threshold": _("Hãy nhập ngưỡng là một số không âm, tối đa 4 chữ số thập phân, ví dụ 0,5 hoặc 3.")}
        )
    return value


def _stale_ruleset(current: RuleSet, _expected_version: int) -> str:
    return _("Bộ tiêu chí vừa được sửa (phiên bản %(v)s). Thay đổi của bạn chưa được lưu; hãy tải lại trang.") % {
        "v": current.version
    }


@transaction.atomic
def ruleset_set_parameter(
    *,
    actor,
    rule_set: RuleSet,
    level_code: str,
    criterion_code: str,
    threshold: Any,
    expected_version: int | None = None,
) -> RuleSet:
    """Change the lower bound of an UNVERIFIED threshold criterion (issue 10 §4: the assumed
    Type III bounds "> 0 %", "≥ 1 người" are parameters the province's staff may set) as a new
    version of the rule set, audited with the rule set before and after.

    A verified threshold comes from the legal text and is refused here (legal staff replace it by
    importing a new version). The criterion stays unverified: setting an assumption does not verify
    it. Earlier assessments keep the snapshot they were run with.
    """
    _require(actor, PARAMETER_PERMISSION)
    # The bound classifies every commune of the province: a province-wide operation.
    _require_province(actor, list(selectors.current_communes()))
    threshold = _parameter_value(threshold)
    current = locking.lock_for_update(rule_set, expected_version, message=_stale_ruleset)
    spec = selectors.ruleset_spec(current)
    level = spec.level(level_code)
    criterion = next((c for c in level.criteria if c.code == criterion_code), None) if level else None
    if criterion is None or criterion.kind != rules.THRESHOLD:
        raise ValidationError(_("Không tìm thấy tiêu chí ngưỡng này trong bộ tiêu chí."))
    if criterion.verification == "verified":
        raise ValidationError(
            _("Ngưỡng này đã kiểm chứng với văn bản: chỉ thay được bằng cách nhập phiên bản mới của bộ tiêu chí.")
        )
    data = rules.spec_to_dict(spec)
    for raw_level in data["levels"]:
        if raw_level["code"] != level_code:
            continue
        for raw in raw_level["criteria"]:
            if raw["code"] == criterion_code:
                raw["threshold"] = str(threshold)
    data["version"] = current.version + 1
    try:
        new_spec = rules.spec_from_dict(data)
    except rules.RuleSetFormatError as exc:
        raise ValidationError(exc.errors) from exc
    before = rules.spec_to_dict(spec)
    rule_set = write_spec(new_spec, rule_set=current, actor=actor)
    audit_record(
        actor=actor,
        action=RULESET_REPLACE,
        obj=rule_set,
        before=before,
        after=rules.spec_to_dict(new_spec),
        message=f"Sửa tham số giả định {level_code}/{criterion_code}: {criterion.threshold} → {threshold}",
    )
    return rule_set


def load_shipped(*, models: tuple[Any, Any, Any] = (RuleSet, RuleLevel, Criterion), directory: Path = SHIPPED_DIR):
    """Create the rule sets shipped in ``fixtures/rulesets/*.json`` that do not exist yet.

    Idempotent, and never overwrites a stored rule set (legal staff may have replaced it since).
    Returns the codes created. Used by the data migration (with historical models, no audit) and by
    ``ruleset_load_shipped``.
    """
    created: list[str] = []
    rule_set_model = models[0]
    for path in sorted(Path(directory).glob("*.json")):
        spec = rules.spec_from_dict(json.loads(path.read_text(encoding="utf-8")))
        if rule_set_model.objects.filter(code=spec.code).exists():
            continue
        write_spec(spec, models=models)
        created.append(spec.code)
    return created


@transaction.atomic
def ruleset_load_shipped(*, actor=None, directory: Path = SHIPPED_DIR) -> list[str]:
    """``load_shipped`` with an audit row per rule set created."""
    created = load_shipped(directory=directory)
    for code in created:
        rule_set = RuleSet.objects.get(code=code)
        audit_record(
            actor=actor,
            username="system",
            action=RULESET_CREATE,
            obj=rule_set,
            after=selectors.ruleset_export_data(rule_set),
        )
    return created
