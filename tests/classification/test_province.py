"""A rule set with made-up thresholds, loaded from a temporary JSON file, classifying a small
hand-built province end to end (case files through the cases service, population, key routes)."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from apps.classification import rules, services
from apps.classification.models import RuleSet

from .helpers import add_cases, close_case, commune, key_route, population

YEAR = 2025

MADE_UP = {
    "format": "pcmt-ruleset/1",
    "code": "TEST-PROVINCE",
    "title": "Bộ tiêu chí thử nghiệm (ngưỡng tự đặt)",
    "legal_basis": "Chỉ dùng cho kiểm thử",
    "effective_from": "2020-01-01",
    "status": "active",
    "levels": [
        {
            "code": "type_1",
            "label": "Loại I",
            "order": 1,
            "combination": "at_least",
            "min_count": 2,
            "criteria": [
                {
                    "code": "a",
                    "label": "Tỷ lệ có hồ sơ từ 1% trở lên",
                    "indicator": "addicts_users_ratio",
                    "comparison": "gte",
                    "threshold": "1",
                    "unit_label": "%",
                    "verification": "verified",
                },
                {
                    "code": "b",
                    "label": "Từ 3 người nghiện có hồ sơ",
                    "indicator": "addicts_with_records",
                    "comparison": "gte",
                    "threshold": 3,
                    "unit_label": "người",
                    "verification": "partly",
                },
                {
                    "code": "c",
                    "label": "Đạt 1 tiêu chí loại II trở lên và trên tuyến trọng điểm",
                    "kind": "composite",
                    "ref_level_code": "type_2",
                    "ref_min_count": 1,
                    "requires_key_route": True,
                },
            ],
        },
        {
            "code": "type_2",
            "label": "Loại II",
            "order": 2,
            "combination": "any",
            "criteria": [
                {
                    "code": "a",
                    "label": "Từ 2 đến dưới 5 người có hồ sơ",
                    "indicator": "addicts_users_with_records",
                    "comparison": "between",
                    "threshold": "2",
                    "threshold_high": "5",
                    "unit_label": "người",
                }
            ],
        },
        {
            "code": "drug_free",
            "label": "Không ma túy",
            "order": 3,
            "combination": "all",
            "is_key": False,
            "criteria": [
                {
                    "code": "a",
                    "label": "Không có người có hồ sơ",
                    "indicator": "addicts_users_with_records",
                    "comparison": "eq",
                    "threshold": "0",
                    "unit_label": "người",
                }
            ],
        },
    ],
}


@pytest.fixture
def province(world, root, tmp_path):
    """Six communes, each built for one path through the rules (see the expected table below)."""
    path = tmp_path / "made-up.json"
    path.write_text(json.dumps(MADE_UP, ensure_ascii=False), encoding="utf-8")
    call_command("import_ruleset", str(path), stdout=io.StringIO())

    in_year = dt.date(2025, 4, 1)
    a, b = world.commune_a, world.commune_b
    c = commune(world, "Kim Bình", "2301")
    d = commune(world, "Yên Thuận", "2302")
    e = commune(world, "Hùng Lợi", "2303")
    f = commune(world, "Tân Trào", "2304")
    # A: 3 addicts + 1 user over 300 residents → 1,333 % and 3 addicts → Loại I (a, b)
    add_cases(root, a, 3, case_type="addict", detected_on=in_year)
    add_cases(root, a, 1, detected_on=in_year)
    population(a, YEAR, 300)
    # B: 2 users, not on a route → Loại II (a)
    add_cases(root, b, 2, detected_on=in_year)
    population(b, YEAR, 10_000)
    # C: 3 addicts on a key route → Loại I through the composite (b, c)
    add_cases(root, c, 3, case_type="addict", detected_on=in_year)
    population(c, YEAR, 10_000)
    key_route(c, YEAR, "Quốc lộ 2")
    # D: nobody → không ma túy
    population(d, YEAR, 5_000)
    # E: one user this year, one file closed last year; no population → có tệ nạn, không trọng điểm
    add_cases(root, e, 1, detected_on=in_year)
    (old,) = add_cases(root, e, 1, detected_on=dt.date(2024, 1, 10))
    close_case(old, dt.date(2024, 6, 30))
    # F: 3 addicts, no population → Loại I or II: undetermined, with the reason
    add_cases(root, f, 3, case_type="addict", detected_on=in_year)
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f}


EXPECTED = {
    "A": ("type_1", ["a", "b"]),
    "B": ("type_2", ["a"]),
    "C": ("type_1", ["b", "c"]),
    "D": ("drug_free", ["a"]),
    "E": (rules.HAS_PROBLEMS, []),
    "F": (rules.UNDETERMINED, ["b"]),
}


def _criterion(result, level, code):
    lv = next(x for x in result.explanation["levels"] if x["code"] == level)
    return next(c for c in lv["criteria"] if c["code"] == code)


def test_every_commune_gets_its_level_and_explanation(province, root):
    rule_set = RuleSet.objects.get(code="TEST-PROVINCE")
    assessment = services.assessment_run(actor=root, rule_set=rule_set, year=YEAR)
    results = {key: assessment.results.get(commune=unit) for key, unit in province.items()}
    assert {k: (r.final_level, r.explanation["met_codes"]) for k, r in results.items()} == EXPECTED

    a = results["A"]
    assert _criterion(a, "type_1", "a")["reason"] == "1,333% ≥ 1% (4 người / 300 dân năm 2025)"
    assert _criterion(a, "type_1", "b")["reason"] == "3 người ≥ 3 người"
    assert _criterion(a, "type_1", "b")["verification"] == "partly"
    assert _criterion(a, "type_1", "c")["met"] is False
    assert "không nằm trên tuyến trọng điểm" in _criterion(a, "type_1", "c")["reason"]
    assert a.explanation["reason"].startswith("Đạt Loại I: 2/3 tiêu chí (a, b)")

    b = results["B"]
    assert _criterion(b, "type_1", "a")["reason"] == "0,02% < 1% (2 người / 10.000 dân năm 2025)"
    assert _criterion(b, "type_2", "a")["reason"] == "2 người ≤ 2 người < 5 người"
    assert b.explanation["levels"][0]["reached"] is False

    c = results["C"]
    assert _criterion(c, "type_1", "c")["met"] is True
    assert "nằm trên tuyến trọng điểm (Quốc lộ 2)" in _criterion(c, "type_1", "c")["reason"]
    assert c.indicators["values"]["on_key_route"] is True

    assert results["D"].explanation["reason"] == "Đạt Không ma túy: 1/1 tiêu chí (a); cần tất cả các tiêu chí."

    e = results["E"]
    assert e.indicators["values"]["addicts_users_with_records"] == "1"  # the file closed in 2024 is not counted
    assert _criterion(e, "type_1", "a")["met"] is None
    assert _criterion(e, "drug_free", "a")["reason"] == "1 người ≠ 0 người"

    f = results["F"]
    assert _criterion(f, "type_1", "a")["reason"] == "Không xác định: chưa có dân số năm 2025"
    assert f.explanation["candidates"] == ["type_1", "type_2"]
    assert "chưa có dân số năm 2025" in f.explanation["reason"]
    assert "Chắc chắn đạt tối thiểu Loại II" in f.explanation["reason"]
    assert f.is_key is False


def test_the_command_prints_the_same_results_without_writing(province):
    from apps.audit.models import AuditLogEntry
    from apps.classification.models import Assessment

    audit_rows = AuditLogEntry.objects.count()
    out = io.StringIO()
    call_command("classify_communes", period=YEAR, ruleset="TEST-PROVINCE", json=True, stdout=out)
    data = json.loads(out.getvalue())
    by_code = {row["code"]: row for row in data["communes"]}
    got = {key: (by_code[unit.code]["level"], by_code[unit.code]["criteria_met"]) for key, unit in province.items()}
    assert got == EXPECTED
    assert data["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert data["counts"] == {"type_1": 2, "type_2": 1, rules.HAS_PROBLEMS: 1, "drug_free": 1, rules.UNDETERMINED: 1}
    assert by_code[province["A"].code]["explanation"][0]["criteria"][0]["reason"].startswith("1,333% ≥ 1%")
    assert not Assessment.objects.exists()
    assert AuditLogEntry.objects.count() == audit_rows
