"""Permission-matrix entries of the prevention URLs (collected by tests/permission_matrix.py), with
the builders of their objects. Objects are created through the services by a superuser, like real
data, in the commune the matrix names.
"""

from __future__ import annotations

import datetime as dt

from tests.permission_matrix import ScopedURL, matrix_root

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _activity(world, commune):
    from apps.prevention.models import Activity
    from tests.factories.prevention import make_activity

    existing = Activity.objects.filter(communes=commune).first()
    return existing or make_activity(matrix_root(), commune, date_from=dt.date(2026, 1, 5))


def _person(world, commune):
    from apps.prevention.models import HighRiskPerson
    from tests.factories.prevention import make_person

    return HighRiskPerson.objects.filter(commune=commune).first() or make_person(matrix_root(), commune)


def _attachment(world, commune):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.prevention import services
    from apps.prevention.models import ActivityAttachment

    activity = _activity(world, commune)
    existing = ActivityAttachment.objects.filter(activity=activity).first()
    return existing or services.attachment_add(
        actor=matrix_root(), activity=activity, upload=SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    )


def _training(world, commune):
    from apps.prevention.models import Training
    from tests.factories.prevention import make_training

    existing = Training.objects.filter(participations__unit=commune).first()
    return existing or make_training(matrix_root(), (commune, 12))


def _model_point(world, commune):
    from apps.prevention.models import ModelPoint
    from tests.factories.prevention import make_model_point

    return ModelPoint.objects.filter(commune=commune).first() or make_model_point(matrix_root(), commune)


def _tip_off(world, commune):
    from apps.prevention.models import TipOff
    from tests.factories.prevention import make_tip_off

    existing = TipOff.objects.filter(commune=commune).first()
    return existing or make_tip_off(matrix_root(), commune, informant={"full_name": "Người Báo Tin Ma Trận"})


def _pk(builder):
    def build(world, commune):
        return {"pk": builder(world, commune).pk}

    return build


SCOPED_URLS: list[ScopedURL] = [
    ScopedURL("prevention:index", "commune_officer"),
    ScopedURL("prevention:activity_list", "commune_officer"),
    ScopedURL("prevention:activity_create", "commune_officer"),
    ScopedURL("prevention:activity_export", "commune_officer"),
    ScopedURL("prevention:activity_import", "commune_officer"),
    ScopedURL("prevention:activity_import_template", "commune_officer"),
    ScopedURL("prevention:activity_detail", "commune_officer", kwargs=_pk(_activity)),
    ScopedURL("prevention:activity_edit", "commune_officer", kwargs=_pk(_activity)),
    ScopedURL("prevention:activity_reaches", "commune_officer", kwargs=_pk(_activity)),
    ScopedURL("prevention:activity_reach_import", "commune_officer", kwargs=_pk(_activity)),
    ScopedURL("prevention:activity_attach", "commune_officer", kwargs=_pk(_activity)),
    ScopedURL("prevention:reach_import_template", "commune_officer"),
    ScopedURL("prevention:attachment_download", "commune_officer", kwargs=_pk(_attachment)),
    ScopedURL("prevention:highrisk_list", "commune_officer"),
    ScopedURL("prevention:highrisk_create", "commune_officer"),
    ScopedURL("prevention:highrisk_export", "commune_officer"),
    ScopedURL("prevention:highrisk_detail", "commune_officer", kwargs=_pk(_person)),
    ScopedURL("prevention:highrisk_edit", "commune_officer", kwargs=_pk(_person)),
    ScopedURL("prevention:coverage", "commune_officer"),
    ScopedURL("prevention:training_list", "commune_officer"),
    ScopedURL("prevention:training_create", "commune_officer"),
    ScopedURL("prevention:training_export", "commune_officer"),
    ScopedURL("prevention:training_detail", "commune_officer", kwargs=_pk(_training)),
    ScopedURL("prevention:training_edit", "commune_officer", kwargs=_pk(_training)),
    ScopedURL("prevention:modelpoint_list", "commune_officer"),
    ScopedURL("prevention:modelpoint_create", "commune_officer"),
    ScopedURL("prevention:modelpoint_export", "commune_officer"),
    ScopedURL("prevention:modelpoint_detail", "commune_officer", kwargs=_pk(_model_point)),
    ScopedURL("prevention:modelpoint_edit", "commune_officer", kwargs=_pk(_model_point)),
    ScopedURL("prevention:modelpoint_evaluate", "commune_officer", kwargs=_pk(_model_point)),
    ScopedURL("prevention:tipoff_list", "commune_officer"),
    ScopedURL("prevention:tipoff_create", "commune_officer"),
    ScopedURL("prevention:tipoff_export", "commune_officer"),
    ScopedURL("prevention:tipoff_detail", "commune_officer", kwargs=_pk(_tip_off)),
    ScopedURL("prevention:tipoff_edit", "commune_officer", kwargs=_pk(_tip_off)),
    # No role holds prevention.view_informant (granted person by person): the role alone gets 403,
    # whatever the object. Reading it in and out of scope is tested in tests/prevention/test_informant.py.
    ScopedURL(
        "prevention:tipoff_informant", "province_staff", kwargs=_pk(_tip_off), expect_ok=403, object_scoped=False
    ),
    ScopedURL("prevention:target_list", "steering_member"),
    # Break-glass (issue 11 §5): a province reader gets the reason prompt first, not the person.
    ScopedURL(
        "prevention:highrisk_detail",
        "province_staff",
        kwargs=_pk(_person),
        scope="province",
        object_scoped=False,
        extra={"break_glass": lambda world: _person(world, world.commune_a).full_name},
    ),
]
