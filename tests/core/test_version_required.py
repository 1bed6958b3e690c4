"""Every edit form sends back the version it was opened at; a POST without it is refused in
Vietnamese and changes nothing (the services only compare versions they are given)."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pytest
from django.apps import apps as django_apps
from django.test import RequestFactory
from django.urls import reverse

from apps.cases.forms import CaseForm, PersonForm, TransitionForm, VoidEventForm
from apps.cases.workflow import TRANSITIONS_BY_CODE
from apps.core.locking import VERSION_MISSING, VersionRequiredMixin
from apps.reports.forms import HeaderConfigForm
from tests.cases.test_views import edit_data
from tests.factories.cases import make_case

MESSAGE = str(VERSION_MISSING)


def _edit_forms(world, officer, province_staff):
    """(label, bound form without version) for each edit form of the application."""
    from apps.classification.forms import KeyRouteForm
    from apps.classification.models import KeyRoute
    from apps.prevention import forms as pforms
    from apps.registers import forms as rforms
    from tests.factories import prevention as pf
    from tests.factories import registers as rf

    commune = world.commune_a
    case = make_case(officer, commune)
    hotspot = rf.make_hotspot(officer, commune)
    route = KeyRoute.objects.create(commune=commune, year=2026, name="Quốc lộ 2")
    yield "case", CaseForm({}, instance=case, user=officer)
    yield "person", PersonForm({}, instance=case.person, user=officer)
    yield "transition", TransitionForm({}, transition=TRANSITIONS_BY_CODE["positive_test"])
    yield from _register_edit_forms(officer, commune)
    yield "hotspot status", rforms.HotspotStatusForm({}, hotspot=hotspot)
    yield "key route", KeyRouteForm({}, instance=route, user=province_staff)
    yield "activity", pforms.ActivityForm({}, user=officer, activity=pf.make_activity(officer, commune))
    yield "high-risk person", pforms.HighRiskForm({}, user=officer, entry=pf.make_person(officer, commune))
    yield "training", pforms.TrainingForm({}, training=pf.make_training(province_staff, (commune, 12)))
    yield "model point", pforms.ModelPointForm({}, user=officer, point=pf.make_model_point(officer, commune))
    yield "tip-off", pforms.TipOffForm({}, user=officer, tip_off=pf.make_tip_off(officer, commune))
    yield "void entry", VoidEventForm({}, event=case.events.first())
    header = HeaderConfigForm({}, initial={"version": 1})
    header.require_version()  # as the edit page does once the unit has a header
    yield "report header", header


def _register_edit_forms(officer, commune):
    """Each register kind's edit form, as its form view builds it for a record of the kind: a new
    kind is checked without being listed here."""
    from apps.registers.views.base import RegisterFormView
    from tests.factories import registers as rf

    form_views = {view.permission_model: view for view in RegisterFormView.__subclasses__()}
    for model in rf.register_models():
        view = form_views[model]()
        view.request = RequestFactory().get("/")
        view.request.user = officer
        view.object = rf.make_record(model, officer, commune)
        yield model._meta.model_name, view.get_form({})


def _version_forms() -> set[type]:
    """Every concrete form of the apps that carries a version: the leaves under
    ``VersionRequiredMixin`` of every app's ``forms`` module or package."""
    for config in django_apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            importlib.import_module(f"{module.__name__}.{info.name}")

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return {cls for cls in below(VersionRequiredMixin) if not cls.__subclasses__()}


def test_the_list_holds_every_edit_form(world, officer_a, province_staff):
    """A new edit form cannot be left out of the check above unnoticed."""
    listed = {type(form) for _label, form in _edit_forms(world, officer_a, province_staff)}
    assert {cls.__qualname__ for cls in _version_forms() - listed} == set()


def test_every_edit_form_refuses_a_post_without_the_version(world, officer_a, province_staff):
    missing = [
        label
        for label, form in _edit_forms(world, officer_a, province_staff)
        if form.is_valid() or MESSAGE not in form.non_field_errors()
    ]
    assert missing == []


def test_a_create_form_needs_no_version(world, officer_a):
    form = CaseForm({}, user=officer_a)
    form.is_valid()
    assert MESSAGE not in form.non_field_errors()


def test_case_edit_without_version_is_refused_and_saves_nothing(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a, detected_on=dt.date(2026, 1, 5))
    data = edit_data(case, **{"c-notes": "Ghi đè không kiểm tra"})
    del data["c-version"]
    response = client_for(officer_a).post(reverse("cases:casefile_edit", args=[case.pk]), data)
    assert response.status_code != 302
    assert MESSAGE in response.content.decode()
    case.refresh_from_db()
    assert (case.notes, case.version) == ("", 1)


def test_transition_without_version_is_refused(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a, detected_on=dt.date(2026, 1, 5))
    url = reverse("cases:casefile_transition", args=[case.pk, "positive_test"])
    response = client_for(officer_a).post(url, {"event_date": "12/01/2026"})
    assert MESSAGE in response.content.decode()
    case.refresh_from_db()
    assert case.version == 1


@pytest.mark.parametrize("with_version", [False, True])
def test_population_edit_of_an_existing_year_needs_the_version(world, province_staff, client_for, with_version):
    from apps.areas import services as area_services

    record = area_services.population_set(
        actor=province_staff, unit=world.commune_a, year=2025, population=5000, source="", expected_version=None
    )
    data = {"year": "2025", "population": "6000", "source": ""}
    if with_version:
        data["version"] = str(record.version)
    response = client_for(province_staff).post(reverse("areas:population_edit", args=[world.commune_a.pk]), data)
    record.refresh_from_db()
    if with_version:
        assert (response.status_code, record.population) == (302, 6000)
    else:
        assert MESSAGE in response.content.decode()
        assert record.population == 5000
