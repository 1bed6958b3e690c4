"""Reads of the reports app, always starting from the user's scope (``apps.core.scoping``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from apps.areas.models import AdministrativeUnit
from apps.cases import stocks
from apps.cases.models import CaseFile
from apps.core import scoping
from apps.core.collation import vi_order
from apps.reporting.services import current_communes_in

from .models import IssuedReport, ReportKind


def report_units(user) -> QuerySet[AdministrativeUnit]:
    """Units the user may report on: today's province and communes inside their area."""
    qs = AdministrativeUnit.objects.current().filter(level__in=["province", "commune"])
    if not user.is_superuser:
        qs = qs.filter(pk__in=scoping.visible_unit_ids(user))
    return vi_order(qs, "=depth", "name")


def unit_get(*, user, pk: int | str) -> AdministrativeUnit:
    """A unit the user may report on; anything else answers 404, like a missing one."""
    return scoping.get_visible_or_404(report_units(user), user, "view", pk=pk)


def issued_list(*, user, unit: AdministrativeUnit | None = None, kind: str = "") -> QuerySet[IssuedReport]:
    """The archive the user may read; lists of named people only with their dedicated permission."""
    qs = scoping.visible_to(IssuedReport.objects.select_related("unit", "issued_by"), user, "view")
    if not user.has_perm("reports.view_people_list"):
        qs = qs.exclude(kind=ReportKind.PEOPLE_LIST)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def issued_get(*, user, pk: int, action: str = "view") -> IssuedReport:
    report = scoping.get_visible_or_404(IssuedReport.objects.select_related("unit", "issued_by"), user, action, pk=pk)
    return report


# --- the list of named people -------------------------------------------------------------------


def _open_cases(unit: AdministrativeUnit, as_of: dt.date):
    """Files counting on ``as_of`` in the unit's communes by the one definition
    (``apps.cases.stocks``, as "people_total" counts them), so the list matches the report."""
    from django.db.models.expressions import RawSQL

    sql, params = stocks.files_on_sql(current_communes_in(unit).values_list("pk", flat=True), as_of)
    return CaseFile.objects.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - SQL built by stocks, params bound


def people_list_count(*, unit: AdministrativeUnit, as_of: dt.date) -> int:
    return _open_cases(unit, as_of).count()


def people_list_rows(*, unit: AdministrativeUnit, as_of: dt.date) -> list[dict[str, Any]]:
    """People with an open case file in the unit on ``as_of``, by commune and name."""
    cases = vi_order(
        _open_cases(unit, as_of).select_related("person", "commune"),
        "commune__name",
        "person__full_name",
        "=person__birth_year",
        "=pk",
    )
    return [
        {
            "stt": n,
            "file_number": case.file_number,
            "full_name": case.person.full_name,
            "birth_year": case.person.birth_year,
            "sex": case.person.get_sex_display(),
            "commune": case.commune.full_name,
            "village": case.person.current_village,
            "case_type": case.get_case_type_display(),
            "status": case.get_status_display(),
            "detected_on": case.detected_on.strftime("%d/%m/%Y"),
        }
        for n, case in enumerate(cases.iterator(chunk_size=1000), start=1)
    ]
