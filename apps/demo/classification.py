"""Demo classification: key routes, an approved assessment for last year and a proposal for this year."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.classification import rules, services
from apps.classification.models import Assessment, AssessmentResult, KeyRoute, RuleSet
from apps.core.registry import DemoSeeder, register_demo_seeder

# Communes along the main north–south axis (Quốc lộ 2, Hà Nội – Tuyên Quang – Hà Giang – Thanh Thủy
# border gate) and Quốc lộ 37/279: plausible key-route communes for a demonstration only.
ROUTES = {
    "2458": "Quốc lộ 2 (Tuyên Quang – Hà Giang)",
    "2215": "Quốc lộ 2 (Tuyên Quang – Hà Giang)",
    "694": "Quốc lộ 2 (Hà Giang – cửa khẩu Thanh Thủy)",
    "691": "Quốc lộ 2 (Hà Giang – cửa khẩu Thanh Thủy)",
    "1153": "Quốc lộ 2 (Bắc Quang)",
    "2512": "Quốc lộ 37",
}


def seed_classification(*, actor) -> int:
    """Idempotent: skipped when an assessment exists already."""
    if Assessment.objects.exists():
        return 0
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        for code, name in ROUTES.items():
            commune = AdministrativeUnit.objects.current().filter(code=code, level="commune").first()
            if commune and not KeyRoute.objects.filter(commune=commune, year=year).exists():
                services.keyroute_create(
                    actor=actor, data={"commune": commune, "year": year, "name": name, "kind": "road"}
                )
    rule_set = RuleSet.objects.get(code="QD-28-2025")
    last_year = services.assessment_run(actor=actor, rule_set=rule_set, year=today.year - 1, note="Dữ liệu minh họa")
    for result in AssessmentResult.objects.filter(assessment=last_year, proposed_level=rules.UNDETERMINED):
        services.assessment_override(
            actor=actor,
            result=result,
            level="has_problems",
            reason="Minh họa: Ban Chỉ đạo xã xác nhận có tệ nạn ma túy nhưng chưa đến mức trọng điểm.",
        )
    services.assessment_approve(actor=actor, assessment=last_year)
    services.assessment_run(actor=actor, rule_set=rule_set, year=today.year, note="Dữ liệu minh họa – chờ duyệt")
    return 2


register_demo_seeder(
    DemoSeeder(
        "classification",
        50,
        lambda context: seed_classification(actor=context.province_staff),
        summary=_("%(n)s lần phân loại"),
        summary_order=4,
    )
)
