"""Reference data shipped with the application, synchronised idempotently by a data migration.

Durations carry the verification status of domain.md: legal staff confirm or correct them from
the admin (audited); nothing here is a constant in rule code.
"""

from __future__ import annotations

import datetime as dt

from apps.core.text import normalize

from .choices import DurationKey

# The 54 ethnic groups, in the order and numbering of the statistics office's list.
ETHNICITIES = [
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "Mông", "Dao", "Gia-rai", "Ngái", "Ê-đê", "Ba-na",
    "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê", "Mnông", "Ra-glai", "Xtiêng", "Bru-Vân Kiều", "Thổ",
    "Giáy", "Cơ-tu", "Gié-Triêng", "Mạ", "Khơ-mú", "Co", "Tà-ôi", "Chơ-ro", "Kháng", "Xinh-mun", "Hà Nhì", "Chu-ru",
    "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y",
    "Si La", "Pu Péo", "Brâu", "Ơ-đu", "Rơ-măm",
]  # fmt: skip

# Other names people write for a group (the statistics office's "tên gọi khác" and common spellings),
# accepted wherever an ethnicity is typed. "Mông" is the official name; "H'Mông" the older spelling.
ETHNICITY_ALIASES = {
    "Kinh": "Việt",
    "Tày": "Thổ Tày, Tầy",
    "Hoa": "Hán, Người Hoa",
    "Khơ-me": "Khmer, Khơ me, Khơ Me Krôm",
    "Nùng": "Nùng An, Nùng Cháo, Nùng Dín, Nùng Phàn Slình, Nùng Lòi, Nùng Inh",
    "Mông": "H'Mông, H'mông, Hmông, H Mông, Hmong, H'Mong, Mèo, Mẹo",
    "Dao": "Dao Đỏ, Dao Tiền, Dao Quần Chẹt, Dao Quần Trắng, Dao Thanh Y, Dao Lô Gang, Dao Áo Dài, Mán",
    "Sán Chay": "Cao Lan, Sán Chỉ, Cao Lan - Sán Chỉ, Sán Chí",
    "Sán Dìu": "Sán Déo, Trại",
    "Giáy": "Dáy, Giầy, Nhắng, Cùi Chu",
    "Hà Nhì": "Hani, U Ni",
    "La Chí": "Cù Tê, La Quả",
    "Phù Lá": "Xá Phó, Phu La",
    "Lô Lô": "Lolo, Mun Di",
    "Pà Thẻn": "Pà Hưng, Tống",
    "Cơ Lao": "Cờ Lao",
    "Bố Y": "Chủng Chá, Trọng Gia, Pu Nà",
    "Pu Péo": "Ka Pèo, Pen Ti Lô Lô",
    "Thái": "Tày Đăm, Tày Khao",
    "Mường": "Mol, Mual",
}

SUBSTANCES = [
    ("heroin", "Heroin"),
    ("meth", "Methamphetamine (ma túy đá)"),
    ("ats", "ATS, thuốc lắc (MDMA)"),
    ("cannabis", "Cần sa"),
    ("ketamine", "Ketamine"),
    ("opium", "Thuốc phiện"),
    ("other", "Khác"),
]

LAW_2008 = "Luật PCMT 2000 (sửa đổi 2008)"
LAW_2021 = "Luật PCMT số 73/2021/QH14"
LAW_2025 = "Luật PCMT số 120/2025/QH15"
_ERAS = [
    (LAW_2008, dt.date(2000, 6, 1), dt.date(2021, 12, 31)),
    (LAW_2021, dt.date(2022, 1, 1), dt.date(2026, 6, 30)),
    (LAW_2025, dt.date(2026, 7, 1), None),
]
# key, label, value, unit, article (2021 law), verification under the 2021 law, source
_DURATIONS = [
    (DurationKey.MANAGEMENT_PERIOD, "Thời hạn quản lý người sử dụng trái phép", 12, "months", "Điều 23", "verified",
     "http://anhp.vn/tim-hieu-luat-phong-chong-ma-tuy-nam-2021-quan-ly-nguoi-su-dung-trai-phep-chat-ma-tuy-d45402.html"),
    (DurationKey.REGISTRATION_DEADLINE, "Hạn đăng ký cai nghiện sau khi có kết quả xác định nghiện", 5, "working_days",
     "Điều 28", "verified", "Thủ tục đăng ký cai nghiện tự nguyện (Cổng DVC)"),
    (DurationKey.VOLUNTARY_REHAB_MIN, "Thời gian cai nghiện tự nguyện tối thiểu", 6, "months", "Điều 29, 30",
     "verified", "Sở Tư pháp An Giang; Công an Thanh Hóa"),
    (DurationKey.VOLUNTARY_REHAB_MAX, "Thời gian cai nghiện tự nguyện tối đa", 12, "months", "Điều 29, 30", "verified",
     "Sở Tư pháp An Giang; Công an Thanh Hóa"),
    (DurationKey.COMPULSORY_REHAB_MIN, "Thời hạn cai nghiện bắt buộc tối thiểu (từ đủ 18 tuổi)", 12, "months",
     "Điều 95 Luật XLVPHC", "partly", "cand.com.vn (bài trước 2021)"),
    (DurationKey.COMPULSORY_REHAB_MAX, "Thời hạn cai nghiện bắt buộc tối đa (từ đủ 18 tuổi)", 24, "months",
     "Điều 95 Luật XLVPHC", "partly", "cand.com.vn (bài trước 2021)"),
    # Law 2021 Art. 33 (minors aged 12 to under 18): not retrieved (domain.md §4.2), shipped unverified.
    (DurationKey.COMPULSORY_REHAB_MINOR_MIN, "Thời hạn cai nghiện bắt buộc tối thiểu (từ đủ 12 đến dưới 18 tuổi)", 6,
     "months", "Điều 33", "unverified", "Chưa đối chiếu văn bản gốc (domain.md §4.2)"),
    (DurationKey.COMPULSORY_REHAB_MINOR_MAX, "Thời hạn cai nghiện bắt buộc tối đa (từ đủ 12 đến dưới 18 tuổi)", 12,
     "months", "Điều 33", "unverified", "Chưa đối chiếu văn bản gốc (domain.md §4.2)"),
    (DurationKey.POST_REHAB_PERIOD, "Thời hạn quản lý sau cai nghiện tại nơi cư trú", 12, "months", "Điều 40",
     "partly", "https://luatlvn.com/2023/03/31/quy-dinh-ve-quan-ly-sau-cai-nghien-nhu-the-nao/"),
    (DurationKey.HOME_VISIT_INTERVAL, "Định kỳ thăm gặp, kiểm tra tại gia đình (quy định nội bộ)", 30, "days",
     "Quy định nội bộ của Công an tỉnh", "unverified", "Cấu hình của tỉnh"),
]  # fmt: skip


def duration_rows() -> list[dict]:
    rows = []
    for law, start, end in _ERAS:
        for key, label, value, unit, article, verification, source in _DURATIONS:
            # Only the 2021 law's figures were checked against sources; the others are carried over.
            status = verification if law == LAW_2021 else "unverified"
            rows.append(
                {
                    "key": key, "label": label, "value": value, "unit": unit, "law": law,
                    "article": article if law == LAW_2021 else "chưa kiểm chứng", "effective_from": start,
                    "effective_to": end, "verification": status, "source": source if law == LAW_2021 else "",
                }
            )  # fmt: skip
    return rows


# Public holidays (weekdays only matter). Dates of Tết and the Hùng Kings' day follow the lunar
# calendar; years after the announced ones are estimates for the province to confirm in admin.
HOLIDAYS = [
    ("2025-01-01", "Tết Dương lịch"), ("2025-01-27", "Tết Nguyên đán"), ("2025-01-28", "Tết Nguyên đán"),
    ("2025-01-29", "Tết Nguyên đán"), ("2025-01-30", "Tết Nguyên đán"), ("2025-01-31", "Tết Nguyên đán"),
    ("2025-04-07", "Giỗ Tổ Hùng Vương"), ("2025-04-30", "Ngày Giải phóng miền Nam"),
    ("2025-05-01", "Quốc tế Lao động"),
    ("2025-05-02", "Nghỉ bù"), ("2025-09-01", "Quốc khánh"), ("2025-09-02", "Quốc khánh"),
    ("2026-01-01", "Tết Dương lịch"), ("2026-01-02", "Nghỉ bù"), ("2026-02-16", "Tết Nguyên đán"),
    ("2026-02-17", "Tết Nguyên đán"), ("2026-02-18", "Tết Nguyên đán"), ("2026-02-19", "Tết Nguyên đán"),
    ("2026-02-20", "Tết Nguyên đán"), ("2026-04-27", "Giỗ Tổ Hùng Vương (nghỉ bù)"),
    ("2026-04-30", "Ngày Giải phóng miền Nam"), ("2026-05-01", "Quốc tế Lao động"), ("2026-09-01", "Quốc khánh"),
    ("2026-09-02", "Quốc khánh"), ("2027-01-01", "Tết Dương lịch"),
    ("2027-02-04", "Tết Nguyên đán (dự kiến)"), ("2027-02-05", "Tết Nguyên đán (dự kiến)"),
    ("2027-02-08", "Tết Nguyên đán (dự kiến)"), ("2027-02-09", "Tết Nguyên đán (dự kiến)"),
    ("2027-02-10", "Tết Nguyên đán (dự kiến)"), ("2027-04-16", "Giỗ Tổ Hùng Vương (dự kiến)"),
    ("2027-04-30", "Ngày Giải phóng miền Nam"), ("2027-05-01", "Quốc tế Lao động"), ("2027-09-02", "Quốc khánh"),
    ("2027-09-03", "Quốc khánh (dự kiến)"),
]  # fmt: skip


def sync_reference(apps=None) -> None:
    """Create or update the reference rows (usable from a migration with historical models)."""

    def model(name):
        if apps is not None:
            return apps.get_model("cases", name)
        from django.apps import apps as global_apps

        return global_apps.get_model("cases", name)

    Ethnicity, SubstanceType = model("Ethnicity"), model("SubstanceType")
    LegalDuration, Holiday = model("LegalDuration"), model("Holiday")
    for index, name in enumerate(ETHNICITIES, start=1):
        ethnicity, _created = Ethnicity.objects.update_or_create(
            code=f"{index:02d}", defaults={"name": name, "search_name": normalize(name)}
        )
        if hasattr(ethnicity, "aliases") and not ethnicity.aliases and ETHNICITY_ALIASES.get(name):
            # Aliases corrected by province staff are kept; only empty ones are filled.
            ethnicity.aliases = ETHNICITY_ALIASES[name]
            ethnicity.save(update_fields=["aliases"])
    for order, (code, name) in enumerate(SUBSTANCES):
        SubstanceType.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for row in duration_rows():
        # Existing rows may have been corrected by legal staff: only create missing ones.
        LegalDuration.objects.get_or_create(key=row["key"], effective_from=row["effective_from"], defaults=row)
    for day, name in HOLIDAYS:
        Holiday.objects.get_or_create(date=dt.date.fromisoformat(day), defaults={"name": name})
