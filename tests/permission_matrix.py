"""The registry of scoped URLs for the permission-matrix test.

Every URL of a scoped app must be registered here (``test_every_scoped_url_is_registered`` fails
otherwise). Later apps add their entries to ``SCOPED_URLS``. For each entry the matrix checks:

* anonymous → redirect to the login page;
* an account with an area but no role → 403;
* ``role`` assigned to commune A, object in commune A → 200;
* same account, object in commune B → 404 (existence does not leak).

Entries with ``scope="province"`` put the role-holder at the province: for named records of a
commune (``extra={"break_glass": …}``) the in-scope answer is 200 with the break-glass prompt
(issue 11 §5) and the record's name absent; there is no out-of-scope variant (the province sees
every commune), so they are registered with ``object_scoped=False``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Namespaces whose URLs are not area-scoped, with the reason.
UNSCOPED_NAMESPACES = {
    "core": "trang chủ: chỉ cần đăng nhập",
    "accounts": "đăng nhập / đăng xuất / đổi mật khẩu của chính mình",
    "admin": "Django admin: mỗi ModelAdmin kế thừa ScopedAdminMixin, kiểm thử riêng",
}


@dataclass(frozen=True)
class ScopedURL:
    name: str
    role: str
    #: builds URL kwargs for an object in the given commune; None for URLs without an object
    kwargs: Callable | None = None
    #: area the role-holder is assigned to: "commune" (commune A) or "province"
    scope: str = "commune"
    expect_ok: int = 200
    #: False when kwargs name no object (e.g. an export format): no out-of-scope variant
    object_scoped: bool = True
    extra: dict = field(default_factory=dict)


def _unit(world, commune):
    return {"pk": commune.pk}


def _case(world, commune):
    """A case file in ``commune``, created through the service like real data."""
    from apps.accounts.models import User
    from apps.cases import services
    from apps.cases.models import CaseFile

    existing = CaseFile.objects.filter(commune=commune).first()
    if existing:
        return existing
    creator = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("matrix_root")
    return services.case_create(
        actor=creator,
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
    ScopedURL("areas:unit_list", "commune_officer"),
    ScopedURL("areas:unit_detail", "commune_officer", kwargs=_unit),
    ScopedURL("areas:population_edit", "province_staff", kwargs=_unit),
    ScopedURL("areas:population_import", "province_staff"),
    ScopedURL("areas:population_template", "province_staff"),
    ScopedURL("audit:entry_list", "province_staff"),
    ScopedURL("audit:access_digest", "province_staff"),
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


def _register_record(model_name):
    """Builds URL kwargs for a register record in ``commune``, entered through the services."""

    def build(world, commune):
        from apps.accounts.models import User
        from apps.registers import services
        from apps.registers.models import CrimeCase, Cultivation, Hotspot

        model = {"hotspot": Hotspot, "crimecase": CrimeCase, "cultivation": Cultivation}[model_name]
        existing = model.objects.filter(commune=commune).first()
        if existing is None:
            actor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("matrix_root")
            day = world.today
            if model is Hotspot:
                data = services.HotspotInput(name="Điểm ma trận", kind="point", discovered_on=day, commune=commune)
                existing = services.hotspot_create(actor=actor, data=data)
            elif model is CrimeCase:
                data = services.CrimeCaseInput(occurred_on=day, article="251", summary="Vụ ma trận", commune=commune)
                existing = services.crime_case_create(actor=actor, data=data)
            else:
                data = services.CultivationInput(found_on=day, species="opium_poppy", plants=10, commune=commune)
                existing = services.cultivation_create(actor=actor, data=data)
        return {"pk": existing.pk}

    return build


SCOPED_URLS += [
    entry
    for model in ("hotspot", "crimecase", "cultivation")
    for entry in (
        ScopedURL(f"registers:{model}_list", "commune_officer"),
        ScopedURL(f"registers:{model}_create", "commune_officer"),
        ScopedURL(f"registers:{model}_detail", "commune_officer", kwargs=_register_record(model)),
        ScopedURL(f"registers:{model}_edit", "commune_officer", kwargs=_register_record(model)),
        ScopedURL(f"registers:{model}_import", "commune_officer"),
        ScopedURL(f"registers:{model}_import_template", "commune_officer"),
        ScopedURL(
            f"registers:{model}_export", "commune_officer", kwargs=lambda w, c: {"fmt": "xlsx"}, object_scoped=False
        ),
    )
] + [ScopedURL("registers:hotspot_status", "commune_officer", kwargs=_register_record("hotspot"))]


def _classification_urls() -> list[ScopedURL]:
    # Imported late: the entries module imports ScopedURL from this module.
    from tests.classification.permission_entries import CLASSIFICATION_URLS

    return CLASSIFICATION_URLS


SCOPED_URLS += _classification_urls()


def _prevention_urls() -> list[ScopedURL]:
    # Imported late: the entries module imports ScopedURL from this module.
    from tests.prevention.matrix import PREVENTION_SCOPED_URLS

    return PREVENTION_SCOPED_URLS


SCOPED_URLS += _prevention_urls()


def _reporting_urls() -> list[ScopedURL]:
    # Imported late: the entries module imports ScopedURL from this module.
    from tests.reporting.permission_entries import REPORTING_URLS

    return REPORTING_URLS


def _reports_urls() -> list[ScopedURL]:
    from tests.reports.matrix import REPORTS_SCOPED_URLS

    return REPORTS_SCOPED_URLS


SCOPED_URLS += _reporting_urls()
SCOPED_URLS += _reports_urls()
