"""Permission-matrix entries of the cases URLs (collected by tests/permission_matrix.py)."""

from __future__ import annotations

from tests.permission_matrix import ScopedURL, matrix_root


def _case(world, commune):
    """A case file in ``commune``, created through the service like real data."""
    from apps.cases import services
    from apps.cases.models import CaseFile

    existing = CaseFile.objects.filter(commune=commune).first()
    if existing:
        return existing
    return services.case_create(
        actor=matrix_root(),
        data=services.CaseInput(
            person={"full_name": "Nguyễn Văn Ma Trận", "sex": "M", "birth_year": 1990, "citizen_id": ""},
            case={"commune": commune, "detected_on": world.today},
            substances=["meth"],
        ),
    )


def _visit_kwargs(world, commune):
    """A home visit on the file of ``commune``, recorded by another account than the matrix's."""
    from apps.cases import services
    from apps.cases.models import CaseEvent

    case = _case(world, commune)
    event = CaseEvent.objects.filter(case_file=case, kind="home_visit", voided_at__isnull=True).first()
    if event is None:
        event = services.case_add_event(
            actor=case.created_by, case=case, kind="home_visit", data=services.EventInput(event_date=world.today)
        )
    return {"pk": case.pk, "event_pk": event.pk}


def _case_kwargs(extra=None):
    def build(world, commune):
        return {"pk": _case(world, commune).pk, **(extra or {})}

    return build


SCOPED_URLS: list[ScopedURL] = [
    ScopedURL("cases:worklist", "commune_officer"),
    ScopedURL("cases:casefile_list", "commune_officer"),
    ScopedURL("cases:casefile_export", "commune_officer", kwargs=lambda w, c: {"fmt": "xlsx"}, object_scoped=False),
    ScopedURL("cases:casefile_create", "commune_officer"),
    ScopedURL("cases:casefile_detail", "commune_officer", kwargs=_case_kwargs()),
    ScopedURL("cases:casefile_edit", "commune_officer", kwargs=_case_kwargs()),
    ScopedURL("cases:casefile_transition", "commune_officer", kwargs=_case_kwargs({"code": "positive_test"})),
    ScopedURL("cases:casefile_event", "commune_officer", kwargs=_case_kwargs({"kind": "home_visit"})),
    ScopedURL("cases:casefile_transfer", "commune_officer", kwargs=_case_kwargs()),
    # Voiding an entry: its author or province staff; a colleague of the same commune is refused.
    ScopedURL("cases:event_void", "commune_officer", kwargs=_visit_kwargs, expect_ok=403),
    ScopedURL(
        "cases:event_void",
        "province_staff",
        kwargs=_visit_kwargs,
        scope="province",
        object_scoped=False,
        extra={"break_glass": lambda world: "Ma Trận"},
    ),
    ScopedURL("cases:import", "commune_officer"),
    ScopedURL("cases:import_template", "commune_officer"),
    ScopedURL("cases:duplicates", "province_staff"),
    # Break-glass (issue 11 §5): province staff reach a commune's file, but first the reason prompt.
    ScopedURL(
        "cases:casefile_detail",
        "province_staff",
        kwargs=_case_kwargs(),
        scope="province",
        object_scoped=False,
        extra={"break_glass": lambda world: "Ma Trận"},
    ),
]
