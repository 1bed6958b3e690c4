"""Prevention records, always created through the services so they carry their versions, search
text and audit rows exactly like real ones."""

from __future__ import annotations

import datetime as dt
import itertools

from apps.prevention import services
from apps.prevention.models import AudienceGroup

DEFAULT_DAY = dt.date(2026, 3, 2)
_seq = itertools.count(1)


def group(code: str) -> AudienceGroup:
    return AudienceGroup.objects.get(code=code)


def make_activity(actor, *communes, reached=None, participation=None, **fields):
    """An activity in ``communes``; ``participation`` is {group code: count}."""
    data = {
        "title": f"Tuyên truyền phòng, chống ma túy số {next(_seq)}",
        "date_from": DEFAULT_DAY,
        "date_to": None,
        "communes": list(communes),
        "kind": "conference",
        "topics": ["synthetic_nps", "law"],
        "organiser": "Công an xã",
        **fields,
    }
    parts = {group(code).pk: count for code, count in (participation or {"general_public": 50}).items()}
    return services.activity_create(
        actor=actor, data=services.ActivityInput(participation=parts, reached=reached, **data)
    )


def make_person(actor, commune, *, category: str = "migrant_workers", **fields):
    """Someone in the high-risk register of ``commune``."""
    n = next(_seq)
    data = {
        "commune": commune,
        "full_name": f"Hoàng Văn Nguy Cơ {n}",
        "birth_year": 1980 + n % 25,
        "sex": "M",
        "category": group(category),
        "village": "Thôn Đồng Cầu",
        **fields,
    }
    return services.highrisk_create(actor=actor, data=services.HighRiskInput(**data))


def make_training(actor, *participations, **fields):
    """``participations``: (unit, count) pairs."""
    data = {
        "held_on": DEFAULT_DAY,
        "topic": f"Tập huấn nghiệp vụ số {next(_seq)}",
        "organiser": "Công an tỉnh",
        "participations": list(participations),
        **fields,
    }
    return services.training_create(actor=actor, data=services.TrainingInput(**data))


def make_model_point(actor, commune, **fields):
    data = {
        "commune": commune,
        "name": f"Mô hình “Thôn không ma túy” số {next(_seq)}",
        "decision_number": f"{next(_seq)}/QĐ-UBND",
        "decision_date": dt.date(2025, 9, 1),
        "started_on": dt.date(2025, 9, 15),
        **fields,
    }
    return services.modelpoint_create(actor=actor, data=services.ModelPointInput(**data))


def make_tip_off(actor, commune, *, informant: dict | None = None, **fields):
    data = {
        "received_on": DEFAULT_DAY,
        "channel": "phone",
        "commune": commune,
        "summary": f"Nghi có người tụ tập sử dụng ma túy tại nhà văn hóa thôn (tin số {next(_seq)})",
        **fields,
    }
    return services.tipoff_create(
        actor=actor,
        data=services.TipOffInput(**data),
        informant=services.InformantInput(**informant) if informant else None,
    )
