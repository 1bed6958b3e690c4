"""Locust users for scripts/loadtest.sh: a province at its busiest, against the production stack.

Environment (set by loadtest.sh): LOADTEST_USERS_FILE (users.json of setup_data.py),
LOADTEST_PASSWORD, LOADTEST_JOURNAL (one JSON line per write the clients attempted, read by
check_data.py), LOADTEST_OFFICERS / LOADTEST_STAFF (user counts), LOADTEST_WAIT_MIN / _MAX (think
time, seconds).

Every request carries what the TLS proxy in front of the app adds (``X-Forwarded-Proto: https``,
``X-Forwarded-For``) and its own ``X-Request-ID`` (as nginx's ``$request_id``), so each write can be
matched with its audit rows. Cookies are kept by hand (the production cookies are ``Secure``, which
requests' jar would not send over the loopback's plain HTTP); redirects are followed by hand so that
a redirect after a POST (the acknowledgement) is seen. POSTs send the page's hidden ``form_token``
and ``csrfmiddlewaretoken`` with ``Origin``/``Referer`` as a browser does. Requests are named by
page type for the statistics.
"""

# ruff: noqa: S311 - random choices of a simulated user, not security
from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from prodstack_journey import parse  # noqa: E402  (standard-library HTML form parser)

USERS = json.loads(Path(os.environ["LOADTEST_USERS_FILE"]).read_text(encoding="utf-8"))
PASSWORD = os.environ["LOADTEST_PASSWORD"]
WAIT = between(float(os.environ.get("LOADTEST_WAIT_MIN", "5")), float(os.environ.get("LOADTEST_WAIT_MAX", "15")))
CONFLICT_TEXT = "Hồ sơ đã được người khác lưu sau khi bạn mở"
SEARCH_WORDS = ["Nguyễn", "Thị", "Văn", "Hoàng", "Lò", "Nông", "Hà", "Triệu", "Đặng", "Ma", "Sùng", "Giàng"]
CASE_LINK = re.compile(r"^/cases/(\d+)/$")
TRANSITION_LINK = re.compile(r"^/cases/(\d+)/transition/([a-z_]+)/$")

_journal_lock = threading.Lock()
_journal = open(os.environ["LOADTEST_JOURNAL"], "a", encoding="utf-8")  # noqa: SIM115 - for the whole run
_officers = iter([u for u in USERS["users"] if u["role"] == "officer"])
_staff = iter([u for u in USERS["users"] if u["role"] == "staff"])
_counter = itertools.count(1)


def journal(**entry) -> None:
    entry["t"] = time.time()
    with _journal_lock:
        _journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
        _journal.flush()


@events.quitting.add_listener
def _close_journal(environment, **_kw):
    _journal.close()


VN = dt.timezone(dt.timedelta(hours=7))  # the app's TIME_ZONE (Asia/Ho_Chi_Minh), no DST


def local_today() -> dt.date:
    return dt.datetime.now(VN).date()


def today() -> str:
    return local_today().strftime("%d/%m/%Y")


def marker(kind: str) -> str:
    """A text no one else writes: the client's proof of what it asked the server to store."""
    return f"LT-{kind}-{next(_counter)}-{uuid.uuid4().hex[:12]}"


def page_errors(html: str) -> list[str]:
    """The first error texts of a page that came back instead of a redirect (for the journal)."""
    found = re.findall(
        r'(?:class="(?:errorlist|alert alert-error)[^"]*"[^>]*>|data-testid="import-error"[^>]*>)(.{0,300})',
        html,
        # The alert's text starts on the next line of the template: without DOTALL every reason read as "".
        flags=re.S,
    )
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()[:200] for text in found[:3]]


def local(location: str) -> str:
    parts = urllib.parse.urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Browser(HttpUser):
    abstract = True
    wait_time = WAIT
    account: dict

    def on_start(self):
        self.cookies: dict[str, str] = {}
        self.host_header = urllib.parse.urlsplit(self.host).netloc
        self.public = f"https://{self.host_header}"
        self.ip = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        self.login()

    # --- HTTP like a browser behind the proxy ---------------------------------------------------

    def send(self, method, path, name, *, data=None, files=None, referer="", expect=(200,)):
        rid = str(uuid.uuid4())
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.ip,
            "X-Request-ID": rid,
            "Accept-Language": "vi",
            "User-Agent": "pcmt-loadtest",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.public
            headers["Referer"] = referer or self.public + path
        self.client.cookies.clear()
        with self.client.request(
            method,
            path,
            name=name,
            data=data,
            files=files,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            for cookie in response.raw.headers.getlist("Set-Cookie") if response.raw is not None else []:
                key, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                lowered = cookie.lower()
                if "max-age=0" in lowered or "expires=thu, 01 jan 1970" in lowered:
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = value
            if response.status_code >= 500 or response.status_code == 0:
                response.failure(f"{response.status_code} (request {rid})")
            elif response.status_code not in expect:
                response.failure(f"unexpected {response.status_code} (request {rid})")
            else:
                response.success()
        response.rid = response.headers.get("X-Request-ID", rid)
        return response

    def get(self, path, name, expect=(200,)):
        return self.send("GET", path, name, expect=expect)

    def follow(self, response, name):
        """The page a redirect after a POST leads to, as the browser loads it."""
        if response.status_code in (301, 302, 303):
            return self.get(local(response.headers["Location"]), name, expect=(200, 302))
        return response

    def form(self, response, predicate=None):
        forms = [f for f in parse(response.text).forms if f.attrs.get("method", "").lower() == "post"]
        if predicate:
            forms = [f for f in forms if predicate(f)]
        return forms[0] if forms else None

    def login(self):
        page = self.get("/accounts/login/", "login page")
        form = self.form(page, lambda f: any(n == "username" for n, _ in f.fields))
        if form is None:
            return
        done = self.send(
            "POST",
            "/accounts/login/",
            "login",
            data=form.data(username=self.account["username"], password=PASSWORD),
            expect=(302,),
        )
        self.follow(done, "home (after login)")


class Officer(Browser):
    """A commune officer: the worklist, searching, case pages, visits, steps, concurrent edits of
    the commune's two "hot" files, one import."""

    fixed_count = int(os.environ.get("LOADTEST_OFFICERS", "100"))
    weight = 10

    def on_start(self):
        self.account = next(_officers)
        self.known: list[int] = list(self.account.get("hot", []))
        self.imported = "import_file" not in self.account
        super().on_start()
        self.import_once()  # the importing officers bring their spreadsheet first thing

    def remember(self, response):
        for url in parse(response.text).urls:
            found = CASE_LINK.match(url)
            if found and int(found.group(1)) not in self.known:
                self.known.append(int(found.group(1)))
        del self.known[200:]

    def some_case(self, avoid_hot=False) -> int | None:
        pool = [pk for pk in self.known if not (avoid_hot and pk in self.account["hot"])]
        return random.choice(pool) if pool else None

    @task(3)
    def worklist(self):
        self.remember(self.get("/cases/", "worklist"))

    @task(3)
    def case_list(self):
        page = random.randint(1, 3)
        self.remember(self.get(f"/cases/list/?page={page}", "case list", expect=(200, 404)))

    @task(3)
    def search(self):
        q = urllib.parse.quote(random.choice(SEARCH_WORDS))
        self.remember(self.get(f"/cases/list/?q={q}", "search"))

    @task(4)
    def case_page(self):
        pk = self.some_case()
        if pk:
            self.remember(self.get(f"/cases/{pk}/", "case page", expect=(200, 404)))

    @task(3)
    def home_visit(self):
        pk = self.some_case()
        if not pk:
            return
        page = self.get(f"/cases/{pk}/event/home_visit/", "visit form", expect=(200, 404))
        form = self.form(page, lambda f: any(n == "form_token" for n, _ in f.fields))
        if page.status_code != 200 or form is None:
            return
        note = marker("visit")
        data = form.data(event_date=today(), notes=note, result="Gia đình hợp tác")
        journal(kind="visit", state="sent", user=self.account["username"], case=pk, marker=note)
        saved = self.send("POST", f"/cases/{pk}/event/home_visit/", "visit save", data=data, expect=(302, 200))
        outcome = "ack" if saved.status_code == 302 else "rejected" if saved.status_code == 200 else "error"
        journal(
            kind="visit",
            state=outcome,
            status=saved.status_code,
            rid=saved.rid,
            case=pk,
            marker=note,
            user=self.account["username"],
            errors=page_errors(saved.text) if saved.status_code != 302 else [],
        )
        self.follow(saved, "case page (after save)")

    @task(2)
    def edit_hot_file(self):
        """Open one of the commune's shared files, type for a moment, save: the other officers of
        the commune do the same, so some saves meet a newer version and must be refused (409)."""
        if not self.account["hot"]:
            return
        pk = random.choice(self.account["hot"])
        page = self.get(f"/cases/{pk}/edit/", "edit form", expect=(200, 302))
        form = self.form(page, lambda f: any(n == "c-version" for n, _ in f.fields))
        if page.status_code != 200 or form is None:
            return
        version = dict(form.fields).get("c-version")
        time.sleep(random.uniform(1, 4))  # typing, while the others type too
        note = marker("edit")
        journal(kind="edit", state="sent", user=self.account["username"], case=pk, marker=note, version=version)
        saved = self.send(
            "POST", f"/cases/{pk}/edit/", "edit save", data=form.data(**{"c-notes": note}), expect=(302, 409, 200)
        )
        if saved.status_code == 302:
            outcome = "ack"
        elif saved.status_code == 409:
            outcome = "conflict"
        elif saved.status_code == 200:
            outcome = "rejected"
        else:
            outcome = "error"
        errors = page_errors(saved.text) if outcome == "rejected" else []
        journal(
            kind="edit",
            state=outcome,
            status=saved.status_code,
            rid=saved.rid,
            case=pk,
            marker=note,
            version=version,
            message_ok=CONFLICT_TEXT in saved.text,
            user=self.account["username"],
            errors=errors[:2],
        )
        self.follow(saved, "case page (after save)")

    @task(1)
    def transition(self):
        """A step of the lifecycle on a file that is not shared, when the case page offers one that
        does not close the file."""
        pk = self.some_case(avoid_hot=True)
        if not pk:
            return
        detail = self.get(f"/cases/{pk}/", "case page", expect=(200, 404))
        links = [
            m.group(2) for u in parse(detail.text).urls if (m := TRANSITION_LINK.match(u)) and int(m.group(1)) == pk
        ]
        links = [code for code in links if "close" not in code and "transfer" not in code]
        if not links:
            return
        code = random.choice(links)
        page = self.get(f"/cases/{pk}/transition/{code}/", "transition form", expect=(200, 404))
        form = self.form(page, lambda f: any(n == "form_token" for n, _ in f.fields))
        if page.status_code != 200 or form is None or "close_reason" in form.selects:
            return
        note = marker("step")
        names = {n for n, _ in form.fields} | set(form.selects)
        extra = {"notes": note, "event_date": today()}
        for name, value in (
            ("decision_number", f"{random.randint(1, 999)}/QĐ-UBND"),
            ("decision_date", today()),
            ("signer", "Nguyễn Văn Ký"),
            ("facility", "Cơ sở cai nghiện ma túy tỉnh"),
            ("end_date", (local_today() + dt.timedelta(days=180)).strftime("%d/%m/%Y")),
        ):
            if name in names:
                extra[name] = value
        journal(kind="step", state="sent", user=self.account["username"], case=pk, marker=note, code=code)
        saved = self.send(
            "POST",
            f"/cases/{pk}/transition/{code}/",
            "transition save",
            data=form.data(**extra),
            expect=(302, 409, 200),
        )
        outcome = {302: "ack", 409: "conflict", 200: "rejected"}.get(saved.status_code, "error")
        journal(
            kind="step",
            state=outcome,
            status=saved.status_code,
            rid=saved.rid,
            case=pk,
            marker=note,
            code=code,
            message_ok=CONFLICT_TEXT in saved.text,
            user=self.account["username"],
            errors=page_errors(saved.text) if saved.status_code != 302 else [],
        )
        self.follow(saved, "case page (after save)")

    def import_once(self):
        if self.imported:
            return
        self.imported = True
        page = self.get("/cases/import/", "import page")
        form = self.form(page, lambda f: any(n == "form_token" for n, _ in f.fields))
        if form is None:
            return
        path = Path(self.account["import_file"])
        files = {
            "file": (path.name, path.read_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        }
        preview = self.send("POST", "/cases/import/", "import upload (preview)", data=form.data(), files=files)
        confirm = self.form(preview, lambda f: any(n == "token" for n, _ in f.fields))
        if confirm is None:
            journal(
                kind="import",
                state="rejected",
                status=preview.status_code,
                rid=preview.rid,
                user=self.account["username"],
                rows=self.account["import_rows"],
                errors=page_errors(preview.text) if preview.status_code != 302 else [],
            )
            return
        journal(kind="import", state="sent", user=self.account["username"], rows=self.account["import_rows"])
        done = self.send("POST", "/cases/import/", "import confirm", data=confirm.data(), expect=(302, 200))
        outcome = "ack" if done.status_code == 302 else "rejected" if done.status_code == 200 else "error"
        journal(
            kind="import",
            state=outcome,
            status=done.status_code,
            rid=done.rid,
            user=self.account["username"],
            rows=self.account["import_rows"],
            errors=page_errors(done.text) if done.status_code != 302 else [],
        )
        self.follow(done, "case list (after import)")


class ProvinceStaff(Browser):
    """Province staff: dashboards, the status board and submissions, one province report issued and
    polled until the worker has rendered it."""

    fixed_count = int(os.environ.get("LOADTEST_STAFF", "10"))
    weight = 1

    def on_start(self):
        self.account = next(_staff)
        self.links: dict[str, list[str]] = {"submission": [], "commune": []}
        self.issued = False
        super().on_start()
        self.dashboard()
        self.issue_report()  # each of them issues one province report, early, and waits for it

    def remember(self, response):
        for url in parse(response.text).urls:
            if re.match(r"^/reporting/submissions/\d+/$", url):
                self.links["submission"].append(url)
            elif re.match(r"^/reporting/communes/\d+/$", url):
                self.links["commune"].append(url)
        for key in self.links:
            self.links[key] = list(dict.fromkeys(self.links[key]))[-100:]

    @task(4)
    def dashboard(self):
        self.remember(self.get("/reporting/", "dashboard"))

    @task(3)
    def status_board(self):
        self.remember(self.get("/reporting/status/", "status board"))

    @task(3)
    def submission(self):
        if self.links["submission"]:
            self.get(random.choice(self.links["submission"]), "submission", expect=(200, 404))

    @task(2)
    def commune_dashboard(self):
        if self.links["commune"]:
            self.get(random.choice(self.links["commune"]), "commune dashboard", expect=(200, 404))

    @task(1)
    def issue_report(self):
        if self.issued:
            self.get("/reports/", "reports index")
            return
        self.issued = True
        index = self.get("/reports/", "reports index")
        picks = [f for f in parse(index.text).forms if f.attrs.get("data-testid") == "report-pick"]
        if not picks:
            return
        pick = picks[0]
        query = urllib.parse.urlencode(pick.data())
        draft = self.get(f"/reports/?{query}", "report draft", expect=(200, 302))
        if draft.status_code == 302:
            draft_path = local(draft.headers["Location"])
            draft = self.get(draft_path, "report draft")
        else:
            draft_path = f"/reports/?{query}"
        forms = [f for f in parse(draft.text).forms if f.attrs.get("data-testid") == "draft-form"]
        if not forms:
            return
        number = str(random.randint(100, 99999))
        journal(kind="report", state="sent", user=self.account["username"], number=number)
        for _attempt in range(3):
            issued = self.send(
                "POST",
                draft_path,
                "report issue",
                data=forms[0].data(number=number),
                referer=self.public + draft_path,
                expect=(302, 200, 409),
            )
            # 409: the figures changed while the draft was open (officers are writing); the page
            # shows the new figures with a fresh digest and asks to press "Phát hành" again, as a
            # person would.
            if issued.status_code != 409 or "Số liệu đã thay đổi" not in issued.text:
                break
            user = self.account["username"]
            journal(kind="report", state="stale", status=409, rid=issued.rid, number=number, user=user)
            forms = [f for f in parse(issued.text).forms if f.attrs.get("data-testid") == "draft-form"] or forms
        if issued.status_code != 302:
            journal(
                kind="report",
                state="rejected",
                status=issued.status_code,
                rid=issued.rid,
                number=number,
                user=self.account["username"],
                errors=page_errors(issued.text) if issued.status_code != 302 else [],
            )
            return
        journal(kind="report", state="ack", status=302, rid=issued.rid, number=number, user=self.account["username"])
        progress_path = local(issued.headers["Location"])
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline:
            progress = self.get(progress_path, "report progress (poll)")
            status = parse(progress.text).testids.get("report-progress", {}).get("data-status")
            if status in ("done", "failed"):
                break
            time.sleep(2)
        journal(
            kind="report-render",
            state=status or "timeout",
            rid=issued.rid,
            number=number,
            user=self.account["username"],
        )
