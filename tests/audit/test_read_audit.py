"""Issue 11 §5: every door that shows personal data leaves one audit entry per page view (not one
per row), and the entries about one file appear in that file's "who viewed or changed" panel."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit import actions
from apps.audit.models import AuditLogEntry
from apps.cases.resources import COL_COMMUNE, COL_DETECTED, COL_DOB, COL_NAME, COL_SEX, CaseResource
from apps.prevention import actions as prevention_actions
from apps.prevention import services as prevention_services
from tests.factories.accounts import UserFactory
from tests.factories.cases import make_case
from tests.factories.prevention import make_activity, make_person

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def entries(action):
    return AuditLogEntry.objects.filter(action=action)


def test_case_edit_form_is_audited(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a)
    response = client_for(officer_a).get(reverse("cases:casefile_edit", args=[case.pk]))
    assert response.status_code == 200
    entry = entries(actions.CASE_EDIT_VIEW).get()
    assert (entry.actor, entry.area, entry.object_id) == (officer_a, world.commune_a, str(case.pk))


def test_case_list_search_is_one_entry_per_page(world, officer_a, client_for):
    for _n in range(3):
        make_case(officer_a, world.commune_a)
    response = client_for(officer_a).get(reverse("cases:casefile_list"), {"q": "nguyen"})
    assert response.status_code == 200
    entry = entries(actions.CASE_LIST_VIEW).get()
    assert entry.actor == officer_a and "q=nguyen" in entry.after["filters"]


def test_admin_case_list_and_change_view_are_audited(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a)
    root = UserFactory(username="root_admin", is_superuser=True, is_staff=True)
    client = client_for(root)
    assert client.get(reverse("admin:cases_casefile_changelist")).status_code == 200
    assert entries(actions.CASE_ADMIN_LIST_VIEW).count() == 1
    assert client.get(reverse("admin:cases_casefile_change", args=[case.pk])).status_code == 200
    entry = entries(actions.CASE_ADMIN_VIEW).get()
    assert (entry.object_id, entry.area) == (str(case.pk), world.commune_a)


def test_duplicate_review_page_is_audited(world, officer_a, province_staff, client_for):
    make_case(officer_a, world.commune_a, full_name="Lò Văn Hai", birth_year=1990, sex="M")
    make_case(officer_a, world.commune_a, full_name="Hai Lò Văn", birth_year=1990, sex="M")
    assert client_for(province_staff).get(reverse("cases:duplicates")).status_code == 200
    entry = entries(actions.DUPLICATES_VIEW).get()
    assert entry.actor == province_staff and entry.after == {"pairs": 1}


def test_high_risk_person_page_and_list_are_audited(world, officer_a, client_for):
    person = make_person(officer_a, world.commune_a)
    client = client_for(officer_a)
    assert client.get(reverse("prevention:highrisk_detail", args=[person.pk])).status_code == 200
    entry = entries(prevention_actions.HIGHRISK_VIEW).get()
    assert (entry.object_id, entry.area) == (str(person.pk), world.commune_a)
    assert client.get(reverse("prevention:highrisk_list"), {"q": "x"}).status_code == 200
    assert entries(prevention_actions.HIGHRISK_LIST_VIEW).count() == 1


def test_attachment_download_is_audited(world, officer_a, client_for):
    activity = make_activity(officer_a, world.commune_a)
    attachment = prevention_services.attachment_add(
        actor=officer_a, activity=activity, upload=SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    )
    response = client_for(officer_a).get(reverse("prevention:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    entry = entries(prevention_actions.ATTACHMENT_DOWNLOAD).get()
    assert entry.actor == officer_a and entry.after["activity"] == activity.pk


def _sheet(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    headers = list(CaseResource.columns)
    ws.append(headers)
    for values in rows:
        ws.append([values.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("ho-so.xlsx", buf.getvalue())


def test_import_preview_is_audited_once(world, officer_a, client_for):
    rows = [
        {COL_NAME: name, COL_SEX: "Nam", COL_DOB: "1990", COL_COMMUNE: "2458", COL_DETECTED: "12/01/2026"}
        for name in ("Nguyễn Văn Một", "Trần Văn Hai", "Lê Văn Ba")
    ]
    response = client_for(officer_a).post(reverse("cases:import"), {"file": _sheet(rows)})
    assert response.status_code == 200 and response.context["report"].total_rows == 3
    entry = entries(actions.IMPORT_PREVIEW).get()
    assert entry.after["kind"] == "cases" and entry.after["rows"] == 3


@pytest.mark.parametrize(
    ("url", "action"),
    [
        ("cases:casefile_export", "cases.casefile.export"),
        ("prevention:highrisk_export", prevention_actions.HIGHRISK_EXPORT),
        ("prevention:tipoff_export", prevention_actions.TIPOFF_EXPORT),
    ],
)
def test_exports_with_names_are_audited(world, officer_a, client_for, url, action):
    kwargs = {"fmt": "xlsx"} if url == "cases:casefile_export" else {}
    assert client_for(officer_a).get(reverse(url, kwargs=kwargs)).status_code == 200
    assert entries(action).filter(actor=officer_a).count() == 1


def test_reads_of_one_file_appear_in_its_panel(world, officer_a, province_staff, client_for):
    case = make_case(officer_a, world.commune_a)
    client_for(officer_a).get(reverse("cases:casefile_edit", args=[case.pk]))
    auditor = UserFactory(username="auditor_a", role="province_staff", area=world.commune_a)
    page = client_for(auditor).get(reverse("cases:casefile_detail", args=[case.pk]))
    actions_shown = [e.action for e in page.context["audit_entries"]]
    assert actions.CASE_EDIT_VIEW in actions_shown
    assert "Mở hồ sơ để sửa" in page.content.decode()
