"""Activities imported from .xlsx (dry run, confirmation, all or nothing, communes by code or name,
current or pre-2025, re-import without duplicates), the list of reached people imported per
activity, and the exports (scoped, formula-safe, audited)."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit.models import AuditLogEntry
from apps.core.imports import import_file
from apps.prevention.models import Activity, ActivityReach
from apps.prevention.resources import (
    COL_COMMUNES,
    COL_FROM,
    COL_KIND,
    COL_ORGANISER,
    COL_TITLE,
    COL_TOPICS,
    ActivityResource,
    ReachResource,
)
from tests.factories.prevention import make_activity, make_person

STUDENTS = "Lượt người: Học sinh, sinh viên"


def xlsx(headers, rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_xlsx(content: bytes) -> list[list]:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


HEADERS = [COL_TITLE, COL_FROM, COL_COMMUNES, COL_KIND, COL_TOPICS, STUDENTS, COL_ORGANISER]
GOOD = [
    # a former commune written with its former district resolves to today's Xã Trung Sơn
    [
        "Ngoại khóa phòng, chống ma túy",
        "15/03/2026",
        "Đạo Viện, Yên Sơn",
        "ngoai khoa",
        "Tác hại của ma túy tổng hợp, chất hướng thần mới; law",
        "350",
        "Công an xã",
    ],
    ["Phát thanh trên loa", "16/03/2026", "2458", "Phát thanh", "Quy định pháp luật", 0, "Công an xã"],
]


def upload(client, url, content, name="hoat-dong.xlsx"):
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_template_has_the_expected_headers(world, officer_a, client_for):
    response = client_for(officer_a).get(reverse("prevention:activity_import_template"))
    rows = read_xlsx(response.content)
    assert rows[0] == ActivityResource.expected_headers()
    # The example lives on its own sheet (issue 12 §4): nothing but headers where the import reads.
    assert STUDENTS in rows[0] and len(rows) == 1
    example = openpyxl.load_workbook(io.BytesIO(response.content))["Ví dụ"]
    assert example["A3"].value == ActivityResource.example_row[0]


def test_dry_run_then_confirm_imports_every_row(world, officer_a, client_for):
    client = client_for(officer_a)
    url = reverse("prevention:activity_import")
    preview = upload(client, url, xlsx(HEADERS, GOOD))
    assert preview.status_code == 200
    report = preview.context["report"]
    assert (report.ok, report.total_rows, report.new) == (True, 2, 2), report.errors
    assert not Activity.objects.exists()
    done = client.post(url, {"token": preview.context["token"], "confirm": "1"})
    assert done.status_code == 302
    first, second = Activity.objects.order_by("date_from")
    assert [c.pk for c in first.communes.all()] == [world.commune_a.pk]
    assert (first.kind, first.participants_total) == ("school", 350)
    assert sorted(first.topics.values_list("topic", flat=True)) == ["law", "synthetic_nps"]
    assert (second.kind, second.participants_total) == ("loudspeaker", 0)
    audit = AuditLogEntry.objects.get(action="prevention.activity.import")
    assert audit.after["rows"] == 2 and audit.after["new"] == 2
    # the same file again: nothing new, nothing changed
    again = upload(client, url, xlsx(HEADERS, GOOD)).context["report"]
    assert (again.new, again.updated, again.skipped) == (0, 0, 2)
    changed = [list(GOOD[0]), GOOD[1]]
    changed[0][5] = "400"
    report = upload(client, url, xlsx(HEADERS, changed)).context["report"]
    assert (report.new, report.updated, report.skipped) == (0, 1, 1)


def test_a_file_with_one_bad_row_imports_nothing(world, officer_a, client_for):
    bad = ["Hội nghị", "32/03/2026", "Phường Minh Xuân", "hinh thuc la", "", "abc", ""]
    preview = upload(client_for(officer_a), reverse("prevention:activity_import"), xlsx(HEADERS, [*GOOD, bad]))
    report = preview.context["report"]
    assert not report.ok and "token" not in preview.context
    by_column = {e.column: e.message for e in report.errors if e.row == 4}
    assert "không phải ngày hợp lệ" in by_column[COL_FROM]
    assert "nằm ngoài phạm vi được giao" in by_column[COL_COMMUNES]
    assert "Không nhận ra hình thức" in by_column[COL_KIND]
    assert by_column[COL_TOPICS] == "Thiếu chủ đề."
    assert not Activity.objects.exists()


def test_confirmation_is_all_or_nothing_too(world, officer_a, officer_b):
    """A row that became invalid between the preview and the confirmation rolls back the file."""
    rows = [*GOOD, ["Hội nghị", "17/03/2026", "Minh Xuân", "Hội nghị", "law", "", "Công an"]]
    report = import_file(
        actor=officer_a,
        resource=ActivityResource(user=officer_a),
        content=xlsx(HEADERS, rows),
        filename="x.xlsx",
        dry_run=False,
        audit_action="prevention.activity.import",
    )
    assert not report.ok
    assert not Activity.objects.exists()
    assert not AuditLogEntry.objects.filter(action__startswith="prevention.activity").exists()


def test_reached_people_imported_from_an_attendance_list(world, officer_a, client_for):
    a = make_person(officer_a, world.commune_a, full_name="Nguyễn Văn Hùng", birth_year=1995, village="Thôn A")
    b = make_person(officer_a, world.commune_a, full_name="Lê Thị Hoa", birth_year=1990, sex="F")
    twin = make_person(officer_a, world.commune_a, full_name="Nguyễn Văn Hùng", birth_year=1995, village="Thôn B")
    activity = make_activity(officer_a, world.commune_a)
    client = client_for(officer_a)
    url = reverse("prevention:activity_reach_import", args=[activity.pk])
    headers = ReachResource.expected_headers()
    assert client.get(url).status_code == 200
    rows = [["nguyen van hung", 1995, "", ""], ["Le Thi Hoa", "1990", "", ""], ["Người Lạ", 1980, "", ""]]
    report = upload(client, url, xlsx(headers, rows)).context["report"]
    messages = [e.message for e in report.errors]
    assert any("2 người cùng họ tên" in m for m in messages)
    assert any("Không có “Người Lạ”" in m for m in messages)
    rows = [["nguyen van hung", 1995, "", "Thôn B"], ["Le Thi Hoa", "1990", "", ""]]
    preview = upload(client, url, xlsx(headers, rows))
    assert preview.context["report"].ok
    assert client.post(url, {"token": preview.context["token"], "confirm": "1"}).status_code == 302
    assert sorted(ActivityReach.objects.values_list("person_id", flat=True)) == sorted([twin.pk, b.pk])
    report = upload(client, url, xlsx(headers, rows)).context["report"]
    assert (report.new, report.skipped) == (0, 2)
    assert a.reaches.count() == 0


def test_reach_import_of_another_communes_activity_is_404(world, officer_b, province_staff, client_for):
    activity = make_activity(province_staff, world.commune_a)
    assert (
        client_for(officer_b).get(reverse("prevention:activity_reach_import", args=[activity.pk])).status_code == 404
    )


# --- exports -------------------------------------------------------------------------------------


def test_activity_export_is_scoped_formula_safe_and_audited(world, officer_a, officer_b, province_staff, client_for):
    make_activity(officer_a, world.commune_a, title='=HYPERLINK("http://x")', participation={"students": 10})
    make_activity(province_staff, world.commune_a, world.commune_b, title="Mít tinh chung")
    make_activity(officer_b, world.commune_b, title="Riêng xã B")
    response = client_for(officer_a).get(reverse("prevention:activity_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(response.content)
    titles = sorted(r[0] for r in rows[1:])
    assert titles == ['\'=HYPERLINK("http://x")', "Mít tinh chung"]
    assert rows[0][rows[0].index(STUDENTS)] == STUDENTS
    staff_rows = read_xlsx(client_for(province_staff).get(reverse("prevention:activity_export")).content)
    assert len(staff_rows) == 4  # the two-commune activity once
    entry = AuditLogEntry.objects.filter(action="prevention.activity.export").first()
    assert (entry.actor, entry.after["rows"]) == (province_staff, 3)


@pytest.mark.parametrize("name", ["highrisk_export", "training_export", "modelpoint_export", "tipoff_export"])
def test_other_exports_are_audited(name, world, officer_a, client_for):
    make_person(officer_a, world.commune_a, full_name="@Nguy hiểm")
    response = client_for(officer_a).get(reverse(f"prevention:{name}"))
    assert response.status_code == 200
    rows = read_xlsx(response.content)
    if name == "highrisk_export":
        assert rows[1][0] == "'@Nguy hiểm"
    model = {"highrisk": "highriskperson"}.get(name.split("_")[0], name.split("_")[0])
    assert AuditLogEntry.objects.filter(action=f"prevention.{model}.export").count() == 1
