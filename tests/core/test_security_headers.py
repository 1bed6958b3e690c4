"""Headers every response carries: nothing personal stays in a browser or proxy cache, scripts only
from our own files, and no browser feature (camera, location...) the app never uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories.cases import make_case

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "url",
    [
        lambda case: reverse("cases:casefile_list"),
        lambda case: reverse("cases:casefile_detail", args=[case.pk]),
        lambda case: reverse("cases:casefile_edit", args=[case.pk]),
        lambda case: reverse("cases:casefile_export", args=["csv"]),
        lambda case: reverse("cases:casefile_export", args=["xlsx"]),
        lambda case: reverse("core:home"),
    ],
)
def test_pages_and_exports_of_a_logged_in_user_are_never_cached(world, officer_a, client_for, url):
    case = make_case(officer_a, world.commune_a)
    response = client_for(officer_a).get(url(case))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_admin_pages_are_never_cached(world, client_for):
    from tests.factories.accounts import UserFactory

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    response = client_for(admin).get("/admin/cases/casefile/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_refused_page_is_not_cached_either(world, officer_a, officer_b, client_for):
    theirs = make_case(officer_b, world.commune_b)
    response = client_for(officer_a).get(reverse("cases:casefile_detail", args=[theirs.pk]))
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_static_files_stay_cacheable(client, db):
    response = client.get("/static/js/app.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_content_security_policy_allows_only_own_scripts(client, db):
    response = client.get(reverse("accounts:login"))
    policy = {
        part.split()[0]: part.split()[1:] for part in response["Content-Security-Policy"].split(";") if part.strip()
    }
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]


def test_permissions_policy_switches_off_unused_features(client, db):
    response = client.get(reverse("accounts:login"))
    header = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


def test_templates_have_no_inline_script():
    """`script-src 'self'` blocks inline code: every script is a file under static/."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    js_url = re.compile(r"javascript:", re.IGNORECASE)
    offenders = []
    for path in [*REPO.joinpath("templates").rglob("*.html"), *REPO.joinpath("apps").rglob("templates/**/*.html")]:
        text = path.read_text(encoding="utf-8")
        for pattern in (inline_script, handler, js_url):
            offenders += [f"{path.relative_to(REPO)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []
