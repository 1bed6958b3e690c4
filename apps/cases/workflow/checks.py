"""Whether a transition is allowed now: dates, legal periods, age, the decision's required fields."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from ..choices import CloseReason, Status
from .clocks import Clock, add_months
from .transitions import ADULT_AGE, Transition, TransitionError, _age_fits


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
