"""Issue 10 §2–§3 for plan targets: measured only over the communes with data (and saying so),
on the year and territory the target is about, final once the deadline passed, and credited only
to a document that states it."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from apps.classification.models import AssessmentResult
from apps.prevention import selectors
from apps.prevention.choices import TargetStatus
from apps.prevention.models import Target
from apps.prevention.reference import PLAN_63
from tests.factories.areas import UnitFactory

from .test_targets import approved_assessment

D = dt.date
PLAN_63_TEXT = Path(settings.BASE_DIR).parent.parent / "shared" / "docs" / "plan-63-2019.txt"
PLAN_63_TARGETS = {"kh63-communes-with-problems", "kh63-high-risk-coverage", "kh63-model-point-per-district"}


def rows(user, on):
    return {row.target.code: row for row in selectors.target_board(user=user, on=on).rows}


def test_a_target_is_not_met_on_a_few_communes_with_data(world, province_staff):
    others = [
        UnitFactory(parent=world.province, code=f"9{i:03d}", name=f"Không Số {i}", full_name=f"Xã Không Số {i}")
        for i in range(8)
    ]
    # One commune drug-free, the nine others without data (undetermined).
    approved_assessment(
        2026,
        [(world.commune_a, "drug_free"), (world.commune_b, "undetermined")] + [(c, "undetermined") for c in others],
    )
    row = rows(province_staff, D(2026, 6, 30))["ntp-drug-free-2030"]
    assert row.measure.value == Decimal("100.0")  # over the communes with data only
    assert row.measure.coverage_text == "tính trên 1/10 xã có số liệu"
    assert row.evaluation.status == TargetStatus.NO_DATA
    assert "tính trên 1/10 xã có số liệu" in row.evaluation.reason
    # with data everywhere, the same commune is 10%: at risk, never "Đạt"
    AssessmentResult.objects.filter(final_level="undetermined").update(final_level="has_problems")
    row = rows(province_staff, D(2026, 6, 30))["ntp-drug-free-2030"]
    assert (row.measure.value, row.measure.partial) == (Decimal("10.0"), False)
    assert row.evaluation.status != TargetStatus.MET


def test_the_2020_target_is_measured_on_the_2020_assessment_of_its_territory(world, province_staff):
    reduction = Target.objects.get(code="kh63-communes-with-problems")
    assert (reduction.year, reduction.params["former_province_code"]) == (2020, "8")
    assert "không gồm tỉnh Hà Giang" in reduction.territory
    reduction.baseline_value = 2
    reduction.save()
    on = D(2026, 6, 30)
    row = rows(province_staff, on)["kh63-communes-with-problems"]
    assert row.evaluation.status == TargetStatus.NO_DATA
    assert "năm 2020" in row.evaluation.reason
    # commune A descends from a commune of former Tuyên Quang (code 8); commune B from none
    approved_assessment(2020, [(world.commune_a, "has_problems"), (world.commune_b, "type_1")])
    approved_assessment(2026, [(world.commune_a, "type_1"), (world.commune_b, "type_1")])
    row = rows(province_staff, on)["kh63-communes-with-problems"]
    assert "phân loại năm 2020" in row.measure.detail
    assert row.measure.detail.startswith("1 xã, phường có tệ nạn")  # B is outside the territory
    assert (row.measure.value, row.evaluation.status) == (Decimal("50.0"), TargetStatus.MET)
    AssessmentResult.objects.filter(assessment__year=2020, commune=world.commune_a).update(final_level="type_3")
    Target.objects.filter(pk=reduction.pk).update(target_value=60)
    row = rows(province_staff, on)["kh63-communes-with-problems"]
    assert row.evaluation.status == TargetStatus.MISSED  # deadline 31/12/2020 passed: final
    assert "Không đạt" in row.evaluation.reason


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("-", "–")).strip()


@pytest.mark.django_db
def test_the_three_targets_of_plan_63_are_verified_with_the_plan_as_source():
    plan = _normalise(PLAN_63_TEXT.read_text(encoding="utf-8")) if PLAN_63_TEXT.exists() else ""
    for target in Target.objects.all():
        if target.code in PLAN_63_TARGETS:
            assert (target.plan, target.verification) == (PLAN_63, "verified"), target.code
            assert target.legal_basis.startswith("KH 63/KH-UBND ngày 23/5/2019")
            quotes = re.findall(r"“([^”]+)”", target.verification_notes)
            assert quotes, target.code
            for quote in quotes:
                for piece in _normalise(quote).split(" … "):
                    assert not plan or piece.strip(" …;") in plan, (target.code, piece)
        else:
            # not credited to Plan 63, which does not state them
            assert target.plan != PLAN_63, target.code
            if target.code.startswith("kh63-"):
                assert target.verification == "unverified" and "không nêu" in target.verification_notes


def test_targets_page_shows_the_source_and_year(world, province_staff, client_for):
    from django.urls import reverse

    html = client_for(province_staff).get(reverse("prevention:target_list")).content.decode()
    assert "KH 63/KH-UBND ngày 23/5/2019 của UBND tỉnh Tuyên Quang, mục II (Mục tiêu), điểm 1" in html
    assert "năm 2020" in html
