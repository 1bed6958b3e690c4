"""Exports of the prevention lists as .xlsx: scoped (the selectors' querysets), formula-safe and
audited through the one tabular export path (``core.exports``). Tip-off exports never contain
the informant."""

from __future__ import annotations

from django.http import HttpResponse

from apps.core.exports import Sheet, day

from . import actions


def activity_export(*, actor, queryset, groups, filters: str) -> HttpResponse:
    headers = [
        "Nội dung, tên hoạt động",
        "Từ ngày",
        "Đến ngày",
        "Xã, phường",
        "Hình thức",
        "Chủ đề",
        "Số buổi",
        *[f"Lượt người: {g.short_name}" for g in groups],
        "Tổng lượt người",
        "Số người nguy cơ cao được tiếp cận",
        "Số tài liệu đã phát",
        "Tài liệu đã phát",
        "Đơn vị tổ chức",
        "Cán bộ báo cáo",
        "Ghi chú",
    ]

    def row(a) -> list:
        counts = {p.group_id: p.count for p in a.participations.all()}
        return [
            a.title,
            day(a.date_from),
            day(a.date_to),
            "; ".join(c.full_name for c in a.communes.all()),
            a.get_kind_display(),
            "; ".join(t.get_topic_display() for t in a.topics.all()),
            a.sessions,
            *[counts.get(g.pk, "") for g in groups],
            a.participants_total,
            a.reach_count,
            a.materials_count,
            a.materials_description,
            a.organiser,
            a.reporting_officer.get_full_name() if a.reporting_officer else "",
            a.notes,
        ]

    # The people columns follow the audience groups of the day: the sheet is built per export.
    sheet = Sheet(
        action=actions.ACTIVITY_EXPORT, stem="hoat-dong-tuyen-truyen", sheet="Hoat dong", headers=headers, row=row
    )
    return sheet.response(actor=actor, queryset=queryset, filters=filters)


HIGHRISK = Sheet(
    action=actions.HIGHRISK_EXPORT,
    stem="so-nguy-co-cao",
    sheet="Nguy co cao",
    headers=[
        "Họ và tên",
        "Năm sinh",
        "Giới tính",
        "Xã, phường",
        "Thôn, tổ dân phố",
        "Nhóm nguy cơ",
        "Tình trạng",
        "Nguồn",
        "Số lần được tiếp cận",
        "Lần tiếp cận gần nhất",
        "Ghi chú",
    ],
    row=lambda p: [
        p.full_name,
        p.birth_year,
        p.get_sex_display(),
        p.commune.full_name,
        p.village,
        p.category.name,
        p.get_status_display(),
        p.get_source_display(),
        p.reach_count,
        day(p.last_reached),
        p.notes,
    ],
)


TRAINING = Sheet(
    action=actions.TRAINING_EXPORT,
    stem="tap-huan",
    sheet="Tap huan",
    headers=["Ngày tổ chức", "Nội dung tập huấn", "Đơn vị tổ chức", "Đơn vị tham dự", "Tổng số người", "Ghi chú"],
    row=lambda t: [
        day(t.held_on),
        t.topic,
        t.organiser,
        "; ".join(f"{p.unit.full_name}: {p.count}" for p in t.participations.all()),
        t.participants_total,
        t.notes,
    ],
)


def _latest_evaluation(point):
    evaluations = list(point.evaluations.all())
    return evaluations[0] if evaluations else None


MODELPOINT = Sheet(
    action=actions.MODELPOINT_EXPORT,
    stem="mo-hinh-diem",
    sheet="Mo hinh diem",
    headers=[
        "Tên mô hình",
        "Xã, phường",
        "Số quyết định",
        "Ngày quyết định",
        "Bắt đầu hoạt động",
        "Dừng hoạt động",
        "Năm đánh giá gần nhất",
        "Kết quả",
    ],
    row=lambda m: [
        m.name,
        m.commune.full_name,
        m.decision_number,
        day(m.decision_date),
        day(m.started_on),
        day(m.ended_on),
        _latest_evaluation(m).year if _latest_evaluation(m) else "",
        _latest_evaluation(m).get_result_display() if _latest_evaluation(m) else "",
    ],
)


# No informant column, whoever exports: identities are read one by one, audited, on screen.
TIPOFF = Sheet(
    action=actions.TIPOFF_EXPORT,
    stem="tin-bao",
    sheet="Tin bao",
    headers=[
        "Số",
        "Ngày tiếp nhận",
        "Hình thức",
        "Xã, phường",
        "Nội dung",
        "Tình trạng xử lý",
        "Kết quả xử lý",
        "Mã vụ án liên quan",
        "Mã điểm, tụ điểm liên quan",
        "Cán bộ tiếp nhận",
    ],
    row=lambda t: [
        t.pk,
        day(t.received_on),
        t.get_channel_display(),
        t.commune.full_name,
        t.summary,
        t.get_status_display(),
        t.result,
        t.crime_case_id or "",
        t.hotspot_id or "",
        t.received_by.get_full_name() if t.received_by else "",
    ],
)
