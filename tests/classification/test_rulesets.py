"""Rule sets as data: the shipped ones loaded by the data migration, import/export (service,
commands), all-or-nothing validation, versioned replacement, audit."""

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from apps.audit.models import AuditLogEntry
from apps.classification import rules, selectors, services
from apps.classification.models import Criterion, RuleLevel, RuleSet

from .helpers import RULESET_DIR, cases_only_ruleset, shipped_specs


def test_the_data_migration_loaded_every_shipped_rule_set(db):
    for code, spec in shipped_specs().items():
        stored = RuleSet.objects.get(code=code)
        assert selectors.ruleset_spec(stored) == spec
        assert stored.levels.count() == len(spec.levels)


def test_loading_the_shipped_rule_sets_again_changes_nothing(db):
    rule_set = RuleSet.objects.get(code="QD-28-2025")
    Criterion.objects.filter(level__rule_set=rule_set, code="a").update(verification="verified")
    before = (RuleSet.objects.count(), RuleLevel.objects.count(), Criterion.objects.count())
    assert services.ruleset_load_shipped() == []
    assert (RuleSet.objects.count(), RuleLevel.objects.count(), Criterion.objects.count()) == before
    # a confirmation made by legal staff is not overwritten by the shipped file
    assert not Criterion.objects.filter(level__rule_set=rule_set, code="a").exclude(verification="verified").exists()


def test_a_missing_shipped_rule_set_is_created_and_audited(db):
    RuleSet.objects.filter(code="QD-3122-2010").delete()
    assert services.ruleset_load_shipped() == ["QD-3122-2010"]
    assert AuditLogEntry.objects.filter(action=services.RULESET_CREATE, object_repr__startswith="QD-3122").exists()


def test_export_then_import_of_an_existing_code_is_refused_and_writes_nothing(world, administrator):
    rule_set = RuleSet.objects.get(code="QD-28-2025")
    content = json.dumps(selectors.ruleset_export_data(rule_set))
    criteria = Criterion.objects.count()
    with pytest.raises(services.RuleSetImportError) as exc:
        services.ruleset_import(actor=administrator, content=content)
    assert "đã có (phiên bản 1)" in exc.value.messages[0]
    assert "--replace" in exc.value.messages[0]
    rule_set.refresh_from_db()
    assert rule_set.version == 1
    assert Criterion.objects.count() == criteria
    assert not AuditLogEntry.objects.filter(action__startswith="classification.ruleset").exists()


def test_replace_creates_the_next_version_and_audits_before_and_after(world, administrator):
    rule_set = RuleSet.objects.get(code="QD-28-2025")
    data = selectors.ruleset_export_data(rule_set)
    data["levels"][1]["criteria"][0]["threshold"] = "0.25"  # legal staff corrected type II a
    data["levels"][1]["criteria"][0]["verification"] = "verified"
    data["levels"][1]["criteria"][0]["source"] = "Toàn văn QĐ 28/2025/QĐ-TTg, Điều 3"
    replaced = services.ruleset_import(actor=administrator, content=json.dumps(data), replace=True, filename="qd.json")
    assert replaced.pk == rule_set.pk
    assert replaced.version == 2
    spec = selectors.ruleset_spec(replaced)
    a2 = spec.level("type_2").criteria[0]
    assert (a2.threshold, a2.verification) == (Decimal("0.25"), "verified")
    entry = AuditLogEntry.objects.get(action=services.RULESET_REPLACE)
    assert entry.actor == administrator
    assert entry.before["levels"][1]["criteria"][0]["threshold"] == "0.3"
    assert entry.after["levels"][1]["criteria"][0]["threshold"] == "0.25"
    assert entry.after["version"] == 2
    assert entry.message == "qd.json"


def test_an_invalid_file_is_refused_whole_with_every_error(world, administrator):
    data = dict(rules.spec_to_dict(shipped_specs()["QD-28-2025"]), code="QD-NEW")
    data["levels"][0]["criteria"][0]["comparison"] = "≥"
    data["levels"][2]["criteria"][1]["threshold"] = "một"
    before = (RuleSet.objects.count(), RuleLevel.objects.count(), Criterion.objects.count())
    with pytest.raises(services.RuleSetImportError) as exc:
        services.ruleset_import(actor=administrator, content=json.dumps(data))
    assert len(exc.value.messages) == 2
    assert any("Mức “type_1”, tiêu chí “a”: phép so sánh “≥” không hợp lệ" in m for m in exc.value.messages)
    assert any("“threshold” = “một” không phải là số" in m for m in exc.value.messages)
    assert (RuleSet.objects.count(), RuleLevel.objects.count(), Criterion.objects.count()) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "Tệp không phải JSON hợp lệ (dòng 1, cột 2)"), (b"\xff\xfe", "Tệp không phải văn bản UTF-8")],
)
def test_a_file_that_is_not_json_is_refused(world, administrator, content, message):
    with pytest.raises(services.RuleSetImportError) as exc:
        services.ruleset_import(actor=administrator, content=content)
    assert exc.value.messages[0].startswith(message)


def test_importing_needs_the_import_permission(world, province_staff):
    with pytest.raises(PermissionDenied):
        services.ruleset_import(actor=province_staff, content=json.dumps({}))


def test_a_new_code_is_created_as_in_the_file(world, administrator):
    rule_set = cases_only_ruleset(administrator)
    assert (rule_set.code, rule_set.version, rule_set.updated_by) == ("TEST-CASES", 1, administrator)
    assert AuditLogEntry.objects.filter(action=services.RULESET_IMPORT, object_id=str(rule_set.pk)).exists()


# --- commands -----------------------------------------------------------------------------------------


def test_export_ruleset_prints_the_readable_json(db):
    out = io.StringIO()
    call_command("export_ruleset", "QD-3122-2010", stdout=out)
    data = json.loads(out.getvalue())
    assert rules.spec_from_dict(data) == shipped_specs()["QD-3122-2010"]
    assert "Loại I" in out.getvalue()  # not \u-escaped


def test_export_ruleset_writes_a_file_and_import_ruleset_reads_it_back(db, tmp_path):
    path = tmp_path / "qd28.json"
    call_command("export_ruleset", "QD-28-2025", output=str(path), stderr=io.StringIO())
    with pytest.raises(CommandError, match="đã có"):
        call_command("import_ruleset", str(path))
    out = io.StringIO()
    call_command("import_ruleset", str(path), replace=True, stdout=out)
    assert "phiên bản 2" in out.getvalue()
    assert RuleSet.objects.get(code="QD-28-2025").version == 2
    entry = AuditLogEntry.objects.get(action=services.RULESET_REPLACE)
    assert entry.actor is None and entry.actor_username == "import_ruleset"


def test_import_ruleset_reports_every_error(db, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"code": "X", "title": "X", "levels": [{"code": "l"}]}), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_ruleset", str(path))
    assert "không có gì được ghi" in str(exc.value)
    assert "effective_from" in str(exc.value)
    assert not RuleSet.objects.filter(code="X").exists()


def test_unknown_codes_and_files_are_errors(db):
    with pytest.raises(CommandError, match="Không có bộ tiêu chí “NOPE”"):
        call_command("export_ruleset", "NOPE")
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_ruleset", str(RULESET_DIR / "missing.json"))
