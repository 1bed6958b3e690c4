"""The report pages: builder → draft → issue → progress → download / Excel, the archive, the people
list and the unit headers, with their scope and audit."""

import hashlib
import io

import openpyxl
from django.urls import reverse

from apps.audit.models import AuditLogEntry
from apps.reports import actions
from apps.reports.models import IssuedReport, ReportHeaderConfig, ReportStatus

from .conftest import pdf_text
from .helpers import grant_people_list


def _draft_url(unit, kind="quarter", year=2026, number=3):
    return f"{reverse('reports:draft', args=[unit.pk])}?kind={kind}&year={year}&number={number}"


def _issue(client, unit, **extra):
    page = client.get(_draft_url(unit))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["document_date"] = "16/09/2026"
    data.update(extra)
    return client.post(_draft_url(unit), data)


def test_builder_redirects_to_the_draft(world, client_for, province_staff):
    client = client_for(province_staff)
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    units = [u.pk for u in response.context["form"].fields["unit"].queryset]
    assert world.province.pk in units and world.commune_a.pk in units
    response = client.get(
        reverse("reports:index"), {"unit": world.province.pk, "kind": "quarter", "year": 2026, "number": 3}
    )
    assert response.status_code == 302
    assert response["Location"] == _draft_url(world.province)


def test_draft_is_prefilled_from_the_figures(data, client_for, province_staff):
    response = client_for(province_staff).get(_draft_url(data.province))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Toàn tỉnh hiện có 5 người sử dụng trái phép, người nghiện" in html
    assert "CÔNG AN TỈNH TUYÊN QUANG" in html
    assert "Kết quả công tác phòng, chống ma túy quý III năm 2026" in html
    assert "Nguyễn Văn Hùng" not in html  # aggregates only


def test_officer_issues_the_commune_report_and_downloads_it(data, client_for, officer_a):
    client = client_for(officer_a)
    response = _issue(client, data.commune_a, section_proposals="Đề nghị bổ sung kinh phí xét nghiệm.", number="7")
    report = IssuedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:progress", args=[report.pk])
    assert report.status == ReportStatus.DONE  # one commune: generated within the request
    page = client.get(response["Location"])
    assert report.sha256 in page.content.decode()
    assert b'http-equiv="refresh"' not in page.content
    first = client.get(reverse("reports:download", args=[report.pk]))
    second = client.get(reverse("reports:download", args=[report.pk]))
    assert first["Content-Type"] == "application/pdf"
    assert first.content == second.content and first.content.startswith(b"%PDF")
    assert hashlib.sha256(second.content).hexdigest() == report.sha256 == first["X-Content-SHA256"]
    assert "bổ sung kinh phí xét nghiệm" in pdf_text(first.content)
    assert "Số: 7/BC-CAX" in pdf_text(first.content)
    downloads = AuditLogEntry.objects.filter(action=actions.REPORT_DOWNLOAD, object_id=str(report.pk))
    assert downloads.count() == 2 and {e.actor_id for e in downloads} == {officer_a.pk}


def test_province_report_is_queued_and_the_progress_page_polls(
    data, client_for, province_staff, django_capture_on_commit_callbacks
):
    client = client_for(province_staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _issue(client, data.province)
    report = IssuedReport.objects.get()
    assert report.status == ReportStatus.QUEUED
    page = client.get(response["Location"])
    assert b'<meta http-equiv="refresh" content="2">' in page.content
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 302  # not ready yet
    callbacks[0]()  # the worker runs the job (ImmediateBackend in the test settings)
    page = client.get(response["Location"])
    assert b'http-equiv="refresh"' not in page.content
    assert IssuedReport.objects.get().status == ReportStatus.DONE


def test_stale_figures_are_refused_until_reviewed(data, client_for, officer_a):
    client = client_for(officer_a)
    response = _issue(client, data.commune_a, digest="0" * 16)
    assert response.status_code == 409
    assert not IssuedReport.objects.exists()


def test_reports_of_other_communes_answer_404(data, client_for, officer_a, officer_b, steering_a):
    _issue(client_for(officer_b), data.commune_b)
    report = IssuedReport.objects.get()
    client = client_for(officer_a)
    for name in ("reports:progress", "reports:download", "reports:export_xlsx"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404
    assert client.get(_draft_url(data.commune_b)).status_code == 404
    assert client.get(_draft_url(data.province)).status_code == 404
    assert report not in client.get(reverse("reports:archive")).context["reports"]
    # the steering member of commune A reads A's archive, never B's
    assert client_for(steering_a).get(reverse("reports:download", args=[report.pk])).status_code == 404


def test_steering_members_read_but_do_not_issue(data, client_for, steering_a, officer_a):
    _issue(client_for(officer_a), data.commune_a)
    report = IssuedReport.objects.get()
    client = client_for(steering_a)
    assert client.get(reverse("reports:index")).status_code == 403
    assert client.get(_draft_url(data.commune_a)).status_code == 403
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 200


def test_xlsx_has_the_same_figures_as_the_pdf(data, client_for, province_staff, django_capture_on_commit_callbacks):
    client = client_for(province_staff)
    with django_capture_on_commit_callbacks(execute=True):
        _issue(client, data.province)
    report = IssuedReport.objects.get()
    response = client.get(reverse("reports:export_xlsx", args=[report.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    summary = book["Tổng hợp"]
    header = [c.value for c in summary[5]]
    assert header[:3] == ["STT", "Nhóm chỉ tiêu", "Chỉ tiêu"]
    rows = {row[2]: row for row in summary.iter_rows(min_row=6, values_only=True)}
    total = rows["Người sử dụng trái phép, người nghiện có hồ sơ quản lý"]
    assert total[0] == "1"
    assert total[4] == report.figures["total"]["people_total"] == 5
    assert total[5] == report.figures["previous"]["total"]["people_total"] == 3
    communes = book["Theo xã"]
    names = [row[2] for row in communes.iter_rows(min_row=4, values_only=True)]
    assert "Xã Trung Sơn" in names and "Phường Minh Xuân" in names and names[-1] == "Tổng cộng"
    by_name = {row[2]: row for row in communes.iter_rows(min_row=4, values_only=True)}
    col = [c.value for c in communes[3]].index("Người sử dụng trái phép, người nghiện có hồ sơ quản lý (người)")
    assert by_name["Xã Trung Sơn"][col] == 3 and by_name["Tổng cộng"][col] == 5
    pdf = pdf_text(report.file.open("rb").read())
    assert "Toàn tỉnh hiện có 5 người" in pdf
    assert AuditLogEntry.objects.filter(action=actions.REPORT_EXPORT, object_id=str(report.pk)).count() == 1


def test_xlsx_titles_are_vietnamese_labels_not_internal_codes(
    data, client_for, province_staff, django_capture_on_commit_callbacks
):
    """Issue 12 §6: no internal code (people_total, rehab...) anywhere in the workbook; a sub-item
    column names its item; no doubled unit."""
    from apps.reporting.indicators import GROUPS, INDICATORS

    client = client_for(province_staff)
    with django_capture_on_commit_callbacks(execute=True):
        _issue(client, data.province)
    report = IssuedReport.objects.get()
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("reports:export_xlsx", args=[report.pk])).content))
    cells = {c.value for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    codes = set(INDICATORS) | set(GROUPS)
    assert not cells & codes, sorted(cells & codes)
    communes = [c.value for c in book["Theo xã"][3]]
    assert "Người sử dụng trái phép, người nghiện có hồ sơ quản lý: người nghiện ma túy (người)" in communes
    assert "Đang cai nghiện tự nguyện: tại cơ sở cai nghiện (người)" in communes
    assert "Thu giữ ma túy tổng hợp (viên)" in communes
    assert not any("(viên) (viên)" in title for title in communes)
    numbers = [row[0] for row in book["Tổng hợp"].iter_rows(min_row=6, max_row=8, values_only=True)]
    assert numbers == ["1", "1.1", "1.2"]


def test_xlsx_text_is_formula_safe():
    from apps.reports.xlsx import figures_workbook

    figures = {
        "unit": {"full_name": "=HYPERLINK(1)"},
        "period": {"label": "quý III năm 2026", "start": "2026-06-15", "end": "2026-09-14"},
        "previous": {"label": "quý II năm 2026", "total": {}},
        "groups": [{"code": "g", "label": "+g"}],
        "indicators": [{"code": "x", "label": "@x", "group": "g", "unit": ""}],
        "total": {"x": 1},
        "rows": [{"code": "1", "name": "-Xã", "values": {"x": 1}}],
    }
    book = openpyxl.load_workbook(io.BytesIO(figures_workbook(figures)))
    values = [c.value for row in book["Tổng hợp"].iter_rows() for c in row if isinstance(c.value, str)]
    values += [c.value for row in book["Theo xã"].iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.lstrip().startswith(("=", "+", "-", "@")) for v in values)


def test_people_list_requires_the_permission_and_the_scope(data, client_for, officer_a, people_reader):
    assert client_for(officer_a).get(reverse("reports:people_list")).status_code == 403
    grant_people_list(officer_a)
    client = client_for(officer_a)
    assert client.get(reverse("reports:people_list")).status_code == 200
    # a unit outside the area is not a choice
    response = client.post(reverse("reports:people_list"), {"unit": data.commune_b.pk, "as_of": "14/09/2026"})
    assert response.status_code == 400 and not IssuedReport.objects.exists()
    response = client.post(reverse("reports:people_list"), {"unit": data.commune_a.pk, "as_of": "14/09/2026"})
    report = IssuedReport.objects.get()
    assert response["Location"] == reverse("reports:progress", args=[report.pk])
    content = client.get(reverse("reports:download", args=[report.pk])).content
    text = pdf_text(content)
    assert "Nguyễn Văn Hùng" in text and "Hoàng Văn Dũng" not in text
    assert AuditLogEntry.objects.filter(action=actions.PEOPLE_LIST_ISSUE).count() == 1
    assert AuditLogEntry.objects.filter(action=actions.PEOPLE_LIST_DOWNLOAD).count() == 1
    # without the permission, the list is neither listed nor downloadable, even in scope
    from apps.accounts import roles

    other = data.user(roles.COMMUNE_OFFICER, data.commune_a, "officer_a2")
    other_client = client_for(other)
    assert report not in other_client.get(reverse("reports:archive")).context["reports"]
    assert other_client.get(reverse("reports:download", args=[report.pk])).status_code == 403
    assert other_client.get(reverse("reports:progress", args=[report.pk])).status_code == 403


def test_header_edit_is_audited_and_printed(data, client_for, province_staff, officer_a):
    client = client_for(province_staff)
    url = reverse("reports:header_edit", args=[data.commune_a.pk])
    form = client.get(url).context["form"]
    payload = {name: form[name].value() or "" for name in form.fields}
    payload.update(signer_name="Hoàng Thị Lụa", authority_line="KT. TRƯỞNG CÔNG AN XÃ", signer_title="PHÓ TRƯỞNG")
    response = client.post(url, payload)
    assert response.status_code == 302
    config = ReportHeaderConfig.objects.get(unit=data.commune_a)
    assert config.signer_name == "Hoàng Thị Lụa" and config.updated_by == province_staff
    assert AuditLogEntry.objects.filter(action=actions.HEADER_CREATE).count() == 1
    assert client_for(officer_a).get(url).status_code == 403
    _issue(client_for(officer_a), data.commune_a)
    text = pdf_text(IssuedReport.objects.get().file.open("rb").read())
    assert "Hoàng Thị Lụa" in text and "KT. TRƯỞNG CÔNG AN XÃ" in text


def test_failed_report_can_be_retried(data, client_for, province_staff, monkeypatch):
    from apps.reports import generation

    monkeypatch.setattr(generation, "render_pdf", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("hỏng")))
    client = client_for(province_staff)
    _issue(client, data.commune_a)
    report = IssuedReport.objects.get()
    assert report.status == ReportStatus.FAILED
    page = client.get(reverse("reports:progress", args=[report.pk]))
    assert "hỏng" in page.content.decode() and b'data-testid="report-retry"' in page.content
    monkeypatch.undo()
    response = client.post(reverse("reports:progress", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE


def test_admin_lists_reports_read_only(data, client_for, root, officer_a):
    _issue(client_for(officer_a), data.commune_a)
    report = IssuedReport.objects.get()
    client = client_for(root)
    assert client.get(reverse("admin:reports_issuedreport_changelist")).status_code == 200
    assert client.get(reverse("admin:reports_issuedreport_change", args=[report.pk])).status_code == 200
    assert client.get(reverse("admin:reports_reportheaderconfig_changelist")).status_code == 200


def test_figures_take_a_constant_number_of_queries(data, province_staff, quarter, django_assert_max_num_queries):
    from apps.reports import sources
    from tests.factories.areas import UnitFactory

    # 60 + the stored figures' stamps, rows and writes (reporting.figures) on a first, cold read,
    # + which communes have data over the targets' year to date (the same stored figures, issue 10
    # §2), the territory of the Plan 63 targets and the provisional marks of the classification
    with django_assert_max_num_queries(90) as captured:
        sources.collect(user=province_staff, unit=data.province, period=quarter)
    few = len(captured.captured_queries)
    for _n in range(10):
        UnitFactory(parent=data.province)
    from apps.core import scoping

    scoping.clear_scope_cache(province_staff)
    with django_assert_max_num_queries(few) as captured:
        figures = sources.collect(user=province_staff, unit=data.province, period=quarter)
    assert len(figures["rows"]) == 12
