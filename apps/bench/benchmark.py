"""Benchmark data and measurements for the case pages (``manage.py benchmark``).

Seeding writes tens of thousands of people and hundreds of thousands of events with
``bulk_create``, NOT through ``services``: at this scale the audited services (one transaction,
several validations and an audit row per step) would take hours, and the read paths measured here
(worklist, list, search, case page) read the same rows whichever way they were written. Every
derived column the services maintain is filled the same way: ``Person.fill_search_fields`` and the
due fields from ``workflow.compute_due`` with the real ``Clock`` (``LegalDuration``/``Holiday``).

Seeded files are marked by the file-number prefix ``BM-``; files written by the import measurement
are created (through the services) by the benchmark officer. ``reset`` removes both.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.areas.models import AdministrativeUnit, UnitPopulation
from apps.cases import stocks, workflow
from apps.cases.choices import (
    COMMUNITY_STATUSES,
    CaseType,
    CloseReason,
    EventKind,
    IdKind,
    Sex,
    Status,
    UseMethod,
    Whereabouts,
)
from apps.cases.models import CaseEvent, CaseFile, Ethnicity, Person, PersonMerge, StockSpan, SubstanceType
from apps.core.registry import forget_derived_figures

BENCH_PREFIX = "BM-"
OFFICER_USERNAME = "bench.congan"  # commune officer of the commune with the most files
SMALL_OFFICER_USERNAME = "bench.congan2"  # commune officer of the commune with the fewest files (N+1 check)
PROVINCE_USERNAME = "bench.tinh"  # province staff
IMPORT_AUDIT_ACTION = "cases.casefile.import"  # as CaseImportView
PAGE_TARGET_MS = 150.0
IMPORT_TARGET_S = 30.0

Log = Callable[[str], None]

# --- names, places -------------------------------------------------------------------------------

# Family / middle (male, female) / given (male, female) names by naming tradition.
_NAMES: dict[str, dict[str, list[tuple[str, float]]]] = {
    "kinh": {
        "family": [("Nguyễn", 30), ("Trần", 9), ("Lê", 8), ("Phạm", 6), ("Hoàng", 6), ("Vũ", 4), ("Đỗ", 3),
                   ("Bùi", 3), ("Ngô", 2), ("Đặng", 2), ("Dương", 2), ("Lương", 1), ("Phan", 2), ("Đinh", 2)],
        "middle_m": [("Văn", 60), ("Đức", 8), ("Minh", 7), ("Quốc", 5), ("Xuân", 4), ("Hữu", 5), ("Tiến", 3),
                     ("Ngọc", 3), ("Thanh", 3), ("Công", 2)],
        "middle_f": [("Thị", 80), ("Thu", 5), ("Hồng", 4), ("Ngọc", 4), ("Minh", 3), ("Thanh", 4)],
        "given_m": [("Hùng", 6), ("Dũng", 5), ("Chính", 3), ("Cường", 4), ("Tuấn", 5), ("Thắng", 4), ("Hải", 4),
                    ("Nam", 4), ("Long", 4), ("Quang", 3), ("Sơn", 4), ("Thành", 4), ("Trung", 3), ("Việt", 3),
                    ("Kiên", 2), ("Lâm", 2), ("Hưng", 3), ("Đạt", 3), ("Bình", 3), ("Tùng", 3), ("Phong", 2),
                    ("Hiếu", 2), ("Mạnh", 3), ("Toàn", 2), ("Tâm", 2), ("Huy", 3), ("Khánh", 2), ("Lực", 1)],
        "given_f": [("Mai", 4), ("Lan", 4), ("Hoa", 3), ("Hương", 3), ("Huyền", 3), ("Thủy", 3), ("Nga", 2),
                    ("Hằng", 3), ("Loan", 2), ("Thảo", 3), ("Linh", 3), ("Nhung", 2)],
    },
    "tay": {  # Tày, Nùng, Sán Chay, Giáy, Bố Y…
        "family": [("Ma", 12), ("Nông", 10), ("Hoàng", 10), ("Hà", 8), ("Lương", 5), ("Quan", 4), ("Hứa", 3),
                   ("Triệu", 4), ("Lộc", 2), ("Nguyễn", 8), ("Lý", 4), ("Vi", 2), ("La", 2), ("Mã", 2), ("Đàm", 2)],
        "middle_m": [("Văn", 80), ("Đức", 5), ("Minh", 4), ("Tiến", 3), ("Quang", 3)],
        "middle_f": [("Thị", 90), ("Thu", 3), ("Hồng", 3)],
        "given_m": [("Hùng", 4), ("Dũng", 4), ("Chính", 4), ("Thào", 2), ("Quyết", 3), ("Tình", 3), ("Khánh", 2),
                    ("Pao", 1), ("Slam", 1), ("Thắng", 3), ("Vượng", 2), ("Lợi", 3), ("Chiến", 3), ("Toản", 2),
                    ("Sinh", 2), ("Nghĩa", 2), ("Đoàn", 2), ("Hưng", 2), ("Hoan", 2), ("Hải", 2)],
        "given_f": [("Mai", 3), ("Lan", 3), ("Hoa", 3), ("Nhàn", 2), ("Liên", 2), ("Thơm", 2), ("Dung", 2)],
    },
    "hmong": {  # Mông, Lô Lô, Phù Lá, La Chí, Cơ Lao…
        "family": [("Vàng", 14), ("Sùng", 10), ("Giàng", 10), ("Lý", 8), ("Thào", 8), ("Lù", 5), ("Hầu", 5),
                   ("Mua", 4), ("Ly", 4), ("Mùa", 3), ("Cứ", 2), ("Lầu", 2), ("Vừ", 3), ("Chảo", 2)],
        "middle_m": [("Seo", 35), ("A", 20), ("Mí", 10), ("Chá", 5), ("Văn", 15), ("Mý", 5)],
        "middle_f": [("Thị", 50), ("Mí", 25), ("Thị Mỷ", 5)],
        "given_m": [("Páo", 5), ("Chúng", 4), ("Sính", 4), ("Dình", 3), ("Chá", 3), ("Pó", 3), ("Lử", 3),
                    ("Dế", 3), ("Súng", 3), ("Chư", 3), ("Vư", 2), ("Phử", 2), ("Sểnh", 2), ("Tủa", 2),
                    ("Lềnh", 2), ("Chinh", 2), ("Hùng", 2), ("Dũng", 1), ("Say", 2), ("Nhè", 2)],
        "given_f": [("Mỷ", 4), ("Dí", 3), ("Pà", 3), ("Sua", 2), ("Chía", 2), ("Mai", 2), ("Dung", 2)],
    },
    "dao": {
        "family": [("Triệu", 18), ("Đặng", 15), ("Bàn", 12), ("Lý", 8), ("Chảo", 4), ("Phùng", 4), ("Sầm", 2)],
        "middle_m": [("Văn", 55), ("Tiến", 15), ("Kiều", 5), ("Vần", 5), ("Đức", 5), ("Quý", 5)],
        "middle_f": [("Thị", 85), ("Mùi", 5)],
        "given_m": [("Chòi", 3), ("Phin", 3), ("Kiều", 2), ("Quẩy", 2), ("Sơn", 3), ("Phú", 2), ("Chạn", 2),
                    ("Lưu", 2), ("Hùng", 2), ("Quyết", 2), ("Vần", 2), ("Thanh", 2), ("Lai", 2), ("Tòn", 2)],
        "given_f": [("Mùi", 3), ("Xuân", 2), ("Mai", 2), ("Lan", 2), ("Kiều", 2)],
    },
}  # fmt: skip

# Ethnic groups of Tuyên Quang (with former Hà Giang) and a plausible share among case files.
_ETHNICITY_WEIGHTS = {
    "Kinh": (28, "kinh"), "Tày": (22, "tay"), "Mông": (24, "hmong"), "Dao": (12, "dao"), "Nùng": (5, "tay"),
    "Sán Chay": (2.5, "tay"), "Giáy": (1.5, "tay"), "Lô Lô": (0.5, "hmong"), "Pà Thẻn": (0.3, "tay"),
    "Bố Y": (0.3, "tay"), "Phù Lá": (0.3, "hmong"), "La Chí": (0.3, "hmong"), "Cơ Lao": (0.3, "hmong"),
    "Hoa": (0.5, "kinh"), "Sán Dìu": (0.5, "kinh"), "Mường": (0.3, "kinh"), "Thái": (0.2, "tay"),
}  # fmt: skip

_VILLAGE_HEAD = ["Nà", "Bản", "Khuổi", "Lũng", "Pắc", "Nặm", "Phiêng", "Cốc", "Làng", "Đồng", "Tân", "Thượng", "Hạ",
                 "Lăng", "Sủng", "Séo", "Mỏ", "Thành"]  # fmt: skip
_VILLAGE_TAIL = ["Khá", "Pậu", "Pù", "Mơ", "Tàng", "Cú", "Lầu", "Đin", "Vài", "Ngoan", "Thành", "Lập", "Bình",
                 "Hợp", "Tiến", "Cầu", "Chải", "Phìn", "Mường", "Sán", "Tẩu", "Vạng", "Điểng"]  # fmt: skip
_STREETS = ["Quang Trung", "Trần Hưng Đạo", "Nguyễn Trãi", "Lê Lợi", "Bình Thuận", "Tân Trào", "17 Tháng 8",
            "Nguyễn Thái Học", "Minh Khai", "Phan Thiết"]  # fmt: skip
_OCCUPATIONS = [("Làm ruộng", 40), ("Lao động tự do", 30), ("Không nghề nghiệp", 15), ("Công nhân", 5),
                ("Lái xe", 3), ("Buôn bán", 4), ("Thợ xây", 3)]  # fmt: skip
_SUBSTANCE_WEIGHTS = {"meth": 45, "heroin": 30, "cannabis": 7, "ats": 8, "opium": 5, "ketamine": 3, "other": 2}
_SUBSTANCE_WEIGHTS_HMONG = {"meth": 30, "heroin": 35, "cannabis": 3, "ats": 4, "opium": 25, "ketamine": 1, "other": 2}
_USE_METHOD = {
    "heroin": [(UseMethod.INJECT, 5), (UseMethod.SMOKE, 4), (UseMethod.INHALE, 1)],
    "opium": [(UseMethod.SMOKE, 9), (UseMethod.ORAL, 1)],
    "meth": [(UseMethod.SMOKE, 8), (UseMethod.INHALE, 2)],
}
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


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


class _Picker:
    """Weighted choice with precomputed cumulative weights (random.choices recomputes them)."""

    def __init__(self, rng: random.Random, pairs: Iterable[tuple[Any, float]]):
        self.rng = rng
        self.values, weights = zip(*pairs, strict=True)
        self.cum, total = [], 0.0
        for w in weights:
            total += w
            self.cum.append(total)
        self.total = total

    def __call__(self) -> Any:
        return self.rng.choices(self.values, cum_weights=self.cum, k=1)[0]

    def many(self, k: int) -> list[Any]:
        return self.rng.choices(self.values, cum_weights=self.cum, k=k)


# --- simulated timelines -------------------------------------------------------------------------


@dataclass(slots=True)
class _Ev:
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
class _Path:
    """One person's whole history, before it is split into files (transfers) and written."""

    events: list[_Ev]
    status: str
    whereabouts: str
    case_type: str
    closed_on: dt.date | None
    close_reason: str
    visit_segments: list[tuple[dt.date, dt.date]]
    open_segments: list[tuple[dt.date, dt.date, str, str]]  # for the transfer date
    transfer: tuple[dt.date, str, str] | None = None  # (date, status then, whereabouts then)
    transfer_unit: AdministrativeUnit | None = None  # the receiving commune


class _Simulator:
    """Walks a file through the state machine of ``workflow`` with plausible delays and branch
    probabilities, respecting the legal constraints ``check_transition`` enforces (period ends,
    minimum rehab duration, compulsory term bounds, Art. 256a dates), and stops at today."""

    def __init__(self, rng: random.Random, clock: workflow.Clock, today: dt.date):
        self.rng, self.clock, self.today = rng, clock, today
        self.visit_result = _Picker(rng, _VISIT_RESULTS)

    def _decision(self, day: dt.date) -> dict[str, Any]:
        r = self.rng
        return {
            "decision_number": f"{r.randint(1, 480)}/QĐ-UBND",
            "decision_date": day - _days(r.randint(0, 5)),
            "signer": "Chủ tịch UBND xã",
        }

    def _next(self, status: str, since: dt.date, period_start: dt.date, end_date: dt.date | None,
              closed_on: dt.date | None, reason: str) -> tuple[str, dt.date, dict[str, Any]] | None:  # fmt: skip
        r = self.rng

        def after(lo: int, hi: int, base: dt.date = since) -> dt.date:
            return base + _days(r.randint(lo, hi))

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

    def path(self, detected: dt.date) -> _Path:
        today = self.today
        events = [_Ev(EventKind.OPENED, detected, to_status=Status.SIGNS,
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
            event = _Ev(t.event, day, from_status=status, to_status=t.target, legal_basis=t.legal_basis,
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
        return _Path(
            events=events,
            status=status,
            whereabouts=where,
            case_type=ctype,
            closed_on=closed_on,
            close_reason=reason,
            visit_segments=[(a, b) for a, b, s, w in segments if s in _VISIT_STATUSES and w == Whereabouts.COMMUNITY],
            open_segments=[seg for seg in segments if seg[2] in _TRANSFERABLE and seg[3] == Whereabouts.COMMUNITY],
        )

    def add_free_events(self, path: _Path, visit_rate: float) -> None:
        """Home visits (a Poisson-like count per community period), plus a recent visit for most
        files open today, some notes, violations, relapses and lost-contact changes."""
        r, today = self.rng, self.today
        extra: list[_Ev] = []
        for start, end in path.visit_segments:
            length = (end - start).days
            if length < 3:
                continue
            n = int(length * visit_rate * r.uniform(0.5, 1.5) + r.random())
            for _i in range(n):
                extra.append(_Ev(EventKind.HOME_VISIT, start + _days(r.randint(1, length - 1)),
                                 result=self.visit_result()))  # fmt: skip
            if end == today and path.status in _VISIT_STATUSES and r.random() < 0.75:
                day = today - _days(r.randint(0, 45))
                if day > start:
                    extra.append(_Ev(EventKind.HOME_VISIT, day, result=self.visit_result()))
        last = path.closed_on or today
        span = (last - path.events[0].date).days
        if span > 2:
            if r.random() < 0.25:
                extra.append(_Ev(EventKind.NOTE, path.events[0].date + _days(r.randint(1, span - 1)),
                                 notes=r.choice(_NOTES)))  # fmt: skip
            if path.visit_segments and r.random() < 0.12:
                start, end = r.choice(path.visit_segments)
                if (end - start).days > 2:
                    kind = EventKind.VIOLATION if r.random() < 0.6 else EventKind.RELAPSE
                    extra.append(_Ev(kind, start + _days(r.randint(1, (end - start).days - 1)),
                                     notes="Lập biên bản, nhắc nhở"))  # fmt: skip
        path.events.extend(extra)
        path.events.sort(key=lambda e: e.date)
        if path.status in _VISIT_STATUSES and path.whereabouts == Whereabouts.COMMUNITY and r.random() < 0.03:
            day = min(today, max(path.events[-1].date, today - _days(r.randint(0, 200))))
            path.events.append(_Ev(EventKind.WHEREABOUTS, day, notes="Bỏ đi khỏi địa phương, không rõ nơi ở"))
            path.whereabouts = Whereabouts.UNKNOWN


# --- seeding -------------------------------------------------------------------------------------


@dataclass
class SeedOptions:
    persons: int = 70_000
    events_per_person: float = 10.0
    years: int = 10
    seed: int = 42
    batch_size: int = 2_000
    transfer_share: float = 0.035


@dataclass
class SeedStats:
    seconds: float = 0.0
    plan_seconds: float = 0.0
    write_seconds: float = 0.0
    analyze_seconds: float = 0.0
    persons: int = 0
    files: int = 0
    events: int = 0
    substances: int = 0
    transfers: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    max_events_per_file: int = 0


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def benchmark_files() -> QuerySet[CaseFile]:
    return CaseFile.objects.filter(file_number__startswith=BENCH_PREFIX)


def current_communes() -> list[AdministrativeUnit]:
    return list(AdministrativeUnit.objects.current().filter(level="commune").order_by("code"))


def ensure_units(log: Log) -> AdministrativeUnit:
    """The real units (loaded when missing) and the reference data of the migrations."""
    from apps.areas.services import units_load

    if AdministrativeUnit.objects.current().filter(level="commune").count() < 100:
        log("Administrative units missing: loading the official catalogue (units_load)…")
        summary = units_load()
        log(f"  units: {summary.created} created, {summary.successions} successions")
    province = AdministrativeUnit.objects.current().filter(level="province", code=settings.PCMT_PROVINCE_CODE).first()
    if province is None:
        raise RuntimeError(f"Province {settings.PCMT_PROVINCE_CODE} not found among the current units.")
    if Ethnicity.objects.count() < 54 or not SubstanceType.objects.exists():
        raise RuntimeError("Reference data (ethnicities, substances, legal durations) missing: run `migrate`.")
    from apps.cases.models import LegalDuration

    if not LegalDuration.objects.exists():
        raise RuntimeError("Legal durations missing: run `migrate` (cases.0002_reference_data).")
    return province


@contextmanager
def explicit_timestamps() -> Iterator[None]:
    """Let bulk_create keep the historical created_at/updated_at we set (auto_now would stamp every
    row with the seeding time, and the list's default order is by updated_at)."""
    fields = [
        Person._meta.get_field("created_at"),
        Person._meta.get_field("updated_at"),
        CaseFile._meta.get_field("created_at"),
        CaseFile._meta.get_field("updated_at"),
        CaseEvent._meta.get_field("created_at"),
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _commune_weights(rng: random.Random, communes: list[AdministrativeUnit]) -> list[float]:
    """Population (demo figures when loaded, else by kind) times a log-normal local factor: some
    communes carry far more cases than others, as in reality."""
    population = dict(
        UnitPopulation.objects.filter(unit__in=communes)
        .order_by("unit_id", "year")
        .values_list("unit_id", "population")
    )
    weights = []
    for unit in communes:
        base = population.get(unit.pk) or (15000 if unit.kind == "phuong" else 6000)
        weights.append(base * rng.lognormvariate(0, 0.6))
    return weights


class _PersonFactory:
    """Realistic people: names by ethnic tradition, ~90% men, birth years 1960–2008, CCCD for ~70%."""

    def __init__(self, rng: random.Random, taken_ids: set[str]):
        self.rng = rng
        ethnic = {e.name: e for e in Ethnicity.objects.all()}
        pairs = []
        for name, e in ethnic.items():
            weight, tradition = _ETHNICITY_WEIGHTS.get(name, (0.05, "kinh"))
            pairs.append(((e, tradition), weight))
        self.ethnicity = _Picker(rng, pairs)
        self.names = {
            tradition: {part: _Picker(rng, values) for part, values in parts.items()}
            for tradition, parts in _NAMES.items()
        }
        self.occupation = _Picker(rng, _OCCUPATIONS)
        self.taken_ids = taken_ids

    def name(self, tradition: str, sex: str) -> str:
        parts = self.names[tradition]
        suffix = "m" if sex == Sex.MALE else "f"
        return f"{parts['family']()} {parts['middle_' + suffix]()} {parts['given_' + suffix]()}"

    def citizen_id(self, sex: str, year: int) -> str:
        century = (0 if year < 2000 else 2) + (0 if sex == Sex.MALE else 1)
        while True:
            value = f"008{century}{year % 100:02d}{self.rng.randint(0, 999_999):06d}"
            if value not in self.taken_ids:
                self.taken_ids.add(value)
                return value

    def village(self, unit: AdministrativeUnit) -> tuple[str, str]:
        r = self.rng
        if unit.kind == "phuong":
            village = f"Tổ dân phố {r.randint(1, 25)}"
            address = f"Số {r.randint(1, 300)}, đường {r.choice(_STREETS)}" if r.random() < 0.6 else ""
            return village, address
        return f"Thôn {r.choice(_VILLAGE_HEAD)} {r.choice(_VILLAGE_TAIL)}", ""

    def person(self, unit: AdministrativeUnit, detected: dt.date) -> tuple[Person, str]:
        r = self.rng
        sex = Sex.MALE if r.random() < 0.9 else Sex.FEMALE
        ethnicity, tradition = self.ethnicity()
        if r.random() < 0.03:
            ethnicity = None
        year = int(r.triangular(1960, 2008.99, 1992))
        year = max(1960, min(year, detected.year - 14 - r.randint(0, 3)))
        dob = None
        if r.random() < 0.45:
            dob = dt.date(year, r.randint(1, 12), r.randint(1, 28))
        cid = self.citizen_id(sex, year) if r.random() < 0.70 else ""
        village, address = self.village(unit)
        full_name = self.name(tradition, sex)
        aliases = ""
        if r.random() < 0.08:
            aliases = f"{full_name.split()[-1]} {r.choice(['còi', 'béo', 'đen', 'lùn', 'xe ôm'])}"
        person = Person(
            full_name=full_name,
            aliases=aliases,
            sex=sex,
            date_of_birth=dob,
            birth_year=year,
            ethnicity=ethnicity,
            citizen_id=cid,
            citizen_id_kind=IdKind.CCCD if cid else "",
            permanent_unit_id=unit.pk,
            permanent_village=village,
            permanent_address=address,
            current_unit_id=unit.pk,
            current_village=village,
            current_address=address,
            occupation=self.occupation(),
            phone=f"09{r.randint(10_000_000, 99_999_999)}" if r.random() < 0.4 else "",
        )
        return person, tradition


def _aware(day: dt.date, rng: random.Random, lag_days: int = 0) -> dt.datetime:
    tz = timezone.get_current_timezone()
    moment = dt.datetime.combine(day + _days(lag_days), dt.time(rng.randint(7, 17), rng.randint(0, 59)), tzinfo=tz)
    return min(moment, timezone.now())


def _due_fields(status: str, whereabouts: str, events: list[_Ev], detected: dt.date, closed_on: dt.date | None,
                clock: workflow.Clock) -> dict[str, Any]:  # fmt: skip
    """Exactly what ``services.refresh_due`` stores, computed in memory."""
    facts = [workflow.EventFact(e.kind, e.date, e.to_status, e.decision_date, e.end_date) for e in events]
    if status != Status.CLOSED:
        due = workflow.compute_due(status=status, whereabouts=whereabouts, events=facts, detected_on=detected,
                                   clock=clock)  # fmt: skip
        last_visit = due.last_visit_on
    else:
        due = workflow.Due(None, "", None, closed_on, None)
        last_visit = max((f.event_date for f in facts if f.kind == EventKind.HOME_VISIT), default=None)
    return {
        "due_date": due.due_date,
        "due_label": due.due_label[:120],
        "period_end": due.period_end,
        "status_since": due.status_since,
        "last_visit_on": last_visit,
    }


@dataclass(slots=True)
class _FileSpec:
    """What differs between the files of one person (before and after a transfer)."""

    unit: AdministrativeUnit
    detected: dt.date
    status: str
    whereabouts: str
    case_type: str
    closed_on: dt.date | None
    close_reason: str
    events: list[_Ev]


_TRANSFER_BASIS = "Luật PCMT 2025 (thông báo 24 giờ)"


class _Writer:
    """Turns planned paths into rows and writes them with bulk_create, one transaction per batch."""

    def __init__(self, rng: random.Random, clock: workflow.Clock, people: _PersonFactory, commune_pick: _Picker):
        self.rng, self.clock, self.people, self.commune_pick = rng, clock, people, commune_pick
        self.substance_ids = {s.code: s.pk for s in SubstanceType.objects.all()}
        self.subst_pick = _Picker(rng, [(c, w) for c, w in _SUBSTANCE_WEIGHTS.items() if c in self.substance_ids])
        self.subst_pick_hmong = _Picker(
            rng, [(c, w) for c, w in _SUBSTANCE_WEIGHTS_HMONG.items() if c in self.substance_ids]
        )
        self.seq = benchmark_files().count()
        self.stats = SeedStats()
        self.statuses: Counter[str] = Counter()

    def _person(self, detected: dt.date, unit: AdministrativeUnit, path: _Path) -> tuple[Person, str]:
        rng = self.rng
        home = unit
        if path.transfer:  # the person lives in the receiving commune now
            while home.pk == unit.pk:
                home = self.commune_pick()
            path.transfer_unit = home
        person, tradition = self.people.person(home, detected)
        person.fill_search_fields()
        person.created_at = _aware(detected, rng)
        person.updated_at = _aware(path.events[-1].date, rng, rng.randint(0, 3))
        return person, tradition

    def _specs(self, detected: dt.date, unit: AdministrativeUnit, path: _Path) -> list[_FileSpec]:
        """One file, or two when the person moved: the first closed by the transfer, the second
        (in the receiving commune) carrying the status and the rest of the history."""
        final = _FileSpec(unit, detected, path.status, path.whereabouts, path.case_type, path.closed_on,
                          path.close_reason, path.events)  # fmt: skip
        if not (path.transfer and path.transfer_unit):
            return [final]
        (day, status_then, where_then), new_unit = path.transfer, path.transfer_unit
        before = [e for e in path.events if e.date <= day]
        before.append(
            _Ev(EventKind.TRANSFER, day, from_status=status_then, to_status=Status.CLOSED, other_unit_id=new_unit.pk,
                legal_basis=_TRANSFER_BASIS)
        )  # fmt: skip
        after = [_Ev(EventKind.TRANSFER, day, to_status=status_then, other_unit_id=unit.pk,
                     legal_basis=_TRANSFER_BASIS)]  # fmt: skip
        after += [e for e in path.events if e.date > day]
        addict = any(e.result == "Nghiện ma túy" for e in before)
        first = _FileSpec(unit, detected, Status.CLOSED, where_then, CaseType.ADDICT if addict else CaseType.USER,
                          day, CloseReason.TRANSFERRED, before)  # fmt: skip
        final.unit, final.detected, final.events = new_unit, day, after
        self.stats.transfers += 1
        return [first, final]

    def _common(self, person: Person, tradition: str, detected: dt.date) -> dict[str, Any]:
        rng = self.rng
        codes = sorted(set((self.subst_pick_hmong if tradition == "hmong" else self.subst_pick).many(
            rng.choices([1, 2, 3], [70, 25, 5])[0])))  # fmt: skip
        methods = _USE_METHOD.get(codes[0])
        method = rng.choices(*zip(*methods, strict=True))[0] if methods else UseMethod.SMOKE
        first_use = detected - _days(rng.randint(30, 3000)) if rng.random() < 0.5 else None
        if first_use and first_use.year < person.birth_year + 12:
            first_use = None
        helper = rng.choice(["Trưởng thôn", "Công an viên", "Bí thư chi đoàn"]) if rng.random() < 0.5 else ""
        return {
            "person_id": person.pk,
            "substances": codes,
            "use_method": method if rng.random() < 0.8 else "",
            "first_use_date": first_use,
            "helper_name": helper,
            "administrative_sanctions": "Phạt cảnh cáo" if rng.random() < 0.15 else "",
        }

    def _file(self, spec: _FileSpec, common: dict[str, Any]) -> CaseFile:
        rng = self.rng
        self.seq += 1
        closed = spec.status == Status.CLOSED
        first_use = common["first_use_date"]
        case = CaseFile(
            person_id=common["person_id"],
            commune_id=spec.unit.pk,
            file_number=f"{BENCH_PREFIX}{spec.unit.code}-{spec.detected.year}-{self.seq:06d}",
            case_type=spec.case_type,
            status=spec.status,
            whereabouts=spec.whereabouts,
            use_method=common["use_method"],
            first_use_date=first_use if first_use and first_use <= spec.detected else None,
            detected_on=spec.detected,
            helper_name=common["helper_name"],
            administrative_sanctions=common["administrative_sanctions"],
            closed_on=spec.closed_on if closed else None,
            close_reason=spec.close_reason if closed else "",
            version=len(spec.events),
            created_at=_aware(spec.detected, rng),
            updated_at=_aware(spec.events[-1].date, rng, rng.randint(0, 3)),
            **_due_fields(spec.status, spec.whereabouts, spec.events, spec.detected, spec.closed_on, self.clock),
        )
        case._bench_substances = common["substances"]  # type: ignore[attr-defined]
        return case

    def _event(self, case_id: int, e: _Ev) -> CaseEvent:
        return CaseEvent(
            case_file_id=case_id, kind=e.kind, event_date=e.date, end_date=e.end_date,
            decision_number=e.decision_number, decision_date=e.decision_date, signer=e.signer, facility=e.facility,
            result=e.result, notes=e.notes, from_status=e.from_status, to_status=e.to_status,
            legal_basis=e.legal_basis, other_unit_id=e.other_unit_id,
            created_at=_aware(e.date, self.rng, self.rng.randint(0, 2)),
        )  # fmt: skip

    def write(self, batch: list[tuple[dt.date, AdministrativeUnit, _Path]], visit_rate: float, sim: _Simulator):
        for _detected, _unit, path in batch:
            sim.add_free_events(path, visit_rate)
        people = [self._person(detected, unit, path) for detected, unit, path in batch]
        specs = [self._specs(detected, unit, path) for detected, unit, path in batch]
        through = CaseFile.substances.through
        with transaction.atomic():
            Person.objects.bulk_create([p for p, _t in people], batch_size=len(people))
            firsts: list[tuple[CaseFile, _FileSpec]] = []
            seconds: list[tuple[CaseFile, _FileSpec, CaseFile]] = []
            for (person, tradition), person_specs in zip(people, specs, strict=True):
                common = self._common(person, tradition, person_specs[0].detected)
                first = self._file(person_specs[0], common)
                firsts.append((first, person_specs[0]))
                if len(person_specs) > 1:
                    seconds.append((self._file(person_specs[1], common), person_specs[1], first))
            CaseFile.objects.bulk_create([f for f, _s in firsts], batch_size=len(firsts))
            for case, _spec, previous in seconds:
                case.transferred_from_id = previous.pk
            CaseFile.objects.bulk_create([f for f, _s, _p in seconds], batch_size=max(1, len(seconds)))
            written = firsts + [(f, s) for f, s, _p in seconds]
            links = [
                through(casefile_id=case.pk, substancetype_id=self.substance_ids[code])
                for case, _spec in written
                for code in case._bench_substances  # type: ignore[attr-defined]
            ]
            through.objects.bulk_create(links, batch_size=10_000)
            rows = [self._event(case.pk, e) for case, spec in written for e in spec.events]
            CaseEvent.objects.bulk_create(rows, batch_size=5_000)
            stocks.rebuild([case.pk for case, _spec in written], clock=self.clock)
        for case, spec in written:
            self.statuses[case.status] += 1
            self.stats.max_events_per_file = max(self.stats.max_events_per_file, len(spec.events))
        self.stats.persons += len(people)
        self.stats.files += len(written)
        self.stats.events += len(rows)
        self.stats.substances += len(links)


def _plan(options: SeedOptions, sim: _Simulator, commune_pick: _Picker, rng: random.Random):
    """Pass 1: every person's path, the transfers, and the home-visit rate giving the requested
    average number of events per person."""
    today = sim.today
    first_day = today - _days(int(options.years * 365.25))
    span = (today - first_day).days - 1
    plans: list[tuple[dt.date, AdministrativeUnit, _Path]] = []
    for _i in range(options.persons):
        detected = first_day + _days(int(span * math.sqrt(rng.random())))  # more files in recent years
        plans.append((detected, commune_pick(), sim.path(detected)))
    # A few people moved to another commune while managed: the file there continues the history.
    movable = [p for _d, _u, p in plans if any((b - a).days > 20 for a, b, _s, _w in p.open_segments)]
    for path in rng.sample(movable, min(len(movable), int(options.persons * options.transfer_share))):
        start, end, status, where = rng.choice([s for s in path.open_segments if (s[1] - s[0]).days > 20])
        path.transfer = (start + _days(rng.randint(5, (end - start).days - 5)), status, where)
    transitions = sum(len(p.events) + (2 if p.transfer else 0) for _d, _u, p in plans)
    visit_days = sum((b - a).days for _d, _u, p in plans for a, b in p.visit_segments)
    # recent visits (~0.75 per file open today in a visit status), notes and violations come on top
    expected_fixed = sum(
        0.75 * sum(1 for _a, b in p.visit_segments if b == today) + 0.25 + 0.12 * bool(p.visit_segments)
        for _d, _u, p in plans
    )
    wanted = options.events_per_person * options.persons
    visit_rate = max(0.0, (wanted - transitions - expected_fixed) / max(1, visit_days))
    return plans, visit_rate


def seed(options: SeedOptions, log: Log) -> SeedStats:
    """Write ``options.persons`` people with their files, substances and timelines."""
    from apps.cases import services

    started = time.perf_counter()
    rng = random.Random(options.seed)  # noqa: S311 - benchmark data, not security
    clock = services.load_clock()
    communes = current_communes()
    if len(communes) < 2:
        raise RuntimeError("At least two current communes are needed.")
    commune_pick = _Picker(rng, zip(communes, _commune_weights(rng, communes), strict=True))
    taken = set(Person.objects.exclude(citizen_id="").values_list("citizen_id", flat=True))
    sim = _Simulator(rng, clock, timezone.localdate())
    plans, visit_rate = _plan(options, sim, commune_pick, rng)
    plan_seconds = time.perf_counter() - started
    rate = f"; one home visit per {1 / visit_rate:.0f} days of community management" if visit_rate else ""
    log(f"  planned {options.persons:,} people in {plan_seconds:.1f} s{rate}")

    writer = _Writer(rng, clock, _PersonFactory(rng, taken), commune_pick)
    write_started = time.perf_counter()
    with explicit_timestamps():
        for offset in range(0, len(plans), options.batch_size):
            batch = plans[offset : offset + options.batch_size]
            writer.write(batch, visit_rate, sim)
            done = offset + len(batch)
            if done % 10_000 < options.batch_size or done == len(plans):
                s = writer.stats
                log(
                    f"  {done:>7,} people, {s.files:>7,} files, {s.events:>9,} events "
                    f"({time.perf_counter() - write_started:5.1f} s)"
                )
    stats = writer.stats
    stats.plan_seconds = plan_seconds
    stats.write_seconds = time.perf_counter() - write_started
    stats.statuses = dict(writer.statuses.most_common())
    analyze_started = time.perf_counter()
    analyze()
    stats.analyze_seconds = time.perf_counter() - analyze_started
    stats.seconds = time.perf_counter() - started
    forget_derived_figures()
    return stats


def analyze() -> None:
    """Fresh planner statistics after a bulk load (autovacuum would get there, later)."""
    tables = [Person._meta.db_table, CaseFile._meta.db_table, CaseEvent._meta.db_table,
              CaseFile.substances.through._meta.db_table]  # fmt: skip
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


# --- reset ---------------------------------------------------------------------------------------


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


# --- users ---------------------------------------------------------------------------------------


@dataclass
class BenchUsers:
    officer: Any
    small_officer: Any
    province: Any
    commune: AdministrativeUnit
    small_commune: AdministrativeUnit


def bench_account(username: str, *, role: str, area: AdministrativeUnit, full_name: str):
    """A measuring account (created if missing) with only ``role`` in ``area`` and no usable
    password: a page measured as a real role, without any superuser."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(username=username)
    user.full_name, user.area, user.is_active = full_name, area, True
    if user.has_usable_password():
        # a new unusable password would change the session hash and log out every other
        # benchmark running with this account at the same time
        user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return User.objects.get(pk=user.pk)


def ensure_users(province: AdministrativeUnit) -> BenchUsers:
    """A commune officer of the commune with the most files (and one of the commune with the
    fewest, to check that the query count does not grow with the data) and a province staff."""
    from apps.accounts import roles

    roles.sync_roles()
    counts = list(
        CaseFile.objects.filter(commune__valid_to__isnull=True, commune__level="commune")
        .values("commune_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "commune_id")
    )
    if not counts:
        raise RuntimeError("No case files: seed first (drop --skip-seed).")
    largest = AdministrativeUnit.objects.get(pk=counts[0]["commune_id"])
    smallest = AdministrativeUnit.objects.get(pk=counts[-1]["commune_id"])
    return BenchUsers(
        officer=bench_account(
            OFFICER_USERNAME, role=roles.COMMUNE_OFFICER, area=largest, full_name="Cán bộ đo hiệu năng (xã lớn)"
        ),
        small_officer=bench_account(
            SMALL_OFFICER_USERNAME, role=roles.COMMUNE_OFFICER, area=smallest, full_name="Cán bộ đo hiệu năng (xã nhỏ)"
        ),
        province=bench_account(
            PROVINCE_USERNAME, role=roles.PROVINCE_STAFF, area=province, full_name="Cán bộ tỉnh đo hiệu năng"
        ),
        commune=largest,
        small_commune=smallest,
    )


# --- page measurements ---------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    user: Any
    path: str
    rows: Callable[[], str]
    #: the same page with much less (or more) data: the query count must not change
    compare: tuple[Any, str] | None = None


@dataclass
class ScenarioResult:
    name: str
    username: str
    path: str
    iterations: int
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    db_p50_ms: float = 0.0
    queries_min: int = 0
    queries_max: int = 0
    compare_queries: int | None = None
    rows: str = ""
    status: int = 0
    error: str = ""
    slowest_sql: list[tuple[float, str]] = field(default_factory=list)

    @property
    def queries_constant(self) -> bool:
        same = self.queries_min == self.queries_max
        return same and (self.compare_queries is None or self.compare_queries == self.queries_max)

    @property
    def meets_target(self) -> bool:
        return not self.error and self.p95_ms < PAGE_TARGET_MS and self.queries_constant

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.name, "user": self.username, "path": self.path, "iterations": self.iterations,
            "p50_ms": round(self.p50_ms, 1), "p95_ms": round(self.p95_ms, 1), "max_ms": round(self.max_ms, 1),
            "db_p50_ms": round(self.db_p50_ms, 1), "queries_min": self.queries_min, "queries_max": self.queries_max,
            "queries_small_data": self.compare_queries, "queries_constant": self.queries_constant,
            "rows": self.rows, "status": self.status, "error": self.error, "meets_target": self.meets_target,
        }  # fmt: skip


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


@contextmanager
def test_client_host() -> Iterator[dict[str, Any]]:
    """Let the test client's host through ALLOWED_HOSTS for the duration of the measurements."""
    original = settings.ALLOWED_HOSTS
    if "testserver" not in original and "*" not in original:
        settings.ALLOWED_HOSTS = [*original, "testserver"]
    try:
        yield {"secure": bool(getattr(settings, "SECURE_SSL_REDIRECT", False))}
    finally:
        settings.ALLOWED_HOSTS = original


def _client(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _get(client: Client, path: str, extra: dict[str, Any]):
    return client.get(path, **extra)


def measure(scenario: Scenario, iterations: int, extra: dict[str, Any], warmup: int = 2) -> ScenarioResult:
    result = ScenarioResult(scenario.name, scenario.user.username, scenario.path, iterations)
    client = _client(scenario.user)
    try:
        for _i in range(warmup):
            response = _get(client, scenario.path, extra)
            if response.status_code != 200:
                result.status = response.status_code
                result.error = f"HTTP {response.status_code}"
                return result
        times, db_times, counts = [], [], []
        slowest: list[tuple[float, str]] = []
        for _i in range(iterations):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = _get(client, scenario.path, extra)
                times.append((time.perf_counter() - started) * 1000)
            result.status = response.status_code
            counts.append(len(ctx.captured_queries))
            timed = [(float(q.get("time") or 0) * 1000, q["sql"]) for q in ctx.captured_queries]
            db_times.append(sum(t for t, _sql in timed))
            slowest = sorted(timed, key=lambda item: -item[0])[:3]
        result.p50_ms, result.p95_ms, result.max_ms = statistics.median(times), percentile(times, 95), max(times)
        result.db_p50_ms = statistics.median(db_times)
        result.queries_min, result.queries_max = min(counts), max(counts)
        result.slowest_sql = slowest
        if scenario.compare:
            other_user, other_path = scenario.compare
            other = _client(other_user) if other_user is not scenario.user else client
            _get(other, other_path, extra)  # warm-up
            with CaptureQueriesContext(connection) as ctx:
                response = _get(other, other_path, extra)
            if response.status_code == 200:
                result.compare_queries = len(ctx.captured_queries)
        result.rows = scenario.rows()
    except Exception as exc:  # noqa: BLE001 - a page still being written must not stop the other scenarios
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    return result


def build_scenarios(users: BenchUsers) -> list[Scenario]:
    from apps.cases import selectors

    officer, province, small = users.officer, users.province, users.small_officer

    def worklist_rows(user) -> Callable[[], str]:
        def rows() -> str:
            c = selectors.worklist(user=user).counts
            return (f"overdue {c.get('overdue', 0):,}, due soon {c.get('due_soon', 0):,}, "
                    f"returned {c.get('returned', 0):,} / open {c.get('open', 0):,}")  # fmt: skip

        return rows

    def list_rows(user, **filters) -> Callable[[], str]:
        def rows() -> str:
            n = selectors.case_list(user=user, filters=selectors.CaseFilters(**filters)).count()
            return f"{n:,} matched, {min(n, 25)} shown"

        return rows

    commune_files = CaseFile.objects.filter(commune=users.commune)
    by_events = commune_files.annotate(n=Count("events")).order_by("-n", "pk").values_list("pk", "n")
    big_case, big_n = by_events.first() or (None, 0)
    small_case = commune_files.annotate(n=Count("events")).order_by("n", "pk").values_list("pk", flat=True).first()
    one = (
        CaseFile.objects.filter(commune=users.commune, status=Status.MANAGED, person__sex=Sex.MALE)
        .exclude(person__citizen_id="")
        .values_list("person__citizen_id", flat=True)
        .first()
    )
    filtered = "/cases/list/?status=managed&sex=M"
    scenarios = [
        Scenario("worklist", officer, "/cases/", worklist_rows(officer), compare=(small, "/cases/")),
        Scenario("list status=managed&sex=M", officer, filtered,
                 list_rows(officer, status=Status.MANAGED, sex=Sex.MALE),
                 compare=(officer, f"{filtered}&q={one}") if one else None),
        Scenario("list status=managed&sex=M", province, filtered,
                 list_rows(province, status=Status.MANAGED, sex=Sex.MALE),
                 compare=(province, f"{filtered}&q={one}") if one else None),
        Scenario("list default (open files)", province, "/cases/list/",
                 list_rows(province, open_only=True), compare=(province, f"/cases/list/?q={one}") if one else None),
        Scenario("search q=nguyen van hung", province, "/cases/list/?q=nguyen+van+hung",
                 list_rows(province, q="nguyen van hung"),
                 compare=(province, f"/cases/list/?q={one}") if one else None),
    ]  # fmt: skip
    if big_case:
        scenarios.append(
            Scenario("case page (most events)", officer, f"/cases/{big_case}/",
                     lambda: f"{big_n} events (file #{big_case})",
                     compare=(officer, f"/cases/{small_case}/") if small_case else None)
        )  # fmt: skip
    return scenarios


def explain(sql: str) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of a captured SELECT (PostgreSQL only)."""
    if not is_postgres() or not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


# --- import measurement --------------------------------------------------------------------------


def build_import_workbook(commune: AdministrativeUnit, rows: int, seed: int) -> bytes:
    """An .xlsx of ``rows`` new people for ``commune``, headers exactly the resource's columns."""
    import openpyxl

    from apps.cases.resources import CaseResource

    rng = random.Random(seed + 1)  # noqa: S311 - benchmark data, not security
    taken = set(Person.objects.exclude(citizen_id="").values_list("citizen_id", flat=True))
    people = _PersonFactory(rng, taken)
    headers = list(CaseResource.columns)
    # "ATS, thuốc lắc (MDMA)" → "ATS": the column is comma-separated, as officers write it
    names = {s.code: s.name.split(" (")[0].split(",")[0] for s in SubstanceType.objects.all()}
    subst = _Picker(rng, [(c, w) for c, w in _SUBSTANCE_WEIGHTS.items() if c in names])
    today = timezone.localdate()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Hồ sơ")
    ws.append(headers)
    for _i in range(rows):
        detected = today - _days(rng.randint(1, 700))
        person, _tradition = people.person(commune, detected)
        if not person.citizen_id:  # every row carries a new CCCD, so each row creates a file
            person.citizen_id = people.citizen_id(person.sex, person.birth_year)
        values = {
            "Họ và tên": person.full_name,
            "Tên gọi khác": person.aliases,
            "Giới tính": "Nam" if person.sex == Sex.MALE else "Nữ",
            "Ngày sinh hoặc năm sinh": person.date_of_birth.strftime("%d/%m/%Y")
            if person.date_of_birth
            else person.birth_year,
            "Dân tộc": person.ethnicity.name if person.ethnicity else "",
            "Số CCCD/CMND": person.citizen_id,
            "Xã/phường": commune.code,
            "Thôn/tổ dân phố": person.current_village,
            "Địa chỉ": person.current_address,
            "Loại hồ sơ": "Người nghiện" if rng.random() < 0.3 else "Người sử dụng",
            "Chất ma túy": ", ".join(names[c] for c in sorted(set(subst.many(rng.choice([1, 1, 2]))))),
            "Ngày phát hiện": detected.strftime("%d/%m/%Y"),
            "Ghi chú": "Nhập từ danh sách rà soát" if rng.random() < 0.2 else "",
        }
        ws.append([values.get(h, "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class ImportResult:
    dry_run: bool
    seconds: float
    rows: int
    new: int
    updated: int
    skipped: int
    errors: int
    warnings: int
    queries: int
    first_errors: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run, "seconds": round(self.seconds, 2), "rows": self.rows, "new": self.new,
            "updated": self.updated, "unchanged": self.skipped, "errors": self.errors, "warnings": self.warnings,
            "queries": self.queries,
            "queries_per_row": round(self.queries / max(1, self.rows), 1), "first_errors": self.first_errors,
            "meets_target": self.seconds < IMPORT_TARGET_S and not self.errors,
        }  # fmt: skip


@contextmanager
def count_queries() -> Iterator[list[int]]:
    """Count queries without keeping them (CaptureQueriesContext is capped at 9000)."""
    counter = [0]

    def wrapper(execute, sql, params, many, context):
        counter[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


def measure_import(officer, content: bytes, *, dry_run: bool, rows: int) -> ImportResult:
    import inspect

    from apps.cases.resources import CaseResource
    from apps.core.imports import import_file

    kwargs: dict[str, Any] = {}
    if "audit_action" in inspect.signature(import_file).parameters:
        kwargs["audit_action"] = IMPORT_AUDIT_ACTION
    resource = CaseResource(user=officer)
    with count_queries() as counter:
        started = time.perf_counter()
        report = import_file(actor=officer, resource=resource, content=content, filename="bench.xlsx",
                             dry_run=dry_run, **kwargs)  # fmt: skip
        seconds = time.perf_counter() - started
    return ImportResult(
        dry_run=dry_run,
        seconds=seconds,
        rows=report.total_rows,
        new=report.new,
        updated=report.updated,
        skipped=report.skipped,
        errors=len(report.errors),
        warnings=len(getattr(report, "warnings", []) or []),
        queries=counter[0],
        first_errors=[f"row {e.row} {e.column}: {e.message}" for e in report.errors[:5]],
    )


def counts_summary() -> dict[str, int]:
    return {
        "persons": Person.objects.count(),
        "case_files": CaseFile.objects.count(),
        "case_events": CaseEvent.objects.count(),
        "benchmark_files": benchmark_files().count(),
        "open_files": CaseFile.objects.filter(~Q(status=Status.CLOSED)).count(),
    }
