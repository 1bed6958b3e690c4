"""Every register kind is complete: a kind added half-way (a model without its factory, resource,
routes, templates, admin, audit codes or role grants) fails here with a message naming what is
missing, instead of being silently skipped by the tests that run over every kind."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import URLPattern, get_resolver

from apps.registers import actions, permissions, resources
from apps.registers.models import Hotspot, HotspotStatusChange, Offender
from apps.registers.views.base import RegisterFormView, RegisterListView
from tests.factories.registers import every_kind, factory_of, register_models

ROUTES = ("list", "create", "detail", "edit", "import", "import_template", "export")


def _route_names() -> set[str]:
    resolver = next(p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "registers")
    return {p.name for p in resolver.url_patterns if isinstance(p, URLPattern)}


def test_child_rows_are_not_kinds():
    """Discovery finds the kinds, and only those: offenders and status changes belong to a record."""
    found = register_models()
    assert Hotspot in found and not {Offender, HotspotStatusChange} & set(found)


@pytest.mark.parametrize("model", every_kind())
def test_the_kind_has_a_factory(model, world, officer_a):
    # factory_of raises, naming the kind, when make_<kind> is not registered
    record = factory_of(model).make(officer_a, world.commune_a)
    assert isinstance(record, model) and record.pk is not None and record.commune == world.commune_a


@pytest.mark.parametrize("model", every_kind())
def test_the_kind_has_a_resource(model):
    assert model in {kind._meta.model for kind in resources.kinds()}, (
        f"no RegisterResource for {model.__name__} in apps/registers/resources/"
    )


@pytest.mark.parametrize("model", every_kind())
def test_the_kind_has_the_seven_routes(model):
    name = model._meta.model_name
    missing = [f"{name}_{route}" for route in ROUTES if f"{name}_{route}" not in _route_names()]
    assert missing == [], f"routes missing from apps/registers/urls.py: {missing}"


@pytest.mark.parametrize("model", every_kind())
def test_the_kind_has_its_views(model):
    assert model in {view.model for view in RegisterListView.tabs}, (
        f"no RegisterListView with a tab_label for {model.__name__}"
    )
    assert model in {view.permission_model for view in RegisterFormView.__subclasses__()}, (
        f"no RegisterFormView for {model.__name__}"
    )


@pytest.mark.parametrize("model", every_kind())
def test_the_kind_has_its_list_and_detail_templates(model):
    missing = []
    for page in ("list", "detail"):
        template = f"registers/{model._meta.model_name}_{page}.html"
        try:
            get_template(template)
        except TemplateDoesNotExist:
            missing.append(template)
    assert missing == [], f"templates missing under templates/: {missing}"


@pytest.mark.parametrize("model", every_kind())
def test_the_kind_has_an_admin(model):
    assert model in admin.site._registry, f"no admin for {model.__name__} in apps/registers/admin.py"


@pytest.mark.parametrize("model", every_kind())
def test_the_kind_has_its_audit_codes(model):
    codes = [f"registers.{model._meta.model_name}.{verb}" for verb in ("create", "update", "import", "export")]
    assert [code for code in codes if code not in actions.LABELS] == [], "codes missing from apps/registers/actions.py"


@pytest.mark.parametrize("model", every_kind())
def test_the_kind_is_granted_to_the_roles(model):
    """``permissions._MODELS`` is written out on purpose (a grant is never inferred from a model
    existing): this only says that a new kind was not granted yet."""
    assert model._meta.model_name in permissions._MODELS, (
        f"{model._meta.model_name} missing from apps/registers/permissions.py _MODELS"
    )


@pytest.mark.parametrize("model", every_kind())
def test_the_kind_declares_import_and_export_permissions(model):
    codenames = {codename for codename, _label in model._meta.permissions}
    name = model._meta.model_name
    assert {f"import_{name}", f"export_{name}"} <= codenames, f"{model.__name__}.Meta.permissions"
