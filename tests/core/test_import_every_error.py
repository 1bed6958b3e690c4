"""Issue 12 §4: the dry run of every import lists every error of every row, not the first one
found (a row with a bad CCCD and a future date shows both)."""

import datetime as dt
import io

import openpyxl
from django.utils import timezone

from apps.areas.resources import COL_CODE, COL_NAME, COL_POPULATION, COL_YEAR, PopulationResource
from apps.cases import resources as cr
from apps.core.imports import import_file
from apps.prevention import resources as pr
from apps.registers.resources import hotspots as rr
from tests.factories.cases import make_case


def content(resource_class, rows: list[dict]) -> bytes:
    headers = resource_class.expected_headers()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for values in rows:
        assert set(values) <= set(headers), set(values) - set(headers)
        ws.append([values.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def preview(user, resource_class, rows) -> set[tuple[int, str]]:
    report = import_file(
        actor=user,
        resource=resource_class(user=user),
        content=content(resource_class, rows),
        filename="tep.xlsx",
        dry_run=True,
        audit_action="test.import",
    )
    return {(e.row, e.column) for e in report.errors}, report


def future() -> str:
    return (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y")


def case_row(**extra):
    row = {
        cr.COL_NAME: "Lê Văn Cường",
        cr.COL_SEX: "Nam",
        cr.COL_DOB: "05/03/1990",
        cr.COL_COMMUNE: "2458",
        cr.COL_DETECTED: "12/01/2026",
    }
    row.update(extra)
    return row


def test_case_row_with_a_bad_cccd_and_a_future_date_shows_both(world, officer_a):
    found, _r = preview(officer_a, cr.CaseResource, [case_row(**{cr.COL_ID: "12AB", cr.COL_DETECTED: future()})])
    assert found == {(2, cr.COL_ID), (2, cr.COL_DETECTED)}


def test_case_row_with_a_bad_cccd_and_a_detection_before_birth_shows_both(world, officer_a):
    found, report = preview(
        officer_a, cr.CaseResource, [case_row(**{cr.COL_ID: "12345", cr.COL_DETECTED: "01/01/1985"})]
    )
    assert found == {(2, cr.COL_ID), (2, cr.COL_DETECTED)}
    assert any("trước năm sinh" in e.message for e in report.errors)


def test_case_row_with_a_bad_sex_and_an_implausible_birth_year_shows_both(world, officer_a):
    found, _r = preview(officer_a, cr.CaseResource, [case_row(**{cr.COL_SEX: "X", cr.COL_DOB: 2024})])
    assert found == {(2, cr.COL_SEX), (2, cr.COL_DOB)}


def test_case_row_with_someone_elses_cccd_and_another_error_shows_both(world, officer_a):
    make_case(officer_a, world.commune_a, full_name="Nguyễn Văn Hùng", birth_year=1990, citizen_id="008090001234")
    found, _r = preview(
        officer_a, cr.CaseResource, [case_row(**{cr.COL_ID: "008090001234", cr.COL_DETECTED: future()})]
    )
    assert found == {(2, cr.COL_ID), (2, cr.COL_DETECTED)}


def test_every_row_is_checked_not_only_the_first_bad_one(world, officer_a):
    rows = [
        case_row(**{cr.COL_ID: "12AB", cr.COL_DETECTED: future()}),
        case_row(**{cr.COL_NAME: "Trần Văn Bình", cr.COL_SEX: "?", cr.COL_DETECTED: "01/01/1985"}),
    ]
    found, _r = preview(officer_a, cr.CaseResource, rows)
    assert found == {(2, cr.COL_ID), (2, cr.COL_DETECTED), (3, cr.COL_SEX), (3, cr.COL_DETECTED)}


def test_hotspot_row_with_a_bad_kind_and_a_future_date_shows_both(world, officer_a):
    row = {rr.COL_UNIT: "Xã Trung Sơn", rr.COL_NAME: "Lán bãi sông", rr.COL_KIND: "???", rr.COL_DISCOVERED: future()}
    found, _r = preview(officer_a, rr.HotspotResource, [row])
    assert found == {(2, rr.COL_KIND), (2, rr.COL_DISCOVERED)}


def test_activity_row_with_a_bad_kind_and_reversed_dates_shows_both(world, officer_a):
    row = {
        pr.COL_TITLE: "Tuyên truyền tại trường",
        pr.COL_FROM: "15/03/2026",
        pr.COL_TO: "10/03/2026",
        pr.COL_COMMUNES: "Xã Trung Sơn",
        pr.COL_KIND: "???",
        pr.COL_TOPICS: "Tác hại của ma túy tổng hợp, chất hướng thần mới",
        pr.COL_ORGANISER: "Công an xã",
    }
    found, _r = preview(officer_a, pr.ActivityResource, [row])
    assert found == {(2, pr.COL_KIND), (2, pr.COL_TO)}


def test_population_row_with_a_bad_unit_and_a_bad_figure_shows_both(world, province_staff):
    row = {COL_CODE: "", COL_NAME: "Xã Không Có", COL_YEAR: 2025, COL_POPULATION: "abc"}
    found, _r = preview(province_staff, PopulationResource, [row])
    assert found == {(2, COL_CODE), (2, COL_POPULATION)}
