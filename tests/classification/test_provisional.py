"""Issue 10 §4: results resting on unverified criteria are "kết quả tham khảo" on the
classification pages; research notes ("chưa kiểm chứng") stay off the working screens of commune
officers and steering members (they belong to the rule-set page and the report's footnote)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.classification import rules
from apps.classification.models import RuleSet

from .helpers import add_cases, approved_assessment, shipped_specs

SPECS = shipped_specs()
EVERY = frozenset(rules.EVIDENCE)
YEAR = 2025


def _zeros(spec):
    values = {code: Decimal(0) for code in rules.indicators_used(spec)}
    values[rules.KEY_ROUTE_INDICATOR] = False
    return values


def _outcome(spec, **changes):
    return rules.evaluate(spec, rules.Indicators(values={**_zeros(spec), **changes}, evidence=EVERY)).to_dict()


def test_a_level_reached_on_verified_criteria_only_is_not_provisional():
    qd28 = SPECS["QD-28-2025"]
    # Loại I a, b, c (verified): 1 % users, 2 harbouring places, 0,2 % offenders
    explanation = _outcome(
        qd28, addicts_users_ratio=Decimal(1), harbouring_places=Decimal(2), offenders_ratio=Decimal("0.2")
    )
    assert explanation["level"] == "type_1"
    assert rules.provisional(explanation) is False


def test_type_iii_on_the_assumed_lower_bound_and_has_problems_are_provisional():
    qd3122 = SPECS["QD-3122-2010"]
    one_addict = _outcome(qd3122, addicts_with_records=Decimal(1), addicts_users_with_records=Decimal(1))
    assert one_addict["level"] == "type_3"
    assert rules.provisional(one_addict) is True
    users_only = _outcome(qd3122, addicts_users_with_records=Decimal(2))
    assert users_only["level"] == rules.HAS_PROBLEMS
    assert rules.provisional(users_only) is True
    undetermined = rules.evaluate(qd3122, rules.Indicators()).to_dict()
    assert rules.provisional(undetermined) is False


@pytest.fixture
def published(world, root, fake_registers):
    add_cases(root, world.commune_a, 1, case_type="addict")
    return approved_assessment(root, RuleSet.objects.get(code="QD-3122-2010"), YEAR)


@pytest.mark.parametrize("who", ["officer_a", "steering_a"])
def test_working_screens_say_provisional_without_research_notes(request, world, published, client_for, who):
    client = client_for(request.getfixturevalue(who))
    table = client.get(reverse("classification:table"), {"year": YEAR, "ruleset": "QD-3122-2010"})
    html = table.content.decode()
    assert 'data-testid="provisional"' in html
    assert "kết quả tham khảo" in html
    assert "kiểm chứng" not in html.lower()
    result = published.results.get(commune=world.commune_a)
    detail = client.get(reverse("classification:result_detail", args=[result.pk])).content.decode()
    assert "kết quả tham khảo" in detail
    assert "kiểm chứng" not in detail.lower()


def test_province_staff_see_the_provisional_label_and_the_research_note(world, published, province_staff, client_for):
    html = (
        client_for(province_staff)
        .get(reverse("classification:table"), {"year": YEAR, "ruleset": "QD-3122-2010"})
        .content.decode()
    )
    assert 'data-testid="provisional"' in html
    assert 'data-testid="unverified-warning"' in html


def test_the_rule_set_page_labels_the_assumed_type_iii_bound(world, province_staff, client_for):
    rule_set = RuleSet.objects.get(code="QD-3122-2010")
    html = client_for(province_staff).get(reverse("classification:ruleset_detail", args=[rule_set.pk])).content
    assert "THAM SỐ GIẢ ĐỊNH, CHƯA KIỂM CHỨNG" in html.decode()


def test_province_staff_set_the_assumed_type_iii_bound_as_a_new_audited_version(
    world, root, province_staff, officer_a, client_for, fake_registers
):
    from apps.audit.models import AuditLogEntry

    rule_set = RuleSet.objects.get(code="QD-3122-2010")
    add_cases(root, world.commune_a, 2, case_type="addict")
    url = reverse("classification:ruleset_parameter", args=[rule_set.pk])
    form = {"level": "type_3", "criterion": "a", "threshold": "5", "version": rule_set.version}
    assert client_for(officer_a).post(url, form).status_code == 403
    response = client_for(province_staff).post(url, form)
    assert response.status_code == 302
    rule_set.refresh_from_db()
    assert rule_set.version == 2
    criterion = rule_set.levels.get(code="type_3").criteria.get(code="a")
    assert (criterion.threshold, criterion.threshold_high, criterion.verification) == (
        Decimal("5"),
        Decimal("50"),
        "unverified",
    )
    entry = AuditLogEntry.objects.filter(object_id=str(rule_set.pk)).latest("pk")
    assert entry.actor == province_staff and "type_3/a" in entry.message
    # 2 addicts are below the new bound: no longer a key commune
    from apps.classification import services

    result = services.assessment_run(actor=root, rule_set=rule_set, year=YEAR).results.get(commune=world.commune_a)
    assert result.final_level == rules.HAS_PROBLEMS
    # a verified threshold is not a parameter
    client_for(province_staff).post(url, {"level": "type_1", "criterion": "a", "threshold": "10", "version": 2})
    rule_set.refresh_from_db()
    assert rule_set.version == 2


def test_setting_a_parameter_without_the_version_it_was_opened_at_changes_nothing(
    world, province_staff, client_for, fake_registers
):
    rule_set = RuleSet.objects.get(code="QD-3122-2010")
    url = reverse("classification:ruleset_parameter", args=[rule_set.pk])
    response = client_for(province_staff).post(
        url, {"level": "type_3", "criterion": "a", "threshold": "5"}, follow=True
    )
    rule_set.refresh_from_db()
    assert rule_set.version == 1
    assert "thiếu số phiên bản" in response.content.decode()


@pytest.mark.parametrize("threshold", ["", "abc", "-1", "1e20", "0,123456"])
def test_a_bound_that_is_not_a_number_is_refused_and_nothing_changes(
    world, province_staff, client_for, fake_registers, threshold
):
    rule_set = RuleSet.objects.get(code="QD-3122-2010")
    url = reverse("classification:ruleset_parameter", args=[rule_set.pk])
    form = {"level": "type_3", "criterion": "a", "threshold": threshold, "version": rule_set.version}
    response = client_for(province_staff).post(url, form, follow=True)
    rule_set.refresh_from_db()
    assert rule_set.version == 1
    assert "Hãy nhập ngưỡng là một số không âm" in response.content.decode()


def test_a_bound_for_every_commune_needs_the_whole_province_in_scope(world, client_for, fake_registers):
    rule_set = RuleSet.objects.get(code="QD-3122-2010")
    narrow = world.user("province_staff", world.commune_a, "tinh_hep")
    url = reverse("classification:ruleset_parameter", args=[rule_set.pk])
    form = {"level": "type_3", "criterion": "a", "threshold": "5", "version": rule_set.version}
    assert client_for(narrow).post(url, form).status_code == 403
    rule_set.refresh_from_db()
    assert rule_set.version == 1


def test_setting_a_parameter_locks_the_rule_set_inside_its_own_transaction(world, province_staff, monkeypatch):
    """Requests are not atomic (ATOMIC_REQUESTS off): the service must open the transaction its
    ``SELECT … FOR UPDATE`` and its new version's rows live in. The test itself runs inside one,
    so the service's own shows as one more savepoint when the row is locked."""
    from django.db import connection

    from apps.classification import services
    from apps.core import locking

    depth = {}
    real_lock = locking.lock_for_update

    def lock(*args, **kwargs):
        depth["at_lock"] = len(connection.savepoint_ids)
        return real_lock(*args, **kwargs)

    monkeypatch.setattr(locking, "lock_for_update", lock)
    rule_set = RuleSet.objects.get(code="QD-3122-2010")
    before = len(connection.savepoint_ids)
    services.ruleset_set_parameter(
        actor=province_staff,
        rule_set=rule_set,
        level_code="type_3",
        criterion_code="a",
        threshold="5",
        expected_version=rule_set.version,
    )
    assert depth["at_lock"] == before + 1
