"""Issue 12 §6: names are listed in Vietnamese alphabetical order (Bạch before Bình, every Đ after
every D), by ONE helper (apps/core/collation.py): an ICU collation on PostgreSQL, the same key in
Python on SQLite; the lists people read (units, choices, people) use it."""

from __future__ import annotations

import random

import pytest

from apps.areas.models import AdministrativeUnit
from apps.core.collation import vi_key, vi_order, vi_sorted
from tests.factories.areas import UnitFactory

NAMES = ["Bạch", "Bình", "Dung", "Duy", "Đào", "Đức", "Ánh", "An", "Ăn", "Ân", "Hà Giang 1", "Hà Giang 2", "Hàm Yên"]
# The order of PostgreSQL's ICU "vi-VN" collation, checked on the server.
EXPECTED = ["An", "Ánh", "Ăn", "Ân", "Bạch", "Bình", "Dung", "Duy", "Đào", "Đức"]
EXPECTED += ["Hà Giang 1", "Hà Giang 2", "Hàm Yên"]


def test_the_python_key_follows_the_vietnamese_alphabet():
    shuffled = NAMES[:]
    random.Random(4).shuffle(shuffled)
    assert vi_sorted(shuffled) == EXPECTED
    assert vi_key("Bạch") < vi_key("Bình")
    assert vi_key("Duy") < vi_key("Đào") < vi_key("Đức")
    # Tones only break ties, in the order none, huyền, hỏi, ngã, sắc, nặng.
    assert vi_sorted(["Hạ", "Há", "Hã", "Hả", "Hà", "Ha"]) == ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ"]
    # The same letter whether composed or typed with combining marks.
    assert vi_key("Đức") == vi_key("Đu\u031b\u0301c")


@pytest.mark.django_db
def test_the_database_sorts_like_the_python_key(world):
    for i, name in enumerate(reversed(NAMES)):
        UnitFactory(parent=world.province, code=f"7{i:03d}", name=name, full_name=f"Xã {name}")
    qs = AdministrativeUnit.objects.filter(name__in=NAMES)
    assert list(vi_order(qs, "name").values_list("name", flat=True)) == EXPECTED
    assert list(vi_order(qs, "-name").values_list("name", flat=True)) == EXPECTED[::-1]


@pytest.mark.django_db
def test_the_communes_classified_are_listed_in_vietnamese_order(world):
    from apps.classification.selectors import current_communes

    for i, name in enumerate(["Đức Xuân", "Dũng Tiến", "Bình An", "Bạch Xa"]):
        UnitFactory(parent=world.province, code=f"6{i:03d}", name=name, full_name=f"Xã {name}")
    names = [u.name for u in current_communes()]
    assert names == vi_sorted(names)
    assert names.index("Bạch Xa") < names.index("Bình An") < names.index("Dũng Tiến") < names.index("Đức Xuân")


@pytest.mark.django_db
def test_the_case_list_sorted_by_name_follows_the_vietnamese_alphabet(world, officer_a):
    from apps.cases.selectors import CaseFilters
    from apps.cases.selectors import case_list as cases
    from tests.factories.cases import make_case

    people = ["Đào Văn An", "Bình Văn Ba", "Dung Thị Tư", "Bạch Thị Năm", "Đức Văn Hai"]
    for i, name in enumerate(people):
        make_case(officer_a, world.commune_a, full_name=name, birth_year=1980 + i)
    listed = [c.person.full_name for c in cases(user=officer_a, filters=CaseFilters(sort="name"))]
    assert listed == ["Bạch Thị Năm", "Bình Văn Ba", "Dung Thị Tư", "Đào Văn An", "Đức Văn Hai"]
    listed = [c.person.full_name for c in cases(user=officer_a, filters=CaseFilters(sort="-name"))]
    assert listed == ["Đức Văn Hai", "Đào Văn An", "Dung Thị Tư", "Bình Văn Ba", "Bạch Thị Năm"]
