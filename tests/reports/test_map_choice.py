"""Issue 10 §4 in the periodic reports: a report of a past period is drawn by default on the map of
its time, or converted to today's communes; the PDF and the .xlsx name the map and its
verification status ([P] for 2019) and list the people per unit of that map, with the files whose
old unit cannot be told in their own row. A report of today's map is unchanged (no map line)."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest

from apps.reports import documents, services, xlsx
from apps.reports.sources import get_period
from tests.reporting.test_map_choice import tan_thanh  # noqa: F401 - the shared fixture

from .conftest import pdf_text


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def province(tan_thanh):  # noqa: F811 - the fixture imported above
    from apps.areas.models import AdministrativeUnit

    _today, staff, _steering = tan_thanh
    return AdministrativeUnit.objects.get(generation_id="2025", code="8"), staff


def _pdf(draft, staff) -> str:
    content = services.draft_pdf(actor=staff, draft=draft, narrative_text=draft.narrative, number="1")
    return _flat(pdf_text(content))


def test_a_2019_report_is_on_the_2019_map_by_default(province):
    unit, staff = province
    draft = services.draft_build(user=staff, unit=unit, period=get_period("year", 2019))
    figures_map = draft.figures["map"]
    assert figures_map["generation"] == "2019"
    assert figures_map["verification"] == "[P]"
    people = {r["name"]: r["people"] for r in figures_map["rows"] if r["people"]}
    assert people == {"Xã Tuân Lộ": 1, "Xã Thanh Phát": 2}
    assert figures_map["unknown"]["people"] == 1
    text = _pdf(draft, staff)
    assert "Bản đồ hành chính: Theo bản đồ hành chính năm 2019 (141 đơn vị)" in text
    assert "[P]" in text
    line = re.search(r"Xã Thanh Phát.{0,40}", text).group(0)
    assert " 2 " in f"{line} "
    assert "Không xác định được đơn vị cũ" in text
    book = openpyxl.load_workbook(io.BytesIO(xlsx.figures_workbook(draft.figures)))
    sheet = book["Theo bản đồ năm 2019"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any("[P]" in str(row[0]) for row in cells if row[0])
    assert ["Xã Thanh Phát", 2] == next(row[2:4] for row in cells if row[2] == "Xã Thanh Phát")
    assert next(row for row in cells if row[2] == "Không xác định được đơn vị cũ")[3] == 1
    assert "Theo bản đồ hành chính năm 2019" in str(book["Tổng hợp"]["A4"].value)


def test_converted_on_request(province):
    unit, staff = province
    draft = services.draft_build(user=staff, unit=unit, period=get_period("year", 2019), map_choice="converted")
    assert draft.figures["map"]["generation"] is None
    assert draft.figures["map"]["rows"] == []
    text = _pdf(draft, staff)
    assert "Bản đồ hành chính: Quy đổi sang đơn vị hành chính hiện nay (124 đơn vị) [V]" in text
    assert "Không xác định được đơn vị cũ" not in text
    book = openpyxl.load_workbook(io.BytesIO(xlsx.figures_workbook(draft.figures)))
    assert [s for s in book.sheetnames if s.startswith("Theo bản đồ")] == []


def test_the_map_choice_changes_the_draft_digest(province):
    unit, staff = province
    period = get_period("year", 2019)
    time_map = services.draft_build(user=staff, unit=unit, period=period)
    converted = services.draft_build(user=staff, unit=unit, period=period, map_choice="converted")
    assert time_map.digest != converted.digest


def test_a_report_of_todays_map_has_no_map_line(province):
    unit, staff = province
    draft = services.draft_build(user=staff, unit=unit, period=get_period("quarter", 2026, 1))
    assert "map" not in draft.figures
    context = documents.periodic_context(
        header=draft.header,
        figures=draft.figures,
        narrative=draft.narrative,
        number="",
        document_date=dt.date(2026, 4, 1),
    )
    assert context["map"] is None


def test_the_draft_page_offers_and_keeps_the_choice(client, province):
    from django.urls import reverse

    unit, staff = province
    client.force_login(staff)
    response = client.get(reverse("reports:index"), {"unit": unit.pk, "kind": "year", "year": 2019, "number": 1,
                                                     "map_choice": "converted"})  # fmt: skip
    assert response.status_code == 302 and "map=converted" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert "Quy đổi sang đơn vị hành chính hiện nay (124 đơn vị)" in html
    url = reverse("reports:draft", args=[unit.pk])
    html = client.get(url, {"kind": "year", "year": 2019}).content.decode()
    assert 'data-testid="draft-map"' in html and "Theo bản đồ hành chính năm 2019 (141 đơn vị)" in html
