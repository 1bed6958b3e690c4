"""The case-file state machine and the legal clocks (domain.md §4).

Pure code: no database access. Services load the rows (durations, holidays, events) and call
these functions, so every rule is unit-testable on plain values and one place decides what is
allowed. Legal bases are cited on each transition and shown to users.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from .choices import CloseReason, DurationKey, EventKind, Status, Whereabouts

ART_256A_FROM = dt.date(2025, 7, 1)  # Điều 256a BLHS, added by Luật 86/2025/QH15, in force 01/7/2025


@dataclass(frozen=True)
class Transition:
    code: str
    label: str
    sources: tuple[str, ...]
    target: str
    event: str
    legal_basis: str
    needs_decision: bool = False
    needs_facility: bool = False
    needs_end_date: bool = False
    close_reason: str = ""
    whereabouts: str = ""
    case_type: str = ""
    result: str = ""
    not_before: dt.date | None = None
    #: the transition may only happen once the current legal period has ended
    after_period_end: bool = False
    #: minimum duration key that must have elapsed since entering the current status
    min_duration_key: str = ""
    choose_reason: bool = False
    #: the person's age on the event date must lie in [min_age, max_age) (compulsory rehab:
    #: adults and minors have different articles, courts' procedures and durations)
    min_age: int | None = None
    max_age: int | None = None
    #: duration keys bounding the end date of the decision (``needs_end_date``)
    term_keys: tuple[str, str] = (DurationKey.COMPULSORY_REHAB_MIN, DurationKey.COMPULSORY_REHAB_MAX)


# Art. 256a BLHS: drug use while in rehab (any form, at home or in a facility, voluntary or
# compulsory), on substitution treatment or under post-rehab management, or within 2 years after.
_ART_256A_SOURCES = (
    Status.VOLUNTARY_COMMUNITY,
    Status.VOLUNTARY_FACILITY,
    Status.METHADONE,
    Status.COMPULSORY,
    Status.POST_REHAB,
)
ADULT_AGE = 18
MINOR_REHAB_MIN_AGE = 12

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "positive_test",
        _("Xét nghiệm dương tính"),
        (Status.SIGNS,),
        Status.POSITIVE,
        EventKind.TEST,
        "Điều 22 Luật PCMT 2021; Chương IV Nghị định 105/2021/NĐ-CP",
        result="Dương tính",
    ),
    Transition(
        "negative_test",
        _("Xét nghiệm âm tính – kết thúc"),
        (Status.SIGNS,),
        Status.CLOSED,
        EventKind.TEST,
        "Điều 22 Luật PCMT 2021",
        close_reason=CloseReason.NEGATIVE_TEST,
        result="Âm tính",
    ),
    Transition(
        "management_decision",
        _("Quyết định quản lý người sử dụng"),
        (Status.POSITIVE,),
        Status.MANAGED,
        EventKind.MANAGEMENT_DECISION,
        "Điều 23 Luật PCMT 2021; Chương IV Nghị định 105/2021/NĐ-CP",
        needs_decision=True,
    ),
    Transition(
        "refer_determination",
        _("Đưa đi xác định tình trạng nghiện"),
        (Status.SIGNS, Status.POSITIVE, Status.MANAGED),
        Status.DETERMINING,
        EventKind.DETERMINATION_REFERRAL,
        "Điều 27 khoản 1 Luật PCMT 2021",
    ),
    Transition(
        "not_addicted",
        _("Kết quả: không nghiện – tiếp tục quản lý"),
        (Status.DETERMINING,),
        Status.MANAGED,
        EventKind.DETERMINATION,
        "Nghị định 109/2021/NĐ-CP (tiếp tục quản lý: chưa kiểm chứng)",
        needs_facility=True,
        result="Không nghiện",
    ),
    Transition(
        "addicted",
        _("Kết quả: nghiện ma túy"),
        (Status.DETERMINING,),
        Status.AWAITING_REGISTRATION,
        EventKind.DETERMINATION,
        "Phiếu kết quả Mẫu 04, Nghị định 109/2021/NĐ-CP",
        needs_facility=True,
        case_type="addict",
        result="Nghiện ma túy",
    ),
    Transition(
        "register_community",
        _("Đăng ký cai nghiện tự nguyện tại gia đình, cộng đồng"),
        (Status.AWAITING_REGISTRATION,),
        Status.VOLUNTARY_COMMUNITY,
        EventKind.REHAB_REGISTRATION,
        "Điều 28, 29 Luật PCMT 2021; Nghị định 116/2021/NĐ-CP",
    ),
    Transition(
        "register_facility",
        _("Đăng ký cai nghiện tự nguyện tại cơ sở"),
        (Status.AWAITING_REGISTRATION,),
        Status.VOLUNTARY_FACILITY,
        EventKind.REHAB_REGISTRATION,
        "Điều 30 Luật PCMT 2021; Nghị định 116/2021/NĐ-CP",
        needs_facility=True,
        whereabouts=Whereabouts.REHAB_FACILITY,
    ),
    Transition(
        "start_methadone",
        _("Điều trị thay thế (methadone)"),
        (Status.AWAITING_REGISTRATION,),
        Status.METHADONE,
        EventKind.METHADONE_START,
        "Nghị định 90/2016/NĐ-CP",
        needs_facility=True,
    ),
    Transition(
        "compulsory_dossier",
        _("Lập hồ sơ đề nghị cai nghiện bắt buộc"),
        (
            Status.AWAITING_REGISTRATION,
            Status.VOLUNTARY_COMMUNITY,
            Status.VOLUNTARY_FACILITY,
            Status.METHADONE,
            Status.POST_REHAB,
        ),
        Status.COMPULSORY_DOSSIER,
        EventKind.COMPULSORY_DOSSIER,
        "Điều 32 Luật PCMT 2021 (từ đủ 18 tuổi); Điều 33 Luật PCMT 2021 (từ đủ 12 đến dưới 18 tuổi)",
        min_age=MINOR_REHAB_MIN_AGE,
    ),
    Transition(
        "court_compulsory",
        _("Tòa án quyết định đưa vào cơ sở cai nghiện bắt buộc"),
        (Status.COMPULSORY_DOSSIER,),
        Status.COMPULSORY,
        EventKind.COURT_DECISION,
        "Điều 32, 33 Luật PCMT 2021; Điều 95 Luật XLVPHC",
        needs_decision=True,
        needs_facility=True,
        needs_end_date=True,
        whereabouts=Whereabouts.REHAB_FACILITY,
        min_age=ADULT_AGE,
    ),
    Transition(
        "court_compulsory_minor",
        _("Tòa án quyết định đưa người từ đủ 12 đến dưới 18 tuổi vào cơ sở cai nghiện bắt buộc"),
        (Status.COMPULSORY_DOSSIER,),
        Status.COMPULSORY,
        EventKind.COURT_DECISION,
        "Điều 33 Luật PCMT 2021; Pháp lệnh số 01/2022/UBTVQH15 về trình tự, thủ tục Tòa án xem xét, quyết "
        "định đưa người từ đủ 12 đến dưới 18 tuổi vào cơ sở cai nghiện bắt buộc (chưa kiểm chứng)",
        needs_decision=True,
        needs_facility=True,
        needs_end_date=True,
        whereabouts=Whereabouts.REHAB_FACILITY,
        min_age=MINOR_REHAB_MIN_AGE,
        max_age=ADULT_AGE,
        term_keys=(DurationKey.COMPULSORY_REHAB_MINOR_MIN, DurationKey.COMPULSORY_REHAB_MINOR_MAX),
    ),
    Transition(
        "court_rejects",
        _("Tòa án không chấp nhận đề nghị – kết thúc"),
        (Status.COMPULSORY_DOSSIER,),
        Status.CLOSED,
        EventKind.COURT_DECISION,
        "Điều 33 Luật PCMT 2021 (chưa kiểm chứng)",
        needs_decision=True,
        close_reason=CloseReason.COURT_REJECTED,
    ),
    Transition(
        "facility_release",
        _("Chấp hành xong, trở về – quản lý sau cai"),
        (Status.COMPULSORY,),
        Status.POST_REHAB,
        EventKind.FACILITY_RELEASE,
        "Điều 40 Luật PCMT 2021",
        whereabouts=Whereabouts.COMMUNITY,
    ),
    Transition(
        "complete_voluntary",
        _("Hoàn thành cai nghiện tự nguyện – kết thúc"),
        (Status.VOLUNTARY_COMMUNITY, Status.VOLUNTARY_FACILITY),
        Status.CLOSED,
        EventKind.REHAB_COMPLETED,
        "Điều 29, 30 Luật PCMT 2021",
        close_reason=CloseReason.REHAB_COMPLETED,
        whereabouts=Whereabouts.COMMUNITY,
        min_duration_key=DurationKey.VOLUNTARY_REHAB_MIN,
    ),
    Transition(
        "complete_methadone",
        _("Hoàn thành điều trị methadone – kết thúc"),
        (Status.METHADONE,),
        Status.CLOSED,
        EventKind.METHADONE_STOP,
        "Nghị định 90/2016/NĐ-CP",
        close_reason=CloseReason.REHAB_COMPLETED,
    ),
    Transition(
        "management_completed",
        _("Hết thời hạn quản lý, không tái sử dụng – kết thúc"),
        (Status.MANAGED,),
        Status.CLOSED,
        EventKind.MANAGEMENT_END,
        "Điều 23 Luật PCMT 2021",
        close_reason=CloseReason.TERM_COMPLETED,
        after_period_end=True,
    ),
    Transition(
        "post_rehab_completed",
        _("Hết thời hạn quản lý sau cai – kết thúc"),
        (Status.POST_REHAB,),
        Status.CLOSED,
        EventKind.POST_REHAB_END,
        "Điều 40 Luật PCMT 2021",
        close_reason=CloseReason.REHAB_COMPLETED,
        after_period_end=True,
    ),
    Transition(
        "prosecute",
        _("Bắt, khởi tố theo Điều 256a BLHS"),
        (*_ART_256A_SOURCES, Status.CLOSED),
        Status.CRIMINAL,
        EventKind.PROSECUTION,
        "Điều 256a Bộ luật Hình sự (Luật 86/2025/QH15), áp dụng từ 01/7/2025",
        whereabouts=Whereabouts.PRISON,
        not_before=ART_256A_FROM,
    ),
    Transition(
        "close",
        _("Kết thúc hồ sơ (chết, chấp hành án, lý do khác)"),
        tuple(s for s in Status.values if s != Status.CLOSED),
        Status.CLOSED,
        EventKind.CLOSURE,
        "Quyết định của Chủ tịch UBND cấp xã (chưa kiểm chứng)",
        choose_reason=True,
    ),
    Transition(
        "reopen",
        _("Phát hiện dấu hiệu sử dụng trở lại"),
        (Status.CLOSED, Status.CRIMINAL),
        Status.SIGNS,
        EventKind.REOPENED,
        "Chương IV Nghị định 105/2021/NĐ-CP",
        whereabouts=Whereabouts.COMMUNITY,
    ),
)

TRANSITIONS_BY_CODE = {t.code: t for t in TRANSITIONS}


def allowed_transitions(status: str, age: tuple[int, int] | None = None) -> list[Transition]:
    """The transitions a file in ``status`` may take, in a stable order; with the person's
    possible ``age`` (see ``age_range``), those whose age bounds exclude it are left out."""
    return [t for t in TRANSITIONS if status in t.sources and _age_fits(t, age)]


def age_range(date_of_birth: dt.date | None, birth_year: int | None, on: dt.date) -> tuple[int, int] | None:
    """The person's age on ``on`` as (lowest, highest) possible: exact with a date of birth, two
    possible values with a year of birth only, ``None`` when neither is known."""
    if date_of_birth:
        years = on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
        return years, years
    if birth_year:
        return on.year - birth_year - 1, on.year - birth_year
    return None


def _age_fits(transition: Transition, age: tuple[int, int] | None) -> bool:
    # An unknown age does not block the officer; a year of birth alone allows either side of a birthday.
    if age is None:
        return True
    low, high = age
    if transition.min_age is not None and high < transition.min_age:
        return False
    return not (transition.max_age is not None and low >= transition.max_age)


class TransitionError(ValueError):
    """A refused transition, with a message for the officer."""


# --- legal clocks -----------------------------------------------------------------------------


class DurationRow(Protocol):
    key: str
    label: str
    value: int
    unit: str
    law: str
    effective_from: dt.date
    effective_to: dt.date | None
    verification: str


@dataclass(frozen=True)
class Clock:
    """The durations and holidays a computation needs, loaded once by the caller."""

    durations: Sequence[DurationRow]
    holidays: frozenset[dt.date] = field(default_factory=frozenset)

    def duration(self, key: str, on: dt.date) -> DurationRow | None:
        """The duration in force on ``on`` (the law applicable to the event's date)."""
        for row in self.durations:
            if row.key == key and row.effective_from <= on and (row.effective_to is None or on <= row.effective_to):
                return row
        return None

    def add(self, start: dt.date, key: str) -> tuple[dt.date | None, DurationRow | None]:
        row = self.duration(key, start)
        if row is None:
            return None, None
        return add_duration(start, row.value, row.unit, self.holidays), row


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):  # 31/1 + 1 month = 28 or 29/2
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def add_working_days(start: dt.date, days: int, holidays: Iterable[dt.date]) -> dt.date:
    """``days`` working days after ``start``, skipping Saturdays, Sundays and public holidays."""
    off = set(holidays)
    current, remaining = start, days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            remaining -= 1
    return current


def add_duration(start: dt.date, value: int, unit: str, holidays: Iterable[dt.date] = ()) -> dt.date:
    if unit == "months":
        return add_months(start, value)
    if unit == "working_days":
        return add_working_days(start, value, holidays)
    if unit == "hours":
        return start + dt.timedelta(days=-(-value // 24))
    return start + dt.timedelta(days=value)


@dataclass(frozen=True)
class EventFact:
    """What the clock needs of an event."""

    kind: str
    event_date: dt.date
    to_status: str = ""
    decision_date: dt.date | None = None
    end_date: dt.date | None = None


@dataclass(frozen=True)
class Due:
    due_date: dt.date | None
    due_label: str
    period_end: dt.date | None
    status_since: dt.date | None
    last_visit_on: dt.date | None
    basis: str = ""


# status → (duration key giving the period end, label for the due date)
_PERIODS = {
    Status.MANAGED: (DurationKey.MANAGEMENT_PERIOD, _("Hết thời hạn quản lý người sử dụng")),
    Status.AWAITING_REGISTRATION: (DurationKey.REGISTRATION_DEADLINE, _("Hạn đăng ký cai nghiện / điều trị thay thế")),
    Status.VOLUNTARY_COMMUNITY: (DurationKey.VOLUNTARY_REHAB_MAX, _("Hết thời hạn tối đa cai nghiện tự nguyện")),
    Status.VOLUNTARY_FACILITY: (DurationKey.VOLUNTARY_REHAB_MAX, _("Hết thời hạn tối đa cai nghiện tự nguyện")),
    Status.POST_REHAB: (DurationKey.POST_REHAB_PERIOD, _("Hết thời hạn quản lý sau cai nghiện")),
}
_VISIT_STATUSES = {
    Status.MANAGED,
    Status.AWAITING_REGISTRATION,
    Status.VOLUNTARY_COMMUNITY,
    Status.METHADONE,
    Status.POST_REHAB,
}


def compute_due(
    *, status: str, whereabouts: str, events: Sequence[EventFact], detected_on: dt.date, clock: Clock
) -> Due:
    """Next due date of a file from its timeline: the end of the current legal period, the
    registration deadline, the expected return from a facility, or the next home visit."""
    entering = [e for e in events if e.to_status == status]
    since_event = entering[-1] if entering else None
    status_since = since_event.event_date if since_event else detected_on
    visits = [e.event_date for e in events if e.kind == EventKind.HOME_VISIT]
    last_visit = max(visits) if visits else None

    period_end: dt.date | None = None
    label = ""
    basis = ""
    if status in _PERIODS:
        key, label = _PERIODS[status]
        start = (since_event.decision_date if since_event and since_event.decision_date else None) or status_since
        period_end, row = clock.add(start, key)
        if row is not None:
            basis = f"{row.label}: {row.value} {row.unit} – {row.law}"
    elif status == Status.COMPULSORY and since_event and since_event.end_date:
        period_end, label = since_event.end_date, _("Dự kiến chấp hành xong, trở về địa phương")

    due_date, due_label = period_end, str(label) if period_end else ""
    if status in _VISIT_STATUSES and whereabouts == Whereabouts.COMMUNITY:
        next_visit, _row = clock.add(max(filter(None, [last_visit, status_since])), DurationKey.HOME_VISIT_INTERVAL)
        if next_visit and (due_date is None or next_visit < due_date):
            due_date, due_label = next_visit, str(_("Đến hạn thăm gặp, kiểm tra"))
    return Due(
        due_date=due_date,
        due_label=due_label,
        period_end=period_end,
        status_since=status_since,
        last_visit_on=last_visit,
        basis=basis,
    )


def check_transition(
    transition: Transition,
    *,
    status: str,
    event_date: dt.date,
    today: dt.date,
    status_since: dt.date | None,
    period_end: dt.date | None,
    closed_on: dt.date | None,
    clock: Clock,
    current_close_reason: str = "",
    decision_number: str = "",
    facility: str = "",
    end_date: dt.date | None = None,
    close_reason: str = "",
    age: tuple[int, int] | None = None,
) -> None:
    """Raise ``TransitionError`` with a Vietnamese message if the transition is not allowed now."""
    if status not in transition.sources:
        raise TransitionError(
            _("Không thể “%(action)s” khi hồ sơ đang ở tình trạng “%(status)s”.")
            % {"action": transition.label, "status": Status(status).label}
        )
    if event_date > today:
        raise TransitionError(_("Ngày sự kiện không được sau ngày hôm nay."))
    if status_since and event_date < status_since:
        raise TransitionError(
            _("Ngày sự kiện (%(d)s) không được trước ngày bắt đầu tình trạng hiện tại (%(s)s).")
            % {"d": event_date.strftime("%d/%m/%Y"), "s": status_since.strftime("%d/%m/%Y")}
        )
    if transition.not_before and event_date < transition.not_before:
        raise TransitionError(
            _("Điều 256a BLHS chỉ áp dụng với hành vi từ %(d)s.") % {"d": transition.not_before.strftime("%d/%m/%Y")}
        )
    if transition.code == "prosecute" and status == Status.CLOSED:
        # Art. 256a: use within 2 years after rehab / post-rehab management / methadone ended;
        # a file closed for a negative test or a completed user-management term never qualifies.
        if current_close_reason != CloseReason.REHAB_COMPLETED:
            raise TransitionError(
                _("Điều 256a chỉ áp dụng với người đã cai nghiện, điều trị thay thế hoặc quản lý sau cai.")
            )
        if closed_on is None or event_date > add_months(closed_on, 24):
            raise TransitionError(
                _("Điều 256a chỉ áp dụng trong 2 năm kể từ khi kết thúc cai nghiện, quản lý sau cai.")
            )
    if not _age_fits(transition, age):
        low, high = age or (0, 0)
        shown = str(low) if low == high else f"{low}–{high}"
        if transition.max_age is not None:
            message = _(
                "“%(action)s” chỉ áp dụng với người từ đủ %(lo)s đến dưới %(hi)s tuổi; người này %(age)s tuổi."
            )
        elif transition.min_age == ADULT_AGE:
            message = _(
                "“%(action)s” áp dụng với người từ đủ %(lo)s tuổi; người này %(age)s tuổi: dùng thủ tục dành cho "
                "người từ đủ 12 đến dưới 18 tuổi."
            )
        else:
            message = _("“%(action)s” chỉ áp dụng với người từ đủ %(lo)s tuổi; người này %(age)s tuổi.")
        raise TransitionError(
            message % {"action": transition.label, "lo": transition.min_age, "hi": transition.max_age, "age": shown}
        )
    if transition.code == "compulsory_dossier" and status == Status.AWAITING_REGISTRATION:
        # Art. 32(1): "did not register" is a ground only once the registration deadline has passed.
        if period_end is not None and event_date <= period_end:
            raise TransitionError(
                _(
                    "Chưa hết hạn đăng ký cai nghiện (hết hạn ngày %(d)s): chỉ lập hồ sơ cai nghiện bắt buộc vì "
                    "không đăng ký từ ngày %(next)s."
                )
                % {
                    "d": period_end.strftime("%d/%m/%Y"),
                    "next": (period_end + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
                }
            )
    if transition.needs_decision and not decision_number.strip():
        raise TransitionError(_("Cần ghi số quyết định."))
    if transition.needs_facility and not facility.strip():
        raise TransitionError(_("Cần ghi cơ sở, cơ quan thực hiện."))
    if transition.needs_end_date:
        if end_date is None:
            raise TransitionError(_("Cần ghi ngày kết thúc theo quyết định."))
        low, _r1 = clock.add(event_date, transition.term_keys[0])
        high, _r2 = clock.add(event_date, transition.term_keys[1])
        if end_date <= event_date or (low and end_date < low) or (high and end_date > high):
            raise TransitionError(
                _("Thời hạn cai nghiện bắt buộc phải từ %(lo)s đến %(hi)s.")
                % {"lo": low.strftime("%d/%m/%Y") if low else "?", "hi": high.strftime("%d/%m/%Y") if high else "?"}
            )
    if transition.after_period_end and period_end and event_date < period_end:
        raise TransitionError(
            _("Chưa hết thời hạn: thời hạn hiện tại kết thúc ngày %(d)s.") % {"d": period_end.strftime("%d/%m/%Y")}
        )
    if transition.min_duration_key and status_since:
        earliest, row = clock.add(status_since, transition.min_duration_key)
        if earliest and event_date < earliest:
            raise TransitionError(
                _("Chưa đủ thời gian tối thiểu (%(label)s): sớm nhất ngày %(d)s.")
                % {"label": row.label, "d": earliest.strftime("%d/%m/%Y")}
            )
    if transition.choose_reason and close_reason not in CloseReason.values:
        raise TransitionError(_("Cần chọn lý do kết thúc."))
