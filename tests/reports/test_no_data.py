"""Issue 10 §2 and §4 in the printed report: a commune with no data for the period reads "chưa
có số liệu" (not zeros, not a level), the totals and targets say how many communes they cover,
and classification results resting on unverified criteria carry "kết quả tham khảo" with the
research note in the report's footnote."""

import datetime as dt
import re

import pytest

from apps.classification.models import RuleSet
from apps.reports import services
from tests.classification.helpers import approved_assessment
from tests.factories.areas import UnitFactory
from tests.factories.cases import make_case

from .conftest import pdf_text


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def silent(data):
    return UnitFactory(parent=data.province, code="99001", name="Lặng Im", full_name="Xã Lặng Im")


@pytest.fixture
def province_pdf(data, silent, root, province_staff, quarter):
    make_case(root, data.commune_a, full_name="Triệu Văn Nghiện", case_type="addict", detected_on=dt.date(2026, 7, 1))
    approved_assessment(root, RuleSet.objects.get(code="QD-3122-2010"), 2026)
    draft = services.draft_build(user=province_staff, unit=data.province, period=quarter)
    report = services.report_issue(
        actor=province_staff,
        unit=data.province,
        period=quarter,
        narrative_text=draft.narrative,
        figures=draft.figures,
        number="126",
        document_date=dt.date(2026, 9, 20),
    )
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    return draft, report.file.open("rb").read()


def test_the_figures_mark_the_commune_without_data(province_pdf, silent):
    draft, _content = province_pdf
    rows = {row["id"]: row for row in draft.figures["rows"]}
    assert rows[silent.pk]["has_data"] is False
    assert rows[silent.pk]["level"] == "Chưa có số liệu"
    assert draft.figures["coverage"] == {"with_data": 2, "communes": 3, "text": "tính trên 2/3 xã có số liệu"}


def test_the_pdf_says_no_data_and_what_the_totals_cover(province_pdf):
    _draft, content = province_pdf
    text = _flat(pdf_text(content))
    line = re.search(r"Xã Lặng Im.{0,80}", text).group(0)
    assert "chưa có số liệu" in line
    assert "tính trên 2/3 xã có số liệu" in text


def test_the_pdf_marks_provisional_results_and_footnotes_the_research_note(province_pdf, data):
    draft, content = province_pdf
    rows = {row["id"]: row for row in draft.figures["rows"]}
    assert rows[data.commune_a.pk]["provisional"] is True  # Loại III on the assumed lower bound
    text = _flat(pdf_text(content))
    assert "(*) Kết quả tham khảo" in text
    assert "chưa được kiểm chứng với văn bản gốc" in text
