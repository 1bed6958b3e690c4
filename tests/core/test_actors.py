"""The one system-actor convention (``core.actors``): the system is ``None``, may write anything,
is recorded as no author and named "system" in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.audit.models import AuditLogEntry
from apps.core import actors, scoping
from apps.prevention import services
from tests.factories.prevention import make_tip_off
from tests.factories.registers import make_hotspot

pytestmark = pytest.mark.django_db


def test_user_or_none_records_a_user_only(world, officer_a):
    assert actors.user_or_none(officer_a) is officer_a
    assert actors.user_or_none(actors.system_actor()) is None
    assert actors.user_or_none(AnonymousUser()) is None
    assert actors.is_system(None) and not actors.is_system(AnonymousUser())
    # One helper: the name the services have always called is the same function.
    assert not hasattr(scoping, "user_or_none")  # one name for the one rule


def test_the_system_links_a_tip_off_to_any_register_record(world, officer_b):
    hotspot = make_hotspot(officer_b, world.commune_b)
    tip = services.tipoff_create(
        actor=actors.SYSTEM,
        data=services.TipOffInput(
            received_on=dt.date(2026, 3, 2),
            channel="hotline",
            commune=world.commune_a,
            summary="Tin chuyển từ hệ thống cũ",
            hotspot_id=hotspot.pk,
        ),
    )
    assert tip.hotspot_id == hotspot.pk and tip.created_by is None and tip.received_by is None


def test_the_system_may_correct_a_record_and_is_named_in_the_audit(world, officer_a):
    tip = make_tip_off(officer_a, world.commune_a)
    data = services.TipOffInput(
        received_on=tip.received_on,
        channel=tip.channel,
        commune=world.commune_a,
        summary=tip.summary,
        status="handled",
        result="Đã chuyển công an huyện.",
        received_by=tip.received_by,
    )
    services.tipoff_update(actor=actors.SYSTEM, tip_off=tip, data=data, expected_version=tip.version)
    entry = AuditLogEntry.objects.get(action="prevention.tipoff.update", object_id=str(tip.pk))
    assert entry.actor is None
    assert entry.actor_username == actors.SYSTEM_USERNAME
