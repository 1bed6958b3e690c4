"""Scope rules that used to be copied into the apps' services and selectors, now answered by
``core.scoping`` alone: to-many lookups without duplicate rows, "a current commune in the
actor's scope", every unit of a shared record in scope, and the communes a user may read."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.core import actors, scoping
from apps.prevention.models import Activity
from tests.factories.prevention import make_activity


def test_a_record_covering_two_communes_in_scope_comes_back_once(world, province_staff):
    activity = make_activity(province_staff, world.commune_a, world.commune_b)
    rows = list(scoping.visible_to(Activity.objects.all(), province_staff))
    assert rows == [activity]
    # a get on the scoped queryset does not trip over the join (MultipleObjectsReturned before)
    assert scoping.get_visible_or_404(Activity.objects.all(), province_staff, pk=activity.pk) == activity


def test_to_many_lookups_are_detected_from_the_declaration():
    from apps.cases.models import CaseFile

    assert scoping.crosses_to_many(Activity)
    assert not scoping.crosses_to_many(CaseFile)


def test_commune_of_a_record_must_be_current_and_in_scope(world, officer_a):
    assert scoping.commune_error(officer_a, world.commune_a) == ""
    assert "không phải xã, phường hiện hành" in scoping.commune_error(officer_a, world.former_a)
    assert "nằm ngoài phạm vi" in scoping.commune_error(officer_a, world.commune_b)
    assert scoping.commune_error(officer_a, None) == "Hãy chọn xã, phường."
    # the system (a command, the demo seed) may write for any current commune
    assert scoping.commune_error(None, world.commune_b) == ""
    with pytest.raises(ValidationError) as exc:
        scoping.ensure_commune_in_scope(officer_a, world.commune_b, field="to_commune", out_of_scope="Ngoài: %(unit)s")
    assert exc.value.message_dict == {"to_commune": [f"Ngoài: {world.commune_b.full_name}"]}


def test_shared_data_needs_every_unit_in_scope(world, officer_a, province_staff):
    units = [world.commune_a.pk, world.commune_b.pk]
    assert scoping.units_outside_scope(officer_a, units) == [world.commune_b.pk]
    scoping.ensure_units_in_scope(province_staff, units, "không được")
    scoping.ensure_units_in_scope(None, units, "không được")
    with pytest.raises(PermissionDenied):
        scoping.ensure_units_in_scope(officer_a, units, "không được")


def test_communes_a_user_may_read(world, officer_a, province_staff):
    assert list(scoping.current_communes(officer_a)) == [world.commune_a]
    assert set(scoping.current_communes(province_staff)) == {world.commune_a, world.commune_b}
    perm = "reporting.view_dashboard"
    assert scoping.commune_ids_in_scope(officer_a, perm=perm) == [world.commune_a.pk]
    assert set(scoping.commune_ids_in_scope(province_staff, world.province, perm=perm)) == {
        world.commune_a.pk,
        world.commune_b.pk,
    }
    with pytest.raises(Http404):
        scoping.commune_ids_in_scope(officer_a, world.commune_b, perm=perm)
    with pytest.raises(PermissionDenied):
        scoping.commune_ids_in_scope(officer_a, world.commune_a, perm="reporting.review_submission")
    # one commune: itself when it is today's, nothing when it is a former one (no read needed)
    assert scoping.commune_ids_in_scope(officer_a, world.commune_a, perm=perm) == [world.commune_a.pk]
    assert scoping.commune_ids_in_scope(province_staff, world.former_a, perm=perm) == []


def test_one_permission_check_for_every_service(world, officer_a):
    scoping.require(None, "reporting.review_submission")  # the system may
    scoping.require(officer_a, "cases.view_casefile")
    with pytest.raises(PermissionDenied, match="Không được"):
        scoping.require(officer_a, "reporting.review_submission", "Không được")
    assert actors.user_or_none(officer_a) == officer_a
    assert actors.user_or_none(None) is None


def test_a_service_refuses_a_missing_role_with_permission_denied(world, steering_a):
    """Not ValidationError(code="permission") any more: one idiom for every service."""
    from apps.cases import services as case_services

    with pytest.raises(PermissionDenied):
        case_services.case_create(
            actor=steering_a,
            data=case_services.CaseInput(person={}, case={"commune": world.commune_a}, substances=[]),
        )
