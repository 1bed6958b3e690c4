"""The PDF helper in isolation, and the printed layout of a periodic report (Nghị định 30/2020)."""

import datetime as dt
import re

import pytest

from apps.reports import documents, narrative, pdf, services

from .conftest import pdf_fonts, pdf_text


def test_render_pdf_returns_a_pdf_with_the_bundled_font_only(tmp_path):
    content = pdf.html_to_pdf(
        '<html><head><style>@font-face { font-family: "Liberation Serif"; '
        'src: url("fonts/LiberationSerif-Regular.ttf"); } body { font-family: "Liberation Serif"; }'
        "</style></head><body><p>Độc lập - Tự do - Hạnh phúc</p></body></html>"
    )
    assert content.startswith(b"%PDF")
    assert "Độc lập - Tự do - Hạnh phúc" in pdf_text(content)
    assert pdf_fonts(content, tmp_path) == ["Liberation-Serif"]


def test_fonts_are_read_from_static_not_from_the_system(monkeypatch):
    fetched = []
    original = pdf._fetcher_class()

    class Spy(original):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(pdf, "_fetcher_class", lambda: Spy)
    pdf.render_pdf("reports/pdf/_base_pdf.html", {"head": {"issuing_body": "X", "recipients": []}})
    static = pdf.static_dir().resolve().as_uri()
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        assert f"{static}/fonts/LiberationSerif-{face}.ttf" in fetched


def test_the_fetcher_reads_nothing_outside_static():
    fetcher = pdf._fetcher_class()(pdf.static_dir())
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.org/x.css")
    assert fetcher.fetch(pdf.base_url() + "fonts/LICENSE-LiberationSerif.txt")


def test_the_licence_is_bundled_with_the_fonts():
    text = (pdf.static_dir() / "fonts" / "LICENSE-LiberationSerif.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in text and "Red Hat" in text


@pytest.fixture
def province_pdf(data, province_staff, quarter, tmp_path):
    """The province's quarterly report, issued and generated."""
    draft = services.draft_build(user=province_staff, unit=data.province, period=quarter)
    report = services.report_issue(
        actor=province_staff,
        unit=data.province,
        period=quarter,
        narrative_text=draft.narrative,
        figures=draft.figures,
        number="125",
        document_date=dt.date(2026, 2, 5),
    )
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    return report, report.file.open("rb").read()


def test_periodic_report_headings_and_figures(province_pdf, tmp_path):
    report, content = province_pdf
    text = pdf_text(content)
    for heading in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "Kết quả công tác phòng, chống ma túy quý III năm 2026",
        "Nơi nhận:",
        "CÔNG AN TỈNH TUYÊN QUANG",
        "Số: 125/BC-CAT-PC04",
        "Tuyên Quang, ngày 05 tháng 02 năm 2026",
        "I. TÌNH HÌNH LIÊN QUAN ĐẾN MA TÚY",
        "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ",
        "III. ĐÁNH GIÁ KẾT QUẢ SO VỚI CHỈ TIÊU",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        "- Lưu: VT, PC04.",
        "Phụ lục 1",
        "Xã Trung Sơn",
        "Phường Minh Xuân",
    ):
        assert heading in text, heading
    assert "Toàn tỉnh hiện có 5 người sử dụng trái phép, người nghiện" in text
    assert set(pdf_fonts(content, tmp_path)) <= {
        "Liberation-Serif",
        "Liberation-Serif-Bold",
        "Liberation-Serif-Italic",
        "Liberation-Serif-Bold-Italic",
    }


def test_page_numbers_start_on_page_two(province_pdf):
    _report, content = province_pdf
    first = pdf_text(content, page=1)
    second = pdf_text(content, page=2)
    assert first.lstrip().startswith("CÔNG AN TỈNH TUYÊN QUANG") or first.lstrip().startswith("BỘ CÔNG AN")
    assert not re.match(r"\s*1\s*\n", first)
    assert re.match(r"\s*2\s*\n", second), second[:80]


def test_annex_pages_are_landscape(province_pdf, tmp_path):
    import subprocess

    _report, content = province_pdf
    path = tmp_path / "r.pdf"
    path.write_bytes(content)
    info = subprocess.run(  # noqa: S603
        ["pdfinfo", "-f", "1", "-l", "99", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes = re.findall(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", info)
    assert float(sizes[0][1]) < float(sizes[0][2])  # page 1 portrait
    annex = [n for n in range(1, len(sizes) + 1) if "Phụ lục" in pdf_text(content, page=n)]
    assert annex
    width, height = next((float(w), float(h)) for n, w, h in sizes if int(n) == annex[0])
    assert width > height


def test_narrative_edits_are_printed(data, officer_a, quarter):
    draft = services.draft_build(user=officer_a, unit=data.commune_a, period=quarter)
    text = {**draft.narrative, "proposals": "Đề nghị tăng cường lực lượng cho thôn Khuổi Phầy."}
    report = services.report_issue(
        actor=officer_a, unit=data.commune_a, period=quarter, narrative_text=text, figures=draft.figures
    )
    report.refresh_from_db()
    printed = pdf_text(report.file.open("rb").read())
    assert "Khuổi Phầy" in printed
    assert "Toàn xã hiện có 3 người" in printed


def test_empty_proposals_print_nothing_but_the_heading():
    figures_sections = documents.sections({code: "" for code in narrative.SECTION_CODES})
    assert all(s["paragraphs"] == [] for s in figures_sections)
