"""One form view serves a kind's new page and its edit page (``core.generic.RecordFormView``): the
route decides the action, so a role that may add a kind's records but not change them opens the new
page and is refused the edit page — before anything is read or written."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import prevention as pf
from tests.factories import registers as rf
from tests.factories.accounts import UserFactory

KINDS = [
    ("registers", "hotspot", "hotspot", lambda o, c: rf.make_hotspot(o, c)),
    ("registers", "crimecase", "crimecase", lambda o, c: rf.make_crime_case(o, c)),
    ("registers", "cultivation", "cultivation", lambda o, c: rf.make_cultivation(o, c)),
    ("prevention", "highrisk", "highriskperson", lambda o, c: pf.make_person(o, c)),
    ("prevention", "training", "training", lambda o, c: pf.make_training(o, (c, 12))),
    ("prevention", "modelpoint", "modelpoint", lambda o, c: pf.make_model_point(o, c)),
    ("prevention", "tipoff", "tipoff", lambda o, c: pf.make_tip_off(o, c)),
]


@pytest.mark.parametrize(("app", "kind", "model", "make"), KINDS, ids=[k[1] for k in KINDS])
def test_adding_does_not_open_the_edit_page(app, kind, model, make, world, officer_a, client_for):
    record = make(officer_a, world.commune_a)
    adder = UserFactory(username=f"adder_{kind}", area=world.commune_a)
    adder.user_permissions.add(
        *Permission.objects.filter(content_type__app_label=app, codename__in=[f"view_{model}", f"add_{model}"])
    )
    client = client_for(adder)
    assert client.get(reverse(f"{app}:{kind}_create")).status_code == 200
    edit = reverse(f"{app}:{kind}_edit", args=[record.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"version": record.version}).status_code == 403
    assert type(record).objects.get(pk=record.pk).version == record.version
