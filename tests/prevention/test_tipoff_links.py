"""A tip-off's links to the registers are real foreign keys: the database keeps them, the audit
trail shows them, and a reader sees only the linked records in their scope."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.db.models import ProtectedError
from django.urls import reverse

from apps.audit.models import AuditLogEntry
from apps.prevention import selectors, services
from apps.prevention.models import TipOff
from apps.registers.models import CrimeCase, Hotspot
from tests.factories.prevention import make_tip_off
from tests.factories.registers import make_crime_case, make_hotspot

pytestmark = pytest.mark.django_db

_BASE = {"received_on": dt.date(2026, 3, 2), "channel": "hotline", "summary": "Nghi có người bán ma túy"}


def test_the_links_are_foreign_keys_to_the_registers():
    assert TipOff._meta.get_field("crime_case").related_model is CrimeCase
    assert TipOff._meta.get_field("hotspot").related_model is Hotspot


def test_a_linked_register_record_cannot_be_deleted(world, officer_a):
    hotspot = make_hotspot(officer_a, world.commune_a)
    case = make_crime_case(officer_a, world.commune_a)
    tip = make_tip_off(officer_a, world.commune_a, hotspot_id=hotspot.pk, crime_case_id=case.pk)
    # PROTECT: deleting the record would silently change the tip-off without an audit row.
    with pytest.raises(ProtectedError):
        hotspot.delete()
    with pytest.raises(ProtectedError):
        case.delete()
    tip.refresh_from_db()
    assert (tip.hotspot, tip.crime_case) == (hotspot, case)


def test_the_audit_snapshot_shows_the_links(world, officer_a):
    hotspot = make_hotspot(officer_a, world.commune_a)
    case = make_crime_case(officer_a, world.commune_a)
    tip = make_tip_off(officer_a, world.commune_a, hotspot_id=hotspot.pk)
    created = AuditLogEntry.objects.get(action="prevention.tipoff.create", object_id=str(tip.pk))
    assert created.after["hotspot_id"] == hotspot.pk
    assert created.after["crime_case_id"] is None

    data = services.TipOffInput(
        **_BASE, commune=world.commune_a, hotspot_id=None, crime_case_id=case.pk, received_by=tip.received_by
    )
    services.tipoff_update(actor=officer_a, tip_off=tip, data=data, expected_version=tip.version)
    updated = AuditLogEntry.objects.get(action="prevention.tipoff.update", object_id=str(tip.pk))
    assert (updated.before["hotspot_id"], updated.after["hotspot_id"]) == (hotspot.pk, None)
    assert (updated.before["crime_case_id"], updated.after["crime_case_id"]) == (None, case.pk)


def test_a_reader_sees_only_linked_records_in_scope(world, officer_a, officer_b, province_staff):
    theirs = make_hotspot(officer_b, world.commune_b)
    tip = make_tip_off(officer_a, world.commune_a)
    # A link the officer could not make (e.g. set while the hotspot was still in their scope).
    TipOff.objects.filter(pk=tip.pk).update(hotspot=theirs.pk)
    tip.refresh_from_db()
    assert selectors.register_links(user=province_staff, tip_off=tip)["hotspot"]["url"]
    hidden = selectors.register_links(user=officer_a, tip_off=tip)["hotspot"]
    assert hidden == {"id": theirs.pk, "label": "", "url": ""}


def test_the_migration_nulls_dangling_ids_and_keeps_the_others(world, officer_a):
    migration = importlib.import_module("apps.prevention.migrations.0005_tipoff_null_dangling_register_links")
    hotspot = make_hotspot(officer_a, world.commune_a)
    kept = make_tip_off(officer_a, world.commune_a, hotspot_id=hotspot.pk)
    dangling = make_tip_off(officer_a, world.commune_a)
    # The constraint is deferred to commit on both databases, so the old state can be rebuilt here.
    TipOff.objects.filter(pk=dangling.pk).update(crime_case_id=987_654, hotspot_id=987_655)

    report = migration.null_dangling_links(django_apps)

    kept.refresh_from_db()
    dangling.refresh_from_db()
    assert kept.hotspot_id == hotspot.pk
    assert (dangling.crime_case_id, dangling.hotspot_id) == (None, None)
    assert report == {"crime_case_id": [(dangling.pk, 987_654)], "hotspot_id": [(dangling.pk, 987_655)]}


def test_the_admin_shows_the_linked_numbers_not_the_records(world, officer_a, client_for):
    from tests.factories.accounts import UserFactory

    hotspot = make_hotspot(officer_a, world.commune_a, name="Lán trại ven suối Khuổi Lặng")
    tip = make_tip_off(officer_a, world.commune_a, hotspot_id=hotspot.pk)
    root = UserFactory(username="root_admin", area=world.province)
    root.is_superuser = root.is_staff = True
    root.save()
    page = client_for(root).get(reverse("admin:prevention_tipoff_change", args=[tip.pk]))
    text = page.content.decode()
    # The admin is no door into the registers: the number, as before the foreign key, never the record.
    assert page.status_code == 200
    assert "Khuổi Lặng" not in text and f"registers/hotspot/{hotspot.pk}/" not in text
    assert f">{hotspot.pk}<" in text
