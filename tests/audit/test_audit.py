import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from apps.audit.models import AuditLogEntry
from apps.audit.services import audit_record
from apps.core.context import RequestContext, reset_request_context, set_request_context
from tests.factories.accounts import UserFactory
from tests.utils import assert_query_budget


def test_entry_records_request_context(world, officer_a):
    token = set_request_context(RequestContext(client_ip="10.0.0.7", user_agent="Chromium"))
    try:
        entry = audit_record(actor=officer_a, action="areas.administrativeunit.view", obj=world.commune_a)
    finally:
        reset_request_context(token)
    assert (entry.client_ip, entry.user_agent, entry.actor_username) == ("10.0.0.7", "Chromium", "officer_a")
    assert entry.request_id is not None
    assert entry.object_repr == "Xã Trung Sơn"


def test_entries_cannot_be_edited_or_deleted_through_the_application(world, officer_a):
    entry = audit_record(actor=officer_a, action="x.y.z", area=world.commune_a)
    entry.message = "sửa"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditLogEntry.objects.filter(pk=entry.pk).update(message="sửa")
    with pytest.raises(PermissionDenied):
        AuditLogEntry.objects.filter(pk=entry.pk).delete()
    assert AuditLogEntry.objects.get(pk=entry.pk).message == ""


def test_database_refuses_raw_updates_on_postgresql(world, officer_a):
    entry = audit_record(actor=officer_a, action="x.y.z", area=world.commune_a)
    sql = "UPDATE audit_auditlogentry SET message = 'sửa' WHERE id = %s"
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [entry.pk])
        assert AuditLogEntry.objects.get(pk=entry.pk).message == ""
    else:
        # SQLite (the embedded dev default) has no trigger; the application-level guards above apply.
        assert connection.vendor == "sqlite"


def test_audit_page_is_scoped_to_the_users_area(world, officer_a, officer_b, client_for):
    audit_record(actor=officer_a, action="x.y.a", area=world.commune_a, message="ở xã A")
    audit_record(actor=officer_b, action="x.y.b", area=world.commune_b, message="ở phường B")
    reviewer_a = UserFactory(username="reviewer_a", role="province_staff", area=world.commune_a)
    page = client_for(reviewer_a).get(reverse("audit:entry_list"), {"action": ""})
    assert [e.message for e in page.context["object_list"] if e.action.startswith("x.y")] == ["ở xã A"]
    assert {e.area for e in page.context["object_list"]} == {world.commune_a}


def test_province_staff_sees_all_entries_and_can_filter(world, officer_a, officer_b, province_staff, client_for):
    audit_record(actor=officer_a, action="x.y.a", area=world.commune_a)
    audit_record(actor=officer_b, action="x.y.b", area=world.commune_b)
    client = client_for(province_staff)
    everything = client.get(reverse("audit:entry_list"))
    assert {"x.y.a", "x.y.b"} <= {e.action for e in everything.context["object_list"]}
    only_b = client.get(reverse("audit:entry_list"), {"actor": "officer_b"})
    assert {e.action for e in only_b.context["object_list"]} == {"x.y.b"}


def test_audit_list_query_count(world, officer_a, province_staff, client_for):
    for i in range(30):
        audit_record(actor=officer_a, action=f"x.y.{i}", area=world.commune_a, obj=world.commune_a)
    client = client_for(province_staff)
    client.get(reverse("core:home"))
    with assert_query_budget(12):
        response = client.get(reverse("audit:entry_list"))
    assert len(response.context["object_list"]) >= 30


def test_commune_officer_has_no_access_to_the_audit_page(world, officer_a, client_for):
    assert client_for(officer_a).get(reverse("audit:entry_list")).status_code == 403
