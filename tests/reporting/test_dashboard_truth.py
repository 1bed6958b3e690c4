"""Issue 12 §2: each indicator says whether up is good or bad, colours follow it with a legend,
a percentage changes in percentage points, a commune without data is "chưa có số liệu" in the
charts too, chart labels wrap instead of being cut, and "top 15" charts do not pad with zeros."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.reporting import charts
from apps.reporting.indicators import DIRECTIONS, INDICATORS
from apps.reporting.selectors import KeyFigure
from tests.factories.areas import UnitFactory

from .helpers import build_province

Q1 = "kind=quarter&year=2026&number=1"
NS = "{http://www.w3.org/2000/svg}"


def test_every_indicator_declares_its_direction():
    assert set(DIRECTIONS) == {"up_good", "up_bad", "neutral"}
    assert {d.direction for d in INDICATORS.values()} <= set(DIRECTIONS)
    assert INDICATORS["people_total"].direction == "up_bad"
    assert INDICATORS["relapses"].direction == "up_bad"
    assert INDICATORS["hotspots_eliminated"].direction == "up_good"
    assert INDICATORS["highrisk_coverage_pct"].direction == "up_good"
    assert INDICATORS["crime_cases"].direction == "neutral"  # more arrests: more crime or more work


@pytest.mark.parametrize(
    ("code", "now", "before", "tone", "text"),
    [
        ("people_total", 12, 10, "bad", "+2"),
        ("people_total", 8, 10, "good", "−2"),
        ("hotspots_eliminated", 3, 1, "good", "+2"),
        ("crime_cases", 5, 2, "neutral", "+3"),
        ("people_total", 10, 10, "same", "0"),
        ("highrisk_coverage_pct", Decimal("52.9"), Decimal("50.0"), "good", "+2,9 điểm %"),
    ],
)
def test_a_change_is_coloured_by_the_indicator_direction(code, now, before, tone, text):
    d = INDICATORS[code]
    figure = KeyFigure(code, d.label_vi, d.unit, now, before, None)
    assert figure.tone_previous == tone
    assert figure.change_previous == text
    assert figure.tone_last_year == "same" and figure.change_last_year == "—"


@pytest.fixture
def silent(world, officer_a, officer_b, province_staff):
    build_province(world, officer_a, officer_b, province_staff)
    return UnitFactory(parent=world.province, code="99001", name="Lặng Im", full_name="Xã Lặng Im")


def test_the_dashboard_shows_the_direction_legend_and_coloured_changes(silent, province_staff, client_for):
    html = client_for(province_staff).get(f"{reverse('reporting:dashboard')}?{Q1}").content.decode()
    legend = re.search(r'<[^>]+data-testid="direction-legend".*?</(ul|p|div)>', html, re.S).group(0)
    for words in ("tốt", "xấu", "trung tính"):
        assert words in legend
    figure = re.search(r'data-testid="key-figure" data-code="people_total".*?</div>', html, re.S).group(0)
    assert re.search(r'class="delta delta-(good|bad|neutral|same)"', figure)
    coverage = re.search(r'data-testid="key-figure" data-code="highrisk_coverage_pct".*?</div>', html, re.S).group(0)
    assert "điểm %" in coverage or "—" in coverage


def test_the_trend_charts_of_a_commune_without_data_show_no_data_not_zero_bars(silent, province_staff, client_for):
    url = f"{reverse('reporting:commune_dashboard', args=[silent.pk])}?{Q1}"
    dash = client_for(province_staff).get(url).context["dash"]
    for chart in dash.trends:
        root = ET.fromstring(str(chart.svg))  # noqa: S314 - our own SVG
        heights = [float(r.get("height")) for r in root.iter(f"{NS}rect") if r.get("data-value") is not None]
        assert heights == []  # no bar drawn for a period without data
        assert {cell for row in chart.rows for cell in row[1:]} == {"chưa có số liệu"}
        assert "chưa có số liệu" in " ".join("".join(t.itertext()) for t in root.iter(f"{NS}text"))


def test_long_labels_wrap_on_whole_words_instead_of_being_cut():
    labels = [
        "Methamphetamine (ma túy đá)",
        "Đang ở trại giam, trại tạm giam, trường giáo dưỡng, cơ sở giáo dục",
    ]
    chart = charts.hbar_chart(title="t", items=[(label, 3) for label in labels])
    root = ET.fromstring(str(chart.svg))  # noqa: S314 - our own SVG
    texts = [t for t in root.iter(f"{NS}text") if t.get("data-label")]
    for text, label in zip(texts, labels, strict=True):
        lines = [span.text for span in text.iter(f"{NS}tspan")] or [text.text]
        assert " ".join(lines) == label  # every word, none cut, no ellipsis
        assert all(len(line) <= 30 for line in lines)


def test_a_top_15_chart_lists_only_communes_with_a_value():
    from apps.reports.sources import charts as report_charts

    rows = [{"name": f"Xã {i}", "values": {"people_total": i if i < 3 else 0}} for i in range(20)]
    figures = {
        "indicators": [{"code": "people_total", "label": "Người có hồ sơ", "unit": "người", "group": "people"}],
        "rows": rows,
        "total": {"people_total": 3},
    }
    chart = report_charts(figures)[0]
    assert chart["title"].endswith("2 xã, phường nhiều nhất")
    root = ET.fromstring(chart["svg"])  # noqa: S314 - our own SVG
    assert len([t for t in root.iter(f"{NS}text") if t.get("data-label")]) == 2
