"""Issue 12 §5: the classification table says "3/5 tiêu chí (cần ≥ 3)" like the detail page, never
"3/1" (met codes over a level's required count), and an unapproved proposal is headed "Đề xuất",
never "Loại chính thức"."""

import re

from django.urls import reverse

from apps.classification import services
from apps.classification.selectors import criteria_text

from .helpers import add_cases, cases_only_ruleset


def _level(code, met, total, required, reached, is_key=True, undetermined=0):
    return {
        "code": code,
        "label": {"type_1": "Loại I", "type_3": "Loại III"}.get(code, code),
        "is_key": is_key,
        "required": required,
        "met_count": met,
        "undetermined_count": undetermined,
        "reached": reached,
        "criteria": [{"code": str(i)} for i in range(total)],
    }


def test_a_reached_level_reads_met_out_of_its_criteria_and_what_it_needs():
    explanation = {
        "level": "type_3",
        "met_count": 3,
        "required": 1,  # the outcome's own fields gave "3/1"
        "levels": [_level("type_1", 1, 5, 3, False), _level("type_3", 3, 5, 1, True)],
    }
    assert criteria_text(explanation) == "3/5 tiêu chí (cần ≥ 1)"


def test_undetermined_and_has_problems_name_the_level_they_speak_of():
    undetermined = {"level": "undetermined", "levels": [_level("type_1", 2, 5, 3, None, undetermined=2)]}
    assert criteria_text(undetermined) == "Loại I: 2/5 tiêu chí (cần ≥ 3), 2 chưa xác định"
    levels = [_level("type_1", 1, 5, 3, False), _level("type_3", 0, 4, 1, False)]
    problems = {"level": "has_problems", "levels": levels}
    assert criteria_text(problems) == "Loại III: 0/4 tiêu chí (cần ≥ 1)"
    assert criteria_text({}) == ""


def test_a_proposal_is_headed_de_xuat_in_the_table_and_on_the_detail_page(world, root, province_staff, client_for):
    rule_set = cases_only_ruleset(root)
    add_cases(root, world.commune_a, 3)
    proposal = services.assessment_run(actor=root, rule_set=rule_set, year=2025)
    client = client_for(province_staff)
    html = client.get(reverse("classification:assessment_detail", args=[proposal.pk])).content.decode()
    assert "<th>Đề xuất</th>" in html
    cells = re.findall(r'data-testid="criteria-met">(.*?)</td>', html, re.S)
    assert cells and all(re.match(r"(—|(\S.*: )?\d+/\d+ tiêu chí \(cần ≥ \d+\))", c.strip()) for c in cells), cells
    result = proposal.results.get(commune=world.commune_a)
    detail = client.get(reverse("classification:result_detail", args=[result.pk])).content.decode()
    assert "Đề xuất:" in detail and "Loại chính thức:" not in detail
