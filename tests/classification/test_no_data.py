"""Issue 10 §2: no data is not zero. A commune whose zeros come from empty tables (no records, no
approved report for the year) or without a population figure is "chưa đủ số liệu", never
"Không ma túy"; the rule sets say which evidence each drug-free criterion needs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.classification import rules, services
from apps.classification.models import RuleSet

from .helpers import add_cases, approved_report, key_route, population, shipped_specs

SPECS = shipped_specs()
YEAR = 2025


def _zeros(spec: rules.RuleSetSpec) -> dict[str, rules.Value]:
    values: dict[str, rules.Value] = {code: Decimal(0) for code in rules.indicators_used(spec)}
    values[rules.KEY_ROUTE_INDICATOR] = False
    return values


@pytest.mark.parametrize("spec", SPECS.values(), ids=lambda s: s.code)
def test_zeros_without_evidence_are_not_drug_free(spec):
    outcome = rules.evaluate(spec, rules.Indicators(values=_zeros(spec), evidence=frozenset({"population"})))
    assert outcome.level_code == rules.UNDETERMINED
    assert outcome.label == "Chưa đủ số liệu"
    assert "drug_free" in outcome.candidates
    assert "chưa đủ số liệu" in outcome.reason


@pytest.mark.parametrize("kind", ["records", "submission"])
@pytest.mark.parametrize("spec", SPECS.values(), ids=lambda s: s.code)
def test_zeros_with_records_or_an_approved_report_are_drug_free(spec, kind):
    facts = rules.Indicators(values=_zeros(spec), evidence=frozenset({kind, "population"}))
    assert rules.evaluate(spec, facts).level_code == "drug_free"


def test_without_population_a_commune_of_qd_28_is_undetermined_even_with_no_people():
    spec = SPECS["QD-28-2025"]
    facts = rules.Indicators(values=_zeros(spec), evidence=frozenset({"submission"}))
    outcome = rules.evaluate(spec, facts)
    assert outcome.level_code == rules.UNDETERMINED
    assert any("dân số" in why for why, _codes in outcome.missing)


@pytest.mark.parametrize("spec", SPECS.values(), ids=lambda s: s.code)
def test_the_rule_sets_write_down_the_evidence_of_each_criterion(spec):
    for level in spec.levels:
        for c in level.criteria:
            if not level.is_key:
                assert set(c.evidence) == {"records", "submission"}, (level.code, c.code)
            if c.kind == rules.THRESHOLD and rules.INPUTS[c.indicator].kind == "percent":
                assert "population" in c.evidence, (level.code, c.code)
    again = rules.spec_from_dict(rules.spec_to_dict(spec))
    assert again == spec


def test_an_unknown_evidence_code_is_refused():
    data = rules.spec_to_dict(SPECS["QD-3122-2010"])
    data["levels"][-1]["criteria"][0]["evidence"] = ["rumour"]
    with pytest.raises(rules.RuleSetFormatError) as exc:
        rules.spec_from_dict(data)
    assert "rumour" in " ".join(exc.value.errors)


@pytest.mark.django_db
def test_a_run_marks_a_commune_with_no_data_undetermined_and_the_table_says_so(
    world, root, province_staff, fake_registers, client_for
):
    rule_set = RuleSet.objects.get(code="QD-28-2025")
    for unit in (world.commune_a, world.commune_b):
        population(unit, YEAR, 5000)
    approved_report(world.commune_a, YEAR)  # A reported its year and the province approved it
    assessment = services.assessment_run(actor=root, rule_set=rule_set, year=YEAR)
    levels = {r.commune_id: r for r in assessment.results.all()}
    assert levels[world.commune_a.pk].final_level == "drug_free"
    no_data = levels[world.commune_b.pk]
    assert no_data.final_level == rules.UNDETERMINED
    assert no_data.final_label == "Chưa đủ số liệu"
    assert "báo cáo định kỳ" in no_data.explanation["reason"]

    page = client_for(province_staff).get(reverse("classification:result_detail", args=[no_data.pk]))
    assert "Chưa đủ số liệu" in page.content.decode()


@pytest.mark.django_db
def test_records_of_the_year_are_evidence(world, root, fake_registers):
    rule_set = RuleSet.objects.get(code="QD-3122-2010")
    add_cases(root, world.commune_a, 1, detected_on=dt.date(YEAR, 2, 1))
    assessment = services.assessment_run(actor=root, rule_set=rule_set, year=YEAR)
    result = assessment.results.get(commune=world.commune_a)
    assert "records" in result.indicators["evidence"]
    assert result.final_level != "drug_free"


@pytest.mark.django_db
def test_the_rule_set_page_shows_the_evidence_needed(world, province_staff, client_for):
    rule_set = RuleSet.objects.get(code="QD-3122-2010")
    html = client_for(province_staff).get(reverse("classification:ruleset_detail", args=[rule_set.pk])).content
    text = html.decode()
    assert text.count('data-testid="criterion-evidence"') == 3
    assert "báo cáo định kỳ của xã trong năm đã được phê duyệt" in text


@pytest.mark.django_db
def test_communes_lacking_only_their_own_data_are_published_as_such(world, root, province_staff, fake_registers):
    from apps.classification.choices import AssessmentStatus

    rule_set = RuleSet.objects.get(code="QD-28-2025")
    key_route(world.commune_a, YEAR)  # the province entered its key routes: no system gap left
    assessment = services.assessment_run(actor=root, rule_set=rule_set, year=YEAR)
    assert set(assessment.results.values_list("final_level", flat=True)) == {rules.UNDETERMINED}
    services.assessment_approve(actor=province_staff, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED
    assert set(assessment.results.values_list("final_level", flat=True)) == {rules.UNDETERMINED}
