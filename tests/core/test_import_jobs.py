"""Large imports run as a background job with progress and stay all or nothing (issue 11 §2).

In tests the task backend runs a job at once (settings.test: ImmediateBackend), so the page the
upload redirects to already shows the finished preview; the queue itself is django-tasks'.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from apps.cases.models import CaseFile
from apps.core import import_jobs
from apps.core.imports import PendingImport
from tests.cases.test_import_export import _good_rows, person_row, xlsx

URL = "cases:import"


@pytest.fixture
def background(settings):
    settings.IMPORT_BACKGROUND_ROWS = 2


def _token(response) -> str:
    assert response.status_code == 302, response.content.decode()[:500]
    assert "?job=" in response.url
    return response.url.split("?job=")[1]


def test_a_large_file_is_previewed_then_imported_by_the_worker(world, officer_a, client_for, background):
    client = client_for(officer_a)
    token = _token(client.post(reverse(URL), {"file": xlsx(_good_rows())}))
    job = import_jobs.read_job(token)
    assert (job["state"], job["done"], job["total"], job["confirm"]) == ("done", 3, 3, False)
    page = client.get(reverse(URL), {"job": token})
    report = page.context["report"]
    assert (report.ok, report.new, page.context["token"]) == (True, 3, token)
    assert 'data-testid="import-preview"' in page.content.decode()
    assert not CaseFile.objects.exists(), "the preview writes nothing"

    token_again = _token(client.post(reverse(URL), {"token": token, "confirm": "1"}))
    assert token_again == token
    done = client.get(reverse(URL), {"job": token})
    assert done.status_code == 302 and "?job" not in done.url
    assert CaseFile.objects.filter(commune=world.commune_a).count() == 3
    assert import_jobs.read_job(token) is None
    assert not PendingImport(token).data_path.exists()


def test_the_job_reports_progress_as_rows_are_done(world, officer_a, client_for, background, monkeypatch):
    monkeypatch.setattr("apps.core.resources.PROGRESS_EVERY", 1)
    states = []
    real = import_jobs.write_job

    def spy(token, state):
        states.append((state["state"], state["done"]))
        real(token, state)

    monkeypatch.setattr(import_jobs, "write_job", spy)
    client_for(officer_a).post(reverse(URL), {"file": xlsx(_good_rows())})
    assert states == [("queued", 0), ("running", 0), ("running", 1), ("running", 2), ("running", 3), ("done", 3)]


def test_a_running_job_shows_its_progress_and_reloads(world, officer_a, client_for):
    client = client_for(officer_a)
    pending = PendingImport.create(user=officer_a, kind="cases", filename="lon.xlsx", content=b"x")
    state = {"user": officer_a.pk, "kind": "cases", "confirm": False, "state": "running", "done": 1200, "total": 5000}
    import_jobs.write_job(pending.token, state)
    html = client.get(reverse(URL), {"job": pending.token}).content.decode()
    assert 'data-testid="import-job"' in html and "1200/5000" in html
    assert 'http-equiv="refresh"' in html
    other = world.user("commune_officer", world.commune_a, "officer_a3")
    assert client_for(other).get(reverse(URL), {"job": pending.token}).status_code == 400
    pending.discard()
    import_jobs.discard_job(pending.token)


def test_a_large_file_with_one_bad_row_writes_nothing(world, officer_a, client_for, background):
    client = client_for(officer_a)
    rows = [*_good_rows(), person_row("Lò Văn Pả", sex="X")]
    token = _token(client.post(reverse(URL), {"file": xlsx(rows)}))
    page = client.get(reverse(URL), {"job": token})
    report = page.context["report"]
    assert [(e.row, e.column) for e in report.errors] == [(5, "Giới tính")]
    assert "token" not in page.context
    assert not CaseFile.objects.exists()


def test_small_files_stay_in_the_request(world, officer_a, client_for):
    response = client_for(officer_a).post(reverse(URL), {"file": xlsx(_good_rows())})
    assert response.status_code == 200 and response.context["report"].new == 3


def test_a_replayed_confirmation_queues_the_import_once(world, officer_a, client_for, background, monkeypatch):
    from apps.core import tasks

    client = client_for(officer_a)
    token = _token(client.post(reverse(URL), {"file": xlsx(_good_rows())}))
    queued = []
    # The worker has not picked the confirmation up yet when the second tap arrives.
    monkeypatch.setattr(tasks, "run_import_job", SimpleNamespace(enqueue=lambda *args: queued.append(args)))
    first = client.post(reverse(URL), {"token": token, "confirm": "1"})
    second = client.post(reverse(URL), {"token": token, "confirm": "1"})
    assert (_token(first), _token(second)) == (token, token)
    assert len(queued) == 1
    assert not CaseFile.objects.exists()
