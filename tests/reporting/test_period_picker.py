"""Period pickers offer only valid choices (issue 12 §6): the month and quarter are select
elements holding 1–12 or I–IV for the chosen kind, never a free number input, and the server
refuses anything else with a message instead of silently showing another period."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.reporting.forms import PeriodForm
from apps.reporting.models import PeriodKind
from apps.reporting.periods import latest_ended


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no <select name={name}> in the picker"
    return match.group(1)


def _values(options_html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"', options_html)


@pytest.mark.parametrize(
    ("query", "values"),
    [("kind=quarter&year=2026&number=2", ["1", "2", "3", "4"]),
     ("kind=month&year=2026&number=5", [str(n) for n in range(1, 13)])],
)  # fmt: skip
def test_dashboard_picker_offers_only_valid_numbers(world, steering_a, client_for, query, values):
    html = client_for(steering_a).get(f"{reverse('reporting:dashboard')}?{query}").content.decode()
    assert 'type="number"' not in html.split('data-testid="period-picker"')[1].split("</form>")[0]
    assert _values(_select(html, "number")) == values
    years = _values(_select(html, "year"))
    assert str(timezone.localdate().year) in years and "2026" in years
    # the options of the other kinds travel with the page for the picker's script
    assert '<template data-period-choices="month">' in html and '<template data-period-choices="quarter">' in html


@pytest.mark.parametrize(
    ("data", "field"),
    [({"kind": "quarter", "year": "2026", "number": "5"}, "number"),
     ({"kind": "month", "year": "2026", "number": "13"}, "number"),
     ({"kind": "month", "year": "1999", "number": "1"}, "year"),
     ({"kind": "decade", "year": "2026", "number": "1"}, "kind")],
)  # fmt: skip
def test_period_form_refuses_invalid_numbers(db, data, field):
    form = PeriodForm(data)
    assert not form.is_valid()
    assert field in form.errors
    assert form.period() == latest_ended(PeriodKind.QUARTER)


def test_invalid_period_is_said_not_silently_replaced(world, steering_a, client_for):
    html = client_for(steering_a).get(f"{reverse('reporting:dashboard')}?kind=quarter&year=2026&number=7")
    page = html.content.decode()
    assert html.status_code == 200
    assert 'data-testid="period-rejected"' in page
    assert "Quý phải từ 1 đến 4" in page


def test_report_picker_offers_only_valid_numbers(world, province_staff, client_for):
    page = client_for(province_staff).get(reverse("reports:index")).content.decode()
    assert _values(_select(page, "number")) == ["1", "2", "3", "4"]  # the quarter is the default kind
    page = client_for(province_staff).get(
        reverse("reports:index") + f"?unit={world.province.pk}&kind=quarter&year=2026&number=9"
    )
    assert page.status_code == 200
    assert "Quý phải từ 1 đến 4" in page.content.decode()
