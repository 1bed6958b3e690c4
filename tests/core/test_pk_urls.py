"""``|pk_url`` (apps/core/templatetags/pk_urls.py) writes exactly what ``{% url %}`` writes for the
rows of the worklist and the case list, behind a script prefix too, resolving the pattern once."""

from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from apps.core.templatetags import pk_urls


def test_the_same_url_as_reverse_for_every_row():
    html = Template("{% load pk_urls %}{% for pk in pks %}{{ pk|pk_url:'cases:casefile_detail' }} {% endfor %}")
    pks = [1, 42, 987654, 10**12]
    assert html.render(Context({"pks": pks})).split() == [reverse("cases:casefile_detail", args=[pk]) for pk in pks]


def test_behind_a_script_prefix():
    set_script_prefix("/pcmt/")
    try:
        assert pk_urls.pk_url(7, "cases:casefile_detail") == reverse("cases:casefile_detail", args=[7])
        assert pk_urls.pk_url(7, "cases:casefile_detail").startswith("/pcmt/")
    finally:
        set_script_prefix("/")
    assert pk_urls.pk_url(7, "cases:casefile_detail") == reverse("cases:casefile_detail", args=[7])


def test_the_pattern_is_reversed_once(monkeypatch):
    pk_urls._makers.clear()
    calls = []
    real = pk_urls.reverse
    monkeypatch.setattr(pk_urls, "reverse", lambda *a, **k: calls.append(a) or real(*a, **k))
    for pk in range(50):
        pk_urls.pk_url(pk, "cases:casefile_detail")
    assert len(calls) == 1
