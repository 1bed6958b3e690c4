"""Permission-matrix entries of the classification URLs (collected by tests/permission_matrix.py)."""

from __future__ import annotations

from tests.permission_matrix import ScopedURL, matrix_root

YEAR = 2025


def _qd28():
    from tests.factories.classification import shipped_ruleset

    return shipped_ruleset("QD-28-2025")


def _assessment(status: str):
    """An assessment of every current commune, proposed or approved (undetermined ones decided)."""
    from apps.classification.models import Assessment
    from tests.factories.classification import approved_assessment, proposed_assessment

    existing = Assessment.objects.filter(status=status).first()
    if existing:
        return existing
    build = approved_assessment if status == "approved" else proposed_assessment
    return build(matrix_root(), _qd28(), YEAR)


def _result(status: str):
    def build(world, commune):
        return {"pk": _assessment(status).results.get(commune=commune).pk}

    return build


def _route(world, commune):
    from apps.classification.models import KeyRoute

    route, _created = KeyRoute.objects.get_or_create(commune=commune, year=YEAR, name="Quốc lộ 2")
    return {"pk": route.pk}


SCOPED_URLS: list[ScopedURL] = [
    ScopedURL("classification:table", "commune_officer"),
    ScopedURL("classification:ruleset_list", "commune_officer"),
    ScopedURL(
        "classification:ruleset_detail", "commune_officer", kwargs=lambda w, c: {"pk": _qd28().pk}, object_scoped=False
    ),
    ScopedURL(
        "classification:ruleset_export", "administrator", kwargs=lambda w, c: {"pk": _qd28().pk}, object_scoped=False
    ),
    ScopedURL("classification:ruleset_import", "administrator"),
    # POST only (setting an assumed, unverified bound): a GET by the right role is 405, not a page.
    ScopedURL(
        "classification:ruleset_parameter",
        "province_staff",
        kwargs=lambda w, c: {"pk": _qd28().pk},
        object_scoped=False,
        expect_ok=405,
    ),
    ScopedURL("classification:assessment_run", "province_staff"),
    ScopedURL("classification:map_figures", "province_staff"),
    ScopedURL(
        "classification:assessment_detail",
        "province_staff",
        kwargs=lambda w, c: {"pk": _assessment("proposed").pk},
        object_scoped=False,
    ),
    ScopedURL(
        "classification:assessment_approve",
        "province_staff",
        kwargs=lambda w, c: {"pk": _assessment("proposed").pk},
        object_scoped=False,
    ),
    ScopedURL("classification:result_detail", "commune_officer", kwargs=_result("approved")),
    ScopedURL("classification:result_override", "province_staff", kwargs=_result("proposed")),
    ScopedURL("classification:commune_history", "commune_officer", kwargs=lambda w, c: {"pk": c.pk}),
    ScopedURL("classification:keyroute_list", "commune_officer"),
    ScopedURL("classification:keyroute_create", "province_staff"),
    ScopedURL("classification:keyroute_edit", "province_staff", kwargs=_route),
    ScopedURL("classification:keyroute_delete", "province_staff", kwargs=_route),
]
