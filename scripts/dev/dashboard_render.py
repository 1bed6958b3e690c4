#!/usr/bin/env python3
"""Render the reporting pages to files and time their template rendering (a dev tool, not a test).

    .venv/bin/python scripts/dev/dashboard_render.py --out /tmp/before            # HTML of ~24 pages
    .venv/bin/python scripts/dev/dashboard_render.py --out /tmp/after --repeat 20 # + template p50
    diff -r /tmp/before /tmp/after                                                # byte-identical?

The data is the demo seed (``load_units`` + ``seed_demo``) in a throw-away SQLite file built on the
first run (``--db``, ``--rebuild``), with the clock frozen (freezegun) both while seeding and while
rendering, so two runs on the same code write the same bytes. The per-request tokens (CSRF, form
token, CSP nonce) are the only parts of a page that still change between requests: they are
replaced by a fixed placeholder before writing.

The time printed is the outermost ``django.template.backends.django.Template.render`` (the page
template with its includes, tags and context processors, nothing of the view or its SQL), taken
``--repeat`` times on the context the view built once for the page.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

FROZEN_AT = "2026-11-20 03:00:00"  # UTC: 10:00 in Asia/Ho_Chi_Minh, Q3 2026 is the latest ended quarter
PROVINCE_USER = "tinh.canbo"
COMMUNE_USER = "trungson.congan"
TOKENS = re.compile(r'(name="(?:csrfmiddlewaretoken|form_token)" value=")[^"]*(")|(nonce=")[^"]*(")')


def _placeholder(match: re.Match) -> str:
    if match.group(1):
        return f"{match.group(1)}TOKEN{match.group(2)}"
    return f"{match.group(3)}NONCE{match.group(4)}"


def build(db: Path) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_units", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def pages() -> list[tuple[str, str, str]]:
    """(file name, user, path): every template path the reporting pages take."""
    from django.urls import reverse

    from apps.areas.models import AdministrativeUnit
    from apps.reporting.models import Submission, SubmissionStatus
    from apps.reporting.selectors import TABLE_CODES

    communes = AdministrativeUnit.objects.current().filter(level="commune")
    trungson = communes.get(code="2458")
    binhthuan = communes.get(code="2524")
    # a commune without any case file: every figure of 2015 there is a gap ("chưa có số liệu")
    empty = communes.filter(case_files__isnull=True).order_by("code").first()
    dash = reverse("reporting:dashboard")
    code = TABLE_CODES[0]
    out = [
        ("province_current", PROVINCE_USER, dash),
        ("province_q2", PROVINCE_USER, f"{dash}?kind=quarter&year=2026&number=2"),
        ("province_month", PROVINCE_USER, f"{dash}?kind=month&year=2026&number=10"),
        ("province_year", PROVINCE_USER, f"{dash}?kind=year&year=2025&number=1"),
        ("province_future_nodata", PROVINCE_USER, f"{dash}?kind=quarter&year=2027&number=1"),
        ("province_refused", PROVINCE_USER, f"{dash}?kind=quarter&year=2026&number=9"),
        ("province_sort_name", PROVINCE_USER, f"{dash}?sort=name"),
        ("province_sort_-name", PROVINCE_USER, f"{dash}?sort=-name"),
        ("province_sort_code", PROVINCE_USER, f"{dash}?sort={code}"),
        ("province_sort_-code", PROVINCE_USER, f"{dash}?sort=-{code}"),
        ("province_sort_level", PROVINCE_USER, f"{dash}?sort=level"),
        ("province_sort_-level", PROVINCE_USER, f"{dash}?sort=-level"),
        ("province_past_time_map", PROVINCE_USER, f"{dash}?kind=year&year=2019&number=1"),
        ("province_past_converted", PROVINCE_USER, f"{dash}?kind=year&year=2019&number=1&map=converted"),
        ("province_past_quarter_time_map", PROVINCE_USER, f"{dash}?kind=quarter&year=2024&number=4"),
        ("commune_current", PROVINCE_USER, reverse("reporting:commune_dashboard", args=[trungson.pk])),
        ("commune_own", COMMUNE_USER, reverse("reporting:commune_dashboard", args=[trungson.pk])),
        (
            "commune_past_time_map",
            PROVINCE_USER,
            reverse("reporting:commune_dashboard", args=[binhthuan.pk]) + "?kind=year&year=2019&number=1",
        ),
        (
            "commune_past_converted",
            PROVINCE_USER,
            reverse("reporting:commune_dashboard", args=[binhthuan.pk]) + "?kind=year&year=2019&map=converted",
        ),
        (
            "commune_nodata",
            PROVINCE_USER,
            reverse("reporting:commune_dashboard", args=[empty.pk]) + "?kind=year&year=2015&number=1",
        ),
        ("province_nodata", PROVINCE_USER, f"{dash}?kind=year&year=2015&number=1"),
        ("board", PROVINCE_USER, reverse("reporting:status_board")),
    ]
    out += [
        (f"board_{state}", PROVINCE_USER, reverse("reporting:status_board") + f"?state={state}")
        for state in ("approved", "submitted", "returned", "late", "pending")
    ]
    for status in (SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED, SubmissionStatus.RETURNED):
        sub = Submission.objects.filter(status=status).select_related("period").order_by("pk").first()
        if sub is None:
            continue
        query = f"?kind={sub.period.kind}&year={sub.period.year}&number={sub.period.number}"
        views = ["submission", "submission_approve", "submission_return"] if status == "submitted" else ["submission"]
        for view in views:
            page = f"submission_{status}" if view == "submission" else view
            out.append((page, PROVINCE_USER, reverse(f"reporting:{view}", args=[sub.commune_id]) + query))
    out.append(("submission_own", COMMUNE_USER, reverse("reporting:submission", args=[trungson.pk])))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="directory the pages' HTML is written to")
    parser.add_argument("--repeat", type=int, default=0, help="render every page N more times, print the p50")
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "dashboard_render.sqlite3")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "tuyenquang_pcmt.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{args.db}"
    if args.rebuild and args.db.exists():
        args.db.unlink()
    fresh = not args.db.exists()

    import freezegun
    from freezegun.api import real_perf_counter

    freezer = freezegun.freeze_time(FROZEN_AT)
    freezer.start()
    import django

    django.setup()
    logging.disable(logging.INFO)  # the request log line of every page
    from django.template.backends.django import Template
    from django.test import Client

    from apps.accounts.models import User

    if fresh:
        build(args.db)

    spent: list[float] = []
    #: the CPU time of the same renders: the machine may be shared, the wall clock then says more
    #: about the neighbours than about the templates
    cpu: list[float] = []
    original = Template.render
    depth = [0]

    def timed_render(self, context=None, request=None):
        depth[0] += 1
        start, start_cpu = real_perf_counter(), time.thread_time()
        try:
            return original(self, context, request)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                spent.append((real_perf_counter() - start) * 1000)
                cpu.append((time.thread_time() - start_cpu) * 1000)

    Template.render = timed_render

    clients = {}
    for username in (PROVINCE_USER, COMMUNE_USER):
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client

    args.out.mkdir(parents=True, exist_ok=True)
    width = max(len(name) for name, _u, _p in pages())
    if args.repeat:
        print(f"{'page':<{width}}  template ms: wall p50 (min, max of {args.repeat}), CPU p50")
    for name, username, path in pages():
        client = clients[username]
        spent.clear()
        response = client.get(path)
        if response.status_code != 200:
            print(f"{name}: HTTP {response.status_code} for {path}", file=sys.stderr)
            return 1
        html = TOKENS.sub(_placeholder, response.content.decode())
        (args.out / f"{name}.html").write_text(html, encoding="utf-8")
        if args.repeat:
            # the response's template again on the view's context: the view and its SQL run once
            template = response.resolve_template(response.template_name)
            spent.clear()
            cpu.clear()
            for _ in range(args.repeat):
                again = template.render(response.context_data, response._request)
            same = TOKENS.sub(_placeholder, again) == html
            print(
                f"{name:<{width}}  {statistics.median(spent):8.2f}  ({min(spent):6.2f}, {max(spent):6.2f})"
                f"  {statistics.median(cpu):8.2f}" + ("" if same else "  [re-render differs from the page]")
            )
    freezer.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
