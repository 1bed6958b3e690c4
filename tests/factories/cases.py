"""People and case files. Case files are always opened through ``services.case_create`` so they
carry their OPENED event, file number, due fields and audit row exactly like real ones."""

from __future__ import annotations

import datetime as dt

import factory

from apps.cases import services
from apps.cases.choices import Sex
from apps.cases.models import CaseFile, Person

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Ma"]
MIDDLE_NAMES = ["Văn", "Thị", "Đức", "Minh", "Quang", "Hữu", "Thanh"]
GIVEN_NAMES = ["Hùng", "Dũng", "Tuấn", "Hải", "Cường", "Thắng", "Sơn", "Lan", "Hương", "Mai", "Khánh", "Phúc"]
_COMBINATIONS = len(FAMILY_NAMES) * len(MIDDLE_NAMES) * len(GIVEN_NAMES)


def vietnamese_name(n: int) -> str:
    """A distinct realistic name for each n below the number of combinations."""
    n %= _COMBINATIONS
    family = FAMILY_NAMES[n % len(FAMILY_NAMES)]
    middle = MIDDLE_NAMES[(n // len(FAMILY_NAMES)) % len(MIDDLE_NAMES)]
    given = GIVEN_NAMES[(n // (len(FAMILY_NAMES) * len(MIDDLE_NAMES))) % len(GIVEN_NAMES)]
    return f"{family} {middle} {given}"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(vietnamese_name)
    # 31 is prime to the number of name combinations: (name, birth year) repeats very late.
    # Born 1965-1995: an adult on every date the tests use (2013 onwards), whatever the test
    # order, so that minors only appear where a test asks for one (minors' rehab is refused
    # other court steps).
    birth_year = factory.Sequence(lambda n: 1965 + n % 31)
    sex = factory.LazyAttribute(lambda p: Sex.FEMALE if " Thị " in f" {p.full_name} " else Sex.MALE)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        person = model_class(*args, **kwargs)
        person.fill_search_fields()
        person.save()
        return person


_PERSON_KEYS = set(services.PERSON_FIELDS)
_CASE_KEYS = set(services.CASE_FIELDS)
DEFAULT_DETECTED_ON = dt.date(2026, 1, 5)


def make_case(actor, commune, *, person: Person | None = None, substances=(), **overrides) -> CaseFile:
    """Open a case file through the service, as an officer would on screen.

    Keyword arguments naming a person field (full_name, birth_year, citizen_id, …) fill the
    person; those naming a case field (detected_on, case_type, …) fill the file.
    """
    unknown = set(overrides) - _PERSON_KEYS - _CASE_KEYS
    if unknown:
        raise TypeError(f"make_case: unknown fields {sorted(unknown)}")
    person_data = {k: v for k, v in overrides.items() if k in _PERSON_KEYS}
    if person is None:
        built = PersonFactory.build(
            **{k: v for k, v in person_data.items() if k in ("full_name", "birth_year", "sex")}
        )
        person_data = {"full_name": built.full_name, "birth_year": built.birth_year, "sex": built.sex, **person_data}
    case_data = {"commune": commune, "detected_on": DEFAULT_DETECTED_ON}
    case_data.update({k: v for k, v in overrides.items() if k in _CASE_KEYS})
    return services.case_create(
        actor=actor,
        data=services.CaseInput(person=person_data, case=case_data, substances=list(substances)),
        person=person,
    )


def make_managed_case(actor, commune, **overrides) -> CaseFile:
    """A file put under management on its detection day (positive test, then the management
    decision): only from then on is the person counted in the figures (issue 10 §1)."""
    case = make_case(actor, commune, **overrides)
    case = advance(actor, case, "positive_test", case.detected_on)
    return advance(actor, case, "management_decision", case.detected_on, decision_number="1/QĐ-UBND")


def advance(actor, case: CaseFile, code: str, on: dt.date, **event) -> CaseFile:
    """Apply one transition through the service and return the file re-read from the database."""
    services.case_transition(actor=actor, case=case, code=code, data=services.EventInput(event_date=on, **event))
    return CaseFile.objects.get(pk=case.pk)
