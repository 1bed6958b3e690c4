from django.urls import reverse

from apps.areas.models import AdministrativeUnit
from tests.factories.accounts import UserFactory
from tests.utils import assert_query_budget


def test_province_staff_unit_list_shows_124_current_units(real_units, client_for):
    province = AdministrativeUnit.objects.get(generation="2025", code="8")
    user = UserFactory(username="tinh", role="province_staff", area=province)
    response = client_for(user).get(reverse("areas:unit_list"), {"level": "commune"})
    assert response.status_code == 200
    assert response.context["paginator"].count == 124
    with_former = client_for(user).get(reverse("areas:unit_list"), {"level": "commune", "former": "1"})
    assert with_former.context["paginator"].count == 124 + 137 + 193


def test_search_without_diacritics_finds_trung_son(real_units, client_for):
    province = AdministrativeUnit.objects.get(generation="2025", code="8")
    user = UserFactory(username="tinh", role="province_staff", area=province)
    response = client_for(user).get(reverse("areas:unit_list"), {"q": "trung son"})
    names = [u.full_name for u in response.context["object_list"]]
    assert names == ["Xã Trung Sơn"]


def test_unit_list_query_count_is_constant(real_units, client_for):
    province = AdministrativeUnit.objects.get(generation="2025", code="8")
    user = UserFactory(username="tinh", role="province_staff", area=province)
    client = client_for(user)
    client.get(reverse("areas:unit_list"))  # warm the session
    with assert_query_budget(12):
        response = client.get(reverse("areas:unit_list"), {"former": "1"})
    assert len(response.context["object_list"]) == 50


def test_unit_page_shows_lineage_and_population(world, officer_a, client_for):
    from tests.factories.areas import PopulationFactory

    PopulationFactory(unit=world.commune_a, year=2025, population=12345)
    response = client_for(officer_a).get(reverse("areas:unit_detail", args=[world.commune_a.pk]))
    content = response.content.decode()
    assert "Xã Đạo Viện" in content
    assert "12.345" in content or "12,345" in content
    former = client_for(officer_a).get(reverse("areas:unit_detail", args=[world.former_a.pk]))
    assert "Xã Trung Sơn" in former.content.decode()


def test_unit_detail_query_count(world, officer_a, client_for):
    client = client_for(officer_a)
    client.get(reverse("core:home"))
    with assert_query_budget(16):
        assert client.get(reverse("areas:unit_detail", args=[world.commune_a.pk])).status_code == 200


def test_officer_cannot_open_another_communes_page(world, officer_a, client_for):
    assert client_for(officer_a).get(reverse("areas:unit_detail", args=[world.commune_b.pk])).status_code == 404


def test_parent_outside_scope_is_not_a_link(world, officer_a, client_for):
    content = client_for(officer_a).get(reverse("areas:unit_detail", args=[world.commune_a.pk])).content.decode()
    assert "Tỉnh Tuyên Quang" in content
    assert reverse("areas:unit_detail", args=[world.province.pk]) not in content
