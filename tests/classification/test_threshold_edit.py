"""Issue #4: "an edited threshold changes the result after re-running, and the change is audited".

The legal staff's workflow end to end, on real data (case files, a register hotspot, population, a
key route): export the shipped QĐ 28/2025 rule set, edit one threshold in the JSON, import it with
replace, re-run. The commune's level follows the new threshold, the rule set's version goes up, the
audit log holds the file before and after, and the earlier assessment keeps the rule set and the
result it was run with (history is never rewritten).
"""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from apps.areas.services import population_set
from apps.audit.models import AuditLogEntry
from apps.classification import rules, selectors, services
from apps.classification.choices import AssessmentStatus
from apps.classification.models import Assessment, AssessmentResult, RuleSet
from apps.registers.choices import HotspotKind
from apps.registers.services import hotspots as registers

from .helpers import add_cases, approved_report

YEAR = 2025
CODE = "QD-28-2025"


def criterion(data: dict, level: str, code: str) -> dict:
    """One criterion of a rule set in its JSON form (export file, snapshot, audit before/after)."""
    (lv,) = [lv for lv in data["levels"] if lv["code"] == level]
    (c,) = [c for c in lv["criteria"] if c["code"] == code]
    return c


def level_of(assessment: Assessment, commune) -> AssessmentResult:
    return assessment.results.get(commune=commune)


def harbouring_place(officer, commune, name: str):
    """A place organising / harbouring drug use, entered in the register by the commune officer."""
    return registers.hotspot_create(
        actor=officer,
        data=registers.HotspotInput(
            name=name, kind=HotspotKind.HARBOURING, discovered_on=dt.date(YEAR, 2, 1), commune=commune
        ),
    )


@pytest.fixture
def type_3_commune(world, officer_a, province_staff):
    """Commune A under the shipped QĐ 28/2025, year 2025: 2 people with records out of 1 000
    residents (0,2 %), 1 harbouring place, on a key route.

    * Loại III: a (0 % < 0,2 % < 0,3 %) and b (≥ 1 place) → reached.
    * Loại II: b (= 1 place) and đ (2 criteria of Loại III + key route) = 2 of the 3 needed;
      a needs 0,3 %–0,5 % → not reached. Loại I: đ only.
    """
    commune = world.commune_a
    population_set(actor=province_staff, unit=commune, year=YEAR, population=1000)
    population_set(actor=province_staff, unit=world.commune_b, year=YEAR, population=1000)
    approved_report(world.commune_b, YEAR)  # commune B's zeros are its approved account of the year
    add_cases(officer_a, commune, 2, detected_on=dt.date(YEAR, 3, 1))
    harbouring_place(officer_a, commune, "Nhà ông Hoàng Văn Dũng, thôn Đồng Cầu")
    services.keyroute_create(
        actor=province_staff, data={"commune": commune, "year": YEAR, "name": "Quốc lộ 2 (Hà Giang – Tuyên Quang)"}
    )
    return commune


def test_lowering_a_threshold_lifts_the_commune_after_rerun_and_history_is_kept(
    world, province_staff, type_3_commune, tmp_path
):
    commune = type_3_commune
    rule_set = RuleSet.objects.get(code=CODE)
    assert rule_set.version == 1

    # The first run under the shipped rule set: Loại III, approved.
    first = services.assessment_run(actor=province_staff, rule_set=rule_set, year=YEAR)
    result = level_of(first, commune)
    assert result.proposed_level == "type_3", result.explanation["reason"]
    assert result.indicators["values"]["addicts_users_ratio"] == "0.2"
    assert result.indicators["values"]["harbouring_places"] == "1"
    type_2 = {lv["code"]: lv for lv in result.explanation["levels"]}["type_2"]
    assert {c["code"]: c["met"] for c in type_2["criteria"]} == {
        "a": False,
        "b": True,
        "c": False,
        "d": False,
        "đ": True,
    }
    assert level_of(first, world.commune_b).proposed_level == "drug_free"
    services.assessment_approve(actor=province_staff, assessment=first)
    first_snapshot = json.loads(json.dumps(Assessment.objects.get(pk=first.pk).ruleset_snapshot))
    first_result = AssessmentResult.objects.filter(pk=result.pk).values().get()

    # Legal staff export the rule set, correct Loại II criterion a (0,3 % → 0,2 %), import with replace.
    path = tmp_path / "qd-28.json"
    call_command("export_ruleset", CODE, output=str(path), stderr=io.StringIO())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert Decimal(criterion(data, "type_2", "a")["threshold"]) == Decimal("0.3")
    criterion(data, "type_2", "a")["threshold"] = "0.2"
    criterion(data, "type_2", "a")["verification"] = "verified"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    out = io.StringIO()
    call_command("import_ruleset", str(path), replace=True, stdout=out)
    assert "phiên bản 2" in out.getvalue()

    rule_set.refresh_from_db()
    assert rule_set.version == 2
    stored = rule_set.levels.get(code="type_2").criteria.get(code="a")
    assert (stored.threshold, stored.threshold_high, stored.verification) == (
        Decimal("0.2"),
        Decimal("0.5"),
        "verified",
    )

    # Audited: a replacement by the command, with the rule set before and after.
    (entry,) = AuditLogEntry.objects.filter(action=services.RULESET_REPLACE)
    assert entry.actor is None
    assert entry.actor_username == "import_ruleset"
    assert entry.message == "qd-28.json"
    assert entry.object_id == str(rule_set.pk)
    assert (entry.before["version"], entry.after["version"]) == (1, 2)
    assert Decimal(criterion(entry.before, "type_2", "a")["threshold"]) == Decimal("0.3")
    assert Decimal(criterion(entry.after, "type_2", "a")["threshold"]) == Decimal("0.2")
    # Only that threshold (and its verification mark) changed.
    for side in (entry.before, entry.after):
        c = criterion(side, "type_2", "a")
        del c["threshold"], c["verification"]
        side.pop("version")
    assert entry.before == entry.after

    # Re-run: 0,2 % now meets Loại II a, so a + b + đ = 3 criteria → Loại II.
    second = services.assessment_run(actor=province_staff, rule_set=rule_set, year=YEAR)
    assert second.ruleset_version == 2
    new = level_of(second, commune)
    assert new.proposed_level == new.final_level == "type_2", new.explanation["reason"]
    type_2 = {lv["code"]: lv for lv in new.explanation["levels"]}["type_2"]
    assert type_2["reached"] is True
    assert {c["code"]: c["met"] for c in type_2["criteria"]}["a"] is True
    assert level_of(second, world.commune_b).proposed_level == "drug_free"
    run_entry = AuditLogEntry.objects.filter(action=services.ASSESSMENT_RUN, object_id=str(second.pk)).get()
    assert run_entry.after["version"] == 2
    assert run_entry.after["levels"] == {"type_2": 1, "drug_free": 1}

    # Approving the re-run supersedes the first assessment, whose rule set and results stay as run.
    services.assessment_approve(actor=province_staff, assessment=second)
    first.refresh_from_db()
    assert first.status == AssessmentStatus.SUPERSEDED
    assert first.superseded_by_id == second.pk
    assert first.ruleset_version == 1
    assert first.ruleset_snapshot == first_snapshot
    assert Decimal(criterion(first.ruleset_snapshot, "type_2", "a")["threshold"]) == Decimal("0.3")
    assert AssessmentResult.objects.filter(pk=result.pk).values().get() == first_result
    assert first.spec.version == 1
    assert level_of(first, commune).final_label == "Loại III"
    assert level_of(second, commune).final_label == "Loại II"


def test_raising_a_threshold_drops_the_commune_a_level_and_the_administrator_is_audited(
    world, officer_a, administrator, province_staff
):
    """The other direction, through the service as the import page calls it: a commune counted as
    Loại III only for its 0,2 % of residents with records is no longer a key commune once criterion
    a of Loại III starts above 0,25 % (and, with people on record, it is not drug-free either)."""
    commune = world.commune_a
    population_set(actor=province_staff, unit=commune, year=YEAR, population=1000)
    add_cases(officer_a, commune, 2, detected_on=dt.date(YEAR, 3, 1))
    services.keyroute_create(actor=province_staff, data={"commune": world.commune_b, "year": YEAR, "name": "ĐT 186"})
    rule_set = RuleSet.objects.get(code=CODE)

    first = services.assessment_run(actor=province_staff, rule_set=rule_set, year=YEAR)
    assert level_of(first, commune).proposed_level == "type_3"
    assert level_of(first, commune).criteria_met == 1

    data = selectors.ruleset_export_data(rule_set)
    assert Decimal(criterion(data, "type_3", "a")["threshold"]) == Decimal("0")
    criterion(data, "type_3", "a")["threshold"] = "0.25"
    replaced = services.ruleset_import(
        actor=administrator, content=json.dumps(data, ensure_ascii=False), replace=True, filename="qd-28-sua.json"
    )
    assert replaced.pk == rule_set.pk
    assert replaced.version == 2
    assert replaced.updated_by == administrator

    (entry,) = AuditLogEntry.objects.filter(action=services.RULESET_REPLACE)
    assert entry.actor == administrator
    assert entry.actor_username == administrator.username
    assert entry.message == "qd-28-sua.json"
    assert Decimal(criterion(entry.before, "type_3", "a")["threshold"]) == Decimal("0")
    assert Decimal(criterion(entry.after, "type_3", "a")["threshold"]) == Decimal("0.25")

    second = services.assessment_run(actor=province_staff, rule_set=replaced, year=YEAR)
    dropped = level_of(second, commune)
    assert dropped.proposed_level == rules.HAS_PROBLEMS, dropped.explanation["reason"]
    assert not dropped.is_key
    first_again = level_of(Assessment.objects.get(pk=first.pk), commune)
    assert first_again.proposed_level == "type_3"  # the proposal run before is unchanged
    assert first_again.assessment.ruleset_version == 1
    assert Decimal(criterion(first_again.assessment.ruleset_snapshot, "type_3", "a")["threshold"]) == Decimal("0")
