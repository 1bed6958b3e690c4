"""Rule sets, assessments and key routes, made through the classification services (imports, runs,
overrides, approvals) so they carry their versions and audit rows like real ones."""

from __future__ import annotations

import json

from apps.classification import rules, services
from apps.classification.models import Assessment, KeyRoute, RuleSet

SHIPPED = "QD-28-2025"

CASES_ONLY_RULESET = {
    "format": "pcmt-ruleset/1",
    "code": "TEST-CASES",
    "title": "Bộ tiêu chí kiểm thử (chỉ dùng hồ sơ quản lý)",
    "effective_from": "2020-01-01",
    "status": "active",
    "levels": [
        {
            "code": "type_1",
            "label": "Loại I",
            "order": 1,
            "combination": "any",
            "criteria": [
                {
                    "code": "a",
                    "label": "Từ 3 người có hồ sơ",
                    "indicator": "addicts_users_with_records",
                    "comparison": "gte",
                    "threshold": "3",
                    "verification": "unverified",
                }
            ],
        },
        {
            "code": "drug_free",
            "label": "Không ma túy",
            "order": 2,
            "combination": "all",
            "is_key": False,
            "criteria": [
                {
                    "code": "a",
                    "label": "Không có người có hồ sơ",
                    "indicator": "addicts_users_with_records",
                    "comparison": "eq",
                    "threshold": "0",
                }
            ],
        },
    ],
}


def shipped_ruleset(code: str = SHIPPED) -> RuleSet:
    """A rule set loaded by the migrations from fixtures/rulesets/ (QĐ 28/2025 by default)."""
    return RuleSet.objects.get(code=code)


def cases_only_ruleset(actor=None, **changes) -> RuleSet:
    """A small rule set counting only case files, imported like an administrator's upload."""
    data = json.loads(json.dumps(CASES_ONLY_RULESET))
    data.update(changes)
    return services.ruleset_import(actor=actor, content=json.dumps(data))


def proposed_assessment(actor, rule_set: RuleSet | None = None, year: int = 2025) -> Assessment:
    """A run over every current commune, left at "proposed"."""
    return services.assessment_run(actor=actor, rule_set=rule_set or shipped_ruleset(), year=year)


def approved_assessment(actor, rule_set: RuleSet | None = None, year: int = 2025) -> Assessment:
    """Run, decide every undetermined commune by override (with a reason), approve."""
    assessment = proposed_assessment(actor, rule_set, year)
    for result in assessment.results.filter(final_level=rules.UNDETERMINED):
        services.assessment_override(
            actor=actor, result=result, level=rules.HAS_PROBLEMS, reason="Kiểm thử: số liệu chưa đủ"
        )
    return services.assessment_approve(actor=actor, assessment=assessment)


def key_route(unit, year: int, name: str = "Quốc lộ 2") -> KeyRoute:
    """A key route of the commune (one row, as the key-route form stores it)."""
    return KeyRoute.objects.create(commune=unit, year=year, name=name)
