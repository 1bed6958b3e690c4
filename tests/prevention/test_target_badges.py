"""The status words and badge of a target, one place for the targets page and the dashboard."""

import pytest

from apps.prevention.choices import TargetStatus
from apps.prevention.targets.status import Evaluation
from apps.reporting.templatetags.reporting_tags import target_rows

EXPECTED = {
    TargetStatus.MET: ("Đã đạt", "badge-ok"),
    TargetStatus.ON_TRACK: ("Đúng tiến độ", "badge-info"),
    TargetStatus.AT_RISK: ("Có nguy cơ không đạt", "badge-danger"),
    TargetStatus.MISSED: ("Không đạt", "badge-danger"),
    TargetStatus.NO_DATA: ("Chưa có dữ liệu", "badge-muted"),
    "": ("Chưa có dữ liệu", "badge-muted"),
}


@pytest.mark.parametrize("status", list(EXPECTED))
def test_each_status_has_its_words_and_badge(status):
    evaluation = Evaluation(status=status, reason="")
    assert (evaluation.label, evaluation.badge) == EXPECTED[status]


def test_the_dashboards_target_rows_carry_the_same_badge():
    class Row:
        target = type("T", (), {"title": "Chỉ tiêu"})()
        measure = type("M", (), {"value": 1, "partial": False})()
        evaluation = Evaluation(status=TargetStatus.AT_RISK, reason="chậm tiến độ")
        current_display = "1"
        target_display = "5"

    html = target_rows([Row()])
    assert '<span class="badge badge-wrap badge-danger">chậm tiến độ</span>' in html
