"""Reference data shipped with the app, synchronised idempotently by a data migration: the
audience groups and the plan targets.

Targets carry how far they were verified (domain.md §3: the body of Plan 63/KH-UBND 2019 was not
retrieved; its targets are those of the Ministry's project as mirrored by HCMC's plan [P]; the
national programme's 20 % / 50 % drug-free targets are verified [V]). Existing targets are never
overwritten, because administrators complete them (e.g. the missing baselines) in the admin.
"""

from __future__ import annotations

import datetime as dt

DRUG_USERS = "drug_users"

# code, name, short name (column headers), high risk
AUDIENCE_GROUPS = [
    ("migrant_workers", "Người đi làm ăn xa", "Làm ăn xa", True),
    ("out_of_school_youth", "Thanh, thiếu niên bỏ học, lang thang", "TTN bỏ học, lang thang", True),
    ("seasonal_workers", "Lao động thời vụ", "Lao động thời vụ", True),
    (DRUG_USERS, "Người sử dụng trái phép chất ma túy", "Người sử dụng ma túy", True),
    ("released_prisoners", "Người chấp hành xong án phạt tù về tội phạm ma túy", "Chấp hành xong án", True),
    ("education_measure", "Người đang chấp hành biện pháp giáo dục tại xã, phường", "Giáo dục tại xã", True),
    ("students", "Học sinh, sinh viên", "Học sinh, sinh viên", False),
    ("youth_union", "Đoàn viên, thanh niên", "Đoàn viên, thanh niên", False),
    ("general_public", "Nhân dân", "Nhân dân", False),
    ("officials", "Cán bộ, công chức, viên chức", "Cán bộ, công chức", False),
]

PLAN_63 = "Kế hoạch 63/KH-UBND năm 2019 (UBND tỉnh Tuyên Quang)"
NTP_2030 = "Chương trình MTQG phòng, chống ma túy đến năm 2030 (NQ 163/2024/QH15)"
_PLAN_63_BASIS = (
    "KH 63/KH-UBND ngày 23/5/2019 thực hiện QĐ 8014/QĐ-BCA ngày 14/12/2018 (Đề án nâng cao hiệu quả công tác "
    "PCMT tại xã, phường, thị trấn)"
)
_PLAN_63_NOTE = (
    "Chưa đọc được phần chỉ tiêu của KH 63; con số lấy theo các chỉ tiêu của Đề án như kế hoạch của TP Hồ Chí Minh "
    "(11/2019) phản ánh (domain.md §3, [P]). Cần đối chiếu văn bản gốc."
)
_NTP_BASIS = "NQ 163/2024/QH15; QĐ 7619/QĐ-BCA ngày 08/9/2025; KL 132-KL/TW; NQ 93/NQ-CP ngày 16/4/2025"
_NTP_NOTE = "Chỉ tiêu ≥ 20% (hết năm 2025) và ≥ 50% (năm 2030) xã, phường không ma túy đã kiểm chứng (domain.md §1)."

TARGETS = [
    {
        "code": "kh63-communes-with-problems",
        "title": "Giảm 5% số xã, phường, thị trấn có tệ nạn ma túy so với giai đoạn 2012–2015",
        "plan": PLAN_63,
        "indicator": "communes_with_problems_reduction",
        "baseline_value": None,
        "baseline_period": "2012–2015",
        "baseline_note": "cần bổ sung số liệu nền",
        "target_value": 5,
        "comparison": "gte",
        "recurrence": "once",
        "deadline": dt.date(2020, 12, 31),
        "legal_basis": _PLAN_63_BASIS,
        "verification": "unverified",
        "verification_notes": _PLAN_63_NOTE,
        "order": 10,
    },
    {
        "code": "kh63-high-risk-coverage",
        "title": "100% người thuộc nhóm nguy cơ cao được tuyên truyền, giáo dục",
        "plan": PLAN_63,
        "indicator": "high_risk_coverage",
        "target_value": 100,
        "comparison": "gte",
        "recurrence": "yearly",
        "legal_basis": _PLAN_63_BASIS,
        "verification": "unverified",
        "verification_notes": _PLAN_63_NOTE,
        "order": 20,
    },
    {
        "code": "kh63-model-point-per-district",
        "title": "Mỗi huyện có ít nhất một mô hình điểm (nay: mỗi nhóm địa bàn theo huyện cũ)",
        "plan": PLAN_63,
        "indicator": "model_points_per_area_group",
        # Plan 63 covered the 7 district-level units of the former province (code 8, pre-2025).
        "params": {"former_province_code": "8"},
        "target_value": 100,
        "comparison": "gte",
        "recurrence": "yearly",
        "legal_basis": _PLAN_63_BASIS,
        "verification": "unverified",
        "verification_notes": _PLAN_63_NOTE
        + " Từ 01/7/2025 không còn cấp huyện: các xã, phường hiện nay được nhóm theo huyện cũ qua bảng chuyển đổi.",
        "order": 30,
    },
    {
        "code": "kh63-no-new-hotspots",
        "title": "Không để phát sinh điểm, tụ điểm mới về ma túy",
        "plan": PLAN_63,
        "indicator": "hotspots_new",
        "target_value": 0,
        "comparison": "lte",
        "recurrence": "yearly",
        "legal_basis": _PLAN_63_BASIS,
        "verification": "unverified",
        "verification_notes": _PLAN_63_NOTE,
        "order": 40,
    },
    {
        "code": "kh63-hotspots-eliminated",
        "title": "Triệt xóa 5–10% điểm, tụ điểm về ma túy mỗi năm",
        "plan": PLAN_63,
        "indicator": "hotspots_eliminated_share",
        "target_value": 5,
        "comparison": "gte",
        "recurrence": "yearly",
        "legal_basis": _PLAN_63_BASIS,
        "verification": "unverified",
        "verification_notes": _PLAN_63_NOTE + " Mức dưới của khoảng 5–10% được dùng làm ngưỡng đạt.",
        "order": 50,
    },
    {
        "code": "ntp-drug-free-2025",
        "title": "Ít nhất 20% xã, phường đạt tiêu chí không ma túy (hết năm 2025)",
        "plan": NTP_2030,
        "indicator": "drug_free_commune_share",
        "baseline_value": None,
        "baseline_note": "cần bổ sung số liệu nền",
        "target_value": 20,
        "comparison": "gte",
        "recurrence": "once",
        "deadline": dt.date(2025, 12, 31),
        "legal_basis": _NTP_BASIS,
        "verification": "verified",
        "verification_notes": _NTP_NOTE,
        "order": 60,
    },
    {
        "code": "ntp-drug-free-2030",
        "title": "Ít nhất 50% xã, phường đạt tiêu chí không ma túy (năm 2030)",
        "plan": NTP_2030,
        "indicator": "drug_free_commune_share",
        "baseline_value": None,
        "baseline_note": "cần bổ sung số liệu nền",
        "target_value": 50,
        "comparison": "gte",
        "recurrence": "once",
        "deadline": dt.date(2030, 12, 31),
        "legal_basis": _NTP_BASIS,
        "verification": "verified",
        "verification_notes": _NTP_NOTE,
        "order": 70,
    },
]


def sync_reference(apps=None) -> None:
    """Create the audience groups (names kept up to date) and any missing target."""

    def model(name):
        if apps is not None:
            return apps.get_model("prevention", name)
        from django.apps import apps as global_apps

        return global_apps.get_model("prevention", name)

    AudienceGroup, Target = model("AudienceGroup"), model("Target")
    for order, (code, name, short, high_risk) in enumerate(AUDIENCE_GROUPS, start=1):
        AudienceGroup.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "high_risk": high_risk, "order": order * 10}
        )
    for row in TARGETS:
        defaults = {k: v for k, v in row.items() if k != "code"}
        Target.objects.get_or_create(code=row["code"], defaults=defaults)
