"""``classify_communes``: the same results as an assessment run, printed, nothing written."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from apps.audit.models import AuditLogEntry
from apps.classification import rules, services
from apps.classification.models import Assessment, RuleSet

from .helpers import add_cases, approved_report, cases_only_ruleset


def test_text_output_lists_every_commune_with_its_level_and_criteria(world, root):
    cases_only_ruleset(root)
    add_cases(root, world.commune_a, 3)
    out = io.StringIO()
    call_command("classify_communes", period=2025, ruleset="TEST-CASES", stdout=out)
    text = out.getvalue()
    assert "Phân loại theo TEST-CASES (phiên bản 1), Năm 2025 (01/01/2025 – 31/12/2025)" in text
    assert "không ghi gì" in text
    assert "Lưu ý: 2 tiêu chí chưa được kiểm chứng" in text
    assert f"Xã Trung Sơn [{world.commune_a.code}]: Loại I – tiêu chí đạt 1/1 (a)" in text
    assert f"Phường Minh Xuân [{world.commune_b.code}]: Không ma túy – tiêu chí đạt 1/1 (a)" in text
    assert "Tổng 2 xã, phường – Loại I: 1" in text


def test_verbose_output_explains_every_criterion(world, root):
    cases_only_ruleset(root)
    out = io.StringIO()
    call_command("classify_communes", period=2025, ruleset="TEST-CASES", verbosity=2, stdout=out)
    assert "Loại I a [không] 0 người < 3 người" in out.getvalue()


def test_json_output_matches_an_assessment_run_and_writes_nothing(world, root, fake_registers):
    add_cases(root, world.commune_a, 2)
    approved_report(world.commune_b, 2025)  # positive evidence for commune B's zeros
    rule_set = RuleSet.objects.get(code="QD-3122-2010")
    before = (Assessment.objects.count(), AuditLogEntry.objects.count())
    out = io.StringIO()
    call_command("classify_communes", "--period", "2025", "--ruleset", "QD-3122-2010", "--json", stdout=out)
    assert (Assessment.objects.count(), AuditLogEntry.objects.count()) == before
    data = json.loads(out.getvalue())
    assert (data["rule_set"], data["version"], data["year"]) == ("QD-3122-2010", 1, 2025)
    printed = {row["code"]: row["level"] for row in data["communes"]}
    assessment = services.assessment_run(actor=root, rule_set=rule_set, year=2025)
    stored = dict(assessment.results.values_list("commune__code", "final_level"))
    assert printed == stored
    assert printed[world.commune_b.code] == "drug_free"
    assert printed[world.commune_a.code] == rules.HAS_PROBLEMS  # 2 users, no addict, no hotspot


def test_undetermined_communes_print_their_reason(world, no_registers):
    out = io.StringIO()
    call_command("classify_communes", period=2025, ruleset="QD-28-2025", stdout=out)
    assert "Chưa đủ số liệu" in out.getvalue()
    assert "registers" in out.getvalue()


def test_unknown_rule_set_is_an_error_listing_the_known_ones(db):
    with pytest.raises(CommandError, match="Các bộ hiện có: QD-28-2025, QD-3122-2010"):
        call_command("classify_communes", period=2025, ruleset="QD-99")
