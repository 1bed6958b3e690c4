"""The reporting pages' simple tags write, byte for byte, what the include-templates and loops they
replaced wrote: every expected string below is what the template produced before, on the same
input (escaping of a name with ``<&"``, empty lists, the "chưa có số liệu" case, Vietnamese
number formatting). The whole pages are compared by ``scripts/dev/dashboard_render.py``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django import forms
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from apps.prevention.targets.registry import Measure
from apps.prevention.targets.status import Evaluation, TargetRow
from apps.reporting.charts import Chart, LegendItem
from apps.reporting.forms import PeriodForm, PeriodNumberSelect, _number_templates, number_choices
from apps.reporting.maps import MapRow
from apps.reporting.selectors.board import BoardRow
from apps.reporting.selectors.layout import KeyFigure
from apps.reporting.templatetags import reporting_tags as tags

NASTY = 'Xã <Tân> & "Mới"'


def _dash(*, no_data=False):
    return SimpleNamespace(
        no_data=no_data,
        previous=SimpleNamespace(label="Quý II năm 2026"),
        last_year=SimpleNamespace(label="Quý III năm 2025"),
    )


def key_figures():
    return [
        KeyFigure("people_total", "Người có hồ sơ quản lý", "người", 1359, 1350, 1400),
        KeyFigure("people_new", NASTY, "người", 0, 0, None),
        KeyFigure("highrisk_coverage_pct", "Tỷ lệ tiếp cận (%)", "%", Decimal("12.5"), Decimal("10"), None),
    ]


def chart(*, narrow=True, html=""):
    return Chart(
        NASTY,
        mark_safe('<svg class="wide"></svg>'),
        "Bảng <số liệu>",
        ["Kỳ", "Số người"],
        [["Q1/26", "1.234"], ["<b>", "12,5"]],
        kind="bar",
        svg_narrow=mark_safe('<svg class="narrow"></svg>') if narrow else "",
        html=html,
    )


def test_key_figure_cards():
    assert tags.key_figure_cards(_dash(), key_figures()) == (
        '<div class="stat key-figure" data-testid="key-figure" data-code="people_total">\n'
        '      <span class="value" data-testid="key-value">1.359</span>\n'
        '      <span class="label">Người có hồ sơ quản lý (người)</span>\n'
        '      <span class="deltas">\n'
        '        <span class="delta delta-bad" data-tone="bad" title="Quý II năm 2026: 1.350">so kỳ trước +9</span>\n'
        '        <span class="delta delta-good" data-tone="good" title="Quý III năm 2025: 1.400">'
        "so cùng kỳ −41</span>\n"
        "      </span>\n"
        "    </div>\n"
        '<div class="stat key-figure" data-testid="key-figure" data-code="people_new">\n'
        '      <span class="value" data-testid="key-value">0</span>\n'
        '      <span class="label">Xã &lt;Tân&gt; &amp; &quot;Mới&quot; (người)</span>\n'
        '      <span class="deltas">\n'
        '        <span class="delta delta-same" data-tone="same" title="Quý II năm 2026: 0">so kỳ trước 0</span>\n'
        '        <span class="delta delta-same" data-tone="same" title="Quý III năm 2025: —">so cùng kỳ —</span>\n'
        "      </span>\n"
        "    </div>\n"
        '<div class="stat key-figure" data-testid="key-figure" data-code="highrisk_coverage_pct">\n'
        '      <span class="value" data-testid="key-value">12,5%</span>\n'
        '      <span class="label">Tỷ lệ tiếp cận (%)</span>\n'
        '      <span class="deltas">\n'
        '        <span class="delta delta-good" data-tone="good" title="Quý II năm 2026: 10">'
        "so kỳ trước +2,5 điểm %</span>\n"
        '        <span class="delta delta-same" data-tone="same" title="Quý III năm 2025: —">so cùng kỳ —</span>\n'
        "      </span>\n"
        "    </div>\n"
    )


def test_key_figure_cards_without_data():
    assert tags.key_figure_cards(_dash(no_data=True), key_figures()[1:]) == (
        '<div class="stat key-figure" data-testid="key-figure" data-code="people_new">\n'
        '      <span class="value no-data" data-testid="key-value">chưa có số liệu</span>\n'
        '      <span class="label">Xã &lt;Tân&gt; &amp; &quot;Mới&quot; (người)</span>\n'
        "      \n"
        "    </div>\n"
        '<div class="stat key-figure" data-testid="key-figure" data-code="highrisk_coverage_pct">\n'
        '      <span class="value no-data" data-testid="key-value">chưa có số liệu</span>\n'
        '      <span class="label">Tỷ lệ tiếp cận (%)</span>\n'
        "      \n"
        "    </div>\n"
    )
    assert tags.key_figure_cards(_dash(), []) == ""


CHART_TABLE = (
    "  <details>\n"
    "    <summary>Bảng số liệu của biểu đồ</summary>\n"
    '    <div class="table-wrap"><table class="table" data-testid="chart-table">\n'
    '      <caption class="visually-hidden">Bảng &lt;số liệu&gt;</caption>\n'
    '      <thead><tr><th scope="col">Kỳ</th><th scope="col">Số người</th></tr></thead>\n'
    '      <tbody><tr><th scope="row">Q1/26</th><td class="num">1.234</td></tr>'
    '<tr><th scope="row">&lt;b&gt;</th><td class="num">12,5</td></tr></tbody>\n'
    "    </table></div>\n"
    "  </details>\n"
    "</figure>\n"
)


def test_chart_figure():
    assert tags.chart_figure(chart()) == (
        '<figure class="chart card has-narrow" data-testid="chart" data-kind="bar">\n'
        "  <figcaption>Xã &lt;Tân&gt; &amp; &quot;Mới&quot;</figcaption>\n"
        '  <svg class="wide"></svg><svg class="narrow"></svg>\n' + CHART_TABLE
    )
    assert tags.chart_figure(chart(narrow=False, html=mark_safe('<div class="tile-grid"></div>'))) == (
        '<figure class="chart card" data-testid="chart" data-kind="bar">\n'
        "  <figcaption>Xã &lt;Tân&gt; &amp; &quot;Mới&quot;</figcaption>\n"
        '  <div class="tile-grid"></div>\n' + CHART_TABLE
    )


def test_chart_figure_empty_table():
    empty = Chart("T", mark_safe("<svg></svg>"), "C", [], [], kind="line")
    assert tags.chart_figure(empty) == (
        '<figure class="chart card" data-testid="chart" data-kind="line">\n'
        "  <figcaption>T</figcaption>\n"
        "  <svg></svg>\n"
        "  <details>\n"
        "    <summary>Bảng số liệu của biểu đồ</summary>\n"
        '    <div class="table-wrap"><table class="table" data-testid="chart-table">\n'
        '      <caption class="visually-hidden">C</caption>\n'
        "      <thead><tr></tr></thead>\n"
        "      <tbody></tbody>\n"
        "    </table></div>\n"
        "  </details>\n"
        "</figure>\n"
    )


def test_detail_groups():
    groups = [("Người <nghiện>", key_figures()[:2]), ("Trống", [])]
    assert tags.detail_groups(groups) == (
        "\n    <tbody>\n"
        '      <tr><th colspan="5" scope="colgroup">Người &lt;nghiện&gt;</th></tr>\n'
        '      <tr data-code="people_total"><td>Người có hồ sơ quản lý</td><td class="num">1.359</td>'
        '<td class="num">1.350</td><td class="num">1.400</td><td>người</td></tr>'
        '<tr data-code="people_new"><td>Xã &lt;Tân&gt; &amp; &quot;Mới&quot;</td><td class="num">0</td>'
        '<td class="num">0</td><td class="num">—</td><td>người</td></tr>\n'
        "    </tbody>\n    "
        "\n    <tbody>\n"
        '      <tr><th colspan="5" scope="colgroup">Trống</th></tr>\n'
        "      \n"
        "    </tbody>\n    "
    )
    assert tags.detail_groups([]) == ""


def test_select_options():
    choices = [(2026, "2026"), (2025, "2025")]
    assert tags.select_options(choices, 2025) == (
        '<option value="2026">2026</option><option value="2025" selected>2025</option>'
    )
    assert tags.select_options([("a&b", NASTY)], "") == (
        '<option value="a&amp;b">Xã &lt;Tân&gt; &amp; &quot;Mới&quot;</option>'
    )
    assert tags.select_options([], 1) == ""


def test_sort_heads():
    columns = [
        ("people_total", "Có hồ sơ", SimpleNamespace(label_vi="Người <có> hồ sơ", unit="người")),
        ("people_new", "Mới", SimpleNamespace(label_vi="Phát hiện mới", unit="người")),
    ]
    query = "kind=quarter&year=2026&number=3"
    head = (
        '<th scope="col" class="num" style="white-space:normal" title="{}"{}>'
        '<a href="?{}&amp;sort={}" data-testid="{}">{}</a></th>'
    )
    total = ("Người &lt;có&gt; hồ sơ (người)", "sort-people_total", "Có hồ sơ")
    new = ("Phát hiện mới (người)", "sort-people_new", "Mới")
    q = "kind=quarter&amp;year=2026&amp;number=3"

    def expected(total_aria, total_sort, new_aria, new_sort):
        return head.format(total[0], total_aria, q, total_sort, total[1], total[2]) + head.format(
            new[0], new_aria, q, new_sort, new[1], new[2]
        )

    assert tags.sort_heads(columns, "", query) == expected("", "people_total", "", "people_new")
    assert tags.sort_heads(columns, "people_total", query) == expected(
        ' aria-sort="ascending"', "-people_total", "", "people_new"
    )
    assert tags.sort_heads(columns, "-people_new", query) == expected(
        "", "people_total", ' aria-sort="descending"', "people_new"
    )
    assert tags.sort_heads(columns, "name", query) == expected("", "people_total", "", "people_new")


def test_level_legend():
    items = [LegendItem("type_1", "Loại I", "#7f1d1d", "I", True, 3), LegendItem("", NASTY, "#e2e8f0", "–", False)]
    assert tags.level_legend(items) == (
        '<li><span class="swatch" style="background:#7f1d1d;color:#fff" aria-hidden="true">I</span>Loại I: '
        '<strong data-testid="level-count" data-level="type_1">3</strong></li>'
        '<li><span class="swatch" style="background:#e2e8f0;color:#1f2933" aria-hidden="true">–</span>'
        'Xã &lt;Tân&gt; &amp; &quot;Mới&quot;: <strong data-testid="level-count" data-level="">0</strong></li>'
    )
    assert tags.level_legend([]) == ""


def _target(title, value, *, status, reason, covered=None):
    return TargetRow(
        target=SimpleNamespace(title=title, comparison="gte", target_value=Decimal("1500")),
        indicator=SimpleNamespace(unit="lượt người"),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        deadline=dt.date(2026, 12, 31),
        measure=Measure(value, covered=covered, communes=124 if covered is not None else None),
        evaluation=Evaluation(status, reason),
    )


def test_target_rows():
    rows = [
        _target(NASTY, Decimal("1359"), status="met", reason="Đạt <chỉ tiêu>"),
        _target("Chưa đo", None, status="unknown", reason=""),
        _target("Một phần", Decimal("12.5"), status="at_risk", reason="Nguy cơ", covered=4),
    ]
    assert tags.target_rows(rows) == (
        '<tr data-testid="target-row">\n'
        "      <td>Xã &lt;Tân&gt; &amp; &quot;Mới&quot;</td>\n"
        '      <td class="num">1.359 lượt người</td>\n'
        '      <td class="num">≥ 1.500 lượt người</td>\n'
        '      <td><span class="badge badge-wrap badge-ok">Đạt &lt;chỉ tiêu&gt;</span></td>\n'
        "    </tr>"
        '<tr data-testid="target-row">\n'
        "      <td>Chưa đo</td>\n"
        '      <td class="num">chưa có dữ liệu</td>\n'
        '      <td class="num">≥ 1.500 lượt người</td>\n'
        '      <td><span class="badge badge-wrap badge-muted">unknown</span></td>\n'
        "    </tr>"
        '<tr data-testid="target-row">\n'
        "      <td>Một phần</td>\n"
        '      <td class="num">12,5 lượt người<span class="small muted d-block" data-testid="target-coverage">'
        "tính trên 4/124 xã có số liệu</span></td>\n"
        '      <td class="num">≥ 1.500 lượt người</td>\n'
        '      <td><span class="badge badge-wrap badge-danger">Nguy cơ</span></td>\n'
        "    </tr>"
    )
    badges = [_target("T", Decimal("1"), status=s, reason="r") for s in ("on_track", "missed")]
    assert [
        part.split("badge badge-wrap ")[1].split('"')[0] for part in tags.target_rows(badges).split("</tr>")[:2]
    ] == [
        "badge-info",
        "badge-danger",
    ]
    assert tags.target_rows([]) == ""


def test_map_rows():
    rows = [
        MapRow(1, "01", NASTY, "Huyện <A>", 1359, 12, "type_1", "Loại I"),
        MapRow(2, "02", "Xã B", "Huyện B", 0, 0),
    ]
    assert tags.map_rows(rows) == (
        "<tr><td>Xã &lt;Tân&gt; &amp; &quot;Mới&quot;</td><td>Huyện &lt;A&gt;</td>"
        '<td class="num">1.359</td><td class="num">12</td><td>Loại I</td></tr>\n    '
        '<tr><td>Xã B</td><td>Huyện B</td><td class="num">0</td><td class="num">0</td><td>—</td></tr>\n    '
    )
    assert tags.map_rows([]) == ""


def test_board_rows():
    local = timezone.get_current_timezone()
    submitted = SimpleNamespace(
        submitted_at=dt.datetime(2026, 10, 1, 2, 5, tzinfo=dt.UTC),  # 09:05 in Asia/Ho_Chi_Minh
        reviewed_at=None,
        return_reason="",
        submitted_late=True,
    )
    returned = SimpleNamespace(
        submitted_at=dt.datetime(2026, 9, 30, 23, 59, tzinfo=local),
        reviewed_at=dt.datetime(2026, 10, 2, 17, 30, tzinfo=dt.UTC),  # 00:30 on the 3rd, local
        return_reason="Sai <số> & thiếu",
        submitted_late=False,
    )
    rows = [
        BoardRow(SimpleNamespace(pk=7, full_name=NASTY), submitted, "submitted"),
        BoardRow(SimpleNamespace(pk=8, full_name="Xã B"), returned, "returned"),
        BoardRow(SimpleNamespace(pk=9, full_name="Xã C"), None, "late"),
    ]

    def row(pk, state, name, status, submitted_at, reviewed_at, note):
        return (
            f'\n    <tr data-testid="board-row" data-commune="{pk}" data-state="{state}">\n'
            f'      <td class="cell-title"><a href="/reporting/submissions/{pk}/'
            f'?kind=quarter&amp;year=2026&amp;number=3">{name}</a></td>\n'
            f'      <td data-label="Trạng thái">{status}</td>\n'
            f'      <td data-label="Nộp lúc">{submitted_at}</td>\n'
            f'      <td data-label="Duyệt lúc">{reviewed_at}</td>\n'
            f'      <td data-label="Ghi chú">{note}</td>\n'
            "    </tr>\n  "
        )

    assert tags.board_rows(rows, "kind=quarter&year=2026&number=3") == (
        row(
            7,
            "submitted",
            "Xã &lt;Tân&gt; &amp; &quot;Mới&quot;",
            '<span class="badge badge-wrap badge-info">Đã nộp, chờ duyệt</span> '
            '<span class="badge badge-warn">nộp muộn</span>',
            "01/10/2026 09:05",
            "—",
            "",
        )
        + row(
            8,
            "returned",
            "Xã B",
            '<span class="badge badge-wrap badge-warn">Bị trả lại</span>',
            "30/09/2026 23:59",
            "03/10/2026 00:30",
            "Sai &lt;số&gt; &amp; thiếu",
        )
        + row(9, "late", "Xã C", '<span class="badge badge-wrap badge-danger">Quá hạn, chưa nộp</span>', "—", "—", "")
    )
    assert tags.board_rows([], "") == ""


def _groups():
    definition = SimpleNamespace(label_vi="Người <có> hồ sơ", unit="người")
    return [
        ("Nhóm <1>", [("people_total", definition, 1359, 1350), ("rate", definition, Decimal("12.50"), None)]),
        ("Trống", []),
    ]


def test_submission_groups():
    body = (
        '<tr data-code="people_total"><td>Người &lt;có&gt; hồ sơ</td>'
        '<td class="num" data-testid="value-people_total">1.359</td>'
        "{}<td>người</td></tr>"
        '<tr data-code="rate"><td>Người &lt;có&gt; hồ sơ</td><td class="num" data-testid="value-rate">12,5</td>'
        "{}<td>người</td></tr>"
    )
    submitted = (
        '<td class="num" data-testid="submitted-people_total">1.350</td>',
        '<td class="num" data-testid="submitted-rate">—</td>',
    )

    def page(rows):
        return (
            "<tbody>\n"
            '      <tr><th colspan="4" scope="colgroup">Nhóm &lt;1&gt;</th></tr>\n'
            f"      {rows}\n"
            "    </tbody>"
            "<tbody>\n"
            '      <tr><th colspan="4" scope="colgroup">Trống</th></tr>\n'
            "      \n"
            "    </tbody>"
        )

    assert tags.submission_groups(_groups(), {"people_total": 1350}, "live") == page(body.format(*submitted))
    assert tags.submission_groups(_groups(), {"people_total": 1350}, "locked") == page(body.format("", ""))
    assert tags.submission_groups(_groups(), "", "live") == page(body.format("", ""))
    assert tags.submission_groups([], None, "live") == ""


def test_locked_rows():
    assert tags.locked_rows(_groups()[0][1]) == (
        '<tr data-code="people_total"><td>Người &lt;có&gt; hồ sơ</td>'
        '<td class="num" data-testid="locked-people_total">1.359</td><td>người</td></tr>'
        '<tr data-code="rate"><td>Người &lt;có&gt; hồ sơ</td>'
        '<td class="num" data-testid="locked-rate">12,5</td><td>người</td></tr>'
    )
    assert tags.locked_rows([]) == ""


class _DjangoSelect(forms.Select):
    """What the period number widget rendered through forms.Select's templates."""

    def __init__(self, kind, attrs=None):
        super().__init__({"data-period-number": "", **(attrs or {})})
        self.choices = number_choices(kind)

    def render(self, name, value, attrs=None, renderer=None):
        return super().render(name, value, attrs, renderer) + _number_templates()


@pytest.mark.parametrize("kind", ["month", "quarter", "year"])
@pytest.mark.parametrize("value", [None, "", 3, "3", "13", ["2", "2"]])
def test_period_number_select_as_forms_select(kind, value):
    ours = PeriodNumberSelect({"data-testid": "period-number"})
    ours.kind = kind
    attrs = {"id": "id_number", "aria-describedby": 'help <&"', "required": True, "disabled": False}
    expected = _DjangoSelect(kind, {"data-testid": "period-number"}).render("number", value, attrs)
    rendered = ours.render("number", value, attrs)
    assert isinstance(rendered, SafeString)
    assert rendered == expected


def test_period_number_select_markup():
    form = PeriodForm(initial={"kind": "quarter", "year": 2026, "number": 3})
    assert str(form["number"]) == (
        '<select name="number" data-period-number="" data-testid="period-number" id="id_number">\n'
        '  <option value="1">Quý I</option>\n\n'
        '  <option value="2">Quý II</option>\n\n'
        '  <option value="3" selected>Quý III</option>\n\n'
        '  <option value="4">Quý IV</option>\n\n'
        "</select>"
        '<template data-period-choices="month">'
        + "".join(f'<option value="{n}">Tháng {n}</option>' for n in range(1, 13))
        + "</template>"
        '<template data-period-choices="quarter"><option value="1">Quý I</option><option value="2">Quý II</option>'
        '<option value="3">Quý III</option><option value="4">Quý IV</option></template>'
        '<template data-period-choices=""><option value="1">(không áp dụng)</option></template>'
    )
