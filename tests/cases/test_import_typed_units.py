"""The units and ethnic groups people type, in a case import, on the real catalogue (issue 10 §6):
names beginning like a kind word, diacritics that decide, a current name over a former one, a unit
without successor, and "Mông". A former unit is recorded as written; today's goes to the file."""

import pytest

from apps.accounts import roles
from apps.areas.models import AdministrativeUnit
from apps.cases.models import CaseFile
from apps.cases.resources import COL_COMMUNE, COL_ETHNIC, CaseResource
from apps.core.imports import import_file
from tests.cases.test_import_export import person_row, xlsx
from tests.factories.accounts import UserFactory


@pytest.fixture
def importer(real_units):
    roles.sync_roles()
    province = AdministrativeUnit.objects.get(generation_id="2025", code="8")
    return UserFactory(username="tinh.nhap", role=roles.COMMUNE_OFFICER, area=province)


def _run(user, rows, *, dry_run):
    return import_file(
        actor=user,
        resource=CaseResource(user=user),
        content=xlsx(rows).read(),
        filename="ho-so.xlsx",
        dry_run=dry_run,
        audit_action="cases.casefile.import",
    )


def _former(name: str, district: str) -> str:
    unit = AdministrativeUnit.objects.get(
        generation_id="pre2025", level="commune", name=name, parent__name=district, valid_to__isnull=False
    )
    return unit.full_name + ", " + unit.parent.full_name


# written → (today's commune, the former unit recorded as "name, district", or None for a current name)
TYPED = [
    ("Quản Bạ", "Xã Quản Bạ", None),
    ("quan ba", "Xã Quản Bạ", None),
    ("Phương Độ", "Phường Hà Giang 1", ("Phương Độ", "Hà Giang")),
    ("Xã Phương Thiện", "Phường Hà Giang 1", ("Phương Thiện", "Hà Giang")),
    ("Phương Tiến", "Xã Thanh Thủy", ("Phương Tiến", "Vị Xuyên")),
    ("Xà Phìn", "Xã Sà Phìn", ("Xà Phìn", "Đồng Văn")),
    ("Tả Ván, Quản Bạ", "Xã Tùng Vài", ("Tả Ván", "Quản Bạ")),
    ("Tân Thanh", "Xã Tân Thanh", None),
    ("Tân Thành, Hàm Yên", "Xã Hàm Yên", ("Tân Thành", "Hàm Yên")),
    ("Thái Bình", "Xã Thái Bình", None),
    ("Việt Lâm", "Xã Việt Lâm", None),
    ("Tân Tiến", "Xã Tân Tiến", None),
]


def test_every_typed_unit_resolves_in_an_import_and_the_mong_are_mong(importer):
    names = [f"Nguyễn Văn {chr(65 + i)}" for i in range(len(TYPED))]
    rows = [
        person_row(name, commune=written, **({COL_ETHNIC: "H'Mông"} if i == 0 else {}))
        for i, (name, (written, _c, _r)) in enumerate(zip(names, TYPED, strict=True))
    ]
    report = _run(importer, rows, dry_run=False)
    assert report.ok, [(e.row, e.message) for e in report.errors]
    got = {
        c.person.full_name: (
            c.commune.full_name,
            f"{c.recorded_unit.full_name}, {c.recorded_unit.parent.full_name}" if c.recorded_unit else None,
        )
        for c in CaseFile.objects.select_related("person", "commune", "recorded_unit__parent")
    }
    expected = {
        name: (commune, _former(*former) if former else None)
        for name, (_w, commune, former) in zip(names, TYPED, strict=True)
    }
    assert got == expected
    assert CaseFile.objects.get(person__full_name=names[0]).person.ethnicity.name == "Mông"
    # The preview listed each former unit with the commune it became.
    assert {(c.old, c.new) for c in report.conversions} == {
        (_former(*former), commune) for _w, commune, former in TYPED if former
    }


def test_ambiguous_diacritics_and_a_unit_without_successor_are_row_errors(importer):
    rows = [
        person_row("Nguyễn Văn A", commune="Tân Thành"),
        person_row("Nguyễn Văn B", commune="Phú Thịnh"),
        person_row("Nguyễn Văn C", commune="Tân Thạnh"),
    ]
    report = _run(importer, rows, dry_run=True)
    errors = {e.row: e.message for e in report.errors if e.column == COL_COMMUNE}
    assert set(errors) == {2, 3, 4}
    assert "Xã Hàm Yên" in errors[2] and "Xã Tân Quang" in errors[2]
    assert "Xã Phú Thịnh" in errors[3] and "2482" in errors[3] and "không có đơn vị kế thừa" in errors[3]
    assert "Không tìm thấy" in errors[4] and "Xã Tân Thanh" in errors[4]
    assert not CaseFile.objects.exists()
