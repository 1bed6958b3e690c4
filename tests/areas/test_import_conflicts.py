"""Population import: a figure a colleague saved after the preview is not overwritten."""

from django.urls import reverse

from apps.accounts import roles
from apps.areas.models import UnitPopulation
from apps.areas.services import population_set
from tests.areas.test_population import _xlsx
from tests.factories.accounts import UserFactory


def test_a_figure_saved_after_the_preview_refuses_the_file(world, province_staff, client_for):
    colleague = UserFactory(
        username="colleague_p", full_name="Trần Thị Bình", role=roles.PROVINCE_STAFF, area=world.province
    )
    population_set(actor=province_staff, unit=world.commune_a, year=2025, population=12000)
    client = client_for(province_staff)
    url = reverse("areas:population_import")
    first = client.post(url, {"file": _xlsx([("2458", "", 2025, 12500, ""), ("2215", "", 2025, 20000, "")])})
    assert first.context["report"].ok and first.context["report"].updated == 1
    record = UnitPopulation.objects.get(unit=world.commune_a)
    population_set(actor=colleague, unit=world.commune_a, year=2025, population=12345, expected_version=record.version)

    response = client.post(url, {"token": first.context["token"], "confirm": "1"})
    report = response.context["report"]
    assert not report.ok and report.stale
    assert dict(UnitPopulation.objects.values_list("unit__code", "population")) == {"2458": 12345}
    [conflict] = [e for e in report.errors if e.row]
    assert conflict.row == 2 and "Dân số đang cư trú" in conflict.message and "Trần Thị Bình" in conflict.message


def test_a_figure_entered_after_the_preview_refuses_the_file(world, province_staff, client_for):
    client = client_for(province_staff)
    url = reverse("areas:population_import")
    first = client.post(url, {"file": _xlsx([("2458", "", 2025, 12500, "")])})
    assert first.context["report"].new == 1
    population_set(actor=province_staff, unit=world.commune_a, year=2025, population=12345)
    response = client.post(url, {"token": first.context["token"], "confirm": "1"})
    assert response.context["report"].stale
    assert list(UnitPopulation.objects.values_list("population", flat=True)) == [12345]
