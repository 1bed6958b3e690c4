"""The informant of a tip-off: a commune officer never sees it (pages, forms, exports, admin, audit
log); province staff without the dedicated permission do not either; province staff granted
``prevention.view_informant`` see it, and every viewing is audited."""

import io

import openpyxl
import pytest
from django.urls import reverse

from apps.audit.models import AuditLogEntry
from tests.factories.prevention import make_tip_off

NAME, PHONE, ADDRESS = "Vàng Thị Mỷ", "0912345678", "Thôn Lũng Pù"


@pytest.fixture
def tip(world, officer_a):
    return make_tip_off(
        officer_a,
        world.commune_a,
        summary="Nghi mua bán ma túy đá tại quán nước đầu cầu",
        informant={"full_name": NAME, "phone": PHONE, "address": ADDRESS},
    )


def secret_in(content: bytes | str) -> bool:
    text = content.decode() if isinstance(content, bytes) else content
    return any(value in text for value in (NAME, PHONE, ADDRESS))


def xlsx_text(response) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    return " ".join(str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c is not None)


def pages(tip):
    return [
        reverse("prevention:tipoff_list"),
        reverse("prevention:tipoff_detail", args=[tip.pk]),
        reverse("prevention:tipoff_edit", args=[tip.pk]),
    ]


def test_commune_officer_sees_the_informant_nowhere(world, officer_a, tip, client_for):
    client = client_for(officer_a)
    for url in pages(tip):
        response = client.get(url)
        assert response.status_code == 200
        assert not secret_in(response.content), url
        assert 'data-testid="informant-show"' not in response.content.decode()
        assert 'data-testid="informant-section"' not in response.content.decode()
    assert client.get(reverse("prevention:tipoff_informant", args=[tip.pk])).status_code == 403
    export = client.get(reverse("prevention:tipoff_export"))
    assert export.status_code == 200
    assert "mua bán ma túy đá" in xlsx_text(export) and not secret_in(xlsx_text(export))
    assert not AuditLogEntry.objects.filter(action="prevention.informant.view").exists()


def test_officer_editing_a_tip_off_does_not_erase_the_informant(world, officer_a, tip, client_for, informant_reader):
    response = client_for(officer_a).post(
        reverse("prevention:tipoff_edit", args=[tip.pk]),
        {
            "received_on": "02/03/2026",
            "channel": "phone",
            "summary": "Đã xác minh",
            "status": "verifying",
            "version": "1",
            "inf-full_name": "Kẻ Mạo Danh",
        },
    )
    assert response.status_code == 302
    response = client_for(informant_reader).get(reverse("prevention:tipoff_informant", args=[tip.pk]))
    assert NAME in response.content.decode() and "Kẻ Mạo Danh" not in response.content.decode()


def test_province_staff_without_the_permission_do_not_see_it(world, province_staff, tip, client_for):
    client = client_for(province_staff)
    for url in pages(tip)[:2]:
        response = client.get(url)
        assert response.status_code == 200 and not secret_in(response.content)
        assert 'data-testid="informant-show"' not in response.content.decode()
    assert client.get(reverse("prevention:tipoff_informant", args=[tip.pk])).status_code == 403
    assert not secret_in(xlsx_text(client.get(reverse("prevention:tipoff_export"))))
    # the audit log they can read does not contain it either
    log = client.get(reverse("audit:entry_list"))
    assert log.status_code == 200 and not secret_in(log.content)


def test_informant_reader_sees_it_and_each_view_is_audited(world, informant_reader, tip, client_for):
    client = client_for(informant_reader)
    detail = client.get(reverse("prevention:tipoff_detail", args=[tip.pk]))
    assert 'data-testid="informant-show"' in detail.content.decode() and not secret_in(detail.content)
    assert not AuditLogEntry.objects.filter(action="prevention.informant.view").exists()
    url = reverse("prevention:tipoff_informant", args=[tip.pk])
    for expected in (1, 2):
        response = client.get(url)
        assert response.status_code == 200
        assert NAME in response.content.decode() and PHONE in response.content.decode()
        entries = AuditLogEntry.objects.filter(action="prevention.informant.view")
        assert entries.count() == expected
    entry = entries.first()
    assert (entry.actor, entry.object_id, entry.area) == (informant_reader, str(tip.pk), world.commune_a)
    assert not secret_in(f"{entry.object_repr} {entry.before} {entry.after} {entry.message}")
    # still not in the export
    assert not secret_in(xlsx_text(client.get(reverse("prevention:tipoff_export"))))
    # the audit log shows the viewing (its label once apps/audit/actions.py merges ours, the code before)
    log = client.get(reverse("audit:entry_list")).content.decode()
    assert "Xem thông tin người báo tin" in log or "prevention.informant.view" in log
    assert not secret_in(log)


def test_informant_reader_out_of_scope_gets_404(world, tip, client_for):
    from apps.accounts import roles
    from tests.prevention.conftest import grant_informant_permission

    reader_b = world.user(roles.PROVINCE_STAFF, world.commune_b, "reader_b")
    grant_informant_permission(reader_b)
    assert client_for(reader_b).get(reverse("prevention:tipoff_informant", args=[tip.pk])).status_code == 404


def test_informant_is_not_in_the_admin(world, tip, client_for):
    from django.contrib import admin

    from apps.prevention.models import Informant

    assert Informant not in admin.site._registry
    from tests.factories.accounts import UserFactory

    root = UserFactory(username="root_admin", area=world.province)
    root.is_superuser = root.is_staff = True
    root.save()
    response = client_for(root).get(reverse("admin:prevention_tipoff_change", args=[tip.pk]))
    assert response.status_code == 200 and not secret_in(response.content)
