"""Pages: what each role sees (scoping, 404 outside the area), and the POST actions (run, override,
approve, import, key routes) going through the services."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.classification import rules, selectors, services
from apps.classification.choices import AssessmentStatus
from apps.classification.models import Assessment, KeyRoute, RuleSet

from .helpers import add_cases, approved_assessment, cases_only_ruleset, population

YEAR = 2025


@pytest.fixture
def simple(world, root):
    return cases_only_ruleset(root)


@pytest.fixture
def published(world, root, simple):
    add_cases(root, world.commune_a, 3)
    return approved_assessment(root, simple)


def test_officer_sees_only_their_commune_in_the_table(world, published, officer_a, client_for):
    page = client_for(officer_a).get(reverse("classification:table"), {"year": YEAR, "ruleset": "TEST-CASES"})
    assert page.status_code == 200
    rows = page.context["table"].rows
    assert [r.result.commune for r in rows] == [world.commune_a]
    html = page.content.decode()
    assert 'data-testid="classification-row"' in html
    assert world.commune_b.full_name not in html
    assert 'data-testid="runs"' not in html  # runs and proposals are for province roles


def test_officer_reads_their_explanation_but_not_another_communes(world, published, officer_a, client_for):
    client = client_for(officer_a)
    own = published.results.get(commune=world.commune_a)
    other = published.results.get(commune=world.commune_b)
    page = client.get(reverse("classification:result_detail", args=[own.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="explanation-criterion"' in html
    assert "3 người ≥ 3 người" in html
    # the result rests on an unverified threshold: provisional, without the research note (issue 10 §4)
    assert 'data-testid="provisional"' in html
    assert 'data-verification="unverified"' not in html
    assert client.get(reverse("classification:result_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("classification:commune_history", args=[world.commune_b.pk])).status_code == 404
    history = client.get(reverse("classification:commune_history", args=[world.commune_a.pk]))
    assert history.content.decode().count('data-testid="history-row"') == 1


def test_proposals_are_hidden_from_officers(world, root, simple, officer_a, client_for):
    proposal = services.assessment_run(actor=root, rule_set=simple, year=YEAR)
    result = proposal.results.get(commune=world.commune_a)
    client = client_for(officer_a)
    assert client.get(reverse("classification:result_detail", args=[result.pk])).status_code == 404
    assert client.get(reverse("classification:assessment_detail", args=[proposal.pk])).status_code == 403


def test_table_shows_counts_filter_and_comparison(world, root, published, province_staff, client_for):
    page = client_for(province_staff).get(
        reverse("classification:table"), {"year": YEAR, "ruleset": "TEST-CASES", "level": "type_1"}
    )
    html = page.content.decode()
    assert page.context["table"].total == 2
    assert [r.result.commune for r in page.context["table"].rows] == [world.commune_a]
    assert 'data-testid="level-count" data-level="type_1"' in html
    assert 'data-testid="runs"' in html
    assert 'data-testid="trend"' in html


def test_table_without_an_approved_assessment_offers_to_run(world, province_staff, client_for):
    page = client_for(province_staff).get(reverse("classification:table"), {"year": 2024})
    html = page.content.decode()
    assert 'data-testid="no-assessment"' in html
    assert "QD-3122-2010" in html  # the rule set in force at the end of 2024
    assert 'data-testid="run-link"' in html


def test_run_override_and_approve_through_the_pages(world, root, simple, province_staff, client_for):
    client = client_for(province_staff)
    add_cases(root, world.commune_b, 1)
    response = client.post(reverse("classification:assessment_run"), {"year": YEAR, "rule_set": simple.pk})
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("classification:assessment_detail", args=[assessment.pk])

    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert 'data-testid="diff-first"' in detail.content.decode()
    assert 'data-testid="override-link"' in detail.content.decode()

    result = assessment.results.get(commune=world.commune_b)
    url = reverse("classification:result_override", args=[result.pk])
    refused = client.post(url, {"level": "type_1", "reason": ""})
    assert refused.status_code == 200
    assert refused.context["form"].errors["reason"]
    done = client.post(url, {"level": "type_1", "reason": "Bổ sung 2 hồ sơ nhập muộn"})
    assert done.status_code == 302
    result.refresh_from_db()
    assert (result.proposed_level, result.final_level) == (rules.HAS_PROBLEMS, "type_1")

    approve_url = reverse("classification:assessment_approve", args=[assessment.pk])
    assert client.post(approve_url, {}).status_code == 200  # the confirmation box is required
    assert client.post(approve_url, {"confirm": "on"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED
    assert client.get(reverse("classification:result_override", args=[result.pk])).status_code == 200
    assert client.post(url, {"level": "drug_free", "reason": "x"}).status_code == 200  # refused, form error
    result.refresh_from_db()
    assert result.final_level == "type_1"


def test_approve_page_refuses_undetermined(world, root, province_staff, client_for, no_registers):
    assessment = services.assessment_run(actor=root, rule_set=RuleSet.objects.get(code="QD-28-2025"), year=YEAR)
    client = client_for(province_staff)
    page = client.post(reverse("classification:assessment_approve", args=[assessment.pk]), {"confirm": "on"})
    assert page.status_code == 200
    assert "chưa xác định được loại" in page.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.PROPOSED


def test_rerun_detail_lists_changes_against_the_approved_result(world, root, published, province_staff, client_for):
    add_cases(root, world.commune_b, 4)
    rerun = services.assessment_run(actor=root, rule_set=published.rule_set, year=YEAR)
    html = client_for(province_staff).get(reverse("classification:assessment_detail", args=[rerun.pk])).content
    html = html.decode()
    assert 'data-testid="diff-row"' in html
    assert f'data-commune="{world.commune_b.code}"' in html
    assert "↑ nặng hơn" in html


def test_explanation_shows_missing_data_reasons(world, root, province_staff, client_for, fake_registers):
    add_cases(root, world.commune_a, 2)
    assessment = services.assessment_run(actor=root, rule_set=RuleSet.objects.get(code="QD-28-2025"), year=YEAR)
    result = assessment.results.get(commune=world.commune_a)
    html = client_for(province_staff).get(reverse("classification:result_detail", args=[result.pk])).content.decode()
    assert "Không xác định: chưa có dân số năm 2025" in html
    assert "chưa nhập danh sách tuyến trọng điểm năm 2025" in html
    assert 'data-testid="final-level" data-level="undetermined"' in html


def test_rule_set_pages_show_verification_badges(world, officer_a, client_for):
    client = client_for(officer_a)
    listing = client.get(reverse("classification:ruleset_list")).content.decode()
    assert 'data-testid="ruleset-unverified"' in listing
    rule_set = RuleSet.objects.get(code="QD-28-2025")
    detail = client.get(reverse("classification:ruleset_detail", args=[rule_set.pk])).content.decode()
    assert detail.count('data-testid="criterion"') == 18
    assert 'data-verification="unverified"' in detail
    assert 'data-verification="verified"' in detail
    assert "≥ 3.000 cây hoặc ≥ 750 m²" in detail
    assert "đạt từ 2 tiêu chí Loại III trở lên và nằm trên tuyến trọng điểm" in detail
    assert 'data-testid="unverified-warning"' in detail
    assert 'data-testid="ruleset-export"' not in detail  # officers do not download configuration


def test_export_and_import_pages(world, administrator, client_for):
    client = client_for(administrator)
    rule_set = RuleSet.objects.get(code="QD-3122-2010")
    response = client.get(reverse("classification:ruleset_export", args=[rule_set.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="QD-3122-2010-v1.json"'
    data = json.loads(response.content)
    assert data == selectors.ruleset_export_data(rule_set)

    url = reverse("classification:ruleset_import")
    upload = SimpleUploadedFile("qd.json", response.content, content_type="application/json")
    refused = client.post(url, {"file": upload})
    assert refused.status_code == 200
    assert 'data-testid="import-errors"' in refused.content.decode()
    assert "đã có (phiên bản 1)" in refused.content.decode()

    data["levels"][0]["criteria"][0]["verification"] = "verified"
    upload = SimpleUploadedFile("qd.json", json.dumps(data).encode(), content_type="application/json")
    done = client.post(url, {"file": upload, "replace": "on"})
    assert done.status_code == 302
    assert RuleSet.objects.get(pk=rule_set.pk).version == 2

    broken = SimpleUploadedFile("x.json", b'{"code": "X"}', content_type="application/json")
    page = client.post(url, {"file": broken})
    assert "thiếu “title”" in page.content.decode()


def test_province_staff_cannot_import_rule_sets(world, province_staff, client_for):
    assert client_for(province_staff).get(reverse("classification:ruleset_import")).status_code == 403


def test_key_routes_through_the_pages(world, province_staff, officer_a, client_for):
    client = client_for(province_staff)
    response = client.post(
        reverse("classification:keyroute_create"),
        {"commune": world.commune_a.pk, "year": YEAR, "name": "Quốc lộ 2", "kind": "road", "notes": ""},
    )
    assert response.status_code == 302
    route = KeyRoute.objects.get()
    edit = reverse("classification:keyroute_edit", args=[route.pk])
    form = {"commune": world.commune_a.pk, "year": YEAR, "name": "Quốc lộ 2 mới", "kind": "road", "version": 1}
    assert client.post(edit, form).status_code == 302
    stale = client.post(edit, {**form, "name": "Tên khác"})
    assert stale.status_code == 200
    assert "đã được" in stale.content.decode()
    route.refresh_from_db()
    assert (route.name, route.version) == ("Quốc lộ 2 mới", 2)

    officer = client_for(officer_a)
    listing = officer.get(reverse("classification:keyroute_list")).content.decode()
    assert "Quốc lộ 2 mới" in listing
    assert 'data-testid="keyroute-add"' not in listing
    assert officer.get(edit).status_code == 403

    assert client.post(reverse("classification:keyroute_delete", args=[route.pk])).status_code == 302
    assert not KeyRoute.objects.exists()


def test_key_route_form_offers_only_current_communes_in_scope(world, province_staff, client_for):
    page = client_for(province_staff).get(reverse("classification:keyroute_create"))
    choices = list(page.context["form"].fields["commune"].queryset)
    assert world.commune_a in choices and world.former_a not in choices


def test_steering_members_read_the_published_table(world, published, steering_a, client_for):
    page = client_for(steering_a).get(reverse("classification:table"), {"year": YEAR, "ruleset": "TEST-CASES"})
    assert page.status_code == 200
    assert [r.result.commune for r in page.context["table"].rows] == [world.commune_a]
    assert client_for(steering_a).get(reverse("classification:assessment_run")).status_code == 403


def test_ratio_details_on_the_explanation_page(world, root, province_staff, client_for, fake_registers):
    add_cases(root, world.commune_a, 3)
    population(world.commune_a, YEAR, 600)
    assessment = services.assessment_run(actor=root, rule_set=RuleSet.objects.get(code="QD-28-2025"), year=YEAR)
    result = assessment.results.get(commune=world.commune_a)
    html = client_for(province_staff).get(reverse("classification:result_detail", args=[result.pk])).content.decode()
    assert "0,5% ≥ 0,5% (3 người / 600 dân năm 2025)" in html
