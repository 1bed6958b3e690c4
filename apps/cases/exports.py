"""Export of the (scoped, filtered) case list as .xlsx or .csv, audited, formula-safe
(``core.exports``; ``neutralize`` is re-exported here for its callers)."""

from __future__ import annotations

from django.http import HttpResponse

from apps.core.exports import neutralize, tabular_response

__all__ = ["HEADERS", "export_response", "export_rows", "neutralize"]

from .choices import CloseReason
from .selectors import people_as_recorded

HEADERS = [
    "Số hồ sơ",
    "Họ và tên",
    "Tên gọi khác",
    "Giới tính",
    "Năm sinh",
    "Ngày sinh",
    "Dân tộc",
    "Số CCCD/CMND",
    "Xã/phường quản lý",
    "Thôn/tổ",
    "Địa chỉ",
    "Loại hồ sơ",
    "Tình trạng",
    "Nơi ở hiện nay",
    "Chất ma túy",
    "Ngày phát hiện",
    "Hạn tiếp theo",
    "Việc đến hạn",
]


def _row(case, person=None) -> list:
    p = person or case.person
    return [
        case.file_number,
        p.full_name,
        p.aliases,
        p.get_sex_display(),
        p.birth_year,
        p.date_of_birth.strftime("%d/%m/%Y") if p.date_of_birth else "",
        p.ethnicity.name if p.ethnicity else "",
        p.citizen_id,
        case.commune.full_name,
        p.current_village,
        p.current_address,
        case.get_case_type_display(),
        case.get_status_display(),
        case.get_whereabouts_display(),
        ", ".join(s.name for s in case.substances.all()),
        case.detected_on.strftime("%d/%m/%Y"),
        case.due_date.strftime("%d/%m/%Y") if case.due_date else "",
        case.due_label,
    ]


def export_rows(queryset, user=None) -> list[list]:
    """The rows of the export; with ``user``, files transferred away show the person as recorded
    when they were closed (``selectors.people_as_recorded``), not the receiving commune's data."""
    recorded = {}
    if user is not None:
        moved = queryset.filter(close_reason=CloseReason.TRANSFERRED).select_related("person")
        recorded = people_as_recorded(user=user, cases=[(case.pk, case.person) for case in moved])
    return [[neutralize(v) for v in _row(case, recorded.get(case.pk))] for case in queryset.iterator(chunk_size=2000)]


def export_response(*, actor, queryset, fmt: str, filters: str) -> HttpResponse:
    return tabular_response(
        actor=actor,
        headers=HEADERS,
        rows=export_rows(queryset, user=actor),
        fmt=fmt,
        stem="ho-so",
        sheet="Ho so",
        action="cases.casefile.export",
        filters=filters,
    )
