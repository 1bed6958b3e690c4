"""Permission-matrix entries of the registers URLs (collected by tests/permission_matrix.py): the
seven routes of every register kind (found by ``tests.factories.registers.register_models``), plus
the routes one kind has alone."""

from __future__ import annotations

from tests.factories.registers import make_record, register_models
from tests.permission_matrix import ScopedURL, matrix_root

MODELS = tuple(model._meta.model_name for model in register_models())


def _register_record(model_name):
    """Builds URL kwargs for a register record in ``commune``, entered through the services."""

    def build(world, commune):
        from django.apps import apps

        model = apps.get_model("registers", model_name)
        existing = model.objects.filter(commune=commune).first()
        if existing is None:
            existing = make_record(model, matrix_root(), commune)
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
