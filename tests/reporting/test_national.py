"""A country's dashboard lists its provinces, each summing its communes from stored figures; a
province of it opens with ?unit=, a commune redirects to its own dashboard, outside the scope 404."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts import roles
from apps.areas.choices import Level
from apps.areas.models import AdministrativeUnit
from apps.bench.national import national_units_create
from apps.reporting import demographics, figures, indicators, selectors
from apps.reporting.models import StoredFigures
from apps.reporting.periods import period_get
from tests.factories.accounts import UserFactory
from tests.factories.cases import advance, make_case

Q1 = "kind=quarter&year=2026&number=1"


@pytest.fixture
def nation(world):
    national_units_create(communes=7, provinces=2, population_year=2025)
    root = AdministrativeUnit.objects.get(level=Level.COUNTRY)
    provinces = list(AdministrativeUnit.objects.filter(parent=root).order_by("code"))
    communes = {p.pk: list(AdministrativeUnit.objects.filter(parent=p).order_by("code")) for p in provinces}
    admin = UserFactory(username="national_admin", is_superuser=True, area=root)
    for n, commune in enumerate(c for members in communes.values() for c in members):
        for k in range(n % 3 + 1):
            case = make_case(admin, commune, detected_on=dt.date(2025, 11, 3 + k), substances=["meth"])
            if k:
                case = advance(admin, case, "positive_test", dt.date(2026, 1, 10))
            if k == 2:  # under management: in the stock (issue 10 §1), the others being verified
                advance(admin, case, "management_decision", dt.date(2026, 1, 12), decision_number="1/QĐ")
    staff = world.user(roles.PROVINCE_STAFF, root, "national_staff")
    return root, provinces, communes, staff


def test_country_dashboard_sums_each_province_from_its_communes(nation):
    root, provinces, communes, staff = nation
    period = period_get("quarter", 2026, 1)
    dash = selectors.dashboard(user=staff, unit=None, period=period)
    assert dash.grouped and [r.commune_id for r in sorted(dash.table, key=lambda r: r.name)] == [
        p.pk for p in sorted(provinces, key=lambda p: p.full_name)
    ]
    all_ids = [c.pk for members in communes.values() for c in members]
    live = indicators.compute(commune_ids=all_ids, start=period.start, end=period.end)
    for row in dash.table:
        members = [c.pk for c in communes[row.commune_id]]
        expected = indicators.compute(commune_ids=members, start=period.start, end=period.end).total
        assert row.values == expected
        assert row.state_label == f"{len(members)} xã, phường"
    assert {f.code: f.value for f in dash.key_figures} == {f.code: live.total[f.code] for f in dash.key_figures}
    assert dash.breakdown_total == demographics.breakdowns(commune_ids=all_ids, end=period.end)["total"] > 0
    assert dash.tiles is None  # no picture of thousands of communes; the table links to each province
    assert StoredFigures.objects.filter(unit__in=provinces).exists()


def test_a_warm_country_dashboard_reads_province_rows_only(nation):
    _root, _provinces, _communes, staff = nation
    period = period_get("quarter", 2026, 1)
    selectors.dashboard(user=staff, unit=None, period=period)
    with CaptureQueriesContext(connection) as ctx:
        selectors.dashboard(user=staff, unit=None, period=period)
    assert not any("cases_caseevent" in q["sql"] for q in ctx.captured_queries)


def test_a_change_in_one_commune_moves_its_province_only(nation):
    _root, provinces, communes, staff = nation
    period = period_get("quarter", 2026, 1)
    groups = {p.pk: [c.pk for c in communes[p.pk]] for p in provinces}
    before = figures._group_stamps(groups)
    admin = UserFactory(username="national_admin_2", is_superuser=True)
    make_case(admin, communes[provinces[0].pk][0], detected_on=dt.date(2026, 2, 1))
    after = figures._group_stamps(groups)
    assert after[provinces[0].pk] != before[provinces[0].pk]
    assert after[provinces[1].pk] == before[provinces[1].pk]
    dash = selectors.dashboard(user=staff, unit=None, period=period)
    first = next(r for r in dash.table if r.commune_id == provinces[0].pk)
    expected = indicators.compute(commune_ids=groups[provinces[0].pk], start=period.start, end=period.end).total
    assert first.values == expected


def test_views_country_province_commune_and_outside(nation, world, client_for, province_staff):
    _root, provinces, communes, staff = nation
    client = client_for(staff)
    url = reverse("reporting:dashboard")
    page = client.get(f"{url}?{Q1}")
    assert page.status_code == 200 and page.context["dash"].grouped
    assert "Các tỉnh, thành phố" in page.content.decode()
    province = provinces[0]
    inner = client.get(f"{url}?unit={province.pk}&{Q1}")
    assert inner.status_code == 200 and not inner.context["dash"].grouped
    assert {r.commune_id for r in inner.context["dash"].table} == {c.pk for c in communes[province.pk]}
    assert f"unit={province.pk}" in inner.context["period_query"]
    commune = communes[province.pk][0]
    redirect = client.get(f"{url}?unit={commune.pk}&{Q1}")
    assert redirect.status_code == 302
    assert redirect.url.startswith(reverse("reporting:commune_dashboard", kwargs={"pk": commune.pk}))
    # Tuyên Quang's staff cannot open a unit of another tree; nor can anyone pass garbage.
    assert client_for(province_staff).get(f"{url}?unit={province.pk}&{Q1}").status_code == 404
    assert client.get(f"{url}?unit={world.commune_a.pk}&{Q1}").status_code == 404
    assert client.get(f"{url}?unit=abc&{Q1}").status_code == 404


def test_disabled_figures_give_the_same_country_dashboard(nation, settings):
    _root, _provinces, _communes, staff = nation
    period = period_get("quarter", 2026, 1)
    stored = selectors.dashboard(user=staff, unit=None, period=period)
    settings.PCMT_FIGURES_PRECOMPUTED = False
    StoredFigures.objects.all().delete()
    live = selectors.dashboard(user=staff, unit=None, period=period)
    assert [(r.commune_id, r.values) for r in live.table] == [(r.commune_id, r.values) for r in stored.table]
    assert live.breakdown_total == stored.breakdown_total
    assert not StoredFigures.objects.exists()
