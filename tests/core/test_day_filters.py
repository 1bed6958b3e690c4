"""``|day``, ``|iso_day`` and ``|day_time`` write exactly what ``|date`` writes with the case page's
formats (they skip Django's format parser, issue 14 §3), local time zone included."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone


@pytest.mark.parametrize(
    "value",
    [dt.date(2026, 1, 5), dt.date(999, 12, 31), None],
)
def test_dates(value):
    html = Template('{% load formatting %}{{ v|day }}|{{ v|date:"d/m/Y" }}|{{ v|iso_day }}|{{ v|date:"Y-m-d" }}')
    ours, django, ours_iso, django_iso = html.render(Context({"v": value})).split("|")
    assert (ours, ours_iso) == (django, django_iso)


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC),  # the next day in Vietnam
        dt.datetime(2026, 3, 9, 2, 5, 59, tzinfo=dt.UTC),
        None,
    ],
)
def test_moments_in_local_time(value):
    html = Template('{% load formatting %}{{ v|day_time }}|{{ v|date:"d/m/Y H:i" }}|{{ v|day }}|{{ v|date:"d/m/Y" }}')
    ours, django, ours_day, django_day = html.render(Context({"v": value})).split("|")
    assert (ours, ours_day) == (django, django_day)
    if value is not None:
        assert ours.startswith(timezone.localtime(value).strftime("%d/%m/%Y"))
