"""A hand-built province covering every indicator, and INDEPENDENT counts from the raw records.

The expected values are computed here with plain Python over the model rows (no aggregate query,
no SQL of the reporting app), following the definitions documented in ``apps.reporting.indicators``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings

from apps.areas.selectors import resolve_current_unit
from apps.cases import services as case_services
from apps.cases.choices import AgeBand, EventKind, Status, Whereabouts
from apps.cases.models import CaseEvent, CaseFile
from apps.cases.workflow import add_months
from apps.registers.choices import HotspotStatus
from apps.registers.models import CrimeCase, Cultivation, Hotspot, HotspotStatusChange
from apps.registers.services import hotspots as register_services
from apps.reporting.demographics import age_band
from tests.factories.cases import advance, make_case
from tests.factories.registers import make_crime_case, make_cultivation, make_hotspot, offender

# Quý I năm 2026 (15/12/2025 – 14/03/2026)
Q1 = (dt.date(2025, 12, 15), dt.date(2026, 3, 14))
SECRET_NAMES = ["Hoàng Văn Bímật", "Sùng Thị Riêngtư", "Lò Văn Kínđáo"]
PREVENTION = "apps.prevention" in settings.INSTALLED_APPS


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _addict(officer, commune, detected: str, **kw) -> CaseFile:
    case = make_case(officer, commune, detected_on=d(detected), substances=["heroin"], **kw)
    case = advance(officer, case, "refer_determination", d(detected) + dt.timedelta(days=2))
    return advance(officer, case, "addicted", d(detected) + dt.timedelta(days=9), facility="TTYT khu vực")


def build_province(world, officer_a, officer_b, staff) -> dict:
    """Records in communes A and B (and one commune A record entered under former Đạo Viện)."""
    a, b = world.commune_a, world.commune_b
    made: dict = {}
    # --- case files ---------------------------------------------------------------------------
    # open, detected inside the window
    made["signs_new"] = make_case(
        officer_a, a, detected_on=d("2026-01-05"), substances=["meth"], full_name=SECRET_NAMES[0], sex="M",
        birth_year=2011, ethnicity=None,
    )  # fmt: skip
    # managed user, relapse inside the window, now in prison
    c = make_case(officer_a, a, detected_on=d("2025-11-01"), substances=["meth", "heroin"], full_name=SECRET_NAMES[1])
    c = advance(officer_a, c, "positive_test", d("2025-11-10"))
    c = advance(officer_a, c, "management_decision", d("2025-11-20"), decision_number="12/QĐ-UBND")
    case_services.case_add_event(
        actor=officer_a, case=c, kind=EventKind.RELAPSE, data=case_services.EventInput(event_date=d("2026-02-01"))
    )
    case_services.case_add_event(
        actor=officer_a,
        case=c,
        kind=EventKind.WHEREABOUTS,
        data=case_services.EventInput(event_date=d("2026-02-05"), whereabouts=Whereabouts.PRISON),
    )
    made["managed"] = c
    # voluntary rehab in the community, since inside the window
    c = _addict(officer_a, a, "2025-10-01", full_name=SECRET_NAMES[2])
    made["vol_community"] = advance(officer_a, c, "register_community", d("2026-01-10"))
    # voluntary rehab in a facility
    c = _addict(officer_a, a, "2025-10-02")
    made["vol_facility"] = advance(
        officer_a, c, "register_facility", d("2026-02-01"), facility="Cơ sở cai nghiện tỉnh"
    )
    # methadone
    c = _addict(officer_b, b, "2025-10-03")
    made["methadone"] = advance(officer_b, c, "start_methadone", d("2026-02-10"), facility="Cơ sở methadone")
    # compulsory rehab
    c = _addict(officer_b, b, "2025-09-01")
    c = advance(officer_b, c, "compulsory_dossier", d("2025-09-20"))
    made["compulsory"] = advance(
        officer_b, c, "court_compulsory", d("2026-01-20"), decision_number="5/QĐ-TA", facility="Cơ sở bắt buộc",
        end_date=d("2027-03-20"),
    )  # fmt: skip
    # post-rehab: released before the window's end
    c = _addict(officer_b, b, "2024-03-01")
    c = advance(officer_b, c, "compulsory_dossier", d("2024-03-20"))
    c = advance(
        officer_b, c, "court_compulsory", d("2024-04-01"), decision_number="3/QĐ-TA", facility="Cơ sở bắt buộc",
        end_date=d("2025-04-01"),
    )  # fmt: skip
    made["post_rehab"] = advance(officer_b, c, "facility_release", d("2025-04-02"))
    # closed inside the window (new, not open at the end)
    c = make_case(officer_a, a, detected_on=d("2026-01-06"))
    made["closed_in_window"] = advance(officer_a, c, "negative_test", d("2026-01-10"))
    # detected after the window: nowhere in Q1
    made["after"] = make_case(officer_a, a, detected_on=d("2026-03-20"))
    # changed AFTER the window: counted with its status at the end of the window
    c = make_case(officer_b, b, detected_on=d("2025-12-01"), birth_year=1990)
    made["later_positive"] = advance(officer_b, c, "positive_test", d("2026-04-01"))
    c = make_case(officer_b, b, detected_on=d("2025-11-05"), birth_year=1970)
    made["later_closed"] = advance(officer_b, c, "negative_test", d("2026-05-01"))
    # closed before the window
    c = make_case(officer_b, b, detected_on=d("2025-08-05"))
    made["closed_before"] = advance(officer_b, c, "negative_test", d("2025-09-01"))
    # moved from B to A inside the window: open in B before, in A after (not "new" in A)
    c = make_case(officer_b, b, detected_on=d("2025-10-10"))
    made["transferred"] = case_services.case_transfer(
        actor=officer_b, case=c, to_commune=a, data=case_services.EventInput(event_date=d("2026-02-20"))
    )
    # entered under the former commune's name (Đạo Viện, huyện Yên Sơn): counts for commune A
    made["former_case"] = make_case(
        officer_a, resolve_current_unit("Đạo Viện"), detected_on=d("2026-02-20"), substances=["cannabis"]
    )

    # --- registers ----------------------------------------------------------------------------
    made["h_active"] = make_hotspot(officer_a, a, discovered_on=d("2025-06-01"))
    made["h_new"] = make_hotspot(officer_a, a, discovered_on=d("2026-01-15"), kind="hotspot")
    h = make_hotspot(officer_a, a, discovered_on=d("2025-05-01"))
    register_services.hotspot_change_status(
        actor=officer_a, hotspot=h, to_status=HotspotStatus.ELIMINATED, changed_on=d("2026-02-01"), reason="Triệt xóa"
    )
    made["h_eliminated"] = h
    made["h_former"] = make_hotspot(officer_a, None, recorded_unit=world.former_a, discovered_on=d("2026-02-02"))
    h = make_hotspot(officer_b, b, discovered_on=d("2025-03-01"))
    register_services.hotspot_change_status(
        actor=officer_b, hotspot=h, to_status=HotspotStatus.ELIMINATED, changed_on=d("2025-10-01"), reason="Triệt xóa"
    )
    made["h_gone"] = h
    made["crime_a"] = make_crime_case(
        officer_a, a, occurred_on=d("2026-01-20"), heroin_g=Decimal("12.5"), synthetic_g=Decimal("3.25"),
        synthetic_tablets=100, offenders=[offender("Phạm Văn Bắt", arrested_on=d("2026-01-20")),
                                          offender("Vi Văn Giữ", arrested_on=d("2026-01-20"))],
    )  # fmt: skip
    made["crime_former"] = make_crime_case(
        officer_a, None, recorded_unit=world.former_a, occurred_on=d("2026-02-02"), cannabis_g=Decimal("50"),
        other_g=Decimal("1.5"), offenders=[offender("Triệu Văn Cũ", arrested_on=d("2026-02-02"))],
    )  # fmt: skip
    made["crime_after"] = make_crime_case(officer_b, b, occurred_on=d("2026-03-20"), heroin_g=Decimal("1"))
    made["cult_a"] = make_cultivation(officer_a, a, found_on=d("2026-02-10"), plants=300, area_m2=Decimal("75.5"))
    made["cult_kept"] = make_cultivation(officer_a, a, found_on=d("2026-02-11"), plants=40, destroyed=False)
    made["cult_b"] = make_cultivation(officer_b, b, found_on=d("2026-01-03"), plants=50, area_m2=Decimal("10"))
    made["cult_former"] = make_cultivation(
        officer_a, None, recorded_unit=world.former_a, found_on=d("2026-03-01"), plants=7, area_m2=Decimal("2.25")
    )

    # --- prevention ---------------------------------------------------------------------------
    if PREVENTION:
        from tests.factories.prevention import make_activity, make_person

        people = [make_person(officer_a, a) for _ in range(3)] + [make_person(officer_b, b)]
        made["hr_people"] = people
        made["act_both"] = make_activity(
            staff, a, b, date_from=d("2026-01-10"), sessions=2, participation={"general_public": 80},
            reached=[people[0], people[3]],
        )  # fmt: skip
        made["act_a"] = make_activity(
            officer_a, a, date_from=d("2026-02-15"), sessions=1, participation={"general_public": 30},
            reached=[people[1]],
        )  # fmt: skip
        made["act_later"] = make_activity(
            officer_a, a, date_from=d("2026-04-01"), sessions=3, participation={"general_public": 10},
            reached=[people[2]],
        )  # fmt: skip
    return made


# --- independent counts ---------------------------------------------------------------------------


def status_at(case: CaseFile, day: dt.date) -> str | None:
    """The file's status on ``day`` from its events, in Python (None: not opened yet)."""
    events = sorted(
        (e for e in CaseEvent.objects.filter(case_file=case) if e.to_status and e.event_date <= day),
        key=lambda e: (e.event_date, e.pk),
    )
    return events[-1].to_status if events else None


def _chain_events(case: CaseFile) -> list:
    events, node = [], case
    while node is not None:
        events = sorted(CaseEvent.objects.filter(case_file=node), key=lambda e: (e.event_date, e.pk)) + events
        node = node.transferred_from
    return events


def counted_at(case: CaseFile, day: dt.date) -> tuple[str, str, str, str] | None:
    """(category, status, case type, whereabouts) of the file on ``day`` by issue 10 §1, in plain
    Python: verifying before a management decision, expired once a 1-year term has ended, the type
    and whereabouts in force that day; None when it does not count."""
    st = status_at(case, day)
    if not st or st == Status.CLOSED:
        return None
    own = sorted(CaseEvent.objects.filter(case_file=case), key=lambda e: (e.event_date, e.pk))
    later_closing = next((e for e in own if e.to_status == Status.CLOSED and e.event_date > day), None)
    negative = later_closing is not None and later_closing.kind == EventKind.TEST
    if st in (Status.SIGNS, Status.POSITIVE):
        category = "verifying"
    elif negative:
        return None
    else:
        category = "stock"
        if st in (Status.MANAGED, Status.POST_REHAB):
            decided = [
                e
                for e in _chain_events(case)
                if e.to_status == st and e.kind != EventKind.TRANSFER and e.event_date <= day
            ]
            start = decided[-1].decision_date or decided[-1].event_date
            if day >= add_months(start, 12):
                category = "expired"
    addicted = [
        e.event_date for e in own if e.kind == EventKind.DETERMINATION and e.to_status == Status.AWAITING_REGISTRATION
    ]
    kind = case.case_type if case.case_type == "user" or not addicted or addicted[0] <= day else "user"
    places = [e.whereabouts for e in own if e.whereabouts and e.event_date <= day]
    return category, st, kind, places[-1] if places else case.whereabouts


def expected_counts(communes, start: dt.date, end: dt.date) -> dict[int, dict]:
    """Every indicator per commune, counted record by record."""
    out: dict[int, dict] = {}
    for commune in communes:
        v: dict = {}
        files = list(CaseFile.objects.filter(commune=commune))
        counted = [(case, counted_at(case, end)) for case in files]
        open_files = [(case, c) for case, c in counted if c and c[0] == "stock"]
        v["people_total"] = len(open_files)
        v["people_verifying"] = sum(1 for _case, c in counted if c and c[0] == "verifying")
        v["people_expired"] = sum(1 for _case, c in counted if c and c[0] == "expired")
        v["people_users"] = sum(1 for _case, c in open_files if c[2] == "user")
        v["people_addicts"] = sum(1 for _case, c in open_files if c[2] == "addict")
        for where in Whereabouts.values:
            v[f"where_{where}"] = sum(1 for _case, c in open_files if c[3] == where)
        v["people_new"] = sum(1 for c in files if start <= c.detected_on <= end and c.transferred_from_id is None)
        statuses = [c[1] for _case, c in open_files]
        v["rehab_voluntary_community"] = statuses.count(Status.VOLUNTARY_COMMUNITY)
        v["rehab_voluntary_facility"] = statuses.count(Status.VOLUNTARY_FACILITY)
        v["rehab_voluntary"] = v["rehab_voluntary_community"] + v["rehab_voluntary_facility"]
        v["rehab_compulsory"] = statuses.count(Status.COMPULSORY)
        v["methadone"] = statuses.count(Status.METHADONE)
        v["post_rehab"] = statuses.count(Status.POST_REHAB)
        v["relapses"] = sum(
            1
            for e in CaseEvent.objects.filter(case_file__commune=commune)
            if e.kind in (EventKind.RELAPSE, EventKind.REOPENED) and start <= e.event_date <= end and not e.voided_at
        )
        hotspots = list(Hotspot.objects.filter(commune=commune))
        active = 0
        for h in hotspots:
            history = sorted(HotspotStatusChange.objects.filter(hotspot=h), key=lambda x: (x.changed_on, x.pk))
            before = [x.to_status for x in history if x.changed_on < start]
            within = [x for x in history if start <= x.changed_on <= end]
            eliminated_before = bool(before) and before[-1] == HotspotStatus.ELIMINATED and not within
            if h.discovered_on <= end and not eliminated_before:
                active += 1
        v["hotspots_active"] = active
        v["hotspots_new"] = sum(1 for h in hotspots if start <= h.discovered_on <= end)
        v["hotspots_eliminated"] = len(
            {
                x.hotspot_id
                for x in HotspotStatusChange.objects.filter(hotspot__commune=commune)
                if x.to_status == HotspotStatus.ELIMINATED and start <= x.changed_on <= end
            }
        )
        crimes = [c for c in CrimeCase.objects.filter(commune=commune) if start <= c.occurred_on <= end]
        v["crime_cases"] = len(crimes)
        v["crime_offenders"] = sum(c.offenders_count for c in crimes)
        v["seized_heroin_g"] = sum((c.heroin_g for c in crimes), Decimal("0.000"))
        v["seized_synthetic_g"] = sum((c.synthetic_g for c in crimes), Decimal("0.000"))
        v["seized_synthetic_tablets"] = sum(c.synthetic_tablets for c in crimes)
        v["seized_cannabis_g"] = sum((c.cannabis_g for c in crimes), Decimal("0.000"))
        v["seized_other_g"] = sum((c.other_g for c in crimes), Decimal("0.000"))
        finds = [c for c in Cultivation.objects.filter(commune=commune) if c.destroyed and start <= c.found_on <= end]
        v["cultivation_finds"] = len(finds)
        v["plants_destroyed"] = sum(c.plants for c in finds)
        v["plant_area_m2"] = sum((c.area_m2 for c in finds), Decimal("0.00"))
        if PREVENTION:
            from apps.prevention.models import Activity, HighRiskPerson

            acts = [a for a in Activity.objects.filter(communes=commune) if a.date_from <= end and a.date_to >= start]
            v["activities"] = len(acts)
            v["activity_sessions"] = sum(a.sessions for a in acts)
            v["activity_participants"] = sum(a.participants_total for a in acts)
            people = [p for p in HighRiskPerson.objects.filter(commune=commune) if p.status == "active"]
            v["highrisk_registered"] = len(people)
            v["highrisk_reached"] = sum(
                1
                for p in people
                if any(r.activity.date_from <= end and r.activity.date_to >= start for r in p.reaches.all())
            )
        out[commune.pk] = v
    return out


def expected_breakdown(communes, end: dt.date) -> dict:
    sex = {"M": 0, "F": 0}
    bands = dict.fromkeys(AgeBand.values, 0)
    groups = {"kinh": 0, "minority": 0, "unknown": 0}
    substances: dict[str, int] = {}
    total = none = 0
    for case in CaseFile.objects.filter(commune__in=communes).select_related("person", "person__ethnicity"):
        counted = counted_at(case, end)
        if not counted or counted[0] != "stock":
            continue
        total += 1
        sex[case.person.sex] += 1
        bands[age_band(case.person.birth_year, end)] += 1
        eth = case.person.ethnicity
        groups["unknown" if eth is None else "kinh" if eth.name == "Kinh" else "minority"] += 1
        codes = list(case.substances.values_list("code", flat=True))
        if not codes:
            none += 1
        for code in codes:
            substances[code] = substances.get(code, 0) + 1
    return {
        "total": total,
        "sex": sex,
        "age_band": bands,
        "ethnicity_group": groups,
        "substance": substances,
        "none": none,
    }
