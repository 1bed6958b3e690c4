"""Double-tap idempotency: every state-changing form carries a one-time token, and a replay of the
same submission (a second tap on a slow link, the browser's "resubmit") records nothing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse

from apps.cases.models import CaseEvent
from tests.factories.cases import advance, make_case

REPLAY_MESSAGE = "Biểu mẫu này đã được gửi; không ghi lại lần nữa."
TOKEN_RE = re.compile(r'<input type="hidden" name="form_token" value="([^"]+)"')


@pytest.fixture
def managed_case(world, officer_a):
    case = make_case(officer_a, world.commune_a, detected_on=dt.date(2026, 1, 5))
    case = advance(officer_a, case, "positive_test", dt.date(2026, 1, 12))
    return advance(officer_a, case, "management_decision", dt.date(2026, 1, 19), decision_number="2/QĐ-UBND")


def visit_url(case) -> str:
    return reverse("cases:casefile_event", args=[case.pk, "home_visit"])


def visits(case) -> int:
    return CaseEvent.objects.filter(case_file=case, kind="home_visit").count()


def token_of(response) -> str:
    tokens = TOKEN_RE.findall(response.content.decode())
    assert len(tokens) == 1, "the form carries exactly one token"
    return tokens[0]


def test_a_replayed_submission_records_the_visit_once(world, officer_a, managed_case, client_for):
    client = client_for(officer_a)
    token = token_of(client.get(visit_url(managed_case)))
    body = {"event_date": "10/02/2026", "result": "Có mặt, làm ruộng", "form_token": token}
    first = client.post(visit_url(managed_case), body)
    assert first.status_code == 302 and visits(managed_case) == 1
    replay = client.post(visit_url(managed_case), body)
    # the same result page as the first answer, with a message, and nothing recorded again
    assert replay.status_code == 302 and replay["Location"] == first["Location"]
    assert visits(managed_case) == 1
    assert REPLAY_MESSAGE in [str(m) for m in get_messages(replay.wsgi_request)]


def test_each_rendered_form_has_its_own_token(world, officer_a, managed_case, client_for):
    client = client_for(officer_a)
    first, second = token_of(client.get(visit_url(managed_case))), token_of(client.get(visit_url(managed_case)))
    assert first != second
    for day, token in (("10/02/2026", first), ("11/02/2026", second)):
        client.post(visit_url(managed_case), {"event_date": day, "form_token": token})
    assert visits(managed_case) == 2  # two visits deliberately recorded from two pages


def test_a_form_with_errors_keeps_its_token_usable(world, officer_a, managed_case, client_for):
    client = client_for(officer_a)
    token = token_of(client.get(visit_url(managed_case)))
    invalid = client.post(visit_url(managed_case), {"event_date": "", "result": "Có mặt", "form_token": token})
    assert invalid.status_code == 200 and visits(managed_case) == 0
    # the re-rendered form carries a token again, and the typed text is kept
    assert token_of(invalid) and "Có mặt" in invalid.content.decode()
    # a refused write (a date before the decision: the service refuses it) does not burn the token either
    refused = client.post(visit_url(managed_case), {"event_date": "01/01/2020", "form_token": token})
    assert refused.status_code == 200 and visits(managed_case) == 0
    ok = client.post(visit_url(managed_case), {"event_date": "10/02/2026", "form_token": token})
    assert ok.status_code == 302 and visits(managed_case) == 1


def test_a_token_is_not_burned_by_a_refused_request(world, officer_a, officer_b, managed_case, client_for):
    token = token_of(client_for(officer_a).get(visit_url(managed_case)))
    # someone out of scope posting it: 404, nothing recorded, token still fresh
    assert client_for(officer_b).post(visit_url(managed_case), {"event_date": "10/02/2026", "form_token": token})
    response = client_for(officer_a).post(visit_url(managed_case), {"event_date": "10/02/2026", "form_token": token})
    assert response.status_code == 302 and visits(managed_case) == 1


def test_a_post_without_token_is_accepted(world, officer_a, managed_case, client_for):
    """Scripts and the test client post without a token: accepted (there is nothing to replay-check);
    every form the application renders carries one (test below), so a browser is always protected."""
    response = client_for(officer_a).post(visit_url(managed_case), {"event_date": "10/02/2026"})
    assert response.status_code == 302 and visits(managed_case) == 1


# Forms that change no data of the application: the login, logout and password forms.
NOT_STATE_CHANGING = {
    "registration/login.html",
    "registration/password_change_form.html",
}


def test_every_post_form_of_the_templates_carries_the_token():
    root = Path(settings.BASE_DIR) / "templates"
    missing = []
    for path in sorted(root.rglob("*.html")):
        name = path.relative_to(root).as_posix()
        if name in NOT_STATE_CHANGING:
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", text, flags=re.S | re.I):
            tag = match.group(0)
            if "accounts:logout" in tag[:300]:
                continue
            if "{% form_token %}" not in match.group(1):
                missing.append(f"{name}: {tag[:80]}")
    assert not missing, "POST forms without {% form_token %}:\n" + "\n".join(missing)


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite file database"
)
@pytest.mark.django_db(transaction=True)
def test_four_simultaneous_copies_of_one_form_record_one_visit(world, tmp_path):
    """The consumption is a unique INSERT in the write's transaction: copies sent at the same moment
    (four officers' threads on one SQLite file, like a commune office) cannot both pass."""
    import sqlite3

    from django.test import Client

    from tests.core.test_sqlite_concurrency import _copy_to_file, _run_in_threads

    officer = world.user("commune_officer", world.commune_a, "officer_a")
    case = make_case(officer, world.commune_a, detected_on=dt.date(2026, 1, 5))
    case = advance(officer, case, "positive_test", dt.date(2026, 1, 12))
    case = advance(officer, case, "management_decision", dt.date(2026, 1, 19), decision_number="2/QĐ-UBND")
    body = {"event_date": "10/02/2026", "result": "Có mặt", "form_token": "t" * 32}
    path = tmp_path / "office.sqlite3"
    settings_dict = _copy_to_file(path)

    def send():
        client = Client(raise_request_exception=False)
        client.force_login(officer)
        return client.post(visit_url(case), body)["Location"]

    results = _run_in_threads(settings_dict, [send for _ in range(4)])
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == 1  # everybody lands on the case file
    db = sqlite3.connect(path)
    try:
        (count,) = db.execute(
            "SELECT COUNT(*) FROM cases_caseevent WHERE case_file_id = ? AND kind = 'home_visit'", [case.pk]
        ).fetchone()
    finally:
        db.close()
    assert count == 1
