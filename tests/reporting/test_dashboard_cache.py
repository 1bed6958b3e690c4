"""The dashboard cache holds finished Python objects (charts, tables): a release that changes
their shape must not read the previous release's entries, which would render a page with parts
missing until they expire (``PCMT_DASHBOARD_CACHE_SECONDS``)."""

from apps.reporting.selectors import cache as dashboard_cache


def test_a_new_release_of_the_reporting_code_does_not_read_the_old_entries(settings, monkeypatch):
    settings.PCMT_DASHBOARD_CACHE_SECONDS = 300
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}}
    built = []

    def build():
        built.append(1)
        return {"release": len(built)}

    assert dashboard_cache.cached("dash", {"unit": 1}, build, stamp="s1") == {"release": 1}
    assert dashboard_cache.cached("dash", {"unit": 1}, build, stamp="s1") == {"release": 1}  # a hit
    monkeypatch.setattr(dashboard_cache, "code_fingerprint", lambda: "another release")
    assert dashboard_cache.cached("dash", {"unit": 1}, build, stamp="s1") == {"release": 2}
    assert len(built) == 2


def test_the_fingerprint_follows_the_source(tmp_path):
    module = tmp_path / "layout.py"
    module.write_text("A = 1\n")
    before = dashboard_cache.source_digest([module])
    assert dashboard_cache.source_digest([module]) == before
    module.write_text("A = 2\n")
    assert dashboard_cache.source_digest([module]) != before


def test_the_fingerprint_covers_the_dashboard_and_target_code(monkeypatch):
    read = []
    monkeypatch.setattr(dashboard_cache, "source_digest", lambda paths: read.extend(paths) or "x")
    dashboard_cache.code_fingerprint.cache_clear()
    try:
        assert dashboard_cache.code_fingerprint() == "x"
    finally:
        dashboard_cache.code_fingerprint.cache_clear()
    names = {(p.parent.name, p.name) for p in read}
    assert {("reporting", "charts.py"), ("selectors", "layout.py"), ("targets", "indicators.py")} <= names
    assert not any("migrations" in p.parts for p in read)
