"""The journey of scripts/scaleout.sh: two app servers sharing PostgreSQL (with a streaming replica)
and Redis, proved over real HTTP (standard library + psycopg2 + redis, both in requirements.txt).

    scaleout_journey.py URL_A URL_B

Environment: DATABASE_URL (primary), DATABASE_REPLICA_URL, REDIS_URL, SCALEOUT_OFFICER,
SCALEOUT_PROVINCE, SCALEOUT_PASSWORD, SCALEOUT_RQ_LOG (the RQ worker's log file). HTTP, cookies,
forms and proxy headers are prodstack_journey's.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import redis  # noqa: E402
from prodstack_journey import Browser, JourneyError, _admin, check, parse  # noqa: E402

CACHE_KEYS = "*:reporting:*"  # the dashboards' aggregates (apps/reporting/selectors.cached)
KEY_VALUE = re.compile(r'data-code="([a-z_]+)".*?data-testid="key-value">([^<]*)<', re.S)


def sql(url: str, query: str, params: list | None = None, *, dbname: str | None = None) -> list[tuple]:
    if dbname:
        url = url.rsplit("/", 1)[0] + "/" + dbname
    connection = _admin(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, params or [])
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def replica_reads() -> int:
    """Transactions the replica has served on the application's database. Read through another
    database of the replica, so these reads themselves do not count."""
    name = urllib.parse.urlsplit(os.environ["DATABASE_REPLICA_URL"]).path.lstrip("/")
    rows = sql(
        os.environ["DATABASE_REPLICA_URL"],
        "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
        [name],
        dbname="postgres",
    )
    return int(rows[0][0])


def replica_caught_up(timeout: float = 20) -> None:
    target = sql(os.environ["DATABASE_URL"], "SELECT pg_current_wal_lsn()::text")[0][0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replayed = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn"
        done = sql(os.environ["DATABASE_REPLICA_URL"], replayed, [target], dbname="postgres")[0][0]
        if done:
            return
        time.sleep(0.1)
    raise JourneyError(f"the replica did not replay up to {target} within {timeout}s")


def reads_after(before: int, *, settle: float = 1.5, expect_some: bool = False) -> int:
    """The replica's count once the requests' backends have ended and reported their statistics
    (a backend reports when it exits; CONN_MAX_AGE=0 ends it with its request)."""
    deadline = time.monotonic() + (15 if expect_some else settle)
    while True:
        time.sleep(0.25)
        count = replica_reads() - before
        if (expect_some and count > 0) or time.monotonic() > deadline:
            return count


_T0 = time.monotonic()


def step(name: str) -> None:
    print(f"  - [{time.monotonic() - _T0:4.1f}s] {name}", flush=True)


def key_figures(html: str) -> dict[str, str]:
    return {code: value.strip() for code, value in KEY_VALUE.findall(html)}


def share_session(source: Browser, base: str) -> Browser:
    other = Browser(base)
    other.cookies = dict(source.cookies)
    return other


def journey(url_a: str, url_b: str) -> None:
    officer, province = os.environ["SCALEOUT_OFFICER"], os.environ["SCALEOUT_PROVINCE"]
    password = os.environ["SCALEOUT_PASSWORD"]
    cache = redis.Redis.from_url(os.environ["REDIS_URL"])
    started = time.monotonic()

    step("both instances healthy; the replica is a hot standby of the primary")
    for base in (url_a, url_b):
        health = Browser(base).get("/healthz/")
        check(health.status == 200, f"{base}/healthz/ answered {health.status}: {health.text}")
        checks = json.loads(health.body)["checks"]
        check(checks.get("replica") == {"ok": True}, f"/healthz/ does not report the replica: {checks}")
        worker = checks["worker"]
        check(worker["ok"] and worker["age_seconds"] is not None, f"the RQ worker is not seen: {worker}")
    standby = sql(os.environ["DATABASE_REPLICA_URL"], "SELECT pg_is_in_recovery()", dbname="postgres")[0][0]
    check(standby is True, "the replica is not a standby")
    check(sql(os.environ["DATABASE_URL"], "SELECT pg_is_in_recovery()")[0][0] is False, "primary in recovery")

    step("a session made through A works through B (sessions in the shared database)")
    staff_a = Browser(url_a)
    staff_a.login(province, password)
    staff_b = share_session(staff_a, url_b)
    check(staff_b.get("/").status == 200, "the session of A is not known to B")

    step("dashboard through A fills the shared cache; B is served from it, reading the replica")
    replica_caught_up()
    check(not cache.keys(CACHE_KEYS), "the dashboard cache is not empty before the first dashboard")
    reads = replica_reads()
    first = staff_a.get("/reporting/")
    check(first.status == 200, f"dashboard through A answered {first.status}")
    keys_a = set(cache.keys(CACHE_KEYS))
    check(keys_a, "the dashboard through A stored nothing in Redis")
    before = key_figures(first.text)
    check(len(before) >= 6, f"only {len(before)} key figures on the dashboard")
    second = staff_b.get("/reporting/")
    check(second.status == 200, f"dashboard through B answered {second.status}")
    check(set(cache.keys(CACHE_KEYS)) == keys_a, "B computed its own entries instead of reading A's")
    check(key_figures(second.text) == before, "B shows other figures than A from the same data")
    dashboard_reads = reads_after(reads, expect_some=True)
    check(dashboard_reads > 0, "the dashboards did not read from the replica")
    reads = replica_reads()
    check(staff_b.get("/cases/list/").status == 200, "case list through B")
    check(reads_after(reads) == 0, "the case list read from the replica (only dashboards and reports may)")

    step("officer creates a case file through A; B's dashboard shows it (new cache entries)")
    officer_a = Browser(url_a)
    officer_a.login(officer, password)
    page = officer_a.get("/cases/new/")
    form = next(f for f in parse(page.text).forms if f.attrs.get("method", "").lower() == "post" and f.selects)
    # Detected on the first day of the data window the dashboard shows, so its figures must move.
    window = re.search(r"số liệu từ (\d\d/\d\d/\d{4}) đến", first.text)
    check(window is not None, "the dashboard does not name its data window")
    detected = window.group(1)
    created = officer_a.post(
        "/cases/new/",
        form.data(
            **{
                "p-full_name": "Ma Văn Mở Rộng",
                "p-sex": "M",
                "p-birth_year": "1992",
                "p-citizen_id": "",
                "c-case_type": "user",
                "c-whereabouts": "community",
                "c-detected_on": detected,
            }
        ),
    )
    errors = re.findall(r"errorlist.{0,200}", created.text)
    check(created.status == 302, f"case creation answered {created.status}: {errors}")
    case_path = urllib.parse.urlsplit(created.header("Location")).path
    case_pk = int(re.search(r"/cases/(\d+)/", case_path).group(1))
    replica_caught_up()
    third = staff_b.get("/reporting/")
    check(third.status == 200, f"dashboard through B answered {third.status}")
    after = key_figures(third.text)
    changed = {code: (before.get(code), value) for code, value in after.items() if before.get(code) != value}
    check(changed, f"B still shows the figures from before the change through A: {after}")
    check(set(cache.keys(CACHE_KEYS)) - keys_a, "B did not store the recomputed figures in Redis")
    print(f"    figures changed: {changed}", flush=True)

    step("a report queued through A is rendered by the RQ worker, followed and downloaded through B")
    index = staff_a.get("/reports/")
    pick = next(f for f in parse(index.text).forms if f.attrs.get("data-testid") == "report-pick")
    unit_field = next(name for name in pick.selects if name.endswith("unit"))
    query = urllib.parse.urlencode(pick.data(**{unit_field: pick.option(unit_field, "Tỉnh Tuyên Quang")}))
    draft = staff_a.follow(staff_a.get(f"/reports/?{query}"))
    check(draft.status == 200, f"draft answered {draft.status}")
    draft_form = next(f for f in parse(draft.text).forms if f.attrs.get("data-testid") == "draft-form")
    issued = staff_a.post(
        staff_a.local_path(draft.url), draft_form.data(number="14"), referer=staff_a.public + draft.url
    )
    check(issued.status == 302, f"issuing answered {issued.status}: {re.findall(r'errorlist.{0,200}', issued.text)}")
    progress_path = staff_b.local_path(issued.header("Location"))
    report_pk = int(re.search(r"/issued/(\d+)/", progress_path).group(1))
    deadline = time.monotonic() + 90
    while True:
        progress = staff_b.get(progress_path)
        status = parse(progress.text).testids.get("report-progress", {}).get("data-status")
        if status in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    check(status == "done", f"the report was not rendered (status {status})")
    task_id = sql(os.environ["DATABASE_URL"], "SELECT task_id FROM reports_issuedreport WHERE id = %s", [report_pk])
    task_id = task_id[0][0]
    check(bool(task_id), "the issued report has no task id")
    job_status = cache.hget(f"rq:job:{task_id}", "status")
    check(job_status == b"finished", f"RQ job {task_id} status {job_status!r}: not run by the RQ worker")
    check(task_id in Path(os.environ["SCALEOUT_RQ_LOG"]).read_text(), "the RQ worker's log does not name the job")
    queued_in_db = sql(os.environ["DATABASE_URL"], "SELECT count(*) FROM django_tasks_database_dbtaskresult")[0][0]
    check(queued_in_db == 0, f"{queued_in_db} jobs went through the database queue instead of Redis")
    ids = parse(progress.text).testids
    sha = re.search(r'data-testid="report-sha256">\s*([0-9a-f]{64})\s*<', progress.text).group(1)
    pdf = staff_b.get(ids["report-download"]["href"])
    check(pdf.status == 200 and pdf.body.startswith(b"%PDF"), f"download through B answered {pdf.status}")
    check(hashlib.sha256(pdf.body).hexdigest() == sha, "the PDF read through B differs from its SHA-256")

    step("the same file edited through A and B at once: B's save is refused (409), A's value kept")
    officer_b = Browser(url_b)
    officer_b.login(officer, password)
    edit_path = f"{case_path}edit/"
    page_a, page_b = officer_a.get(edit_path), officer_b.get(edit_path)
    check(page_a.status == 200 and page_b.status == 200, f"edit form answered {page_a.status}/{page_b.status}")

    def edit_form(page):
        return next(f for f in parse(page.text).forms if any(n == "p-full_name" for n, _ in f.fields))

    saved = officer_a.post(edit_path, edit_form(page_a).data(**{"p-full_name": "Ma Văn Sửa Qua A"}))
    check(saved.status == 302, f"the edit through A answered {saved.status}")
    refused = officer_b.post(edit_path, edit_form(page_b).data(**{"p-full_name": "Ma Văn Sửa Qua B"}))
    check(refused.status == 409, f"the concurrent edit through B answered {refused.status}, not 409")
    check("CHƯA được" in refused.text and "người khác lưu" in refused.text, "409 without the Vietnamese message")
    name = sql(
        os.environ["DATABASE_URL"],
        "SELECT p.full_name FROM cases_casefile c JOIN cases_person p ON p.id = c.person_id WHERE c.id = %s",
        [case_pk],
    )[0][0]
    check(name == "Ma Văn Sửa Qua A", f"the row holds {name!r} after the refused edit")
    print(f"scaleout journey OK in {time.monotonic() - started:.1f}s", flush=True)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        journey(argv[1], argv[2])
    except JourneyError as exc:
        print(f"SCALEOUT JOURNEY FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
