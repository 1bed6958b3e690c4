"""Simulated case timelines: one person's walk through the state machine of ``workflow``, with
the home visits, notes and violations that come on top."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from apps.areas.models import AdministrativeUnit
from apps.cases import workflow
from apps.cases.choices import COMMUNITY_STATUSES, CaseType, CloseReason, EventKind, Status, Whereabouts

from .picking import Picker, days

_FACILITY_TEST = ["Trạm Y tế xã", "Trung tâm Y tế khu vực", "Bệnh viện Đa khoa tỉnh Tuyên Quang"]
_FACILITY_REHAB = ["Cơ sở cai nghiện ma túy tỉnh Tuyên Quang", "Cơ sở cai nghiện ma túy số 2 tỉnh Tuyên Quang"]
_FACILITY_METHADONE = ["Cơ sở điều trị Methadone Trung tâm Y tế khu vực", "Cơ sở điều trị Methadone tỉnh"]
_VISIT_RESULTS = [
    ("Có mặt tại nhà, không phát hiện sử dụng", 6),
    ("Vắng nhà, đã làm việc với gia đình", 2),
    ("Đang đi làm ăn xa, gia đình cam kết thông báo", 1),
    ("Có biểu hiện sử dụng, đã nhắc nhở", 1),
]
_NOTES = ["Gia đình phối hợp tốt", "Đã tuyên truyền, giáo dục", "Đề nghị hỗ trợ học nghề",
          "Tổ công tác đã gặp, ký cam kết", "Chuyển thông tin cho Công an khu vực"]  # fmt: skip

_VISIT_STATUSES = {Status.MANAGED, Status.AWAITING_REGISTRATION, Status.VOLUNTARY_COMMUNITY, Status.METHADONE,
                   Status.POST_REHAB}  # fmt: skip
_TRANSFERABLE = set(COMMUNITY_STATUSES) - {Status.COMPULSORY_DOSSIER}


@dataclass(slots=True)
class Ev:
    kind: str
    date: dt.date
    from_status: str = ""
    to_status: str = ""
    end_date: dt.date | None = None
    decision_number: str = ""
    decision_date: dt.date | None = None
    signer: str = ""
    facility: str = ""
    result: str = ""
    notes: str = ""
    legal_basis: str = ""
    other_unit_id: int | None = None


@dataclass(slots=True)
class PersonPath:
    """One person's whole history, before it is split into files (transfers) and written."""

    events: list[Ev]
    status: str
    whereabouts: str
    case_type: str
    closed_on: dt.date | None
    close_reason: str
    visit_segments: list[tuple[dt.date, dt.date]]
    open_segments: list[tuple[dt.date, dt.date, str, str]]  # for the transfer date
    transfer: tuple[dt.date, str, str] | None = None  # (date, status then, whereabouts then)
    transfer_unit: AdministrativeUnit | None = None  # the receiving commune


class Simulator:
    """Walks a file through the state machine of ``workflow`` with plausible delays and branch
    probabilities, respecting the legal constraints ``check_transition`` enforces (period ends,
    minimum rehab duration, compulsory term bounds, Art. 256a dates), and stops at today."""

    def __init__(self, rng: random.Random, clock: workflow.Clock, today: dt.date):
        self.rng, self.clock, self.today = rng, clock, today
        self.visit_result = Picker(rng, _VISIT_RESULTS)

    def _decision(self, day: dt.date) -> dict[str, Any]:
        r = self.rng
        return {
            "decision_number": f"{r.randint(1, 480)}/QĐ-UBND",
            "decision_date": day - days(r.randint(0, 5)),
            "signer": "Chủ tịch UBND xã",
        }

    def _next(self, status: str, since: dt.date, period_start: dt.date, end_date: dt.date | None,
              closed_on: dt.date | None, reason: str) -> tuple[str, dt.date, dict[str, Any]] | None:  # fmt: skip
        r = self.rng

        def after(lo: int, hi: int, base: dt.date = since) -> dt.date:
            return base + days(r.randint(lo, hi))

        x = r.random()
        if status == Status.SIGNS:
            if x < 0.62:
                return "positive_test", after(3, 25), {}
            if x < 0.77:
                return "negative_test", after(3, 25), {}
            return "refer_determination", after(3, 30), {}
        if status == Status.POSITIVE:
            day = after(5, 40)
            return ("management_decision", day, self._decision(day)) if x < 0.85 else ("refer_determination", day, {})
        if status == Status.MANAGED:
            end = self.clock.add(period_start, "management_period")[0] or workflow.add_months(period_start, 12)
            span = max(21, (end - since).days)
            if x < 0.60:
                return "management_completed", after(0, 40, end), {}
            if x < 0.82:
                return "refer_determination", after(20, span), {}
            if x < 0.90:
                return "close", after(20, span), {"close_reason": self._close_reason()}
            return "management_completed", after(60, 500, end), {}  # closed late: overdue meanwhile
        if status == Status.DETERMINING:
            facility = f"{r.choice(_FACILITY_TEST)}"
            return ("addicted" if x < 0.7 else "not_addicted"), after(2, 15), {"facility": facility}
        if status == Status.AWAITING_REGISTRATION:
            day = after(1, 12)  # deadline: 5 working days; some register late
            if x < 0.38:
                return "register_community", day, {}
            if x < 0.48:
                return "register_facility", day, {"facility": r.choice(_FACILITY_REHAB)}
            if x < 0.70:
                return "start_methadone", day, {"facility": r.choice(_FACILITY_METHADONE)}
            # "Did not register" only once the 5 working days have passed (Tết can add a week).
            return "compulsory_dossier", after(15, 30), {}
        if status in (Status.VOLUNTARY_COMMUNITY, Status.VOLUNTARY_FACILITY):
            low, high = workflow.add_months(since, 6), workflow.add_months(since, 12)
            if x < (0.85 if status == Status.VOLUNTARY_FACILITY else 0.70):
                return "complete_voluntary", after(0, (high - low).days, low), {}
            return "compulsory_dossier", after(20, 300), {}
        if status == Status.METHADONE:
            if x < 0.20:
                return "complete_methadone", after(365, 1800), {}
            if x < 0.32:
                return "compulsory_dossier", after(60, 720), {}
            if x < 0.37:
                return "close", after(365, 2900), {"close_reason": CloseReason.DEATH}
            if x < 0.45:
                return "close", after(365, 2200), {"close_reason": CloseReason.OTHER}
            return None  # long-term treatment
        if status == Status.COMPULSORY_DOSSIER:
            day = after(15, 60)
            if x < 0.85:
                extra = self._decision(day) | {
                    "facility": r.choice(_FACILITY_REHAB),
                    "end_date": workflow.add_months(day, r.choice([12, 18, 24])),
                }
                return "court_compulsory", day, extra
            return "court_rejects", day, self._decision(day)
        if status == Status.COMPULSORY:
            return "facility_release", after(0, 3, end_date or workflow.add_months(since, 24)), {}
        if status == Status.POST_REHAB:
            end = workflow.add_months(since, 12)
            if x < 0.75:
                return "post_rehab_completed", after(0, 45, end), {}
            if x < 0.87:
                return "compulsory_dossier", after(30, 330), {}
            if x < 0.92:
                return "close", after(30, 330), {"close_reason": self._close_reason()}
            return "post_rehab_completed", after(60, 400, end), {}
        if status == Status.CLOSED and closed_on:
            if reason in (CloseReason.DEATH, CloseReason.TRANSFERRED):
                return None
            if x < 0.10:
                return "reopen", after(90, 1460, closed_on), {}
            if reason == CloseReason.REHAB_COMPLETED and x < 0.16:
                start = max(closed_on, workflow.ART_256A_FROM)
                last = workflow.add_months(closed_on, 24)
                if start < last:
                    return "prosecute", after(1, (last - start).days, start), {}
            return None
        if status == Status.CRIMINAL:
            return ("reopen", after(365, 1500), {}) if x < 0.15 else None
        return None

    def _close_reason(self) -> str:
        return self.rng.choices([CloseReason.DEATH, CloseReason.IMPRISONED, CloseReason.OTHER], [3, 4, 3])[0]

    def path(self, detected: dt.date) -> PersonPath:
        today = self.today
        events = [Ev(EventKind.OPENED, detected, to_status=Status.SIGNS,
                      legal_basis="Chương IV Nghị định 105/2021/NĐ-CP")]  # fmt: skip
        status, since, period_start = Status.SIGNS, detected, detected
        where, ctype = Whereabouts.COMMUNITY, CaseType.USER
        closed_on: dt.date | None = None
        reason = ""
        end_date: dt.date | None = None
        segments: list[tuple[dt.date, dt.date, str, str]] = []
        for _step in range(40):
            step = self._next(status, since, period_start, end_date, closed_on, reason)
            if step is None or step[1] > today:
                break
            code, day, extra = step
            t = workflow.TRANSITIONS_BY_CODE[code]
            close_reason = extra.pop("close_reason", "")
            event = Ev(t.event, day, from_status=status, to_status=t.target, legal_basis=t.legal_basis,
                        result=t.result, **extra)  # fmt: skip
            segments.append((since, day, status, where))
            if t.case_type:
                ctype = t.case_type
            if t.whereabouts:
                where = t.whereabouts
            if t.target == Status.CLOSED:
                closed_on, reason = day, t.close_reason or close_reason or CloseReason.OTHER
                if reason == CloseReason.DEATH:
                    event.kind = EventKind.DEATH
            elif code == "reopen":
                closed_on, reason = None, ""
            status, since = t.target, day
            period_start = event.decision_date or day
            end_date = event.end_date
            events.append(event)
        if status != Status.CLOSED:
            segments.append((since, today, status, where))
        return PersonPath(
            events=events,
            status=status,
            whereabouts=where,
            case_type=ctype,
            closed_on=closed_on,
            close_reason=reason,
            visit_segments=[(a, b) for a, b, s, w in segments if s in _VISIT_STATUSES and w == Whereabouts.COMMUNITY],
            open_segments=[seg for seg in segments if seg[2] in _TRANSFERABLE and seg[3] == Whereabouts.COMMUNITY],
        )

    def add_free_events(self, path: PersonPath, visit_rate: float) -> None:
        """Home visits (a Poisson-like count per community period), plus a recent visit for most
        files open today, some notes, violations, relapses and lost-contact changes."""
        r, today = self.rng, self.today
        extra: list[Ev] = []
        for start, end in path.visit_segments:
            length = (end - start).days
            if length < 3:
                continue
            n = int(length * visit_rate * r.uniform(0.5, 1.5) + r.random())
            for _i in range(n):
                extra.append(Ev(EventKind.HOME_VISIT, start + days(r.randint(1, length - 1)),
                                 result=self.visit_result()))  # fmt: skip
            if end == today and path.status in _VISIT_STATUSES and r.random() < 0.75:
                day = today - days(r.randint(0, 45))
                if day > start:
                    extra.append(Ev(EventKind.HOME_VISIT, day, result=self.visit_result()))
        last = path.closed_on or today
        span = (last - path.events[0].date).days
        if span > 2:
            if r.random() < 0.25:
                extra.append(Ev(EventKind.NOTE, path.events[0].date + days(r.randint(1, span - 1)),
                                 notes=r.choice(_NOTES)))  # fmt: skip
            if path.visit_segments and r.random() < 0.12:
                start, end = r.choice(path.visit_segments)
                if (end - start).days > 2:
                    kind = EventKind.VIOLATION if r.random() < 0.6 else EventKind.RELAPSE
                    extra.append(Ev(kind, start + days(r.randint(1, (end - start).days - 1)),
                                     notes="Lập biên bản, nhắc nhở"))  # fmt: skip
        path.events.extend(extra)
        path.events.sort(key=lambda e: e.date)
        if path.status in _VISIT_STATUSES and path.whereabouts == Whereabouts.COMMUNITY and r.random() < 0.03:
            day = min(today, max(path.events[-1].date, today - days(r.randint(0, 200))))
            path.events.append(Ev(EventKind.WHEREABOUTS, day, notes="Bỏ đi khỏi địa phương, không rõ nơi ở"))
            path.whereabouts = Whereabouts.UNKNOWN
