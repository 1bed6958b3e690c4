"""Generated people: names by ethnic tradition, villages, occupations and the substances they use."""

from __future__ import annotations

import datetime as dt
import random

from apps.areas.models import AdministrativeUnit
from apps.cases.choices import IdKind, Sex
from apps.cases.models import Ethnicity, Person

from .picking import Picker

# --- names, places -------------------------------------------------------------------------------

# Family / middle (male, female) / given (male, female) names by naming tradition.
_NAMES: dict[str, dict[str, list[tuple[str, float]]]] = {
    "kinh": {
        "family": [("Nguyễn", 30), ("Trần", 9), ("Lê", 8), ("Phạm", 6), ("Hoàng", 6), ("Vũ", 4), ("Đỗ", 3),
                   ("Bùi", 3), ("Ngô", 2), ("Đặng", 2), ("Dương", 2), ("Lương", 1), ("Phan", 2), ("Đinh", 2)],
        "middle_m": [("Văn", 60), ("Đức", 8), ("Minh", 7), ("Quốc", 5), ("Xuân", 4), ("Hữu", 5), ("Tiến", 3),
                     ("Ngọc", 3), ("Thanh", 3), ("Công", 2)],
        "middle_f": [("Thị", 80), ("Thu", 5), ("Hồng", 4), ("Ngọc", 4), ("Minh", 3), ("Thanh", 4)],
        "given_m": [("Hùng", 6), ("Dũng", 5), ("Chính", 3), ("Cường", 4), ("Tuấn", 5), ("Thắng", 4), ("Hải", 4),
                    ("Nam", 4), ("Long", 4), ("Quang", 3), ("Sơn", 4), ("Thành", 4), ("Trung", 3), ("Việt", 3),
                    ("Kiên", 2), ("Lâm", 2), ("Hưng", 3), ("Đạt", 3), ("Bình", 3), ("Tùng", 3), ("Phong", 2),
                    ("Hiếu", 2), ("Mạnh", 3), ("Toàn", 2), ("Tâm", 2), ("Huy", 3), ("Khánh", 2), ("Lực", 1)],
        "given_f": [("Mai", 4), ("Lan", 4), ("Hoa", 3), ("Hương", 3), ("Huyền", 3), ("Thủy", 3), ("Nga", 2),
                    ("Hằng", 3), ("Loan", 2), ("Thảo", 3), ("Linh", 3), ("Nhung", 2)],
    },
    "tay": {  # Tày, Nùng, Sán Chay, Giáy, Bố Y…
        "family": [("Ma", 12), ("Nông", 10), ("Hoàng", 10), ("Hà", 8), ("Lương", 5), ("Quan", 4), ("Hứa", 3),
                   ("Triệu", 4), ("Lộc", 2), ("Nguyễn", 8), ("Lý", 4), ("Vi", 2), ("La", 2), ("Mã", 2), ("Đàm", 2)],
        "middle_m": [("Văn", 80), ("Đức", 5), ("Minh", 4), ("Tiến", 3), ("Quang", 3)],
        "middle_f": [("Thị", 90), ("Thu", 3), ("Hồng", 3)],
        "given_m": [("Hùng", 4), ("Dũng", 4), ("Chính", 4), ("Thào", 2), ("Quyết", 3), ("Tình", 3), ("Khánh", 2),
                    ("Pao", 1), ("Slam", 1), ("Thắng", 3), ("Vượng", 2), ("Lợi", 3), ("Chiến", 3), ("Toản", 2),
                    ("Sinh", 2), ("Nghĩa", 2), ("Đoàn", 2), ("Hưng", 2), ("Hoan", 2), ("Hải", 2)],
        "given_f": [("Mai", 3), ("Lan", 3), ("Hoa", 3), ("Nhàn", 2), ("Liên", 2), ("Thơm", 2), ("Dung", 2)],
    },
    "hmong": {  # Mông, Lô Lô, Phù Lá, La Chí, Cơ Lao…
        "family": [("Vàng", 14), ("Sùng", 10), ("Giàng", 10), ("Lý", 8), ("Thào", 8), ("Lù", 5), ("Hầu", 5),
                   ("Mua", 4), ("Ly", 4), ("Mùa", 3), ("Cứ", 2), ("Lầu", 2), ("Vừ", 3), ("Chảo", 2)],
        "middle_m": [("Seo", 35), ("A", 20), ("Mí", 10), ("Chá", 5), ("Văn", 15), ("Mý", 5)],
        "middle_f": [("Thị", 50), ("Mí", 25), ("Thị Mỷ", 5)],
        "given_m": [("Páo", 5), ("Chúng", 4), ("Sính", 4), ("Dình", 3), ("Chá", 3), ("Pó", 3), ("Lử", 3),
                    ("Dế", 3), ("Súng", 3), ("Chư", 3), ("Vư", 2), ("Phử", 2), ("Sểnh", 2), ("Tủa", 2),
                    ("Lềnh", 2), ("Chinh", 2), ("Hùng", 2), ("Dũng", 1), ("Say", 2), ("Nhè", 2)],
        "given_f": [("Mỷ", 4), ("Dí", 3), ("Pà", 3), ("Sua", 2), ("Chía", 2), ("Mai", 2), ("Dung", 2)],
    },
    "dao": {
        "family": [("Triệu", 18), ("Đặng", 15), ("Bàn", 12), ("Lý", 8), ("Chảo", 4), ("Phùng", 4), ("Sầm", 2)],
        "middle_m": [("Văn", 55), ("Tiến", 15), ("Kiều", 5), ("Vần", 5), ("Đức", 5), ("Quý", 5)],
        "middle_f": [("Thị", 85), ("Mùi", 5)],
        "given_m": [("Chòi", 3), ("Phin", 3), ("Kiều", 2), ("Quẩy", 2), ("Sơn", 3), ("Phú", 2), ("Chạn", 2),
                    ("Lưu", 2), ("Hùng", 2), ("Quyết", 2), ("Vần", 2), ("Thanh", 2), ("Lai", 2), ("Tòn", 2)],
        "given_f": [("Mùi", 3), ("Xuân", 2), ("Mai", 2), ("Lan", 2), ("Kiều", 2)],
    },
}  # fmt: skip

# Ethnic groups of Tuyên Quang (with former Hà Giang) and a plausible share among case files.
_ETHNICITY_WEIGHTS = {
    "Kinh": (28, "kinh"), "Tày": (22, "tay"), "Mông": (24, "hmong"), "Dao": (12, "dao"), "Nùng": (5, "tay"),
    "Sán Chay": (2.5, "tay"), "Giáy": (1.5, "tay"), "Lô Lô": (0.5, "hmong"), "Pà Thẻn": (0.3, "tay"),
    "Bố Y": (0.3, "tay"), "Phù Lá": (0.3, "hmong"), "La Chí": (0.3, "hmong"), "Cơ Lao": (0.3, "hmong"),
    "Hoa": (0.5, "kinh"), "Sán Dìu": (0.5, "kinh"), "Mường": (0.3, "kinh"), "Thái": (0.2, "tay"),
}  # fmt: skip

_VILLAGE_HEAD = ["Nà", "Bản", "Khuổi", "Lũng", "Pắc", "Nặm", "Phiêng", "Cốc", "Làng", "Đồng", "Tân", "Thượng", "Hạ",
                 "Lăng", "Sủng", "Séo", "Mỏ", "Thành"]  # fmt: skip
_VILLAGE_TAIL = ["Khá", "Pậu", "Pù", "Mơ", "Tàng", "Cú", "Lầu", "Đin", "Vài", "Ngoan", "Thành", "Lập", "Bình",
                 "Hợp", "Tiến", "Cầu", "Chải", "Phìn", "Mường", "Sán", "Tẩu", "Vạng", "Điểng"]  # fmt: skip
_STREETS = ["Quang Trung", "Trần Hưng Đạo", "Nguyễn Trãi", "Lê Lợi", "Bình Thuận", "Tân Trào", "17 Tháng 8",
            "Nguyễn Thái Học", "Minh Khai", "Phan Thiết"]  # fmt: skip
_OCCUPATIONS = [("Làm ruộng", 40), ("Lao động tự do", 30), ("Không nghề nghiệp", 15), ("Công nhân", 5),
                ("Lái xe", 3), ("Buôn bán", 4), ("Thợ xây", 3)]  # fmt: skip
SUBSTANCE_WEIGHTS = {"meth": 45, "heroin": 30, "cannabis": 7, "ats": 8, "opium": 5, "ketamine": 3, "other": 2}
SUBSTANCE_WEIGHTS_HMONG = {"meth": 30, "heroin": 35, "cannabis": 3, "ats": 4, "opium": 25, "ketamine": 1, "other": 2}


class PersonFactory:
    """Realistic people: names by ethnic tradition, ~90% men, birth years 1960–2008, CCCD for ~70%."""

    def __init__(self, rng: random.Random, taken_ids: set[str]):
        self.rng = rng
        ethnic = {e.name: e for e in Ethnicity.objects.all()}
        pairs = []
        for name, e in ethnic.items():
            weight, tradition = _ETHNICITY_WEIGHTS.get(name, (0.05, "kinh"))
            pairs.append(((e, tradition), weight))
        self.ethnicity = Picker(rng, pairs)
        self.names = {
            tradition: {part: Picker(rng, values) for part, values in parts.items()}
            for tradition, parts in _NAMES.items()
        }
        self.occupation = Picker(rng, _OCCUPATIONS)
        self.taken_ids = taken_ids

    def name(self, tradition: str, sex: str) -> str:
        parts = self.names[tradition]
        suffix = "m" if sex == Sex.MALE else "f"
        return f"{parts['family']()} {parts['middle_' + suffix]()} {parts['given_' + suffix]()}"

    def citizen_id(self, sex: str, year: int) -> str:
        century = (0 if year < 2000 else 2) + (0 if sex == Sex.MALE else 1)
        while True:
            value = f"008{century}{year % 100:02d}{self.rng.randint(0, 999_999):06d}"
            if value not in self.taken_ids:
                self.taken_ids.add(value)
                return value

    def village(self, unit: AdministrativeUnit) -> tuple[str, str]:
        r = self.rng
        if unit.kind == "phuong":
            village = f"Tổ dân phố {r.randint(1, 25)}"
            address = f"Số {r.randint(1, 300)}, đường {r.choice(_STREETS)}" if r.random() < 0.6 else ""
            return village, address
        return f"Thôn {r.choice(_VILLAGE_HEAD)} {r.choice(_VILLAGE_TAIL)}", ""

    def person(self, unit: AdministrativeUnit, detected: dt.date) -> tuple[Person, str]:
        r = self.rng
        sex = Sex.MALE if r.random() < 0.9 else Sex.FEMALE
        ethnicity, tradition = self.ethnicity()
        if r.random() < 0.03:
            ethnicity = None
        year = int(r.triangular(1960, 2008.99, 1992))
        year = max(1960, min(year, detected.year - 14 - r.randint(0, 3)))
        dob = None
        if r.random() < 0.45:
            dob = dt.date(year, r.randint(1, 12), r.randint(1, 28))
        cid = self.citizen_id(sex, year) if r.random() < 0.70 else ""
        village, address = self.village(unit)
        full_name = self.name(tradition, sex)
        aliases = ""
        if r.random() < 0.08:
            aliases = f"{full_name.split()[-1]} {r.choice(['còi', 'béo', 'đen', 'lùn', 'xe ôm'])}"
        person = Person(
            full_name=full_name,
            aliases=aliases,
            sex=sex,
            date_of_birth=dob,
            birth_year=year,
            ethnicity=ethnicity,
            citizen_id=cid,
            citizen_id_kind=IdKind.CCCD if cid else "",
            permanent_unit_id=unit.pk,
            permanent_village=village,
            permanent_address=address,
            current_unit_id=unit.pk,
            current_village=village,
            current_address=address,
            occupation=self.occupation(),
            phone=f"09{r.randint(10_000_000, 99_999_999)}" if r.random() < 0.4 else "",
        )
        return person, tradition
