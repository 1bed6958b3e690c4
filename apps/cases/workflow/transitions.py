"""The state machine: the transitions a file may take, their legal basis and age bounds (domain.md §4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..choices import CloseReason, DurationKey, EventKind, Status, Whereabouts

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
