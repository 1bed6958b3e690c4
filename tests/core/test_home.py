"""Each role's work on its home page (issue 12 §3): the officer's reporting tasks (the quarter due
and its deadline, late quarters, returned submissions with the province's reason and the link to
resubmit), the province staff's queues, the steering member's key figures — in a bounded number
of queries, and within the viewer's scope."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts import roles
from apps.core import home
from apps.reporting import home as reporting_home
from apps.reporting import selectors, services
from apps.reporting.models import PeriodKind
from apps.reporting.periods import latest_ended, period_previous
from tests.factories.cases import make_managed_case

REASON = "Số người cai nghiện tại cơ sở chưa khớp danh sách của tỉnh; đề nghị rà soát."


@pytest.fixture
def latest(db):
    return latest_ended(PeriodKind.QUARTER)


@pytest.fixture
def returned(world, latest, officer_a, province_staff):
    submission = services.submission_submit(actor=officer_a, commune=world.commune_a, period=latest)
    return services.submission_return(actor=province_staff, submission=submission, reason=REASON)


def _home(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, testid: str) -> str:
    match = re.search(rf'<section class="card" data-testid="{testid}">(.*?)</section>', html, re.S)
    assert match, f"no section {testid}"
    return match.group(1)


def test_officer_sees_returned_submission_with_reason_and_resubmit_link(
    world, latest, returned, officer_a, province_staff, client_for
):
    html = _home(client_for(officer_a))
    section = _section(html, "home-reporting")
    assert "bị trả lại" in section
    assert "Số người cai nghiện tại cơ sở chưa khớp danh sách của tỉnh" in section
    url = f"{reverse('reporting:submission', kwargs={'pk': world.commune_a.pk})}?{selectors.period_query(latest)}"
    assert f'href="{url}"' in section.replace("&amp;", "&")
    # the link opens the page where the officer corrects and resubmits
    page = client_for(officer_a).get(url)
    assert page.status_code == 200
    assert 'value="submit"' in page.content.decode()


def test_officer_sees_late_quarters_and_the_period_due(world, latest, officer_a, client_for):
    tasks = reporting_home.officer_tasks(user=officer_a, on=latest.deadline + dt.timedelta(days=1))
    assert [t.period for t in tasks.late][-1] == latest  # nothing submitted: late
    assert tasks.latest.state == "late"
    html = _home(client_for(officer_a))
    section = _section(html, "home-reporting")
    if timezone.localdate() > latest.deadline:
        assert "Quá hạn, chưa nộp" in section
    assert latest.label in section
    assert f"hạn nộp {latest.deadline:%d/%m/%Y}" in section
    # before the deadline the quarter is due, not late
    tasks = reporting_home.officer_tasks(user=officer_a, on=latest.deadline)
    assert tasks.latest.state == "pending"
    assert latest not in [t.period for t in tasks.late]


def test_officer_tasks_once_submitted(world, latest, officer_a):
    services.submission_submit(actor=officer_a, commune=world.commune_a, period=latest)
    tasks = reporting_home.officer_tasks(user=officer_a)
    assert tasks.latest.state == "submitted"
    assert latest not in [t.period for t in tasks.late]
    assert tasks.upcoming.end > latest.end


def test_officer_tasks_stay_in_their_commune(world, latest, returned, officer_b, client_for):
    tasks = reporting_home.officer_tasks(user=officer_b)
    assert tasks.returned == []
    assert REASON not in _home(client_for(officer_b))


def test_officer_home_query_count_is_bounded(world, latest, officer_a, province_staff, client_for):
    client = client_for(officer_a)
    _home(client)  # periods created on demand, sessions warmed
    with CaptureQueriesContext(connection) as few:
        _home(client)
    previous = period_previous(latest)
    for period in (latest, previous, period_previous(previous)):
        s = services.submission_submit(actor=officer_a, commune=world.commune_a, period=period)
        services.submission_return(actor=province_staff, submission=s, reason=REASON)
    for n in range(3):
        make_managed_case(officer_a, world.commune_a, full_name=f"Nguyễn Văn Số{n}", detected_on=latest.start)
    with CaptureQueriesContext(connection) as many:
        html = _home(client)
    assert html.count('data-testid="home-returned"') == 3
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 25


def test_province_staff_sees_queues(world, latest, officer_a, officer_b, province_staff, client_for):
    services.submission_submit(actor=officer_a, commune=world.commune_a, period=latest)
    html = _home(client_for(province_staff))
    section = _section(html, "home-queues")
    assert "Số liệu chờ phê duyệt" in section
    assert re.search(r'data-testid="queue-submitted-count">1<', section)
    assert world.commune_a.full_name in section
    late = re.search(r'data-testid="queue-late-count">(\d+)<', section).group(1)
    assert int(late) == (1 if timezone.localdate() > latest.deadline else 0)
    assert "Đề xuất phân loại chờ phê duyệt" in section
    assert "Báo cáo đang được tạo" in section
    # an officer has none of these queues
    assert 'data-testid="home-queues"' not in _home(client_for(officer_a))


def test_province_queues_count_proposals_and_running_reports(world, province_staff):
    from apps.classification.models import Assessment, AssessmentStatus

    queues = {q.testid: q for q in home.province_queues(user=province_staff)}
    before = Assessment.objects.filter(status=AssessmentStatus.PROPOSED).count()
    assert queues["queue-proposals"].count == before


def test_province_home_query_count_is_bounded(world, latest, officer_a, officer_b, province_staff, client_for):
    client = client_for(province_staff)
    _home(client)
    with CaptureQueriesContext(connection) as few:
        _home(client)
    services.submission_submit(actor=officer_a, commune=world.commune_a, period=latest)
    services.submission_submit(actor=officer_b, commune=world.commune_b, period=latest)
    with CaptureQueriesContext(connection) as many:
        _home(client)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 30


def test_steering_member_sees_key_figures_of_their_unit(world, latest, officer_a, steering_a, client_for):
    for n in range(2):
        make_managed_case(officer_a, world.commune_a, full_name=f"Bí Mật Tên{n}", detected_on=latest.start)
    html = _home(client_for(steering_a))
    section = _section(html, "home-key-figures")
    assert latest.label in section
    base = reverse("reporting:commune_dashboard", kwargs={"pk": world.commune_a.pk})
    url = f"{base}?{selectors.period_query(latest)}"
    assert f'href="{url}"' in section.replace("&amp;", "&")
    assert re.search(r'data-code="people_total"><span class="value">2<', section)
    assert "Bí Mật" not in html  # aggregates only, never names
    assert 'data-testid="home-reporting"' not in html
    assert 'data-testid="home-queues"' not in html


def test_steering_home_query_count_is_bounded(world, latest, officer_a, client_for):
    steering = world.user(roles.STEERING_MEMBER, world.province, "steering_home")
    client = client_for(steering)
    _home(client)
    with CaptureQueriesContext(connection) as few:
        _home(client)
    for n in range(3):
        make_managed_case(officer_a, world.commune_a, full_name=f"Bí Mật Tên{n}", detected_on=latest.start)
    with CaptureQueriesContext(connection) as changed:
        html = _home(client)
    assert 'data-testid="home-key-figures"' in html
    # the changed commune's stored figures are recomputed, and the scope's group rows (the trend's
    # totals) summed again from the stored rows, in a constant number of queries
    assert len(changed) <= 70
    with CaptureQueriesContext(connection) as many:
        _home(client)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 30
