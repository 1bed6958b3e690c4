"""The production-stack journey of scripts/prodstack.sh, over real HTTP (standard library only).

    prodstack_journey.py journey BASE_URL LOG_FILE      # the journey against gunicorn (see below)
    prodstack_journey.py createdb POSTGRES_URL NAME     # a fresh database on the server of the URL
    prodstack_journey.py dropdb POSTGRES_URL NAME

Every request carries what the TLS proxy in front of the app would add: ``X-Forwarded-Proto:
https`` and ``X-Forwarded-For`` with the client's address (PCMT_TRUSTED_PROXIES=1). Cookies are
kept by hand: the production cookies are ``Secure``, which a stdlib cookie jar would not send
over the loopback's plain HTTP.

Environment: PRODSTACK_OFFICER / PRODSTACK_PROVINCE (usernames), PRODSTACK_PASSWORD, and
DATABASE_URL (the production database, read for the audit rows the journey produced).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

CLIENT_IP = "203.0.113.77"  # the browser, as the proxy saw it
SPOOFED = "192.0.2.66"  # what the browser itself put in X-Forwarded-For: must not count


class JourneyError(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise JourneyError(message)


# --- HTML -------------------------------------------------------------------------------------------


@dataclass
class Form:
    attrs: dict[str, str]
    fields: list[tuple[str, str]] = field(default_factory=list)
    selects: dict[str, list[tuple[str, str, bool]]] = field(default_factory=dict)  # name → (value, label, selected)
    buttons: list[dict[str, str]] = field(default_factory=list)

    def data(self, **overrides: str) -> list[tuple[str, str]]:
        values = [(k, v) for k, v in self.fields if k not in overrides]
        for name, options in self.selects.items():
            if name in overrides:
                continue
            chosen = [v for v, _label, selected in options if selected] or [v for v, _label, _s in options[:1]]
            values.extend((name, v) for v in chosen[:1])
        values.extend(overrides.items())
        return values

    def option(self, name: str, label: str) -> str:
        for value, text, _selected in self.selects.get(name, []):
            if text.strip() == label:
                return value
        raise JourneyError(f"no option {label!r} in <select name={name}>: {self.selects.get(name)}")


class PageParser(HTMLParser):
    """Forms (inputs, selects, textareas, buttons), every src/href/action, and data-testid texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.urls: list[str] = []
        self.testids: dict[str, dict[str, str]] = {}
        self._form: Form | None = None
        self._select: str | None = None
        self._option: list | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        for key in ("src", "href", "action", "srcset", "poster", "data"):
            if a.get(key):
                self.urls.append(a[key])
        if "data-testid" in a:
            self.testids[a["data-testid"]] = a
        if tag == "form":
            self._form = Form(a)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                if kind == "submit":
                    self._form.buttons.append(a)
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.fields.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "button":
            self._form.buttons.append(a)
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.selects[self._select] = []
        elif tag == "option" and self._select:
            self._option = [a.get("value"), "", "selected" in a]
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select:
            value, label, selected = self._option
            self._form.selects[self._select].append((label.strip() if value is None else value, label, selected))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea[1]
            self._form.fields.append((self._textarea[0], text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self._form = None


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


# --- HTTP -------------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


class Browser:
    """One user agent behind the proxy: cookies, CSRF (Referer/Origin as a browser sends them)."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        parts = urllib.parse.urlsplit(self.base)
        self.host, self.port = parts.hostname, parts.port
        self.public = f"https://{parts.netloc}"  # what the browser sees through the TLS proxy
        self.cookies: dict[str, str] = {}
        self.request_ids: list[str] = []
        self.pages: list[Response] = []

    def request(self, method: str, path: str, data=None, *, referer: str = "", extra: dict | None = None) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {
            "Host": f"{self.host}:{self.port}",
            "User-Agent": "pcmt-prodstack-journey",
            "Accept-Language": "vi",
            # The proxy appends the peer's address to whatever the client sent.
            "X-Forwarded-For": f"{SPOOFED}, {CLIENT_IP}",
            "X-Forwarded-Proto": "https",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.public
            headers["Referer"] = referer or self.public + path
        headers.update(extra or {})
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read(), path)
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in cookie.lower() or "expires=thu, 01 jan 1970" in cookie.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        if response.header("X-Request-ID"):
            self.request_ids.append(response.header("X-Request-ID"))
        if response.header("Content-Type").startswith("text/html"):
            self.pages.append(response)
        return response

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, data, **kw) -> Response:
        return self.request("POST", path, data, **kw)

    def follow(self, response: Response, limit: int = 5) -> Response:
        while response.status in (301, 302, 303) and limit:
            location = response.header("Location")
            check(not location.startswith("http://"), f"redirect to plain http behind the TLS proxy: {location}")
            target = urllib.parse.urlsplit(location)
            path = target.path + (f"?{target.query}" if target.query else "")
            response = self.get(path)
            limit -= 1
        return response

    def local_path(self, location: str) -> str:
        target = urllib.parse.urlsplit(location)
        return target.path + (f"?{target.query}" if target.query else "")

    def login(self, username: str, password: str) -> None:
        page = self.get("/accounts/login/")
        check(page.status == 200, f"login page answered {page.status}")
        form = next(f for f in parse(page.text).forms if any(n == "username" for n, _ in f.fields))
        response = self.post("/accounts/login/", form.data(username=username, password=password))
        check(response.status == 302, f"login of {username} answered {response.status}: {page.text[:300]}")
        check("sessionid" in self.cookies, "no session cookie after login")
        home = self.follow(response)
        check(home.status == 200, f"home page after login answered {home.status}")

    def logout(self) -> None:
        page = self.get("/")
        form = next(f for f in parse(page.text).forms if f.attrs.get("action", "").endswith("/accounts/logout/"))
        response = self.post("/accounts/logout/", form.data())
        check(response.status == 302, f"logout answered {response.status}")
        after = self.get("/")
        check(after.status == 302 and "/accounts/login/" in after.header("Location"), "still logged in after logout")


# --- the journey ------------------------------------------------------------------------------------

EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def no_external_urls(browser: Browser) -> int:
    checked = 0
    for page in browser.pages:
        for url in parse(page.text).urls:
            checked += 1
            if EXTERNAL.match(url):
                host = urllib.parse.urlsplit(url).hostname
                check(host in (browser.host, "localhost"), f"{page.url} refers to another host: {url}")
    return checked


def audit_rows(request_id: str) -> list[dict]:
    """The audit rows of one request, read straight from the production database."""
    connection = _admin(os.environ["DATABASE_URL"])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT action, host(client_ip), actor_username FROM audit_auditlogentry WHERE request_id = %s",
                [request_id],
            )
            return [{"action": a, "client_ip": ip, "actor_username": u} for a, ip, u in cursor.fetchall()]
    finally:
        connection.close()


def step(name: str):
    print(f"  - {name}", flush=True)


def journey(base: str, log_file: str) -> None:
    officer, province = os.environ["PRODSTACK_OFFICER"], os.environ["PRODSTACK_PROVINCE"]
    password = os.environ["PRODSTACK_PASSWORD"]
    started = time.monotonic()

    step("health endpoint: 200 once the worker has beaten, no login")
    anonymous = Browser(base)
    deadline = time.monotonic() + 30
    while True:
        health = anonymous.get("/healthz/")
        if health.status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    check(health.status == 200, f"/healthz/ answered {health.status}: {health.text}")
    data = json.loads(health.body)
    check(data["status"] == "ok" and set(data["checks"]) == {"database", "migrations", "worker", "disk"}, health.text)
    check("no-store" in health.header("Cache-Control"), "health answer may be cached")

    step("anonymous: sent to the login page; Vietnamese 404 without login")
    response = anonymous.get("/cases/")
    check(response.status == 302 and "/accounts/login/" in response.header("Location"), "no login redirect")
    check(response.header("Strict-Transport-Security") != "", "no HSTS header behind the TLS proxy")

    step("officer: login, Vietnamese 404 and 403, create a case file")
    browser = Browser(base)
    browser.login(officer, password)
    missing = browser.get("/cases/999999999/")
    check(missing.status == 404, f"missing case answered {missing.status}")
    check("Không tìm thấy trang" in missing.text, "404 page is not the Vietnamese one")
    check(missing.header("X-Request-ID") in missing.text, "404 page does not show the request id")
    forbidden = browser.get("/audit/")
    check(forbidden.status == 403, f"the audit log answered {forbidden.status} to a commune officer")
    check("Không có quyền truy cập" in forbidden.text, "403 page is not the Vietnamese one")

    page = browser.get("/cases/new/")
    check(page.status == 200, f"new case form answered {page.status}")
    form = next(f for f in parse(page.text).forms if f.attrs.get("method", "").lower() == "post" and f.selects)
    proxy_request_id = str(uuid.uuid4())  # as nginx's proxy_set_header X-Request-ID $request_id
    created = browser.post(
        "/cases/new/",
        form.data(
            **{
                "p-full_name": "Nông Văn Kiểm",
                "p-sex": "M",
                "p-birth_year": "1990",
                "p-citizen_id": "",
                "c-case_type": "user",
                "c-whereabouts": "community",
                "c-detected_on": time.strftime("%d/%m/%Y"),
            }
        ),
        extra={"X-Request-ID": proxy_request_id},
    )
    check(created.header("X-Request-ID") == proxy_request_id, "the proxy's request id was not kept")
    errors = re.findall(r"errorlist.{0,200}", created.text)
    check(created.status == 302, f"case creation answered {created.status}: {errors}")
    case_page = browser.follow(created)
    check(case_page.status == 200 and "Nông Văn Kiểm" in case_page.text, "the new case page does not show the person")
    rows = audit_rows(created.header("X-Request-ID"))
    check(rows, "no audit row carries the request id of the creation")
    check(
        all(r["client_ip"] == CLIENT_IP for r in rows),
        f"audit rows record {[r['client_ip'] for r in rows]}, not the client {CLIENT_IP} (proxy setting on)",
    )
    browser.logout()

    step("province staff: dashboard, issue the province report, worker renders it, download")
    staff = Browser(base)
    staff.login(province, password)
    dashboard = staff.get("/reporting/")
    check(dashboard.status == 200, f"dashboard answered {dashboard.status}")
    index = staff.get("/reports/")
    check(index.status == 200, f"reports index answered {index.status}")
    pick = next(f for f in parse(index.text).forms if f.attrs.get("data-testid") == "report-pick")
    unit_field = next(name for name in pick.selects if name.endswith("unit"))
    query = urllib.parse.urlencode(pick.data(**{unit_field: pick.option(unit_field, "Tỉnh Tuyên Quang")}))
    draft = staff.follow(staff.get(f"/reports/?{query}"))
    check(draft.status == 200, f"draft answered {draft.status}")
    draft_form = next(f for f in parse(draft.text).forms if f.attrs.get("data-testid") == "draft-form")
    issued = staff.post(staff.local_path(draft.url), draft_form.data(number="88"), referer=staff.public + draft.url)
    check(issued.status == 302, f"issuing answered {issued.status}: {re.findall(r'errorlist.{0,200}', issued.text)}")
    progress_path = staff.local_path(issued.header("Location"))
    deadline = time.monotonic() + 90
    while True:
        progress = staff.get(progress_path)
        status = parse(progress.text).testids.get("report-progress", {}).get("data-status")
        if status in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    check(status == "done", f"the worker did not render the report (status {status})")
    ids = parse(progress.text).testids
    found = re.search(r'data-testid="report-sha256">\s*([0-9a-f]{64})\s*<', progress.text)
    check(found is not None, "the progress page shows no SHA-256")
    sha = found.group(1)
    pdf = staff.get(ids["report-download"]["href"])
    check(pdf.status == 200 and pdf.body.startswith(b"%PDF"), f"download answered {pdf.status}")
    check(hashlib.sha256(pdf.body).hexdigest() == sha, "downloaded bytes differ from the archived SHA-256")
    check("no-store" in pdf.header("Cache-Control"), "a report download may be cached")

    step("static files: WhiteNoise, hashed names, long cache")
    css = [u for u in parse(dashboard.text).urls if u.startswith("/static/") and u.endswith(".css")]
    check(css, "no stylesheet on the dashboard")
    check(re.search(r"\.[0-9a-f]{12}\.css$", css[0]) is not None, f"stylesheet name is not hashed: {css[0]}")
    static = staff.get(css[0])
    cache = static.header("Cache-Control")
    check(static.status == 200, f"{css[0]} answered {static.status}")
    check("max-age=315360000" in cache and "immutable" in cache, f"hashed static file Cache-Control: {cache!r}")
    remote = re.search(r"""(url\(|@import)\s*['"]?(https?:)?//""", static.text)
    check(remote is None, "the stylesheet loads from the web")
    gz = staff.get(css[0], extra={"Accept-Encoding": "gzip"})
    check(gz.header("Content-Encoding") == "gzip", "WhiteNoise did not serve the compressed file")
    staff.logout()

    step("no page refers to another host")
    count = no_external_urls(anonymous) + no_external_urls(browser) + no_external_urls(staff)
    check(count > 50, f"only {count} URLs checked")

    step("one log line per request, with the request id")
    ids_seen: dict[str, int] = {}
    with open(log_file, encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("{"):
                continue
            record = json.loads(line)
            if record.get("logger") == "pcmt.request":
                ids_seen[record["request_id"]] = ids_seen.get(record["request_id"], 0) + 1
                check(record.get("client_ip") == CLIENT_IP, f"request line records {record.get('client_ip')}")
    sent = [rid for b in (anonymous, browser, staff) for rid in b.request_ids]
    missing_lines = [rid for rid in sent if ids_seen.get(rid) != 1]
    check(not missing_lines, f"{len(missing_lines)} of {len(sent)} requests without exactly one log line")
    print(f"journey OK: {len(sent)} requests in {time.monotonic() - started:.1f}s", flush=True)


# --- database administration (fresh databases for the step) ----------------------------------------


def _admin(url: str):
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    params = {
        "user": urllib.parse.unquote(parts.username or ""),
        "password": urllib.parse.unquote(parts.password or "") or None,
        "host": parts.hostname,
        "port": parts.port or 5432,
    }
    try:
        connection = psycopg2.connect(dbname=parts.path.lstrip("/") or "postgres", **params)
    except psycopg2.OperationalError:
        # The URL's database need not exist (the suite makes test_<name>): the maintenance one does.
        connection = psycopg2.connect(dbname="postgres", **params)
    connection.autocommit = True
    return connection


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "journey" and len(argv) == 4:
        try:
            journey(argv[2], argv[3])
        except JourneyError as exc:
            print(f"JOURNEY FAILED: {exc}", file=sys.stderr)
            return 1
        return 0
    if command in ("createdb", "dropdb") and len(argv) == 4:
        name = argv[3]
        check(re.fullmatch(r"[a-z0-9_]+", name) is not None, "bad database name")
        connection = _admin(argv[2])
        with connection.cursor() as cursor:
            if command == "createdb":
                cursor.execute(f'CREATE DATABASE "{name}"')
            else:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
