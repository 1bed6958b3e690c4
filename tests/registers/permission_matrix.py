"""Permission-matrix entries of the registers URLs (collected by tests/permission_matrix.py)."""

from __future__ import annotations

from tests.permission_matrix import ScopedURL, matrix_root

MODELS = ("hotspot", "crimecase", "cultivation")


def _register_record(model_name):
    """Builds URL kwargs for a register record in ``commune``, entered through the services."""

    def build(world, commune):
        from apps.registers.models import CrimeCase, Cultivation, Hotspot
        from apps.registers.services import crimecases as crimecase_services
        from apps.registers.services import cultivation as cultivation_services
        from apps.registers.services import hotspots as hotspot_services

        model = {"hotspot": Hotspot, "crimecase": CrimeCase, "cultivation": Cultivation}[model_name]
        existing = model.objects.filter(commune=commune).first()
        if existing is None:
            actor, day = matrix_root(), world.today
            if model is Hotspot:
                data = hotspot_services.HotspotInput(
                    name="Điểm ma trận", kind="point", discovered_on=day, commune=commune
                )
                existing = hotspot_services.hotspot_create(actor=actor, data=data)
            elif model is CrimeCase:
                data = crimecase_services.CrimeCaseInput(
                    occurred_on=day, article="251", summary="Vụ ma trận", commune=commune
                )
                existing = crimecase_services.crime_case_create(actor=actor, data=data)
            else:
                data = cultivation_services.CultivationInput(
                    found_on=day, species="opium_poppy", plants=10, commune=commune
                )
                existing = cultivation_services.cultivation_create(actor=actor, data=data)
        return {"pk": existing.pk}

    return build


def _export(world, commune):
    return {"fmt": "xlsx"}


SCOPED_URLS: list[ScopedURL] = [
    entry
    for model in MODELS
    for entry in (
        ScopedURL(f"registers:{model}_list", "commune_officer"),
        ScopedURL(f"registers:{model}_create", "commune_officer"),
        ScopedURL(f"registers:{model}_detail", "commune_officer", kwargs=_register_record(model)),
        ScopedURL(f"registers:{model}_edit", "commune_officer", kwargs=_register_record(model)),
        ScopedURL(f"registers:{model}_import", "commune_officer"),
        ScopedURL(f"registers:{model}_import_template", "commune_officer"),
        ScopedURL(f"registers:{model}_export", "commune_officer", kwargs=_export, object_scoped=False),
    )
] + [ScopedURL("registers:hotspot_status", "commune_officer", kwargs=_register_record("hotspot"))]
