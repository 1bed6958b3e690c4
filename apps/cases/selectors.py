"""Reads on case files. Every selector starts from the scoped queryset."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from apps.areas.models import AdministrativeUnit
from apps.audit.models import AuditLogEntry
from apps.core import filtering, scoping
from apps.core.collation import vi_collate, vi_sorted
from apps.core.text import normalize

from .choices import OPEN_STATUSES, AgeBand, CloseReason, Status
from .models import CaseEvent, CaseFile, DistinctPair, Ethnicity, Person
from .stocks import TERM_KEYS

SORTS = {
    # Vietnamese alphabetical order (apps/core/collation.py), not the unaccented search column.
    "name": (vi_collate("person__full_name").asc(), "pk"),
    "-name": (vi_collate("person__full_name").desc(), "-pk"),
    "due": ("due_date", "pk"),
    "-due": ("-due_date", "-pk"),
    "updated": ("updated_at", "pk"),
    "-updated": ("-updated_at", "-pk"),
    "birth": ("person__birth_year", "pk"),
    "-birth": ("-person__birth_year", "-pk"),
    "number": ("file_number",),
    "-number": ("-file_number",),
}


@dataclass
class CaseFilters:
    q: str = ""
    commune: int | None = None
    status: str = ""
    open_only: bool = False
    case_type: str = ""
    substance: str = ""
    sex: str = ""
    age_band: str = ""
    ethnicity: int | None = None
    sort: str = "-updated"
    extra: dict = field(default_factory=dict)


def _age_band_q(band: str, on: dt.date) -> Q:
    """Age by birth year (often the only thing known), in the bands of QĐ 13/2019/QĐ-TTg."""
    y = on.year
    bands = {
        AgeBand.UNDER_14: Q(person__birth_year__gt=y - 14),
        AgeBand.FROM_14: Q(person__birth_year__lte=y - 14, person__birth_year__gt=y - 16),
        AgeBand.FROM_16: Q(person__birth_year__lte=y - 16, person__birth_year__gt=y - 18),
        AgeBand.FROM_18: Q(person__birth_year__lte=y - 18, person__birth_year__gte=y - 30),
        AgeBand.OVER_30: Q(person__birth_year__lt=y - 30),
    }
    return bands.get(band, Q())


def case_list(*, user, filters: CaseFilters, action: str = "view") -> QuerySet[CaseFile]:
    qs = scoping.visible_to(CaseFile.objects.all(), user, action).select_related(
        "person", "person__ethnicity", "commune"
    )
    on = timezone.localdate()
    if filters.q:
        # A file transferred away is found by who the person is (name, CCCD), never by the address
        # the receiving commune records afterwards: the search must not say where they live now.
        identity = Q()
        for token in normalize(filters.q).split():
            identity &= Q(person__name_key__contains=token) | Q(person__citizen_id__contains=token)
        qs = qs.filter(
            filtering.search_q(filters.q, "person__search_text")
            & (~Q(close_reason=CloseReason.TRANSFERRED) | identity)
        )
    if filters.commune:
        qs = qs.filter(commune_id=filters.commune)
    if filters.status:
        qs = qs.filter(status=filters.status)
    elif filters.open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if filters.case_type:
        qs = qs.filter(case_type=filters.case_type)
    if filters.substance:
        qs = qs.filter(
            pk__in=CaseFile.substances.through.objects.filter(substancetype__code=filters.substance).values(
                "casefile_id"
            )
        )
    if filters.sex:
        qs = qs.filter(person__sex=filters.sex)
    if filters.age_band:
        qs = qs.filter(_age_band_q(filters.age_band, on))
    if filters.ethnicity:
        qs = qs.filter(person__ethnicity_id=filters.ethnicity)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["-updated"])).prefetch_related("substances")


#: what the worklist page shows of each file (anything else is read on access, one query a row)
WORKLIST_FIELDS = (
    "file_number", "status", "status_since", "due_date", "due_label", "period_end", "last_visit_on",
    "close_reason", "person_id", "commune_id", "version",
    "person__full_name", "person__birth_year", "person__sex", "person__version", "person__merged_into_id",
    "commune__full_name", "commune__name", "commune__level", "commune__parent_id", "commune__valid_to",
)  # fmt: skip


@dataclass
class Worklist:
    overdue: list[CaseFile]
    due_soon: list[CaseFile]
    returned: list[CaseFile]
    counts: dict[str, int]
    #: legal term ended, no closing decision yet: out of every figure until the officer acts
    expired: list[CaseFile] = field(default_factory=list)


def worklist(*, user, on: dt.date | None = None, limit: int = 50) -> Worklist:
    """Files needing action, overdue first: deadline passed, due within 30 days, back from a facility."""
    on = on or timezone.localdate()
    base = scoping.visible_to(CaseFile.objects.all(), user).filter(status__in=OPEN_STATUSES)
    soon_end = on + dt.timedelta(days=30)
    is_overdue = Q(due_date__lt=on)
    # "Ending within 30 days" is about legal periods; visits due soon are routine, not a warning.
    is_soon = Q(period_end__gte=on, period_end__lte=soon_end) & ~is_overdue
    is_returned = Q(status=Status.POST_REHAB) & (
        Q(last_visit_on__isnull=True) | Q(last_visit_on__lt=F("status_since"))
    )
    # The same rule as apps.cases.stocks: once the term has ended the file leaves the stock.
    is_expired = Q(status__in=list(TERM_KEYS), period_end__lte=on)
    counts = base.aggregate(
        open=Count("pk"),
        expired=Count("pk", filter=is_expired),
        overdue=Count("pk", filter=is_overdue),
        due_soon=Count("pk", filter=is_soon),
        returned=Count("pk", filter=is_returned),
    )
    # Only the columns the worklist shows: a file row carries its notes, records and some thirty
    # other columns, and up to 200 rows are built per page (issue 14 §3).
    rows = base.select_related("person", "commune").only(*WORKLIST_FIELDS)

    def first(condition: Q, *order: str) -> list[CaseFile]:
        return list(rows.filter(condition).order_by(*order)[:limit]) if limit else []

    return Worklist(
        overdue=first(is_overdue, "due_date", "pk"),
        due_soon=first(is_soon, "period_end", "pk"),
        returned=first(is_returned, "status_since", "pk"),
        counts=counts,
        expired=first(is_expired, "period_end", "pk"),
    )


def case_get(*, user, pk: int, action: str = "view") -> CaseFile:
    qs = CaseFile.objects.select_related(
        "person",
        "person__ethnicity",
        "person__permanent_unit",
        "person__current_unit",
        "commune",
        "commune__parent",
        "assigned_officer",
        "transferred_from",
        "transferred_from__commune",
    ).prefetch_related("substances")
    return scoping.get_visible_or_404(qs, user, action, pk=pk)


def case_timeline(case: CaseFile) -> list[CaseEvent]:
    """This file's events, plus those of the files it was transferred from: the law requires the
    receiving commune to see the history, and reaching the earlier file's events only through a
    file the user may see keeps the scope rule intact."""
    chain = [case.pk]
    node = case
    while node.transferred_from_id:
        chain.append(node.transferred_from_id)
        node = CaseFile.objects.only("pk", "transferred_from_id").get(pk=node.transferred_from_id)
    events = list(
        CaseEvent.objects.filter(case_file_id__in=chain)
        .select_related("created_by", "voided_by", "replaces", "other_unit", "case_file__commune")
        .order_by("-event_date", "-pk")
    )
    # A voided entry names the entry that corrected it; both are in this list (no query per row).
    corrections = {e.replaces_id: e for e in events if e.replaces_id}
    for e in events:
        e.correction = corrections.get(e.pk)
    return events


_PERSON_FKS = ("ethnicity", "permanent_unit", "current_unit")


def people_as_recorded(*, user, cases: list[tuple[int, Person]]) -> dict[int, Person]:
    """For files transferred away, the person as recorded when the file was closed: ``{file id:
    unsaved copy}``, for the files whose person has no open file the user may see. The sending
    commune keeps its own history but not the data the receiving commune records afterwards (new
    phone, new address…); the record is each file's transfer audit entry. Three queries at most."""
    if not cases:
        return {}
    open_files = CaseFile.objects.filter(person_id__in={p.pk for _c, p in cases}, status__in=OPEN_STATUSES)
    followed = set(scoping.visible_to(open_files, user).values_list("person_id", flat=True))
    hidden = [(case_id, person) for case_id, person in cases if person.pk not in followed]
    if not hidden:
        return {}
    from django.contrib.contenttypes.models import ContentType

    recorded: dict[int, dict] = {}
    entries = AuditLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CaseFile),
        object_id__in=[str(case_id) for case_id, _p in hidden],
        action="cases.casefile.transfer",
    ).order_by("time", "pk")
    for object_id, before in entries.values_list("object_id", "before"):
        recorded[int(object_id)] = (before or {}).get("person") or {}
    return {case_id: _recorded_person(person, recorded.get(case_id, {})) for case_id, person in hidden}


def _recorded_person(person: Person, recorded: dict) -> Person:
    # An unsaved copy: templates and exports read it like the live record, and nothing saves it.
    frozen = Person(pk=person.pk, version=person.version, merged_into_id=person.merged_into_id)
    for name in ("full_name", "sex", "birth_year"):  # identity, always known to the file
        setattr(frozen, name, getattr(person, name))
    for name, value in recorded.items():
        if name in _PERSON_FKS:
            setattr(frozen, f"{name}_id", value)
        elif name == "date_of_birth":
            frozen.date_of_birth = dt.date.fromisoformat(value) if value else None
        elif hasattr(frozen, name):
            setattr(frozen, name, value if value is not None else "")
    frozen._state.adding = False
    return frozen


def person_for_case(*, user, case: CaseFile) -> Person:
    """The person as this file may show them (see ``people_as_recorded``)."""
    if case.close_reason != CloseReason.TRANSFERRED:
        return case.person
    return people_as_recorded(user=user, cases=[(case.pk, case.person)]).get(case.pk, case.person)


def case_transferred_to(case: CaseFile) -> CaseFile | None:
    return CaseFile.objects.filter(transferred_from=case).select_related("commune").first()


@dataclass(frozen=True)
class DuplicateMatch:
    person: Person
    communes: list[AdministrativeUnit]
    visible_case_ids: list[int]
    reason: str


def duplicates_find(
    *, user, full_name: str, birth_year: int | None, sex: str, citizen_id: str = "", exclude_person: int | None = None
) -> list[DuplicateMatch]:
    """People who may be the same person, across the whole province: the same CCCD, or the same
    name (diacritics and word order ignored) with the same birth year and sex. Out-of-scope matches
    reveal only the commune, never personal details (the view shows ``communes`` for those)."""
    conditions = Q()
    if citizen_id:
        conditions |= Q(citizen_id=citizen_id)
    if full_name and birth_year and sex:
        key = " ".join(sorted(normalize(full_name).split()))
        conditions |= Q(name_key=key, birth_year=birth_year, sex=sex)
    if not conditions:
        return []
    people = Person.objects.filter(conditions, merged_into__isnull=True)
    if exclude_person:
        people = people.exclude(pk=exclude_person)
        distinct = DistinctPair.objects.filter(Q(first_id=exclude_person) | Q(second_id=exclude_person))
        excluded = {p for pair in distinct.values_list("first_id", "second_id") for p in pair}
        people = people.exclude(pk__in=excluded)
    people = people.prefetch_related(Prefetch("case_files", queryset=CaseFile.objects.select_related("commune")))[:20]
    visible = set(
        scoping.visible_to(CaseFile.objects.filter(person__in=[p.pk for p in people]), user).values_list(
            "pk", flat=True
        )
    )
    result = []
    for person in people:
        files = list(person.case_files.all())
        reason = "CCCD" if citizen_id and person.citizen_id == citizen_id else "name"
        result.append(
            DuplicateMatch(
                person=person,
                communes=vi_sorted({f.commune for f in files}, key=lambda u: u.name),
                visible_case_ids=[f.pk for f in files if f.pk in visible],
                reason=reason,
            )
        )
    return result


def duplicate_candidates(*, user, limit: int = 100) -> list[tuple[Person, Person]]:
    """Pairs of people that may be one person: the same CCCD, or the same name key, birth year and
    sex. Pairs a reviewer already marked as different are left out."""
    from django.db.models import Count

    live = Person.objects.filter(merged_into__isnull=True)
    visible = visible_people(user).filter(merged_into__isnull=True)
    by_name = live.values("name_key", "birth_year", "sex").annotate(n=Count("pk")).filter(n__gt=1).order_by("name_key")
    by_id = live.exclude(citizen_id="").values("citizen_id").annotate(n=Count("pk")).filter(n__gt=1)
    conditions = Q(pk__in=[])
    for key in by_name[:limit]:
        conditions |= Q(name_key=key["name_key"], birth_year=key["birth_year"], sex=key["sex"])
    for key in by_id[:limit]:
        conditions |= Q(citizen_id=key["citizen_id"])
    people = list(
        visible.filter(conditions)
        .prefetch_related(Prefetch("case_files", queryset=CaseFile.objects.select_related("commune")))
        .order_by("pk")
    )
    decided = set(DistinctPair.objects.values_list("first_id", "second_id"))
    pairs: list[tuple[Person, Person]] = []
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            same_id = a.citizen_id and a.citizen_id == b.citizen_id
            same_name = (a.name_key, a.birth_year, a.sex) == (b.name_key, b.birth_year, b.sex)
            if (same_id or same_name) and (a.pk, b.pk) not in decided:
                pairs.append((a, b))
    return pairs[:limit]


def visible_people(user) -> QuerySet[Person]:
    """People with at least one file the user may see (pk__in avoids duplicate rows from the join)."""
    return Person.objects.filter(pk__in=scoping.visible_to(CaseFile.objects.all(), user).values("person_id"))


# --- ethnic groups as people write them ------------------------------------------------------------

_ETHNICITY_PUNCTUATION = re.compile(r"[\s'’‘`´\-]+")


def ethnicity_key(text: str) -> str:
    """'H'Mông', 'H-Mông', 'Hmông', 'H Mông' and 'hmong' are one spelling: no diacritics, no
    apostrophes, hyphens or spaces."""
    return _ETHNICITY_PUNCTUATION.sub("", normalize(text))


def ethnicity_index() -> dict[str, Ethnicity]:
    """Every name and alias of the ethnic groups (``ethnicity_key`` → group), for forms and imports.
    A group's own name wins over another group's alias."""
    groups = list(Ethnicity.objects.all())
    index: dict[str, Ethnicity] = {}
    for group in groups:
        index.setdefault(ethnicity_key(group.name), group)
    for group in groups:
        for alias in group.aliases.split(","):
            if alias.strip():
                index.setdefault(ethnicity_key(alias), group)
    return index
