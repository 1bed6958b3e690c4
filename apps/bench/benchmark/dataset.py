"""The benchmark's rows in the database: which files are its, how many rows there are, and
deleting them again (``reset``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q, QuerySet

from apps.areas.models import AdministrativeUnit
from apps.cases.choices import Status
from apps.cases.models import CaseEvent, CaseFile, Person, PersonMerge, StockSpan
from apps.core.registry import forget_derived_figures

from .users import OFFICER_USERNAME

BENCH_PREFIX = "BM-"

Log = Callable[[str], None]


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def benchmark_files() -> QuerySet[CaseFile]:
    return CaseFile.objects.filter(file_number__startswith=BENCH_PREFIX)


def current_communes() -> list[AdministrativeUnit]:
    return list(AdministrativeUnit.objects.current().filter(level="commune").order_by("code"))


def counts_summary() -> dict[str, int]:
    return {
        "persons": Person.objects.count(),
        "case_files": CaseFile.objects.count(),
        "case_events": CaseEvent.objects.count(),
        "benchmark_files": benchmark_files().count(),
        "open_files": CaseFile.objects.filter(~Q(status=Status.CLOSED)).count(),
    }


def _chunks(values: list[int], size: int = 5_000) -> Iterator[list[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def delete_files(files: QuerySet[CaseFile]) -> dict[str, int]:
    """Delete files with their events, substance links and the people left without any file."""
    ids = list(files.values_list("pk", flat=True))
    person_ids = sorted(set(files.values_list("person_id", flat=True)))
    counts = Counter[str]()
    through = CaseFile.substances.through
    with transaction.atomic():
        for chunk in _chunks(ids):
            through.objects.filter(casefile_id__in=chunk).delete()
            counts["events"] += CaseEvent.objects.filter(case_file_id__in=chunk).delete()[0]
            StockSpan.objects.filter(case_file_id__in=chunk).delete()
            CaseFile.objects.filter(pk__in=chunk, transferred_from__isnull=False).update(transferred_from=None)
        for chunk in _chunks(ids):
            counts["files"] += CaseFile.objects.filter(pk__in=chunk).delete()[1].get(CaseFile._meta.label, 0)
        merges = PersonMerge.objects.values_list("kept_id", flat=True).union(
            PersonMerge.objects.values_list("merged_id", flat=True)
        )
        merged_into = Person.objects.filter(merged_into__isnull=False).values_list("merged_into_id", flat=True)
        protected = set(merges) | set(merged_into)
        for chunk in _chunks(person_ids):
            orphans = Person.objects.filter(pk__in=chunk, case_files__isnull=True).exclude(pk__in=protected)
            counts["persons"] += orphans.delete()[1].get(Person._meta.label, 0)
    forget_derived_figures()
    return dict(counts)


def reset(log: Log) -> dict[str, int]:
    User = get_user_model()
    seeded = delete_files(benchmark_files())
    log(f"Deleted seeded data: {seeded.get('files', 0):,} files, {seeded.get('events', 0):,} events, "
        f"{seeded.get('persons', 0):,} people")  # fmt: skip
    officer = User.objects.filter(username=OFFICER_USERNAME).first()
    if officer is not None:
        imported = delete_files(CaseFile.objects.filter(created_by=officer))
        log(f"Deleted imported benchmark files: {imported.get('files', 0):,} files, "
            f"{imported.get('persons', 0):,} people")  # fmt: skip
        seeded["imported_files"] = imported.get("files", 0)
    log("(Audit entries written by the measurements stay: the audit log is append-only.)")
    return seeded
