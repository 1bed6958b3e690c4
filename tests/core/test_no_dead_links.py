"""A link in the app never leads to a 404 (issue 12 §6): links are rendered only when the viewer
may open their target (scoping decides), otherwise the name is plain text. The crawl follows
every link of the main pages of each role, three clicks deep, with the test client."""

import datetime as dt
import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import reverse

from apps.areas.models import UnitSuccession
from apps.reporting import services as reporting_services
from apps.reporting.models import PeriodKind
from apps.reporting.periods import latest_ended
from tests.factories.cases import make_managed_case

HREF = re.compile(r'<a\s[^>]*href="([^"]+)"', re.I)
SKIP = ("/admin/", "/static/", "/media/", "/accounts/logout", "/accounts/password")
MAX_PAGES = 200
DEPTH = 3


@pytest.fixture
def split_former(world):
    """Like the real conversion: part of the former commune went to commune B, which an officer
    of commune A may not open."""
    UnitSuccession.objects.create(
        old=world.former_a, new=world.commune_b, effective_date=dt.date(2025, 7, 1), partly=True
    )
    return world.former_a


@pytest.fixture
def data(world, split_former, officer_a, officer_b, province_staff):
    make_managed_case(officer_a, world.commune_a, full_name="Lò Văn Một", detected_on=dt.date(2026, 1, 5))
    make_managed_case(officer_b, world.commune_b, full_name="Lò Văn Hai", detected_on=dt.date(2026, 1, 6))
    period = latest_ended(PeriodKind.QUARTER)
    s = reporting_services.submission_submit(actor=officer_a, commune=world.commune_a, period=period)
    reporting_services.submission_return(actor=province_staff, submission=s, reason="Đề nghị rà soát lại số liệu")
    reporting_services.submission_submit(actor=officer_b, commune=world.commune_b, period=period)
    return world


def _links(html: str) -> list[str]:
    found = []
    for raw in HREF.findall(html):
        url = urldefrag(unescape(raw)).url
        parts = urlsplit(url)
        if not url or parts.scheme or parts.netloc or not url.startswith("/"):
            continue  # external, tel:, mailto:, in-page anchors
        if url.startswith(SKIP):
            continue
        found.append(url)
    return found


def _crawl(client, starts: list[str]) -> dict[str, tuple[int, str]]:
    """url → (status, the page that linked it), breadth first, two links deep from the starts."""
    seen: dict[str, tuple[int, str]] = {}
    queue = deque((url, "(start)", 0) for url in starts)
    while queue and len(seen) < MAX_PAGES:
        url, source, depth = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = (response.status_code, source)
        if response.status_code != 200 or depth >= DEPTH:
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(response.content.decode()):
            if link not in seen:
                queue.append((link, url, depth + 1))
    return seen


def _starts(world) -> list[str]:
    return [
        reverse("core:home"),
        reverse("areas:unit_list"),
        reverse("areas:unit_detail", args=[world.former_a.pk]),
        reverse("areas:unit_detail", args=[world.commune_a.pk]),
        reverse("reporting:dashboard"),
        reverse("reporting:status_board"),
    ]


@pytest.mark.parametrize("who", ["officer_a", "steering_a", "province_staff"])
def test_no_link_of_the_main_pages_leads_to_a_404(request, data, client_for, who):
    user = request.getfixturevalue(who)
    seen = _crawl(client_for(user), _starts(data))
    dead = {url: source for url, (status, source) in seen.items() if status == 404}
    assert not dead, f"{who}: links answering 404 (url → page linking it): {dead}"
    assert len(seen) > 10, seen  # the crawl did reach the pages


def test_former_unit_names_a_successor_out_of_scope_without_a_link(data, officer_a, client_for):
    page = client_for(officer_a).get(reverse("areas:unit_detail", args=[data.former_a.pk])).content.decode()
    successors = re.findall(r'<li data-testid="successor">(.*?)</li>', page, re.S)
    out_of_scope = [s for s in successors if data.commune_b.full_name in s]
    assert out_of_scope and "<a " not in out_of_scope[0]  # named, not linked
    in_scope = [s for s in successors if data.commune_a.full_name in s]
    assert in_scope and reverse("areas:unit_detail", args=[data.commune_a.pk]) in in_scope[0]
