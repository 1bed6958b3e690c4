"""The import's bulk path (services.CaseBatch): the same records, rules and audit as one
``case_create`` per row, in a number of queries that does not grow with the rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AuditLogEntry
from apps.cases import services
from apps.cases.models import CaseEvent, CaseFile, Person
from apps.cases.resources import COL_DETECTED, COL_ID, COL_SUBST, CaseResource
from apps.core.imports import import_file
from apps.reporting import services as reporting_services
from apps.reporting.periods import period_get
from tests.cases.test_import_export import person_row, xlsx
from tests.factories.accounts import UserFactory
from tests.factories.cases import make_case

# Fields the bulk path computes itself and that must equal what the one-row service stores.
COMPARED = ["status", "case_type", "detected_on", "due_date", "due_label", "period_end", "status_since", "notes"]


def run(user, rows, *, dry_run=False):
    content = xlsx(rows).read()
    return import_file(
        actor=user,
        resource=CaseResource(user=user),
        content=content,
        filename="ho-so.xlsx",
        dry_run=dry_run,
        audit_action="cases.casefile.import",
    )


def rows_for(n, *, commune="2458", start=0):
    return [
        person_row(
            f"Nguyễn Văn Thử{chr(0x61 + (i % 26))} {i}",
            dob=f"{1 + i % 28:02d}/0{1 + i % 9}/19{70 + i % 30}",
            commune=commune,
            detected=(dt.date(2026, 1, 2) + dt.timedelta(days=i % 200)).strftime("%d/%m/%Y"),
            **{COL_ID: f"0080{90000000 + i:08d}", COL_SUBST: "Heroin, Methamphetamine" if i % 2 else "Cần sa"},
        )
        for i in range(start, start + n)
    ]


def test_bulk_files_equal_files_made_one_by_one(world, officer_a):
    report = run(officer_a, rows_for(4))
    assert (report.ok, report.new) == (True, 4)
    imported = list(CaseFile.objects.order_by("pk").select_related("person"))
    assert len(imported) == 4
    for case in imported:
        # The same input through the one-row service, in the other commune's numbering.
        twin = make_case(
            officer_a,
            world.commune_a,
            full_name=case.person.full_name + " B",
            birth_year=case.person.birth_year,
            sex=case.person.sex,
            detected_on=case.detected_on,
            case_type=case.case_type,
            substances=list(case.substances.values_list("code", flat=True)),
        )
        assert [getattr(case, f) for f in COMPARED] == [getattr(twin, f) for f in COMPARED]
        stored = CaseFile.objects.get(pk=case.pk)
        services.refresh_due(stored)
        due = (stored.due_date, stored.due_label, stored.period_end)
        assert due == (case.due_date, case.due_label, case.period_end)
        assert CaseEvent.objects.filter(case_file=case, kind="opened", event_date=case.detected_on).count() == 1
        entry = AuditLogEntry.objects.get(action="cases.casefile.create", object_id=str(case.pk))
        assert entry.area_id == world.commune_a.pk
        assert entry.after["substances"] == sorted(case.substances.values_list("code", flat=True))
        assert entry.after["person"]["full_name"] == case.person.full_name
        assert entry.actor_username == officer_a.username
    numbers = [c.file_number for c in imported]
    assert len(set(numbers)) == 4 and all(n.startswith("HS-2458-2026-") for n in numbers)
    # Numbers continue after the files made one by one, with no gap or reuse.
    later = run(officer_a, rows_for(1, start=50))
    assert later.ok
    newest = CaseFile.objects.latest("pk").file_number
    assert int(newest.rsplit("-", 1)[1]) == CaseFile.objects.filter(file_number__startswith="HS-2458-2026-").count()


def test_query_count_does_not_grow_with_rows(world, officer_a):
    def queries(rows):
        with CaptureQueriesContext(connection) as ctx:
            report = run(officer_a, rows)
        assert report.ok and report.new == len(rows)
        return len(ctx.captured_queries)

    few = queries(rows_for(5))
    many = queries(rows_for(45, start=100))
    # Per row only the savepoint import-export opens around it (2 statements); the rest is per file.
    assert many - few <= 2 * 40 + 10, (few, many)


def test_a_row_in_a_locked_period_is_refused_with_its_row_number(world, officer_a):
    period = period_get("quarter", 2025, 2)  # data window 15/03/2025 – 14/06/2025
    reviewer = UserFactory(username="reviewer_bulk", is_superuser=True)
    submission = reporting_services.submission_submit(actor=officer_a, commune=world.commune_a, period=period)
    reporting_services.submission_approve(actor=reviewer, submission=submission)
    rows = rows_for(3)
    rows[1][list(CaseResource.columns).index(COL_DETECTED)] = "20/04/2025"
    report = run(officer_a, rows)
    assert [(e.row, e.column) for e in report.errors] == [(3, COL_DETECTED)]
    assert "khóa" in report.errors[0].message
    assert not CaseFile.objects.exists() and not Person.objects.exists()


def test_same_person_in_two_communes_of_one_file_is_one_identity(world):
    # Province staff may not open files; a superuser (the province's administrator) may, anywhere.
    rows = rows_for(1) + rows_for(1, commune="Phường Minh Xuân")
    admin = UserFactory(username="import_root", is_superuser=True, area=world.province)
    report = run(admin, rows)
    assert report.ok, report.errors
    assert Person.objects.count() == 1
    assert set(CaseFile.objects.values_list("commune__code", flat=True)) == {"2458", world.commune_b.code}
    assert [(w.row, w.column) for w in report.warnings] == [(3, COL_ID)]


def test_dry_run_checks_everything_and_writes_nothing(world, officer_a):
    report = run(officer_a, rows_for(6), dry_run=True)
    assert (report.ok, report.new) == (True, 6)
    assert not CaseFile.objects.exists() and not Person.objects.exists() and not AuditLogEntry.objects.exists()


@pytest.mark.parametrize("commune_column", ["2458", "Xã Trung Sơn"])
def test_existing_person_by_citizen_id_gets_a_new_file_not_a_second_identity(
    world, officer_a, officer_b, commune_column
):
    theirs = make_case(officer_b, world.commune_b, citizen_id="008090000001", full_name="Lý Văn Sáu", birth_year=1990)
    rows = [person_row("Lý Văn Sáu", commune=commune_column, **{COL_ID: "008090000001"})]
    report = run(officer_a, rows)
    assert report.ok and report.new == 1
    assert Person.objects.count() == 1
    assert CaseFile.objects.filter(person=theirs.person).count() == 2
    assert [(w.row, w.column) for w in report.warnings] == [(2, COL_ID)]


def test_a_failing_bulk_write_reports_in_vietnamese_and_writes_nothing(world, officer_a, monkeypatch):
    from django.db import IntegrityError

    def broken(self):
        raise IntegrityError('duplicate key value violates unique constraint "cases_casefile_file_number_key"')

    monkeypatch.setattr(services.CaseBatch, "commit", broken)
    report = run(officer_a, rows_for(3))
    assert [(e.row, e.message) for e in report.errors] == [
        (0, "Không ghi được dữ liệu của tệp; chưa có gì được ghi. Hãy thử lại.")
    ]
    assert not CaseFile.objects.exists() and not Person.objects.exists()
    assert not AuditLogEntry.objects.filter(action="cases.casefile.import").exists()
