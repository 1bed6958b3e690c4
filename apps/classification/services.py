"""Writes for commune classification. Every change is validated, runs in one transaction and writes
its audit row in it (views, management commands and the data migration call these functions).

``actor=None`` means the system (management commands run by whoever holds the server): permission
checks apply to user actors only, and the audit row records the command's name instead.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import map_projection
from apps.audit.services import audit_record, changed_fields, snapshot
from apps.core import actors, locking, scoping
from apps.core.collation import vi_order

from . import actions, rules, selectors
from .choices import AssessmentStatus, RuleSetStatus
from .models import Assessment, AssessmentResult, Criterion, KeyRoute, RuleLevel, RuleSet

SHIPPED_DIR = Path(settings.BASE_DIR) / "fixtures" / "rulesets"

# Audit action codes, re-exported for callers (labels in actions.LABELS).
RULESET_CREATE = actions.RULESET_CREATE
RULESET_IMPORT = actions.RULESET_IMPORT
RULESET_REPLACE = actions.RULESET_REPLACE
KEYROUTE_CREATE = actions.KEYROUTE_CREATE
KEYROUTE_UPDATE = actions.KEYROUTE_UPDATE
KEYROUTE_DELETE = actions.KEYROUTE_DELETE
ASSESSMENT_RUN = actions.ASSESSMENT_RUN
ASSESSMENT_APPROVE = actions.ASSESSMENT_APPROVE
ASSESSMENT_SUPERSEDE = actions.ASSESSMENT_SUPERSEDE
RESULT_OVERRIDE = actions.RESULT_OVERRIDE


def _require(actor, perm: str) -> None:
    scoping.require(actor, perm, _("Tài khoản không có quyền thực hiện thao tác này."))


def _require_province(actor, communes: list[AdministrativeUnit]) -> None:
    """A province-wide operation needs every commune in the actor's scope."""
    scoping.ensure_units_in_scope(
        actor,
        [c.pk for c in communes],
        _("Chỉ cán bộ được giao phạm vi toàn tỉnh mới thực hiện được thao tác này."),
    )


# --- rule sets ----------------------------------------------------------------------------------


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
    fields = {
        "title": spec.title,
        "legal_basis": spec.legal_basis,
        "effective_from": spec.effective_from,
        "effective_to": spec.effective_to,
        "status": spec.status,
        "notes": spec.notes,
        "version": spec.version,
        "bands_cascade": spec.bands_cascade,
    }
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
        level_row = level_model.objects.create(
            rule_set=rule_set,
            code=level.code,
            label=level.label,
            order=level.order,
            combination=level.combination,
            min_count=level.min_count,
            is_key=level.is_key,
        )
        criterion_model.objects.bulk_create(
            criterion_model(
                level=level_row,
                position=position,
                code=c.code,
                label=c.label,
                kind=c.kind,
                indicator=c.indicator,
                comparison=c.comparison,
                threshold=c.threshold,
                threshold_high=c.threshold_high,
                alt_indicator=c.alt_indicator,
                alt_comparison=c.alt_comparison,
                alt_threshold=c.alt_threshold,
                alt_threshold_high=c.alt_threshold_high,
                unit_label=c.unit_label,
                ref_level_code=c.ref_level_code,
                ref_min_count=c.ref_min_count or None,
                requires_key_route=c.requires_key_route,
                verification=c.verification,
                source=c.source,
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


@transaction.atomic
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


# --- key routes ---------------------------------------------------------------------------------

KEYROUTE_FIELDS = ["commune", "year", "name", "kind", "notes"]


def _validate_route(actor, route: KeyRoute) -> None:
    commune = route.commune
    scoping.ensure_commune_in_scope(
        scoping.user_or_none(actor),
        commune,
        not_current=_("Tuyến phải gắn với một xã, phường hiện hành."),
        out_of_scope=_("Xã, phường nằm ngoài phạm vi được giao."),
    )
    route.full_clean(exclude=["updated_by"])


@transaction.atomic
def keyroute_create(*, actor, data: dict[str, Any]) -> KeyRoute:
    """Record that a commune lies on a key drug route in a year (criterion đ, QĐ 28/2025)."""
    _require(actor, "classification.add_keyroute")
    route = KeyRoute(**{k: data[k] for k in KEYROUTE_FIELDS if k in data})
    route.updated_by = scoping.user_or_none(actor)
    _validate_route(actor, route)
    route.save()
    audit_record(
        actor=actor, action=KEYROUTE_CREATE, obj=route, area=route.commune, after=snapshot(route, KEYROUTE_FIELDS)
    )
    return route


def _stale_route(current: KeyRoute, _expected_version: int) -> str:
    who = current.updated_by.get_full_name() if current.updated_by else _("người khác")
    return _("Tuyến này đã được %(who)s sửa lúc %(when)s. Thay đổi của bạn chưa được lưu; hãy tải lại trang.") % {
        "who": who,
        "when": timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y"),
    }


@transaction.atomic
def keyroute_update(*, actor, route: KeyRoute, data: dict[str, Any], expected_version: int | None) -> KeyRoute:
    """Edit a route; refused when someone saved it since ``expected_version`` (optimistic lock)."""
    _require(actor, "classification.change_keyroute")
    if actors.is_user(actor):
        scoping.ensure_can(actor, "change", route)
    current = locking.lock_for_update(route, expected_version, message=_stale_route)
    before = snapshot(current, KEYROUTE_FIELDS)
    for name in KEYROUTE_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    _validate_route(actor, current)
    after = snapshot(current, KEYROUTE_FIELDS)
    if not changed_fields(before, after):
        return current
    current.version += 1
    current.updated_by = scoping.user_or_none(actor)
    current.save()
    audit_record(actor=actor, action=KEYROUTE_UPDATE, obj=current, area=current.commune, before=before, after=after)
    return current


@transaction.atomic
def keyroute_delete(*, actor, route: KeyRoute) -> None:
    _require(actor, "classification.delete_keyroute")
    if actors.is_user(actor):
        scoping.ensure_can(actor, "delete", route)
    audit_record(
        actor=actor, action=KEYROUTE_DELETE, obj=route, area=route.commune, before=snapshot(route, KEYROUTE_FIELDS)
    )
    route.delete()


# --- assessments --------------------------------------------------------------------------------


MAP_OF_THE_TIME, CONVERTED = "time", "converted"


def classify(
    *,
    spec: rules.RuleSetSpec,
    year: int,
    communes: list[AdministrativeUnit] | None = None,
    map_generation: str | None = None,
    unattributed: dict[str, Any] | None = None,
):
    """(communes, {commune_id: (Indicators, Outcome)}) without writing anything (used by the
    ``classify_communes`` command and by ``assessment_run``). ``map_generation``: classify the
    communes of that map of the time (2019, 2020, pre2025) instead of today's."""
    projection = None
    if map_generation is not None:
        projection = map_projection(map_generation)
        if communes is None:
            communes = list(selectors.map_communes(map_generation))
    if communes is None:
        communes = list(selectors.current_communes())
    facts = selectors.gather_indicators(year=year, communes=communes, on_map=projection, unattributed=unattributed)
    return communes, {cid: (ind, rules.evaluate(spec, ind)) for cid, ind in facts.items()}


def map_for_choice(year: int, choice: str = "") -> str | None:
    """The map an assessment of ``year`` runs on: by default the map of the time for a year
    before the two-tier map; ``CONVERTED`` (province staff's choice): today's communes."""
    if choice == CONVERTED:
        return None
    return selectors.default_map_for(year)


@transaction.atomic
def assessment_run(*, actor, rule_set: RuleSet, year: int, note: str = "", map_choice: str = "") -> Assessment:
    """Compute a proposal for every commune under ``rule_set`` for ``year`` and store it as a new
    assessment (status proposed). Nothing approved is touched; audited with counts per level.

    A year before the two-tier map runs on the communes of the map in force on 1 January of that
    year (``map_choice`` "time", the default) or, by choice, on today's communes ("converted")."""
    _require(actor, "classification.run_assessment")
    _require_province(actor, list(selectors.current_communes()))
    generation = map_for_choice(year, map_choice)
    communes = list(selectors.map_communes(generation) if generation else selectors.current_communes())
    spec = selectors.ruleset_spec(rule_set)
    period = rules.period_for_year(year)
    unattributed: dict[str, Any] = {}
    _communes, outcomes = classify(
        spec=spec, year=year, communes=communes, map_generation=generation, unattributed=unattributed
    )
    assessment = Assessment.objects.create(
        rule_set=rule_set,
        ruleset_version=rule_set.version,
        ruleset_snapshot=rules.spec_to_dict(spec),
        year=year,
        period_start=period.start,
        period_end=period.end,
        status=AssessmentStatus.PROPOSED,
        run_by=scoping.user_or_none(actor),
        run_at=timezone.now(),
        note=note,
        map_generation_id=generation,
        unattributed=unattributed,
    )
    results = []
    for commune in communes:
        indicators, outcome = outcomes[commune.pk]
        results.append(
            AssessmentResult(
                assessment=assessment,
                commune=commune,
                proposed_level=outcome.level_code,
                final_level=outcome.level_code,
                criteria_met=outcome.met_count,
                indicators=indicators.to_dict(),
                explanation=outcome.to_dict(),
            )
        )
    # batched: 10,000 results with their explanations are ~150 MB in one INSERT
    AssessmentResult.objects.bulk_create(results, batch_size=500)
    counts = Counter(r.proposed_level for r in results)
    audit_record(
        actor=actor,
        username="system",
        action=ASSESSMENT_RUN,
        obj=assessment,
        after={
            "rule_set": rule_set.code,
            "version": rule_set.version,
            "year": year,
            "communes": len(results),
            "levels": dict(counts),
            "map": generation or "2025",
        },
    )
    return assessment


@transaction.atomic
def assessment_override(*, actor, result: AssessmentResult, level: str, reason: str) -> AssessmentResult:
    """Set a commune's final level by decision, with a reason (required). Only while the assessment
    is a proposal: approved results are history and never change (re-run and approve instead)."""
    _require(actor, "classification.override_assessment")
    result = AssessmentResult.objects.select_for_update().select_related("assessment", "commune").get(pk=result.pk)
    if actors.is_user(actor) and not scoping.can(actor, "view", result):
        raise PermissionDenied(_("Xã, phường nằm ngoài phạm vi được giao."))
    assessment = result.assessment
    if assessment.status != AssessmentStatus.PROPOSED:
        raise ValidationError(
            _("Kết quả đã phê duyệt hoặc đã được thay thế thì không sửa được; hãy chạy lại phân loại rồi phê duyệt.")
        )
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Cần ghi lý do điều chỉnh (căn cứ, văn bản, số liệu bổ sung).")
    allowed = assessment.spec.outcome_codes()
    if level not in allowed:
        errors["level"] = _("Loại “%(level)s” không có trong bộ tiêu chí.") % {"level": level}
    if errors:
        raise ValidationError(errors)
    before = {"final_level": result.final_level, "override_reason": result.override_reason}
    result.final_level = level
    result.override_reason = reason
    result.overridden_by = scoping.user_or_none(actor)
    result.overridden_at = timezone.now()
    result.save(update_fields=["final_level", "override_reason", "overridden_by", "overridden_at"])
    audit_record(
        actor=actor,
        action=RESULT_OVERRIDE,
        obj=result,
        area=result.commune,
        before=before,
        after={"final_level": level, "proposed_level": result.proposed_level, "override_reason": reason},
        message=reason,
    )
    return result


@transaction.atomic
def assessment_approve(*, actor, assessment: Assessment) -> Assessment:
    """Approve a proposal. The approved assessment of the same year and rule set, if any, becomes
    superseded (its status only: its results stay as they were, append-only history).

    Refused while a commune is undetermined for a gap the province can close (an app not
    installed, no key-route list: add it and re-run, or decide by override with a reason), and for
    a draft rule set. A commune undetermined only for lack of its OWN data (no evidence for the
    year, no population) is published as "chưa đủ số liệu" (issue 10 §2: no data is not zero).
    """
    _require(actor, "classification.approve_assessment")
    _require_province(actor, list(selectors.current_communes()))
    assessment = Assessment.objects.select_for_update().select_related("rule_set").get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.PROPOSED:
        raise ValidationError(_("Chỉ phê duyệt được kết quả đang ở trạng thái đề xuất."))
    if assessment.rule_set.status == RuleSetStatus.DRAFT:
        raise ValidationError(_("Bộ tiêu chí đang là dự thảo: chưa phê duyệt được kết quả theo bộ tiêu chí này."))
    undetermined = [
        name
        for name, explanation in vi_order(
            assessment.results.filter(final_level=rules.UNDETERMINED), "commune__name"
        ).values_list("commune__full_name", "explanation")
        if not rules.lacks_commune_data_only(explanation or {})
    ]
    if undetermined:
        shown = ", ".join(undetermined[:10]) + ("…" if len(undetermined) > 10 else "")
        raise ValidationError(
            _(
                "Còn %(n)s xã, phường chưa xác định được loại (%(names)s). Hãy bổ sung số liệu rồi chạy lại, "
                "hoặc điều chỉnh loại của từng xã kèm lý do."
            )
            % {"n": len(undetermined), "names": shown}
        )
    now = timezone.now()
    previous = (
        Assessment.objects.select_for_update()
        .filter(rule_set=assessment.rule_set, year=assessment.year, status=AssessmentStatus.APPROVED)
        .first()
    )
    if previous is not None:
        previous.status = AssessmentStatus.SUPERSEDED
        previous.superseded_by = assessment
        previous.superseded_at = now
        previous.save(update_fields=["status", "superseded_by", "superseded_at"])
        audit_record(
            actor=actor,
            username="system",
            action=ASSESSMENT_SUPERSEDE,
            obj=previous,
            before={"status": AssessmentStatus.APPROVED},
            after={"status": AssessmentStatus.SUPERSEDED, "superseded_by": assessment.pk},
        )
    assessment.status = AssessmentStatus.APPROVED
    assessment.approved_by = scoping.user_or_none(actor)
    assessment.approved_at = now
    assessment.save(update_fields=["status", "approved_by", "approved_at"])
    counts = Counter(assessment.results.values_list("final_level", flat=True))
    overridden = assessment.results.exclude(override_reason="").count()
    audit_record(
        actor=actor,
        username="system",
        action=ASSESSMENT_APPROVE,
        obj=assessment,
        before={"status": AssessmentStatus.PROPOSED},
        after={
            "status": AssessmentStatus.APPROVED,
            "levels": dict(counts),
            "overridden": overridden,
            "supersedes": previous.pk if previous else None,
        },
    )
    return assessment
