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

Usage::

    python scripts/build_unit_fixtures.py [--wheel PATH] [--output PATH]

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

GEN_OLD = "pre2025"
GEN_NEW = "2025"
GENERATIONS: list[dict[str, str | None]] = [
    {"code": GEN_OLD, "name": "Trước sắp xếp 01/7/2025", "valid_from": None, "valid_to": "2025-06-30"},
    {
        "code": GEN_NEW,
        "name": "Từ 01/7/2025 (chính quyền địa phương 2 cấp)",
        "valid_from": "2025-07-01",
        "valid_to": None,
    },
]

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

    def as_json(self) -> dict[str, Any]:
        return {"old": str(self.old), "old_level": self.old_level, "new": str(self.new), "partly": self.partly}


# --------------------------------------------------------------------------------------------------------
# Obtaining and reading the wheel
# --------------------------------------------------------------------------------------------------------


def download_wheel(dest: Path) -> Path:
    """Download the pinned wheel with pip (it targets Python 3.12, so it cannot be installed here)."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--python-version",
        "3.12",
        f"{PACKAGE}=={VERSION}",
        "-d",
        str(dest),
    ]
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, stdout=sys.stderr)
    wheel = dest / WHEEL_NAME
    check(wheel.is_file(), f"pip download did not produce {wheel}")
    return wheel


def verify_wheel(wheel: Path) -> None:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    check(digest == WHEEL_SHA256, f"{wheel}: sha256 {digest} != expected {WHEEL_SHA256} ({PACKAGE} {VERSION})")


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


def sort_units(units: list[Unit]) -> list[Unit]:
    gen_rank = {GEN_NEW: 0, GEN_OLD: 1}
    return sorted(units, key=lambda u: (gen_rank[u.generation], LEVEL_RANK[u.level], u.code))


def sort_conversions(conversions: list[Conversion]) -> list[Conversion]:
    return sorted(conversions, key=lambda c: (LEVEL_RANK[c.old_level], c.old, c.new))


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
        "generations": GENERATIONS,
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
    parser.add_argument("--output", type=Path, default=repo_root / "fixtures" / "admin_units.json", help="output file")
    args = parser.parse_args(argv)

    try:
        with tempfile.TemporaryDirectory(prefix="vp-wheel-") as tmp:
            wheel = args.wheel if args.wheel is not None else download_wheel(Path(tmp))
            verify_wheel(wheel)
            with WheelReader(wheel) as reader:
                src = load_source(reader)
        builder = Builder(src)
        builder.build()
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
