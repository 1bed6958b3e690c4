"""Demo prevention data on real communes, created through the services (versions, audit, reaches).

For each demo commune: the high-risk register synchronised from the case files plus a few people
of the other high-risk groups, about a dozen activities over the last two years with their
participants and the registered people they reached, a commune training, a model point with its
yearly evaluations, and tip-offs with and without an informant. The province adds one campaign
and one training covering every demo commune. Idempotent: a commune that already has activities
is left as it is (its register is still synchronised).
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.core.registry import DemoSeeder, register_demo_seeder
from apps.prevention import services
from apps.prevention.choices import ActivityKind, EvaluationResult, TipOffStatus, Topic
from apps.prevention.models import Activity, AudienceGroup, HighRiskPerson, Training

FAMILY = ["Nguyễn", "Hoàng", "Lý", "Ma", "Đặng", "Triệu", "Nông", "Vàng", "Sùng", "Hà", "Lương", "Bàn"]
MIDDLE = ["Văn", "Đức", "Seo", "A", "Quang", "Thị"]
GIVEN = ["Phong", "Tùng", "Mạnh", "Páo", "Chí", "Lâm", "Hải", "Mai", "Dung", "Sáng", "Khải", "Lợi"]
PROVINCE_ORGANISER = "Công an tỉnh Tuyên Quang"
VILLAGES = ["Thôn Đồng Cầu", "Thôn Khuôn Khoai", "Tổ dân phố 3", "Thôn Nà Mè", "Thôn Lũng Pù", "Tổ 7"]
OTHER_GROUPS = [
    "migrant_workers",
    "out_of_school_youth",
    "seasonal_workers",
    "released_prisoners",
    "education_measure",
]
TITLES = {
    ActivityKind.CONFERENCE: "Hội nghị tuyên truyền pháp luật về phòng, chống ma túy",
    ActivityKind.LOUDSPEAKER: "Phát thanh tác hại của ma túy tổng hợp trên loa truyền thanh",
    ActivityKind.VISUAL: "Treo băng rôn, khẩu hiệu hưởng ứng Tháng hành động phòng, chống ma túy",
    ActivityKind.LEAFLET: "Phát tờ rơi nhận biết ma túy “núp bóng” cho người dân",
    ActivityKind.ONLINE: "Đăng tin cảnh báo ma túy trên trang Zalo của xã",
    ActivityKind.CONTEST: "Cuộc thi tìm hiểu pháp luật phòng, chống ma túy",
    ActivityKind.PERFORMANCE: "Tiểu phẩm “Nói không với ma túy” tại nhà văn hóa",
    ActivityKind.VILLAGE_MEETING: "Lồng ghép tuyên truyền trong họp thôn",
    ActivityKind.COUNSELLING: "Tư vấn, thăm gặp tại gia đình người thuộc nhóm nguy cơ cao",
    ActivityKind.SCHOOL: "Ngoại khóa phòng, chống ma túy tại trường THCS",
}
# Which audience groups each form of activity mainly reaches.
AUDIENCE = {
    ActivityKind.SCHOOL: ["students", "youth_union"],
    ActivityKind.CONTEST: ["students", "youth_union", "general_public"],
    ActivityKind.COUNSELLING: ["drug_users", "released_prisoners", "out_of_school_youth"],
    ActivityKind.CONFERENCE: ["officials", "general_public", "youth_union", "migrant_workers"],
}


def _name(rng: random.Random) -> tuple[str, str]:
    middle = rng.choice(MIDDLE)
    return f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}", ("F" if middle == "Thị" else "M")


def seed_prevention(*, officers: dict[str, object], province_user, seed: int = 2026) -> int:
    """``officers``: commune code → the commune officer who enters its data. Returns the number of
    records created."""
    today = timezone.localdate()
    groups = {g.code: g for g in AudienceGroup.objects.all()}
    created = 0
    communes = []
    for code, officer in sorted(officers.items()):
        commune = AdministrativeUnit.objects.current().get(code=code, level="commune")
        communes.append(commune)
        sync = services.highrisk_sync_from_cases(commune=commune)
        created += sync.created
        if Activity.objects.filter(communes=commune).exists():
            continue
        rng = random.Random(seed + int(code))  # noqa: S311 - demo data
        created += _seed_commune(rng, commune, officer, groups, today)
    if communes and province_user is not None and not Training.objects.filter(organiser=PROVINCE_ORGANISER).exists():
        created += _seed_province(communes, province_user, groups, today)
    return created


def _seed_commune(rng: random.Random, commune, officer, groups, today: dt.date) -> int:
    created = 0
    for code in OTHER_GROUPS:
        for _i in range(rng.randint(1, 3)):
            name, sex = _name(rng)
            try:
                services.highrisk_create(
                    actor=officer,
                    data=services.HighRiskInput(
                        commune=commune,
                        full_name=name,
                        birth_year=rng.randint(1975, today.year - 15),
                        sex=sex,
                        category=groups[code],
                        village=rng.choice(VILLAGES),
                    ),
                )
                created += 1
            except ValidationError:  # the same random name twice: skip it
                continue
    people = list(HighRiskPerson.objects.filter(commune=commune, status="active").order_by("pk"))
    kinds = list(ActivityKind.values)
    for i in range(12):
        kind = kinds[i % len(kinds)]
        day = today - dt.timedelta(days=rng.randint(5, 720))
        audience = AUDIENCE.get(kind, ["general_public", "youth_union"])
        participation = {groups[c].pk: rng.randint(15, 180) for c in audience if c in groups}
        if kind == ActivityKind.COUNSELLING:
            reached = rng.sample(people, k=min(len(people), rng.randint(1, 3)))
            participation = {groups["drug_users"].pk: len(reached)} if "drug_users" in groups else {}
        else:
            reached = rng.sample(people, k=min(len(people), rng.randint(0, max(1, len(people) // 3))))
        services.activity_create(
            actor=officer,
            data=services.ActivityInput(
                title=TITLES[kind],
                date_from=day,
                date_to=day + dt.timedelta(days=1) if kind == ActivityKind.VISUAL else None,
                communes=[commune],
                kind=kind,
                topics=rng.sample(list(Topic.values), k=rng.randint(1, 3)),
                participation=participation,
                sessions=rng.randint(1, 3),
                materials_count=rng.choice([0, 50, 120, 200]) if kind in (ActivityKind.LEAFLET, "conference") else 0,
                materials_description="Tờ rơi, tài liệu hỏi đáp pháp luật" if kind == ActivityKind.LEAFLET else "",
                organiser=f"Công an {commune.full_name}",
                reached=reached,
            ),
        )
        created += 1
    services.training_create(
        actor=officer,
        data=services.TrainingInput(
            held_on=today - dt.timedelta(days=rng.randint(30, 300)),
            topic="Kỹ năng nhận biết, tư vấn cho người thuộc nhóm nguy cơ cao",
            organiser=f"Công an {commune.full_name}",
            participations=[(commune, rng.randint(12, 30))],
        ),
    )
    started = today.replace(month=1, day=10) - dt.timedelta(days=365 * 2)
    point = services.modelpoint_create(
        actor=officer,
        data=services.ModelPointInput(
            commune=commune,
            name=f"Mô hình “Thôn, tổ dân phố không có tệ nạn ma túy” – {commune.name}",
            decision_number=f"{rng.randint(10, 99)}/QĐ-UBND",
            decision_date=started - dt.timedelta(days=5),
            started_on=started,
            description="Ký cam kết hộ gia đình; tổ tự quản; tuyên truyền hằng tháng tại nhà văn hóa.",
        ),
    )
    for year in range(started.year, today.year):
        services.modelpoint_evaluate(
            actor=officer,
            point=point,
            year=year,
            result=rng.choice([EvaluationResult.GOOD, EvaluationResult.FAIR, EvaluationResult.AVERAGE]),
            notes="Duy trì sinh hoạt đều, người dân tích cực tham gia.",
        )
    created += 2
    statuses = [TipOffStatus.RECEIVED, TipOffStatus.VERIFYING, TipOffStatus.HANDLED, TipOffStatus.TRANSFERRED]
    for i, status in enumerate(statuses):
        informant = None
        if i % 2 == 0:
            name, _sex = _name(rng)
            informant = services.InformantInput(
                full_name=name, phone=f"09{rng.randint(10_000_000, 99_999_999)}", address=rng.choice(VILLAGES)
            )
        services.tipoff_create(
            actor=officer,
            data=services.TipOffInput(
                received_on=today - dt.timedelta(days=rng.randint(3, 200)),
                channel=rng.choice(["in_person", "phone", "hotline", "online"]),
                commune=commune,
                summary=rng.choice(
                    [
                        "Nghi có nhóm thanh niên tụ tập sử dụng ma túy tại lán trại ven suối.",
                        "Phản ánh người lạ thường xuyên ra vào một nhà trong thôn vào ban đêm.",
                        "Phát hiện cây nghi là cây thuốc phiện trồng xen ngô trên nương.",
                        "Nghi mua bán ma túy đá tại quán nước đầu cầu.",
                    ]
                ),
                status=status,
                result=""
                if status in (TipOffStatus.RECEIVED, TipOffStatus.VERIFYING)
                else "Đã xác minh, lập biên bản.",
            ),
            informant=informant,
        )
        created += 1
    return created


def _seed_province(communes, province_user, groups, today: dt.date) -> int:
    june = dt.date(today.year if today.month > 6 else today.year - 1, 6, 26)
    services.activity_create(
        actor=province_user,
        data=services.ActivityInput(
            title="Mít tinh hưởng ứng Ngày Quốc tế phòng, chống ma túy 26/6",
            date_from=june,
            date_to=None,
            communes=communes,
            kind=ActivityKind.CONFERENCE,
            topics=[Topic.SYNTHETIC, Topic.DUTIES, Topic.LAW],
            participation={groups["officials"].pk: 150, groups["general_public"].pk: 600, groups["students"].pk: 300},
            sessions=1,
            organiser="Ban Chỉ đạo 138 tỉnh",
        ),
    )
    services.training_create(
        actor=province_user,
        data=services.TrainingInput(
            held_on=today - dt.timedelta(days=90),
            topic="Tập huấn nghiệp vụ quản lý người sử dụng trái phép chất ma túy theo Luật PCMT",
            organiser=PROVINCE_ORGANISER,
            participations=[(c, 3) for c in communes],
        ),
    )
    return 2


def _grant_informant_reader(context) -> int:
    # The informant's identity is a personal authorisation, never a role: the demo grants it to
    # the province officer so the protected view can be tried.
    context.province_staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="prevention", codename="view_informant")
    )
    return 0


register_demo_seeder(
    DemoSeeder(
        "prevention",
        60,
        lambda context: seed_prevention(officers=context.officers, province_user=context.province_staff),
        summary=_("%(n)s bản ghi phòng ngừa"),
        summary_order=5,
    )
)
# Last, as before the registry: nothing seeded after it reads the permission.
register_demo_seeder(DemoSeeder("prevention.informant_reader", 90, _grant_informant_reader))
