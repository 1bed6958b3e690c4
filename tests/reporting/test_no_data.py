"""Issue 10 §2 on the dashboards: a commune with no records for the period and no approved report
shows "chưa có số liệu" in the table and the tile grid, never zeros or a level, and the totals say
how many communes they cover."""

import re

import pytest
from django.urls import reverse

from apps.reporting.models import Submission, SubmissionStatus
from apps.reporting.periods import period_get
from tests.factories.areas import UnitFactory

from .helpers import build_province

Q1 = "kind=quarter&year=2026&number=1"


@pytest.fixture
def silent(world, officer_a, officer_b, province_staff):
    build_province(world, officer_a, officer_b, province_staff)
    return UnitFactory(parent=world.province, code="99001", name="Lặng Im", full_name="Xã Lặng Im")


def _page(client):
    return client.get(f"{reverse('reporting:dashboard')}?{Q1}")


def test_a_commune_without_data_reads_no_data_in_the_table_and_the_tiles(silent, province_staff, client_for):
    response = _page(client_for(province_staff))
    dash = response.context["dash"]
    rows = {r.commune_id: r for r in dash.table}
    assert rows[silent.pk].has_data is False
    assert rows[silent.pk].level == "no_data"
    assert {r.has_data for cid, r in rows.items() if cid != silent.pk} == {True}
    html = response.content.decode()
    row_html = re.search(rf'<tr data-testid="commune-row" data-commune="{silent.pk}">.*?</tr>', html, re.S).group(0)
    assert "chưa có số liệu" in row_html
    assert 'data-code="people_total"' not in row_html  # no zeros shown as figures
    assert re.search(rf'data-commune="{silent.pk}" data-level="no_data"', html)  # the tile
    legend = {item.code: item.count for item in dash.tiles.extra["legend"]}
    assert legend["no_data"] == 1
    assert dash.covered == 2
    assert "tính trên 2/3 xã có số liệu" in html


def test_an_approved_report_of_zeros_is_data(silent, province_staff, client_for):
    period = period_get("quarter", 2026, 1)
    Submission.objects.create(
        period=period, commune=silent, status=SubmissionStatus.APPROVED, snapshot={"indicators": {}}
    )
    response = _page(client_for(province_staff))
    dash = response.context["dash"]
    row = next(r for r in dash.table if r.commune_id == silent.pk)
    assert row.has_data is True and row.level != "no_data"
    assert dash.covered == 3
    assert 'data-testid="coverage-note"' not in response.content.decode()


def test_the_key_figures_of_a_commune_without_data_say_so_instead_of_zeros(silent, province_staff, client_for):
    response = client_for(province_staff).get(f"{reverse('reporting:commune_dashboard', args=[silent.pk])}?{Q1}")
    assert response.context["dash"].no_data is True
    html = response.content.decode()
    figures = re.search(r'<section aria-labelledby="key-title".*?</section>', html, re.S).group(0)
    values = re.findall(r'data-testid="key-value">([^<]*)<', figures)
    assert values and set(values) == {"chưa có số liệu"}
    assert "so kỳ trước" not in figures


def test_the_key_figures_of_a_commune_with_data_are_numbers(silent, world, province_staff, client_for):
    response = client_for(province_staff).get(
        f"{reverse('reporting:commune_dashboard', args=[world.commune_a.pk])}?{Q1}"
    )
    assert response.context["dash"].no_data is False
    assert "chưa có số liệu" not in re.search(
        r'<section aria-labelledby="key-title".*?</section>', response.content.decode(), re.S
    ).group(0)
