"""Reference data shipped with the app, synchronised idempotently by a data migration: the
audience groups and the plan targets.

Targets carry their source and how far they were verified. Plan 63/KH-UBND (2019) states three
targets itself in section II (docs/plan-63-2019.txt): 5% fewer communes with drug problems by 2020
than in 2012–2015, 100% of the high-risk group reached, one model point per district: verified,
with the plan as source. The two hotspot targets are not in Plan 63: they come from HCMC's plan
implementing the same project and stay unverified, credited to it. The national programme's 20 % /
50 % drug-free targets are verified [V]. Each target also says the year and the territory it is
about (Plan 63: the pre-2025 province, without Hà Giang). Baselines are never overwritten, because
administrators complete them in the admin; the provenance is refreshed (``sync_provenance``).
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
HCMC_2019 = "Kế hoạch của UBND TP Hồ Chí Minh (11/2019) thực hiện Đề án QĐ 8014/QĐ-BCA"
#: the public text of Plan 63 (docs/plan-63-2019.txt), section II "Mục tiêu"
PLAN_63_URL = "https://vanbanphapluat.co/ke-hoach-63-kh-ubnd-2019-du-an-nang-cao-hieu-qua-cong-tac-phong-chong-ma-tuy-tai-xa-tuyen-quang"
_PLAN_63_BASIS = "KH 63/KH-UBND ngày 23/5/2019 của UBND tỉnh Tuyên Quang, mục II (Mục tiêu)"
#: Plan 63 covered the pre-2025 province (7 district-level units), without Hà Giang
_PLAN_63_TERRITORY = "Tỉnh Tuyên Quang trước 01/7/2025 (7 huyện, thành phố; không gồm tỉnh Hà Giang cũ)"
_HCMC_URL = "http://pctnxh.molisa.gov.vn/default.aspx?page=news&do=detail&id=2407"
_HCMC_NOTE = (
    "KH 63/KH-UBND không nêu chỉ tiêu này (đối chiếu toàn văn mục II). Con số lấy từ kế hoạch của TP Hồ Chí Minh "
    f"thực hiện cùng Đề án ({_HCMC_URL}); văn bản QĐ 8014/QĐ-BCA chưa tìm được nên chưa kiểm chứng."
)
_NTP_BASIS = "NQ 163/2024/QH15; QĐ 7619/QĐ-BCA ngày 08/9/2025; KL 132-KL/TW; NQ 93/NQ-CP ngày 16/4/2025"
_NTP_NOTE = (
    "Chỉ tiêu ≥ 20% (hết năm 2025) và ≥ 50% (năm 2030) xã, phường không ma túy đã kiểm chứng (domain.md §0, §2)."
)

TARGETS = [
    {
        "code": "kh63-communes-with-problems",
        "title": "Giảm 5% số xã, phường, thị trấn có tệ nạn ma túy so với giai đoạn 2012–2015",
        "plan": PLAN_63,
        "indicator": "communes_with_problems_reduction",
        "params": {"former_province_code": "8"},
        "year": 2020,
        "territory": _PLAN_63_TERRITORY,
        "baseline_value": None,
        "baseline_period": "2012–2015",
        "baseline_note": "cần bổ sung số liệu nền",
        "target_value": 5,
        "comparison": "gte",
        "recurrence": "once",
        "deadline": dt.date(2020, 12, 31),
        "legal_basis": _PLAN_63_BASIS + ", điểm 1",
        "verification": "verified",
        "verification_notes": "KH 63, mục II.1: “phấn đấu đến năm 2020 giảm 5% số xã, phường, thị trấn có tệ nạn "
        f"ma túy; … so với giai đoạn 2012-2015” ({PLAN_63_URL}). Đo trên kết quả phân loại năm 2020.",
        "order": 10,
    },
    {
        "code": "kh63-high-risk-coverage",
        "title": "100% người thuộc nhóm nguy cơ cao được tuyên truyền, giáo dục",
        "plan": PLAN_63,
        "indicator": "high_risk_coverage",
        "territory": _PLAN_63_TERRITORY,
        "target_value": 100,
        "comparison": "gte",
        "recurrence": "yearly",
        "legal_basis": _PLAN_63_BASIS + ", điểm 2",
        "verification": "verified",
        "verification_notes": "KH 63, mục II.2: “phấn đấu 100% người trong nhóm nguy cơ cao được tuyên truyền, "
        f"giáo dục kỹ năng phòng, chống ma túy” ({PLAN_63_URL}).",
        "order": 20,
    },
    {
        "code": "kh63-model-point-per-district",
        "title": "Mỗi huyện, thành phố xây dựng được 01 mô hình điểm (nay: mỗi nhóm địa bàn theo huyện cũ)",
        "plan": PLAN_63,
        "indicator": "model_points_per_area_group",
        # Plan 63 covered the 7 district-level units of the former province (code 8, pre-2025).
        "params": {"former_province_code": "8"},
        "territory": _PLAN_63_TERRITORY,
        "target_value": 100,
        "comparison": "gte",
        "recurrence": "yearly",
        "legal_basis": _PLAN_63_BASIS + ", điểm 2",
        "verification": "verified",
        "verification_notes": "KH 63, mục II.2: “mỗi huyện, thành phố xây dựng được 01 mô hình điểm về phòng, "
        f"chống ma túy tại xã, phường, thị trấn” ({PLAN_63_URL}). Từ 01/7/2025 không còn cấp huyện: các xã, phường "
        "hiện nay được nhóm theo huyện cũ qua bảng chuyển đổi.",
        "order": 30,
    },
    {
        "code": "kh63-no-new-hotspots",
        "title": "Không để phát sinh điểm, tụ điểm mới về ma túy",
        "plan": HCMC_2019,
        "indicator": "hotspots_new",
        "target_value": 0,
        "comparison": "lte",
        "recurrence": "yearly",
        "legal_basis": f"Kế hoạch thực hiện Đề án QĐ 8014/QĐ-BCA của TP Hồ Chí Minh (11/2019), {_HCMC_URL}",
        "verification": "unverified",
        "verification_notes": _HCMC_NOTE,
        "order": 40,
    },
    {
        "code": "kh63-hotspots-eliminated",
        "title": "Triệt xóa 5–10% điểm, tụ điểm về ma túy mỗi năm",
        "plan": HCMC_2019,
        "indicator": "hotspots_eliminated_share",
        "target_value": 5,
        "comparison": "gte",
        "recurrence": "yearly",
        "legal_basis": f"Kế hoạch thực hiện Đề án QĐ 8014/QĐ-BCA của TP Hồ Chí Minh (11/2019), {_HCMC_URL}",
        "verification": "unverified",
        "verification_notes": _HCMC_NOTE + " Mức dưới của khoảng 5–10% được dùng làm ngưỡng đạt.",
        "order": 50,
    },
    {
        "code": "ntp-drug-free-2025",
        "title": "Ít nhất 20% xã, phường đạt tiêu chí không ma túy (hết năm 2025)",
        "plan": NTP_2030,
        "indicator": "drug_free_commune_share",
        "year": 2025,
        "territory": "Tỉnh Tuyên Quang từ 01/7/2025 (124 xã, phường)",
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
        "year": 2030,
        "territory": "Tỉnh Tuyên Quang từ 01/7/2025 (124 xã, phường)",
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
#: what a target is about and where it comes from: shipped facts, refreshed on existing rows
#: (``sync_provenance``) unlike the baselines that administrators complete
PROVENANCE_FIELDS = (
    "title",
    "plan",
    "params",
    "year",
    "territory",
    "legal_basis",
    "verification",
    "verification_notes",
)


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
    # The historical model of migration 0002 predates the fields added later (year, territory).
    fields = {f.name for f in Target._meta.get_fields()}
    for row in TARGETS:
        defaults = {k: v for k, v in row.items() if k != "code" and k in fields}
        Target.objects.get_or_create(code=row["code"], defaults=defaults)


def sync_provenance(apps) -> None:
    """Refresh what each shipped target is about and its source (``PROVENANCE_FIELDS``) on the rows
    already stored; baselines, values and deadlines completed by administrators stay."""
    Target = apps.get_model("prevention", "Target")
    for row in TARGETS:
        values = {k: row.get(k, {} if k == "params" else None if k == "year" else "") for k in PROVENANCE_FIELDS}
        Target.objects.filter(code=row["code"]).update(**values)
