"""Writes of the reports app: unit headers, issuing, generating (the background job), downloads
and exports. Every write and every download of a file leaves its audit row."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.areas.models import AdministrativeUnit
from apps.areas.selectors import home_province
from apps.audit.services import audit_record, snapshot
from apps.core import scoping

from . import actions, documents, narrative, sources
from .filenames import report_filename
from .generation import report_generate
from .models import IssuedReport, ReportHeaderConfig, ReportKind, ReportStatus
from .pdf import render_pdf
from .selectors import people_list_count
from .tasks import generate_report
from .xlsx import figures_workbook

HEADER_FIELDS = [
    "parent_body",
    "issuing_body",
    "number_symbol",
    "place",
    "authority_line",
    "signer_title",
    "signer_name",
    "recipients",
]
#: reports covering at most this many communes are generated within the request (well under 2 s);
#: larger ones (the province) go to the background worker
SYNC_MAX_COMMUNES = 1


class ReportIntegrityError(Exception):
    """The archived file no longer matches the SHA-256 recorded when it was issued."""


# --- headers ------------------------------------------------------------------------------------


def _province_name() -> str:
    province = home_province()
    return province.full_name if province else "Tỉnh Tuyên Quang"


def header_defaults(unit: AdministrativeUnit) -> dict[str, str]:
    """A sensible header for a unit that has not configured its own: the police of the province
    for the province, the commune police for a commune."""
    if unit.level == "province":
        return {
            "parent_body": "BỘ CÔNG AN",
            "issuing_body": f"CÔNG AN {unit.full_name}".upper(),
            "number_symbol": "/BC-CAT-PC04",
            "place": unit.name,
            "authority_line": "KT. GIÁM ĐỐC",
            "signer_title": "PHÓ GIÁM ĐỐC",
            "signer_name": "",
            "recipients": "\n".join(
                [
                    "Bộ Công an (C04)",
                    "Tỉnh ủy, UBND tỉnh",
                    "Ban Chỉ đạo tỉnh",
                    "Công an các xã, phường",
                    "Lưu: VT, PC04",
                ]
            ),
        }
    province = _province_name()
    word = unit.full_name.split(" ")[0].upper() if unit.full_name else "XÃ"
    symbol = "CAP" if word == "PHƯỜNG" else "CAX"
    return {
        "parent_body": f"CÔNG AN {province}".upper(),
        "issuing_body": f"CÔNG AN {unit.full_name}".upper(),
        "number_symbol": f"/BC-{symbol}",
        "place": province.removeprefix("Tỉnh ").strip() or "Tuyên Quang",
        "authority_line": "",
        "signer_title": f"TRƯỞNG CÔNG AN {word}",
        "signer_name": "",
        "recipients": f"Công an tỉnh (PC04)\nĐảng ủy, UBND {unit.full_name.split(' ')[0].lower()}\nLưu: VT, {symbol}",
    }


def header_for(unit: AdministrativeUnit) -> dict[str, str]:
    """The unit's configured header, or the defaults."""
    config = ReportHeaderConfig.objects.filter(unit=unit).first()
    if config is None:
        return header_defaults(unit)
    return {name: getattr(config, name) for name in HEADER_FIELDS}


@transaction.atomic
def header_save(*, actor, unit: AdministrativeUnit, data: dict[str, Any], version: int | None = None):
    """Create or update the unit's header (province staff), audited with before/after."""
    if not scoping.unit_in_scope(actor, unit):
        raise PermissionDenied
    config = ReportHeaderConfig.objects.select_for_update().filter(unit=unit).first()
    if config is None:
        config = ReportHeaderConfig(unit=unit)
        before = None
        action = actions.HEADER_CREATE
    else:
        if version is not None and version != config.version:
            who = config.updated_by or "người khác"
            raise ValidationError(f"Thể thức này vừa được {who} sửa; hãy mở lại trang để xem thay đổi trước khi lưu.")
        before = snapshot(config, HEADER_FIELDS)
        config.version += 1
        action = actions.HEADER_UPDATE
    for name in HEADER_FIELDS:
        setattr(config, name, (data.get(name) or "").strip())
    config.updated_by = actor
    config.full_clean()
    config.save()
    audit_record(
        actor=actor, action=action, obj=config, area=unit, before=before, after=snapshot(config, HEADER_FIELDS)
    )
    return config


# --- drafts and issuing -------------------------------------------------------------------------


@dataclass
class Draft:
    unit: AdministrativeUnit
    period: Any
    figures: dict[str, Any]
    narrative: dict[str, str]
    header: dict[str, str]

    @property
    def digest(self) -> str:
        return figures_digest(self.figures)


def figures_digest(figures: dict[str, Any]) -> str:
    """A short fingerprint of the numbers (not of when they were computed)."""
    import json

    numbers = {k: figures.get(k) for k in ("unit", "period", "total", "rows", "previous", "targets")}
    if "map" in figures:  # a past period: the map it is drawn on is part of what is signed
        numbers["map"] = {k: v for k, v in figures["map"].items() if k != "note"}
    return hashlib.sha256(json.dumps(numbers, sort_keys=True, default=str).encode()).hexdigest()[:16]


def draft_build(*, user, unit: AdministrativeUnit, period, map_choice: str = "") -> Draft:
    """Figures and prefilled narrative of a report not issued yet (``map_choice``: see
    ``sources.collect``)."""
    if not scoping.unit_in_scope(user, unit):
        raise PermissionDenied
    figures = sources.collect(user=user, unit=unit, period=period, map_choice=map_choice)
    return Draft(
        unit=unit, period=period, figures=figures, narrative=narrative.prefill(figures), header=header_for(unit)
    )


def _ensure_may_issue(actor, unit: AdministrativeUnit) -> None:
    """Previewing a report asks what issuing it does: the right to issue, and the unit in scope."""
    if not scoping.has_action(actor, IssuedReport, "issue") or not scoping.unit_in_scope(actor, unit):
        raise PermissionDenied


def draft_pdf(
    *, actor, draft: Draft, narrative_text: dict[str, str], number: str = "", document_date: dt.date | None = None
) -> bytes:
    """The preview of a report not issued yet: the PDF it would be, marked "DỰ THẢO" on every
    page. Nothing is archived — no issued report, no stored file, no audit of an issue."""
    _ensure_may_issue(actor, draft.unit)
    context = documents.periodic_context(
        header=draft.header,
        figures=draft.figures,
        narrative=_clean_narrative(narrative_text),
        number=number.strip(),
        document_date=document_date or timezone.localdate(),
    )
    return render_pdf("reports/pdf/periodic.html", {**context, "draft": True})


def draft_filename(draft: Draft) -> str:
    period = draft.figures["period"]
    return report_filename(
        unit=draft.unit, period_kind=period["kind"], year=period["year"], number=period["number"], draft=True
    )


def _clean_narrative(text: dict[str, str]) -> dict[str, str]:
    return {code: (text.get(code) or "").replace("\r\n", "\n").strip() for code in narrative.SECTION_CODES}


def report_issue(
    *,
    actor,
    unit: AdministrativeUnit,
    period,
    narrative_text: dict[str, str],
    number: str = "",
    document_date: dt.date | None = None,
    figures: dict[str, Any] | None = None,
) -> IssuedReport:
    """Archive a periodic report (figures, edited narrative, header) and start generating its PDF:
    within the request for a single commune, through the background worker otherwise."""
    _ensure_may_issue(actor, unit)
    if figures is None:
        figures = sources.collect(user=actor, unit=unit, period=period)
    described = figures["period"]
    report = _archive(
        actor=actor,
        unit=unit,
        audit_action=actions.REPORT_ISSUE,
        audit_after={"period": described["label"], "number": number.strip(), "state": figures.get("state")},
        kind=ReportKind.PERIODIC,
        period_kind=described["kind"],
        period_year=described["year"],
        period_number=described["number"],
        period_label=described["label"],
        period_start=dt.date.fromisoformat(described["start"]),
        period_end=dt.date.fromisoformat(described["end"]),
        number=number.strip(),
        document_date=document_date or timezone.localdate(),
        title="Báo cáo "
        + documents.subject_line(described["label"]).lower()[:1]
        + documents.subject_line(described["label"])[1:],
        figures=figures,
        narrative=_clean_narrative(narrative_text),
    )
    _start_generation(report, communes=len(figures["rows"]))
    return report


@transaction.atomic
def _archive(
    *, actor, unit: AdministrativeUnit, audit_action: str, audit_after: dict[str, Any], **fields: Any
) -> IssuedReport:
    """Create the archived report and its audit row in one transaction; the header, the issuer and
    the time are those of the issue (a later change of the unit's header leaves it as issued)."""
    report = IssuedReport.objects.create(
        unit=unit, header=header_for(unit), issued_by=actor, issued_at=timezone.now(), **fields
    )
    audit_record(actor=actor, action=audit_action, obj=report, area=unit, after=audit_after)
    return report


def _start_generation(report: IssuedReport, *, communes: int) -> None:
    if communes <= SYNC_MAX_COMMUNES:
        try:
            report_generate(report_id=report.pk)
        except Exception:  # noqa: S110 - recorded on the report (status failed, error) and logged
            pass
        return

    def enqueue():
        result = generate_report.enqueue(report.pk)
        IssuedReport.objects.filter(pk=report.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)


def report_retry(*, actor, report: IssuedReport) -> IssuedReport:
    """Queue a failed (or stuck) report again."""
    scoping.ensure_can(actor, "issue", report)
    if report.status == ReportStatus.DONE:
        return report
    IssuedReport.objects.filter(pk=report.pk).update(status=ReportStatus.QUEUED, progress=0, error="")
    _start_generation(report, communes=len(report.figures.get("rows", [])) if not report.is_people_list else 2)
    return report


def requeue_stale(*, older_than: dt.timedelta = dt.timedelta(minutes=15)) -> list[int]:
    """Reports left queued or running by a worker that stopped (e.g. a server restart while it
    ran): queue them again. Run before starting the worker."""
    cutoff = timezone.now() - older_than
    ids = list(
        IssuedReport.objects.filter(
            status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING], issued_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        IssuedReport.objects.filter(pk=pk).update(status=ReportStatus.QUEUED, progress=0)
        generate_report.enqueue(pk)
    return ids


# --- reading the archive ------------------------------------------------------------------------


def _check_people_list(actor, report: IssuedReport) -> None:
    if report.is_people_list and not actor.has_perm("reports.view_people_list"):
        raise PermissionDenied


def report_file_bytes(report: IssuedReport) -> bytes:
    """The archived bytes, checked against the recorded SHA-256."""
    with report.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != report.sha256:
        raise ReportIntegrityError(report.pk)
    return content


def report_download(*, actor, report: IssuedReport) -> bytes:
    """The issued file, byte for byte, audited."""
    _check_people_list(actor, report)
    if report.status != ReportStatus.DONE or not report.file:
        raise ValidationError("Báo cáo chưa tạo xong.")
    content = report_file_bytes(report)
    audit_record(
        actor=actor,
        action=actions.PEOPLE_LIST_DOWNLOAD if report.is_people_list else actions.REPORT_DOWNLOAD,
        obj=report,
        area=report.unit,
        after={"sha256": report.sha256, "size": len(content)},
    )
    return content


def report_export_xlsx(*, actor, report: IssuedReport) -> bytes:
    """The report's tables (the archived figures) as .xlsx, audited."""
    if report.is_people_list:
        raise PermissionDenied
    content = figures_workbook(report.figures, title=report.title, number=report.number)
    audit_record(
        actor=actor,
        action=actions.REPORT_EXPORT,
        obj=report,
        area=report.unit,
        after={"format": "xlsx", "rows": len(report.figures.get("rows", []))},
    )
    return content


# --- the list of named people -------------------------------------------------------------------


def people_list_issue(*, actor, unit: AdministrativeUnit, as_of: dt.date, number: str = "") -> IssuedReport:
    """The "Danh sách người có hồ sơ quản lý" of a unit in the actor's area (dedicated
    permission), archived and audited like the periodic reports. Its figures keep only the count."""
    if not actor.has_perm("reports.view_people_list") or not scoping.unit_in_scope(actor, unit):
        raise PermissionDenied
    count = people_list_count(unit=unit, as_of=as_of)
    report = _archive(
        actor=actor,
        unit=unit,
        audit_action=actions.PEOPLE_LIST_ISSUE,
        audit_after={"as_of": as_of.isoformat(), "count": count},
        kind=ReportKind.PEOPLE_LIST,
        period_end=as_of,
        period_label=f"đến ngày {as_of:%d/%m/%Y}",
        number=number.strip(),
        document_date=timezone.localdate(),
        title=f"Danh sách người có hồ sơ quản lý đến ngày {as_of:%d/%m/%Y}",
        figures={"count": count, "as_of": as_of.isoformat(), "unit": sources.unit_dict(unit)},
        narrative={},
    )
    _start_generation(report, communes=1 if unit.level == "commune" else 2)
    return report
