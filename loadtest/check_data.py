"""After the load test: was anything lost, duplicated or refused badly? (scripts/loadtest.sh)

    python loadtest/check_data.py JOURNAL LOCUST_CSV_PREFIX APP_LOG [POSTGRES_LOG]

Run with the production settings and database of the run. Reads the clients' journal (one JSON line
per write attempted: "sent", then its outcome "ack" = a redirect after the POST, "conflict" = 409,
"rejected" = the form came back with an error) and checks in the database:

- every acknowledged home visit / step is there exactly once (its note carries a marker no one else
  writes) on the right file, with exactly one audit row of its request id;
- every acknowledged edit has exactly one ``cases.casefile.update`` audit row of its request id whose
  snapshot holds the marker, and each shared file ends with the last acknowledged marker (or its
  original notes when none was acknowledged);
- every refused edit (409) showed the conflict message and left nothing: no audit row of its request,
  its marker nowhere in the files or the audit log;
- every acknowledged import has one ``cases.casefile.import`` audit row and its rows are in the
  database; every issued report one ``reports.issuedreport.issue`` row and one archived report;
- no 5xx in gunicorn's request log, no traceback, no "deadlock detected" there or in PostgreSQL's log.

Then prints requests/s, p50/p95/p99 per page type and the error rate from Locust's CSV, and exits 1
when anything was lost, duplicated, wrongly refused or answered 5xx.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuyenquang_pcmt.settings.production")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.audit.models import AuditLogEntry  # noqa: E402
from apps.cases.models import CaseEvent, CaseFile  # noqa: E402

problems: list[str] = []


def problem(message: str) -> None:
    problems.append(message)


def audit_count(rid: str, action: str) -> int:
    return AuditLogEntry.objects.filter(request_id=rid, action=action).count()


def marker_in_audit(marker: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM audit_auditlogentry WHERE after::text LIKE %s OR before::text LIKE %s",
            [f"%{marker}%", f"%{marker}%"],
        )
        return cursor.fetchone()[0]


def check_journal(path: Path) -> Counter:
    outcomes: dict[tuple[str, str], dict] = {}
    sent: dict[tuple[str, str], dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        key = (entry["kind"], entry.get("marker") or entry.get("number") or entry.get("user"))
        (sent if entry["state"] == "sent" else outcomes).__setitem__(key, entry)
    tally: Counter = Counter()
    reasons: Counter = Counter()
    last_edit: dict[int, tuple[float, str]] = {}
    for (kind, _key), entry in outcomes.items():
        tally[f"{kind} {entry['state']}"] += 1
        if entry["state"] in ("rejected", "conflict") and entry.get("errors"):
            reasons[f"{kind} {entry['state']}: {entry['errors'][0][:150]}"] += 1
        state, rid, mark = entry["state"], entry.get("rid"), entry.get("marker")
        if kind in ("visit", "step"):
            events = list(CaseEvent.objects.filter(notes=mark).values_list("case_file_id", flat=True))
            action = "cases.casefile.event_home_visit" if kind == "visit" else "cases.casefile.transition"
            if state == "ack":
                if events != [entry["case"]]:
                    problem(f"acknowledged {kind} {mark} on file {entry['case']}: found {len(events)} times {events}")
                if (n := audit_count(rid, action)) != 1:
                    problem(f"acknowledged {kind} {mark}: {n} audit rows {action} for request {rid}")
            elif events:
                problem(f"{kind} {mark} answered {entry.get('status')} ({state}) but was stored {len(events)} times")
            if state == "conflict" and not entry.get("message_ok"):
                problem(f"{kind} {mark}: 409 without the conflict message")
        elif kind == "edit":
            if state == "ack":
                rows = list(AuditLogEntry.objects.filter(request_id=rid, action="cases.casefile.update"))
                if len(rows) != 1 or mark not in json.dumps(rows[0].after, ensure_ascii=False):
                    problem(f"acknowledged edit {mark} of file {entry['case']}: {len(rows)} update audit rows")
                if entry["t"] > last_edit.get(entry["case"], (0, ""))[0]:
                    last_edit[entry["case"]] = (entry["t"], mark)
            else:
                if AuditLogEntry.objects.filter(request_id=rid).exclude(action__endswith=".view").exists():
                    problem(f"refused edit {mark} ({entry.get('status')}) left audit rows")
                if CaseFile.objects.filter(notes=mark).exists() or marker_in_audit(mark):
                    problem(f"refused edit {mark} ({entry.get('status')}) changed the file")
                if state == "conflict" and not entry.get("message_ok"):
                    problem(f"edit {mark}: 409 without the conflict message")
        elif kind == "import" and state == "ack":
            if (n := audit_count(rid, "cases.casefile.import")) != 1:
                problem(f"acknowledged import of {entry['user']}: {n} import audit rows")
            stored = CaseFile.objects.filter(created_by__username=entry["user"]).count()
            if stored != entry["rows"]:
                problem(f"acknowledged import of {entry['user']}: {stored} files stored, {entry['rows']} rows sent")
        elif kind == "report" and state == "ack":
            if (n := audit_count(rid, "reports.issuedreport.issue")) != 1:
                problem(f"issued report no. {entry['number']}: {n} issue audit rows for request {rid}")
        elif kind == "report-render" and state != "done":
            problem(f"report no. {entry['number']} of {entry['user']}: the worker's rendering ended {state}")
    # The order of two acknowledged saves is the order of their commits; the client's clock is close.
    for pk in last_edit:
        notes = CaseFile.objects.get(pk=pk).notes
        acked = {
            e["marker"] for (k, _), e in outcomes.items() if k == "edit" and e["state"] == "ack" and e["case"] == pk
        }
        if notes not in acked:
            problem(f"shared file {pk} ends with notes {notes[:40]!r}, none of its acknowledged edits")
    # Sent, no outcome: the run ended while the request was in flight; a write may or may not be there.
    in_flight = [key for key in sent if key not in outcomes]
    for kind, mark in in_flight:
        tally[f"{kind} in flight at the end"] += 1
        if kind in ("visit", "step") and CaseEvent.objects.filter(notes=mark).count() > 1:
            problem(f"{kind} {mark} (in flight at the end) stored more than once")
    # No write of the load-test accounts without a client that asked for it.
    users = User.objects.filter(username__startswith="lt.")
    stored_visits = CaseEvent.objects.filter(created_by__in=users, notes__startswith="LT-visit-").count()
    asked = sum(1 for (k, _), e in outcomes.items() if k == "visit" and e["state"] == "ack")
    asked += sum(1 for k, _ in in_flight if k == "visit")
    if stored_visits > asked:
        problem(f"{stored_visits} load-test visits stored, only {asked} acknowledged or in flight")
    if reasons:
        print("\nwhy forms came back (the application's rules, not failures):")
        for reason, n in reasons.most_common(8):
            print(f"  {n:>4} × {reason}")
    return tally


def check_logs(app_log: Path, pg_log: Path | None) -> Counter:
    found: Counter = Counter()
    for line in app_log.read_text(encoding="utf-8", errors="replace").splitlines():
        if "deadlock detected" in line.lower():
            found["deadlock"] += 1
        if "Traceback" in line:
            found["traceback"] += 1
        if line.startswith("{"):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("logger") == "pcmt.request":
                found["requests logged"] += 1
                if int(record.get("status", 0)) >= 500:
                    found["5xx"] += 1
            elif record.get("level") in ("ERROR", "CRITICAL"):
                found["error lines"] += 1
    if pg_log and pg_log.exists():
        text = pg_log.read_text(encoding="utf-8", errors="replace")
        found["postgres deadlock"] = text.count("deadlock detected")
    for key in ("deadlock", "traceback", "5xx", "error lines", "postgres deadlock"):
        if found[key]:
            problem(f"logs: {found[key]} × {key}")
    return found


def stats(prefix: str) -> None:
    path = Path(f"{prefix}_stats.csv")
    if not path.exists():
        problem(f"no Locust statistics ({path})")
        return
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    print(f"\n{'page type':<28} {'reqs':>6} {'fail':>5} {'req/s':>6} {'p50':>7} {'p95':>7} {'p99':>7} (ms)")
    for row in rows:
        name = row["Name"] if row["Type"] else "ALL"
        print(
            f"{name:<28} {row['Request Count']:>6} {row['Failure Count']:>5} {float(row['Requests/s']):6.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
        )
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    if total:
        requests, failures = int(total["Request Count"]), int(total["Failure Count"])
        rate = failures / requests if requests else 0.0
        print(
            f"\nthroughput {float(total['Requests/s']):.1f} requests/s, error rate {rate:.2%} ({failures}/{requests})"
        )
        if failures:
            problem(f"{failures} failed requests (Locust)")
        if not requests:
            problem("no request was made")


def main(argv: list[str]) -> int:
    journal, prefix, app_log = Path(argv[1]), argv[2], Path(argv[3])
    pg_log = Path(argv[4]) if len(argv) > 4 and argv[4] else None
    stats(prefix)
    tally = check_journal(journal) if journal.exists() else Counter()
    logs = check_logs(app_log, pg_log)
    print("\nwrites (client's journal):")
    for key in sorted(tally):
        print(f"  {key:<34} {tally[key]}")
    by_kind = defaultdict(int)
    for key, n in tally.items():
        if key.endswith(" ack"):
            by_kind[key.split()[0]] += n
    print(f"logs: {dict(logs)}")
    if not by_kind:
        problem("no write was acknowledged")
    if problems:
        print(f"\nDATA CHECK FAILED ({len(problems)}):")
        for line in problems[:50]:
            print(f"  - {line}")
        return 1
    print(
        "\ndata check OK: every acknowledged write stored exactly once with its audit row; refused edits left nothing"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
