"""Seeding the case-page benchmark (``manage.py benchmark``): people, files and timelines.

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
import math
import random
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.areas.models import AdministrativeUnit, UnitPopulation
from apps.areas.services import units_load
from apps.cases import services, stocks, workflow
from apps.cases.choices import CaseType, CloseReason, EventKind, Status, UseMethod
from apps.cases.models import CaseEvent, CaseFile, Ethnicity, LegalDuration, Person, SubstanceType
from apps.core.registry import forget_derived_figures

from .dataset import BENCH_PREFIX, Log, benchmark_files, current_communes, is_postgres
from .people import SUBSTANCE_WEIGHTS, SUBSTANCE_WEIGHTS_HMONG, PersonFactory
from .picking import Picker, days
from .timelines import Ev, PersonPath, Simulator

_USE_METHOD = {
    "heroin": [(UseMethod.INJECT, 5), (UseMethod.SMOKE, 4), (UseMethod.INHALE, 1)],
    "opium": [(UseMethod.SMOKE, 9), (UseMethod.ORAL, 1)],
    "meth": [(UseMethod.SMOKE, 8), (UseMethod.INHALE, 2)],
}


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


def ensure_units(log: Log) -> AdministrativeUnit:
    """The real units (loaded when missing) and the reference data of the migrations."""
    if AdministrativeUnit.objects.current().filter(level="commune").count() < 100:
        log("Administrative units missing: loading the official catalogue (units_load)…")
        summary = units_load()
        log(f"  units: {summary.created} created, {summary.successions} successions")
    province = AdministrativeUnit.objects.current().filter(level="province", code=settings.PCMT_PROVINCE_CODE).first()
    if province is None:
        raise RuntimeError(f"Province {settings.PCMT_PROVINCE_CODE} not found among the current units.")
    if Ethnicity.objects.count() < 54 or not SubstanceType.objects.exists():
        raise RuntimeError("Reference data (ethnicities, substances, legal durations) missing: run `migrate`.")
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


def _aware(day: dt.date, rng: random.Random, lag_days: int = 0) -> dt.datetime:
    tz = timezone.get_current_timezone()
    moment = dt.datetime.combine(day + days(lag_days), dt.time(rng.randint(7, 17), rng.randint(0, 59)), tzinfo=tz)
    return min(moment, timezone.now())


def _due_fields(status: str, whereabouts: str, events: list[Ev], detected: dt.date, closed_on: dt.date | None,
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
    events: list[Ev]


_TRANSFER_BASIS = "Luật PCMT 2025 (thông báo 24 giờ)"


class _Writer:
    """Turns planned paths into rows and writes them with bulk_create, one transaction per batch."""

    def __init__(self, rng: random.Random, clock: workflow.Clock, people: PersonFactory, commune_pick: Picker):
        self.rng, self.clock, self.people, self.commune_pick = rng, clock, people, commune_pick
        self.substance_ids = {s.code: s.pk for s in SubstanceType.objects.all()}
        self.subst_pick = Picker(rng, [(c, w) for c, w in SUBSTANCE_WEIGHTS.items() if c in self.substance_ids])
        self.subst_pick_hmong = Picker(
            rng, [(c, w) for c, w in SUBSTANCE_WEIGHTS_HMONG.items() if c in self.substance_ids]
        )
        self.seq = benchmark_files().count()
        self.stats = SeedStats()
        self.statuses: Counter[str] = Counter()

    def _person(self, detected: dt.date, unit: AdministrativeUnit, path: PersonPath) -> tuple[Person, str]:
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

    def _specs(self, detected: dt.date, unit: AdministrativeUnit, path: PersonPath) -> list[_FileSpec]:
        """One file, or two when the person moved: the first closed by the transfer, the second
        (in the receiving commune) carrying the status and the rest of the history."""
        final = _FileSpec(unit, detected, path.status, path.whereabouts, path.case_type, path.closed_on,
                          path.close_reason, path.events)  # fmt: skip
        if not (path.transfer and path.transfer_unit):
            return [final]
        (day, status_then, where_then), new_unit = path.transfer, path.transfer_unit
        before = [e for e in path.events if e.date <= day]
        before.append(
            Ev(EventKind.TRANSFER, day, from_status=status_then, to_status=Status.CLOSED, other_unit_id=new_unit.pk,
                legal_basis=_TRANSFER_BASIS)
        )  # fmt: skip
        after = [Ev(EventKind.TRANSFER, day, to_status=status_then, other_unit_id=unit.pk,
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
        first_use = detected - days(rng.randint(30, 3000)) if rng.random() < 0.5 else None
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

    def _event(self, case_id: int, e: Ev) -> CaseEvent:
        return CaseEvent(
            case_file_id=case_id, kind=e.kind, event_date=e.date, end_date=e.end_date,
            decision_number=e.decision_number, decision_date=e.decision_date, signer=e.signer, facility=e.facility,
            result=e.result, notes=e.notes, from_status=e.from_status, to_status=e.to_status,
            legal_basis=e.legal_basis, other_unit_id=e.other_unit_id,
            created_at=_aware(e.date, self.rng, self.rng.randint(0, 2)),
        )  # fmt: skip

    def write(self, batch: list[tuple[dt.date, AdministrativeUnit, PersonPath]], visit_rate: float, sim: Simulator):
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


def _plan(options: SeedOptions, sim: Simulator, commune_pick: Picker, rng: random.Random):
    """Pass 1: every person's path, the transfers, and the home-visit rate giving the requested
    average number of events per person."""
    today = sim.today
    first_day = today - days(int(options.years * 365.25))
    span = (today - first_day).days - 1
    plans: list[tuple[dt.date, AdministrativeUnit, PersonPath]] = []
    for _i in range(options.persons):
        detected = first_day + days(int(span * math.sqrt(rng.random())))  # more files in recent years
        plans.append((detected, commune_pick(), sim.path(detected)))
    # A few people moved to another commune while managed: the file there continues the history.
    movable = [p for _d, _u, p in plans if any((b - a).days > 20 for a, b, _s, _w in p.open_segments)]
    for path in rng.sample(movable, min(len(movable), int(options.persons * options.transfer_share))):
        start, end, status, where = rng.choice([s for s in path.open_segments if (s[1] - s[0]).days > 20])
        path.transfer = (start + days(rng.randint(5, (end - start).days - 5)), status, where)
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
    started = time.perf_counter()
    rng = random.Random(options.seed)  # noqa: S311 - benchmark data, not security
    clock = services.load_clock()
    communes = current_communes()
    if len(communes) < 2:
        raise RuntimeError("At least two current communes are needed.")
    commune_pick = Picker(rng, zip(communes, _commune_weights(rng, communes), strict=True))
    taken = set(Person.objects.exclude(citizen_id="").values_list("citizen_id", flat=True))
    sim = Simulator(rng, clock, timezone.localdate())
    plans, visit_rate = _plan(options, sim, commune_pick, rng)
    plan_seconds = time.perf_counter() - started
    rate = f"; one home visit per {1 / visit_rate:.0f} days of community management" if visit_rate else ""
    log(f"  planned {options.persons:,} people in {plan_seconds:.1f} s{rate}")

    writer = _Writer(rng, clock, PersonFactory(rng, taken), commune_pick)
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
