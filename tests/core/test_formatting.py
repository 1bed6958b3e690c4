"""The one number formatter (issue 12 §6): Vietnamese numbers, percentages, percentage points,
signed changes, GPS coordinates, units written once; and every consumer going through it."""

import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.template import Context, Template

from apps.core import formatting as f


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (1359, "1.359"),
        (1234567, "1.234.567"),
        (12.5, "12,5"),
        (D("1234.500"), "1.234,5"),
        (D("0.000"), "0"),
        (D("0.0500"), "0,05"),
        (D("2.0005"), "2,001"),  # half up, 3 places at most
        (-3, "-3"),
        (D("-1234.5"), "-1.234,5"),
        (None, "—"),
    ],
)
def test_number(value, expected):
    assert f.number(value) == expected


def test_number_places_and_fixed():
    assert f.number(D("0.49999"), 5) == "0,49999"
    assert f.number(D("12.34"), 1) == "12,3"
    assert f.number(D("12.00"), 1) == "12"
    assert f.number(1, 1, fixed=True) == "1,0"
    assert f.number(D("1234.5"), 2, fixed=True) == "1.234,50"


def test_percent_points_and_signed_changes():
    assert f.percent(D("12.5")) == "12,5%"
    assert f.percent(1) == "1,0%"
    assert f.percent(None) == "—"
    assert f.points(D("2.9")) == "+2,9 điểm %"
    assert f.points(D("-0.45")) == "−0,5 điểm %"
    assert f.points(0) == "0 điểm %"
    assert f.signed(3) == "+3" and f.signed(-2) == "−2" and f.signed(0) == "0" and f.signed(None) == "—"
    assert f.signed(1359) == "+1.359"
    assert f.change(D("2.9"), "%") == "+2,9 điểm %"
    assert f.change(-4, "người") == "−4"


def test_units_are_written_once():
    assert f.quantity(1359, "lượt người") == "1.359 lượt người"
    assert f.quantity(D("12.5"), "%") == "12,5%"
    assert f.quantity(None, "người") == "—"
    assert f.label_with_unit("Thu giữ ma túy tổng hợp (viên)", "viên") == "Thu giữ ma túy tổng hợp (viên)"
    assert f.label_with_unit("Lượt người tham dự", "lượt người") == "Lượt người tham dự (lượt người)"
    assert f.label_with_unit("Tiếp cận nhóm nguy cơ (%)", "%") == "Tiếp cận nhóm nguy cơ (%)"


def test_coordinates_keep_the_decimal_point_of_gps_apps():
    assert f.coordinate(D("21.8234560")) == "21.823456"
    assert f.coordinate(D("105.2")) == "105.2"
    assert f.coordinate(None) == "—"


def test_template_filters():
    html = Template(
        "{% load formatting %}{{ a|number }} {{ b|percent }} {{ c|points }} {{ d|signed }} {{ e|coordinate }} "
        "{{ label|label_with_unit:unit }} {{ a|quantity:'lượt người' }}"
    ).render(
        Context(
            {
                "a": 1359,
                "b": D("12.5"),
                "c": D("2.9"),
                "d": -2,
                "e": D("21.823456"),
                "label": "Thu giữ (viên)",
                "unit": "viên",
            }
        )
    )
    assert html == "1.359 12,5% +2,9 điểm % −2 21.823456 Thu giữ (viên) 1.359 lượt người"


def test_every_consumer_uses_the_one_formatter():
    """Charts, targets, classification and PDFs format through ``apps.core.formatting``; no module
    keeps its own copy of the thousands/decimal swap."""
    from apps.classification import rules
    from apps.prevention import targets
    from apps.reporting import charts
    from apps.reports import formatting as pdf

    assert charts.fmt(D("1234.500")) == "1.234,5"
    assert targets.fmt(D(1359), "lượt người") == "1.359 lượt người"
    assert rules.format_number(D("1234567.25")) == "1.234.567,25"
    assert pdf.vn_number(1234) == "1.234" and pdf.vn_percent(1) == "1,0%"
    root = Path(__file__).resolve().parents[2] / "apps"
    # a copy groups thousands with format(",") and swaps the separators (parsing "1,5" is not one)
    swap = re.compile(r""":,[^}]*}"\s*\)?\.replace|replace\(",", "(\\x00| )"\)""")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "formatting.py" or path.parent.name != "core"
        if swap.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_day_filter_writes_what_the_date_filter_writes():
    import datetime as dt

    from django.template import Context, Template

    for value in (dt.date(2026, 1, 5), dt.date(1999, 12, 31), dt.date(5, 3, 9)):
        context = Context({"d": value})
        ours = Template("{% load formatting %}{{ d|day }}").render(context)
        assert ours == Template('{{ d|date:"d/m/Y" }}').render(context)
    assert Template('{% load formatting %}{{ d|day|default:"—" }}').render(Context({"d": None})) == "—"


@pytest.mark.parametrize("value", [0, 7, -7, 999, 1000, -1000, 1234567, -98765432, 10**15])
@pytest.mark.parametrize("places", [None, 0, 1, 3])
def test_whole_numbers_take_the_short_path_and_write_the_same(value, places):
    # the int fast path must write exactly what the Decimal path writes for the same count
    assert f.number(value, places) == f.number(D(value), places)
