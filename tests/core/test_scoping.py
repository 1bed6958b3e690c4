import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.areas.models import AdministrativeUnit, UnitPopulation
from apps.core import scoping
from tests.factories.accounts import UserFactory
from tests.factories.areas import PopulationFactory


def _visible_units(user):
    return set(scoping.visible_to(AdministrativeUnit.objects.all(), user).values_list("code", flat=True))


def test_commune_officer_sees_own_commune_and_the_former_commune_merged_into_it(world, officer_a):
    assert _visible_units(officer_a) == {"2458", "2467"}


def _visible_pks(user):
    return set(scoping.visible_to(AdministrativeUnit.objects.all(), user).values_list("pk", flat=True))


def test_province_staff_sees_every_unit_of_both_generations(world, province_staff):
    assert _visible_pks(province_staff) == set(AdministrativeUnit.objects.values_list("pk", flat=True))


def test_superuser_sees_everything_without_an_area(world):
    admin = UserFactory(username="root", is_superuser=True)
    assert _visible_pks(admin) == set(AdministrativeUnit.objects.values_list("pk", flat=True))


def test_user_without_role_sees_nothing_even_with_an_area(world):
    user = UserFactory(username="norole", area=world.province)
    assert _visible_units(user) == set()


def test_inactive_user_sees_nothing(world, province_staff):
    province_staff.is_active = False
    assert _visible_units(province_staff) == set()


def test_user_without_area_sees_nothing(world):
    user = UserFactory(username="noarea", role="province_staff")
    assert _visible_units(user) == set()


def test_scoped_model_is_filtered_through_area_lookup(world, province_staff):
    officer = UserFactory(username="pop_editor", role="province_staff", area=world.commune_a)
    mine = PopulationFactory(unit=world.commune_a)
    PopulationFactory(unit=world.commune_b)
    assert list(scoping.visible_to(UnitPopulation.objects.all(), officer)) == [mine]
    assert scoping.visible_to(UnitPopulation.objects.all(), province_staff).count() == 2


def test_ensure_can_answers_404_out_of_scope_and_403_without_permission(world, officer_a):
    with pytest.raises(Http404):
        scoping.ensure_can(officer_a, "view", world.commune_b)
    pop = PopulationFactory(unit=world.commune_a)
    with pytest.raises(PermissionDenied):  # in scope, but officers may not change population
        scoping.ensure_can(officer_a, "change", pop)
    scoping.ensure_can(officer_a, "view", world.commune_a)


def test_backend_object_permission_respects_scope(world, officer_a):
    assert officer_a.has_perm("areas.view_administrativeunit")
    assert officer_a.has_perm("areas.view_administrativeunit", world.commune_a)
    assert not officer_a.has_perm("areas.view_administrativeunit", world.commune_b)


def test_restrict_form_fields_narrows_unit_choices(world, officer_a):
    class F(forms.Form):
        unit = forms.ModelChoiceField(queryset=AdministrativeUnit.objects.all())

    form = F()
    scoping.restrict_form_fields(form, officer_a)
    assert set(form.fields["unit"].queryset.values_list("code", flat=True)) == {"2458", "2467"}


def test_unit_in_scope(world, officer_a):
    assert scoping.unit_in_scope(officer_a, world.commune_a)
    assert not scoping.unit_in_scope(officer_a, world.commune_b)


def test_scope_filter_refuses_unscoped_models(world, officer_a):
    class Unscoped:
        __name__ = "Unscoped"

    with pytest.raises(TypeError):
        scoping.scope_filter(Unscoped, officer_a)
