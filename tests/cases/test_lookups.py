"""Issue 11 §4: who has a file is not an open question. The duplicate check at entry and in the
import preview says that a match exists in another commune, but every check is audited (who, which
identifier, what was answered), limited per user per day, and an import preview with too many
cross-commune matches stops and asks the province; the province reads the checks in the log and in
a monthly access digest that puts probing accounts first."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.audit.actions import PERSON_LOOKUP
from apps.audit.models import AuditLogEntry
from apps.cases.models import CaseFile
from apps.cases.resources import COL_COMMUNE, COL_DETECTED, COL_DOB, COL_ID, COL_NAME, COL_SEX, CaseResource
from tests.factories.cases import make_case

CID = "008090001234"


def lookups():
    return AuditLogEntry.objects.filter(action=PERSON_LOOKUP).order_by("pk")


def new_case(world, name="Đinh Văn Tra", cid=CID, **extra):
    data = {
        "p-full_name": name,
        "p-sex": "M",
        "p-birth_year": "1991",
        "p-citizen_id": cid,
        "p-education": "unknown",
        "p-marital_status": "unknown",
        "c-commune": str(world.commune_a.pk),
        "c-case_type": "user",
        "c-whereabouts": "community",
        "c-detected_on": "12/01/2026",
    }
    data.update(extra)
    return data


@pytest.fixture
def elsewhere(world, officer_b):
    return make_case(officer_b, world.commune_b, full_name="Đinh Văn Tra", birth_year=1991, sex="M", citizen_id=CID)


def test_the_check_at_entry_is_audited_with_what_it_answered(world, elsewhere, officer_a, client_for):
    response = client_for(officer_a).post(reverse("cases:casefile_create"), new_case(world))
    assert response.status_code == 200
    assert "Phường Minh Xuân" in response.content.decode()  # the officer learns a file exists there
    entry = lookups().get()
    assert (entry.actor, entry.area) == (officer_a, world.commune_a)
    assert entry.after["source"] == "entry" and entry.after["count"] == 1
    assert entry.after["identifiers"][0]["citizen_id"] == CID
    (answer,) = entry.after["answered"]
    assert answer["elsewhere"] is True and answer["communes"] == [world.commune_b.code]
    assert entry.after["cross_commune"] == 1


def test_province_staff_see_the_checks_in_the_audit_log(world, elsewhere, officer_a, province_staff, client_for):
    client_for(officer_a).post(reverse("cases:casefile_create"), new_case(world))
    page = client_for(province_staff).get(reverse("audit:entry_list"), {"action": PERSON_LOOKUP})
    assert page.status_code == 200
    assert "Tra cứu trùng người" in page.content.decode() and "officer_a" in page.content.decode()


def test_checks_are_limited_per_user_per_day(world, officer_a, officer_b, client_for, settings):
    settings.PCMT_LOOKUP_DAILY_LIMIT = 2
    client = client_for(officer_a)
    for n in range(2):
        client.post(reverse("cases:casefile_create"), new_case(world, name=f"Người Thử {n}", cid=""))
    assert CaseFile.objects.count() == 2
    refused = client.post(reverse("cases:casefile_create"), new_case(world, name="Người Thử Ba", cid=""))
    assert refused.status_code == 429
    assert "giới hạn là 2 lần mỗi ngày" in refused.content.decode()
    assert CaseFile.objects.count() == 2 and lookups().count() == 2
    # another officer has a budget of their own
    other = new_case(world, cid="", **{"c-commune": str(world.commune_b.pk)})
    assert client_for(officer_b).post(reverse("cases:casefile_create"), other).status_code == 302


def _sheet(cids):
    wb = openpyxl.Workbook()
    ws = wb.active
    headers = list(CaseResource.columns)
    ws.append(headers)
    for n, cid in enumerate(cids):
        values = {
            COL_NAME: f"Người Nhập {n}",
            COL_SEX: "Nam",
            COL_DOB: "1990",
            COL_ID: cid,
            COL_COMMUNE: "2458",
            COL_DETECTED: "12/01/2026",
        }
        ws.append([values.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("ho-so.xlsx", buf.getvalue())


def _people_in_b(world, officer_b, n):
    cids = [f"00809000{i:04d}" for i in range(n)]
    for i, cid in enumerate(cids):
        make_case(officer_b, world.commune_b, full_name=f"Người Nhập {i}", birth_year=1990, sex="M", citizen_id=cid)
    return cids


def test_a_preview_with_few_cross_commune_matches_goes_on_and_is_audited(world, officer_a, officer_b, client_for):
    cids = _people_in_b(world, officer_b, 2)
    response = client_for(officer_a).post(reverse("cases:import"), {"file": _sheet(cids)})
    report = response.context["report"]
    assert report.ok and response.context["token"]
    assert any("Phường Minh Xuân" in w.message for w in report.warnings)
    entry = lookups().get()
    assert entry.after["source"] == "import" and entry.after["count"] == 2
    assert sorted(i["citizen_id"] for i in entry.after["identifiers"]) == cids


def test_a_preview_with_too_many_cross_commune_matches_stops(world, officer_a, officer_b, client_for, settings):
    settings.PCMT_IMPORT_CROSS_COMMUNE_MAX = 2
    cids = _people_in_b(world, officer_b, 3)
    response = client_for(officer_a).post(reverse("cases:import"), {"file": _sheet(cids)})
    report = response.context["report"]
    assert not report.ok and "token" not in response.context
    assert any("Công an tỉnh" in e.message and "3 dòng" in e.message for e in report.errors)
    assert "Phường Minh Xuân" not in response.content.decode()  # the answers are withheld
    entry = lookups().get()
    assert entry.after["count"] == 3 and all(a["withheld"] for a in entry.after["answered"])


def test_the_import_preview_counts_in_the_daily_limit(world, officer_a, officer_b, client_for, settings):
    settings.PCMT_LOOKUP_DAILY_LIMIT = 2
    cids = _people_in_b(world, officer_b, 3)
    response = client_for(officer_a).post(reverse("cases:import"), {"file": _sheet(cids)})
    assert any("giới hạn là 2 lần" in e.message for e in response.context["report"].errors)


def test_the_monthly_digest_puts_a_probing_officer_first(
    world, elsewhere, officer_a, officer_b, province_staff, client_for, settings
):
    settings.PCMT_DIGEST_PROBE_THRESHOLD = 3
    client = client_for(officer_a)
    for n in range(4):
        client.post(reverse("cases:casefile_create"), new_case(world, cid=f"00809100{n:04d}"))
    client_for(officer_b).post(
        reverse("cases:casefile_create"), new_case(world, cid="", **{"c-commune": str(world.commune_b.pk)})
    )
    staff = client_for(province_staff)
    staff.post(reverse("cases:casefile_detail", args=[elsewhere.pk]), {"break_glass_reason": "Xác minh trùng người"})
    staff.get(reverse("cases:casefile_detail", args=[elsewhere.pk]))

    page = staff.get(reverse("audit:access_digest"))
    assert page.status_code == 200
    rows = page.context["rows"]
    assert rows[0].username == "officer_a" and rows[0].flagged and rows[0].identifiers == 4
    by_name = {r.username: r for r in rows}
    assert not by_name["officer_b"].flagged
    assert by_name["province_staff"].break_glass_views == 1
    assert by_name["province_staff"].reasons == ["Xác minh trùng người"]

    out = io.StringIO()
    call_command("access_digest", "--month", world.today.strftime("%Y-%m"), stdout=out)
    assert "[CẦN XEM] officer_a" in out.getvalue() and "Xác minh trùng người" in out.getvalue()


def test_commune_officers_cannot_read_the_digest(world, officer_a, client_for):
    assert client_for(officer_a).get(reverse("audit:access_digest")).status_code == 403


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13", "abc"])
def test_a_month_the_digest_cannot_show_falls_back_to_this_month(world, province_staff, client_for, month):
    response = client_for(province_staff).get(reverse("audit:access_digest"), {"month": month})
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)
