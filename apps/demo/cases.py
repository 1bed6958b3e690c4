"""Demo case files on real communes, created through the services (timelines, due dates, audit)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.cases import services
from apps.cases.models import CaseFile, Ethnicity
from apps.cases.workflow import add_months
from apps.core.registry import DemoSeeder, register_demo_seeder

FAMILY = ["Nguyễn", "Trần", "Hoàng", "Lý", "Ma", "Đặng", "Triệu", "Nông", "Vàng", "Sùng", "Giàng", "Hà", "Lê", "Phạm"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Seo", "A", "Quang", "Tiến"]
MIDDLE_F = ["Thị", "Thu", "Ngọc"]
GIVEN_M = ["Hùng", "Dũng", "Páo", "Chính", "Tuấn", "Long", "Sinh", "Quân", "Thắng", "Cường", "Lử", "Phong"]
GIVEN_F = ["Mai", "Lan", "Dở", "Hoa", "Hương", "Mỷ"]
VILLAGES = ["Thôn Đồng Cầu", "Thôn Khuôn Khoai", "Tổ dân phố 3", "Thôn Nà Mè", "Thôn Lũng Pù", "Tổ 7"]
SUBSTANCES = [["meth"], ["heroin"], ["meth", "ats"], ["heroin", "meth"], ["cannabis"], ["ketamine", "ats"]]
# Paths through the state machine: (transition code, days after the previous step, extra fields)
PATHS = [
    [],
    [("positive_test", 3, {})],
    [("positive_test", 2, {}), ("management_decision", 7, {"decision_number": "{n}/QĐ-UBND"})],
    [
        ("positive_test", 2, {}),
        ("management_decision", 5, {"decision_number": "{n}/QĐ-UBND"}),
        ("refer_determination", 40, {}),
        ("addicted", 3, {"facility": "Trung tâm Y tế khu vực"}),
    ],
    [
        ("positive_test", 2, {}),
        ("refer_determination", 5, {}),
        ("addicted", 4, {"facility": "Trung tâm Y tế"}),
        ("register_community", 3, {}),
    ],
    [
        ("positive_test", 2, {}),
        ("refer_determination", 5, {}),
        ("addicted", 4, {"facility": "Trung tâm Y tế"}),
        ("start_methadone", 3, {"facility": "Cơ sở điều trị methadone tỉnh"}),
    ],
    [
        ("positive_test", 2, {}),
        ("refer_determination", 5, {}),
        ("addicted", 4, {"facility": "Trung tâm Y tế"}),
        ("compulsory_dossier", 20, {}),  # after the 5-working-day registration deadline, even over Tết
        (
            "court_compulsory",
            20,
            {"decision_number": "{n}/QĐ-TA", "facility": "Cơ sở cai nghiện ma túy tỉnh", "months": 18},
        ),
        ("facility_release", 0, {"after_end": True}),
    ],
    [("negative_test", 3, {})],
]


def seed_cases(*, officers: dict[str, object], per_commune: int = 24, seed: int = 2026) -> int:
    """``officers``: commune code → the officer who enters that commune's files. Idempotent."""
    rng = random.Random(seed)  # noqa: S311 - demo data
    today = timezone.localdate()
    ethnicities = list(Ethnicity.objects.filter(name__in=["Kinh", "Tày", "Dao", "Mông", "Nùng", "Giáy"]))
    created = 0
    for code, officer in officers.items():
        commune = AdministrativeUnit.objects.current().get(code=code, level="commune")
        if CaseFile.objects.filter(commune=commune).exists():
            continue
        for i in range(per_commune):
            sex = "F" if rng.random() < 0.12 else "M"
            name = " ".join(
                [
                    rng.choice(FAMILY),
                    rng.choice(MIDDLE_F if sex == "F" else MIDDLE_M),
                    rng.choice(GIVEN_F if sex == "F" else GIVEN_M),
                ]
            )
            path = PATHS[i % len(PATHS)]
            detected = today - dt.timedelta(days=rng.randint(60, 900))
            cid = f"008{rng.randint(0, 999999999):09d}" if rng.random() < 0.75 else ""
            case = services.case_create(
                actor=officer,
                data=services.CaseInput(
                    person={
                        "full_name": name,
                        "sex": sex,
                        "birth_year": rng.randint(1968, 2006),
                        "citizen_id": cid,
                        "ethnicity": rng.choice(ethnicities) if ethnicities else None,
                        "current_unit": commune,
                        "current_village": rng.choice(VILLAGES),
                        "occupation": rng.choice(["Làm ruộng", "Lao động tự do", "Lái xe", "Không nghề"]),
                    },
                    case={
                        "commune": commune,
                        "detected_on": detected,
                        "use_method": rng.choice(["smoke", "inhale", "inject"]),
                        "helper_name": "Trưởng thôn, Chi hội Phụ nữ",
                    },
                    substances=rng.choice(SUBSTANCES),
                ),
            )
            created += 1
            day = detected
            for code_, gap, extra in path:
                day = day + dt.timedelta(days=gap)
                end = None
                if "months" in extra:
                    end = add_months(day, extra["months"])
                if extra.get("after_end"):
                    case.refresh_from_db()
                    if not case.period_end or case.period_end > today:
                        break
                    day = case.period_end
                if day > today:
                    break
                services.case_transition(
                    actor=officer,
                    case=case,
                    code=code_,
                    data=services.EventInput(
                        event_date=day,
                        decision_number=extra.get("decision_number", "").format(n=100 + i),
                        decision_date=day if "decision_number" in extra else None,
                        facility=extra.get("facility", ""),
                        end_date=end,
                        signer="Chủ tịch UBND" if "decision_number" in extra else "",
                    ),
                )
            case.refresh_from_db()
            if case.is_open and rng.random() < 0.6:
                visit = min(today, (case.status_since or detected) + dt.timedelta(days=rng.randint(5, 40)))
                services.case_add_event(
                    actor=officer,
                    case=case,
                    kind="home_visit",
                    data=services.EventInput(
                        event_date=visit, result="Gặp đối tượng và gia đình", notes="Đối tượng chấp hành tốt."
                    ),
                )
    return created


#: Files of 2019–2020 recorded under the communes of the map of their time (issue 10 §4): (today's
#: commune, generation, old commune code, detected on, addict?). Thị trấn Tân Bình (2428) was
#: abolished on 01/01/2020 (merged into phường Đội Cấn, today's Phường Bình Thuận).
PAST_FILES = [
    ("2458", "2019", "2467", dt.date(2019, 3, 4), True),  # Đạo Viện, today Trung Sơn
    ("2458", "2019", "2467", dt.date(2019, 6, 17), False),
    ("2458", "2020", "2467", dt.date(2020, 2, 10), True),
    ("2524", "2019", "2428", dt.date(2019, 4, 22), True),  # Tân Bình → Bình Thuận
    ("2524", "2019", "2428", dt.date(2019, 9, 2), False),
    ("2524", "2020", "2524", dt.date(2020, 5, 11), True),  # phường Đội Cấn (2020)
]


def seed_past_cases(*, officers: dict[str, object]) -> int:
    """A few files of 2019–2020 recorded under the old units (the commune's officer copies in a
    register of that time), so figures on the maps of 2019 and 2020 show them. ``officers``:
    today's commune code → its officer. Idempotent: the note names the old unit and date."""
    created = 0
    for today_code, generation, old_code, detected, addict in PAST_FILES:
        actor = officers.get(today_code)
        if actor is None:
            continue
        old = AdministrativeUnit.objects.filter(generation_id=generation, code=old_code, level="commune").first()
        commune = AdministrativeUnit.objects.current().filter(code=today_code, level="commune").first()
        if old is None or commune is None:
            continue
        note = f"Sổ cũ {old.full_name} ({generation}), phát hiện {detected:%d/%m/%Y}"
        if CaseFile.objects.filter(commune=commune, notes=note).exists():
            continue
        case = services.case_create(
            actor=actor,
            data=services.CaseInput(
                person={"full_name": f"Nguyễn Văn {old.name} {detected:%d%m%y}", "sex": "M", "birth_year": 1985},
                case={"commune": commune, "recorded_unit": old, "detected_on": detected, "notes": note},
                substances=["heroin"],
            ),
        )
        steps = [("refer_determination", 2), ("addicted", 9)] if addict else [("positive_test", 3)]
        if not addict:
            steps.append(("management_decision", 7))
        day = detected
        for code, gap in steps:
            day += dt.timedelta(days=gap)
            services.case_transition(
                actor=actor,
                case=case,
                code=code,
                data=services.EventInput(
                    event_date=day,
                    facility="TTYT huyện" if code == "addicted" else "",
                    decision_number="12/QĐ-UBND" if code == "management_decision" else "",
                    decision_date=day if code == "management_decision" else None,
                ),
            )
        created += 1
    return created


register_demo_seeder(
    DemoSeeder(
        "cases",
        20,
        lambda context: seed_cases(officers=context.officers),
        summary=_("%(n)s hồ sơ mới"),
        summary_order=2,
    )
)
register_demo_seeder(
    DemoSeeder(
        "cases.past",
        40,
        lambda context: seed_past_cases(officers=context.officers),
        note=_(
            "Hồ sơ năm 2019–2020 ghi theo đơn vị cũ (bản đồ hành chính thời điểm đó): %(n)s hồ sơ mới; "
            "chạy phân loại năm 2019 hoặc 2020 để xem theo bản đồ năm đó hoặc quy đổi sang đơn vị hiện nay."
        ),
    )
)
