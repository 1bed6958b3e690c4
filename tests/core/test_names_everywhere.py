"""A name is stored in one canonical form whatever path brought it in (screen, import of any app),
so the same person typed on two keyboards, pasted from a chat or read from a legacy file matches."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from apps.cases import selectors
from apps.cases.models import Person
from tests.cases.test_import_export import import_ok, person_row, xlsx
from tests.factories.cases import make_case
from tests.factories.prevention import make_person
from tests.factories.registers import make_crime_case, offender

DIRTY = "Nguye\u0302\u0303n\u200b Va\u0306n\u00a0 \u00d0u\u0301c\ufeff"  # NFD, zero-width space, NBSP, eth, BOM
CLEAN = "Nguyễn Văn Đúc"


def test_a_case_entered_on_screen_stores_the_clean_name(world, officer_a, client_for):
    from tests.cases.test_views import create_data

    data = create_data(**{"c-commune": str(world.commune_a.pk), "p-full_name": DIRTY, "p-aliases": "Tí\u200d"})
    response = client_for(officer_a).post(reverse("cases:casefile_create"), data)
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.full_name, person.aliases) == (CLEAN, "Tí")
    assert person.search_text.startswith("nguyen van duc")


def test_a_case_import_stores_the_clean_name(world, officer_a, client_for):
    import_ok(client_for(officer_a), xlsx([person_row(DIRTY)]))
    assert Person.objects.get().full_name == CLEAN


def test_duplicates_match_across_invisible_characters_and_legacy_letters(world, officer_a):
    make_case(officer_a, world.commune_a, full_name=CLEAN, birth_year=1990, sex="M")
    matches = selectors.duplicates_find(user=officer_a, full_name=DIRTY, birth_year=1990, sex="M")
    assert len(matches) == 1


def test_registers_and_prevention_store_the_clean_name(world, officer_a):
    case = make_crime_case(officer_a, world.commune_a, offenders=[offender(DIRTY)])
    assert case.offenders.get().full_name == CLEAN
    entry = make_person(officer_a, world.commune_a, full_name=DIRTY)
    assert entry.full_name == CLEAN


def test_detected_on_cannot_be_year_one_or_before_the_birth_year(world, officer_a):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as year_one:
        make_case(officer_a, world.commune_a, birth_year=1990, detected_on=dt.date(1, 1, 1))
    assert "detected_on" in year_one.value.message_dict
    with pytest.raises(ValidationError) as before_birth:
        make_case(officer_a, world.commune_a, birth_year=1990, detected_on=dt.date(1985, 6, 1))
    assert "detected_on" in before_birth.value.message_dict
    assert make_case(officer_a, world.commune_a, birth_year=1990, detected_on=dt.date(2026, 1, 5)).pk


def test_a_form_date_in_year_one_is_refused(world, officer_a, client_for):
    from tests.cases.test_views import create_data

    data = create_data(**{"c-commune": str(world.commune_a.pk), "c-detected_on": "05/01/0001"})
    response = client_for(officer_a).post(reverse("cases:casefile_create"), data)
    assert response.status_code == 200
    assert "Ngày không hợp lý" in response.content.decode()
    assert not Person.objects.exists()
