"""Formatting of figures in reporting templates (Vietnamese number format, signed changes)."""

import html

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from apps.core import formatting
from apps.reporting.charts import escape
from apps.reporting.selectors import TABLE_CODES

register = template.Library()


#: the one formatter's filters under the names the reporting templates use
register.filter("vn_number", formatting.number)
register.filter("signed", formatting.signed)


@register.filter
def get_value(mapping, key):
    return mapping.get(key) if mapping else None


def _esc(value) -> str:
    """``conditional_escape`` (what ``{{ value }}`` does) with the standard library's escape,
    without Django's lazy-string wrapper around every call."""
    if type(value) is str:
        return escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


@register.simple_tag
def commune_rows(rows):
    """The rows of the communes table, as the template wrote them, built in Python: a province's
    124 rows of 13 cells were 17 ms of template rendering per dashboard, half of all of it."""
    locked = format_html(' <span class="lock-mark" title="{}">🔒</span>', gettext("Số liệu đã khóa"))
    unclassified = format_html(
        '<span class="muted" title="{}">{}</span>',
        gettext("Chưa có kết quả phân loại được phê duyệt"),
        gettext("chưa phân loại"),
    )
    no_data = format_html(
        '<td colspan="{}" class="muted" data-testid="no-data">{}</td>', len(TABLE_CODES), gettext("chưa có số liệu")
    )
    heads = [f'<td class="num" data-code="{escape(code)}">' for code in TABLE_CODES]
    parts = []
    for row in rows:
        if row.has_data:
            cells = "".join(f"{head}{_esc(text)}</td>" for head, (_c, text) in zip(heads, row.cells, strict=True))
        else:
            cells = no_data
        parts.append(
            f'\n      <tr data-testid="commune-row" data-commune="{row.commune_id:d}">\n'
            f'        <th scope="row" class="nowrap"><a href="{_esc(row.url)}">{_esc(row.name)}</a>'
            f"{locked if row.locked else ''}</th>\n"
            f"        {cells}\n"
            f'        <td data-level="{_esc(row.level)}">'
            f"{_esc(row.level_label) if row.level_label else unclassified}</td>\n"
            f'        <td><span class="badge badge-wrap {_esc(row.badge)}">{_esc(row.state_label)}</span></td>\n'
            "      </tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def chart_table_rows(rows):
    """The body rows of a chart's data table (first cell a row header), as the former
    ``_chart.html`` wrote them, built in Python: the tile grid's table is 124 rows of 3 cells on a
    province dashboard."""
    parts = []
    for row in rows:
        cells = [f'<th scope="row">{_esc(cell)}</th>' if i == 0 else f'<td class="num">{_esc(cell)}</td>'
                 for i, cell in enumerate(row)]  # fmt: skip
        parts.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _label(f) -> str:
    """A key figure's label, its unit appended once (a percentage's label says it already)."""
    return f.label if f.unit == "%" else formatting.label_with_unit(f.label, f.unit)


@register.simple_tag
def key_figure_cards(dash, figures):
    """The key-figure cards of ``figures`` as the former ``_key_figure.html`` wrote them, one each,
    built in Python: 14 cards of a dozen lookups and filters each were a third of a dashboard's
    template time."""
    open_tag = '<div class="stat key-figure" data-testid="key-figure" data-code="{}">\n      '
    parts = []
    if dash.no_data:
        no_data = _esc(gettext("chưa có số liệu"))
        for f in figures:
            parts.append(
                open_tag.format(_esc(f.code))
                + f'<span class="value no-data" data-testid="key-value">{no_data}</span>\n'
                f'      <span class="label">{_esc(_label(f))}</span>\n'
                "      \n    </div>\n"
            )
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
    previous, last_year = _esc(dash.previous.label), _esc(dash.last_year.label)
    title = gettext("%(p)s: %(v)s")
    vs_previous, vs_last_year = _esc(gettext("so kỳ trước")), _esc(gettext("so cùng kỳ"))
    for f in figures:
        value = formatting.percent(f.value) if f.unit == "%" else formatting.number(f.value)
        tone_previous, tone_last_year = _esc(f.tone_previous), _esc(f.tone_last_year)
        title_previous = title % {"p": previous, "v": _esc(formatting.number(f.previous))}
        title_last_year = title % {"p": last_year, "v": _esc(formatting.number(f.last_year))}
        parts.append(
            open_tag.format(_esc(f.code)) + f'<span class="value" data-testid="key-value">{_esc(value)}</span>\n'
            f'      <span class="label">{_esc(_label(f))}</span>\n'
            '      <span class="deltas">\n'
            f'        <span class="delta delta-{tone_previous}" data-tone="{tone_previous}"'
            f' title="{title_previous}">{vs_previous} {_esc(f.change_previous)}</span>\n'
            f'        <span class="delta delta-{tone_last_year}" data-tone="{tone_last_year}"'
            f' title="{title_last_year}">{vs_last_year} {_esc(f.change_last_year)}</span>\n'
            "      </span>\n    </div>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def chart_figure(chart):
    """A chart with its data table, as the former ``_chart.html`` wrote it, built in Python (a
    dashboard shows a dozen)."""
    narrow = bool(chart.svg_narrow)
    if chart.html:
        drawing = _esc(chart.html)
    else:
        drawing = _esc(chart.svg) + (_esc(chart.svg_narrow) if narrow else "")
    heads = "".join(f'<th scope="col">{_esc(h)}</th>' for h in chart.headers)
    return mark_safe(  # noqa: S308 - every value below is escaped
        f'<figure class="chart card{" has-narrow" if narrow else ""}" data-testid="chart"'
        f' data-kind="{_esc(chart.kind)}">\n'
        f"  <figcaption>{_esc(chart.title)}</figcaption>\n"
        f"  {drawing}\n"
        "  <details>\n"
        f"    <summary>{_esc(gettext('Bảng số liệu của biểu đồ'))}</summary>\n"
        '    <div class="table-wrap"><table class="table" data-testid="chart-table">\n'
        f'      <caption class="visually-hidden">{_esc(chart.caption)}</caption>\n'
        f"      <thead><tr>{heads}</tr></thead>\n"
        f"      <tbody>{chart_table_rows(chart.rows)}</tbody>\n"
        "    </table></div>\n"
        "  </details>\n"
        "</figure>\n"
    )


@register.simple_tag
def detail_groups(groups):
    """The body groups of the dashboards' table of every indicator (title, figures), as
    ``_detail_table.html`` wrote them: 40 rows of five cells, three of them numbers."""
    number = formatting.number
    parts = []
    for title, figures in groups:
        rows = "".join(
            f'<tr data-code="{_esc(f.code)}"><td>{_esc(f.label)}</td><td class="num">{_esc(number(f.value))}</td>'
            f'<td class="num">{_esc(number(f.previous))}</td><td class="num">{_esc(number(f.last_year))}</td>'
            f"<td>{_esc(f.unit)}</td></tr>"
            for f in figures
        )
        parts.append(
            "\n    <tbody>\n"
            f'      <tr><th colspan="5" scope="colgroup">{_esc(title)}</th></tr>\n'
            f"      {rows}\n"
            "    </tbody>\n    "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def select_options(choices, selected):
    """The ``<option>`` list of a period picker's ``<select>`` (kind, year, map), ``selected`` the
    value marked."""
    return mark_safe(  # noqa: S308 - every value below is escaped
        "".join(
            f'<option value="{_esc(value)}"{" selected" if value == selected else ""}>{_esc(label)}</option>'
            for value, label in choices
        )
    )


@register.simple_tag
def sort_heads(columns, sort, period_query):
    """The indicator columns' sortable heads of the communes table ((code, short, definition)),
    as the template wrote them: a link to sort by the column, the opposite way when it already
    is, and ``aria-sort`` on the sorted one."""
    query = _esc(period_query)
    parts = []
    for code, short, d in columns:
        if sort == code:
            aria, flip = ' aria-sort="ascending"', "-"
        elif sort[1:] == code and sort[:1] == "-":
            aria, flip = ' aria-sort="descending"', ""
        else:
            aria, flip = "", ""
        code = _esc(code)
        parts.append(
            f'<th scope="col" class="num" style="white-space:normal" title="{_esc(d.label_vi)} ({_esc(d.unit)})"'
            f'{aria}><a href="?{query}&amp;sort={flip}{code}" data-testid="sort-{code}">{_esc(short)}</a></th>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def level_legend(items):
    """The items of the level legend above the tile grid (``charts.LegendItem``)."""
    parts = []
    for item in items:
        text = "#fff" if item.dark else "#1f2933"
        parts.append(
            f'<li><span class="swatch" style="background:{_esc(item.color)};color:{text}" aria-hidden="true">'
            f"{_esc(item.letter)}</span>{_esc(item.label)}: "
            f'<strong data-testid="level-count" data-level="{_esc(item.code)}">{_esc(item.count)}</strong></li>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def target_rows(rows):
    """The plan targets' rows of the province dashboard (``prevention.targets.TargetRow``)."""
    no_value = _esc(gettext("chưa có dữ liệu"))
    parts = []
    for row in rows:
        measure, evaluation = row.measure, row.evaluation
        current = _esc(row.current_display) if measure.value is not None else no_value
        if measure.partial:
            current += (
                f'<span class="small muted d-block" data-testid="target-coverage">{_esc(measure.coverage_text)}</span>'
            )
        parts.append(
            '<tr data-testid="target-row">\n'
            f"      <td>{_esc(row.target.title)}</td>\n"
            f'      <td class="num">{current}</td>\n'
            f'      <td class="num">{_esc(row.target_display)}</td>\n'
            f'      <td><span class="badge badge-wrap {_esc(evaluation.badge)}">'
            f"{_esc(evaluation.reason or evaluation.status)}</span></td>\n"
            "    </tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def map_rows(rows):
    """The rows of the table of a past period on its own map (``maps.MapRow``): a province's
    hundreds of communes of the time, five cells each."""
    number = formatting.number
    parts = [
        f"<tr><td>{_esc(row.name)}</td><td>{_esc(row.district)}</td>"
        f'<td class="num">{_esc(number(row.people))}</td><td class="num">{_esc(number(row.addicts))}</td>'
        f"<td>{_esc(row.level_label or '—')}</td></tr>\n    "
        for row in rows
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _day_time(value) -> str:
    """``|date:"d/m/Y H:i"`` of a moment (in the local time zone, as the filter converts it)."""
    value = template_localtime(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d} {value.hour:02d}:{value.minute:02d}"


@register.simple_tag
def board_rows(rows, period_query):
    """The rows of the submission status board (``selectors.BoardRow``), as the template wrote
    them: a province's 124 communes, each with its submission page's URL (reversed once here,
    the commune's id put in) and two moments."""
    sentinel = 987654321
    url_head, url_tail = _esc(reverse("reporting:submission", args=[sentinel])).split(str(sentinel))
    query = _esc(period_query)
    state_head, submitted_head = _esc(gettext("Trạng thái")), _esc(gettext("Nộp lúc"))
    reviewed_head, note_head = _esc(gettext("Duyệt lúc")), _esc(gettext("Ghi chú"))
    late = f' <span class="badge badge-warn">{_esc(gettext("nộp muộn"))}</span>'
    parts = []
    for row in rows:
        commune, submission = row.commune, row.submission
        submitted_at = submission.submitted_at if submission else None
        reviewed_at = submission.reviewed_at if submission else None
        # typed by staff: escaped as it is, not kept in the figures' escape cache
        note = html.escape(submission.return_reason) if row.state == "returned" and submission else ""
        parts.append(
            f'\n    <tr data-testid="board-row" data-commune="{commune.pk:d}" data-state="{_esc(row.state)}">\n'
            f'      <td class="cell-title"><a href="{url_head}{commune.pk:d}{url_tail}?{query}">'
            f"{_esc(commune.full_name)}</a></td>\n"
            f'      <td data-label="{state_head}"><span class="badge badge-wrap {_esc(row.badge)}">'
            f"{_esc(row.state_label)}</span>{late if row.submitted_late else ''}</td>\n"
            f'      <td data-label="{submitted_head}">{_day_time(submitted_at) if submitted_at else "—"}</td>\n'
            f'      <td data-label="{reviewed_head}">{_day_time(reviewed_at) if reviewed_at else "—"}</td>\n'
            f'      <td data-label="{note_head}">{note}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def submission_groups(groups, snapshot, source):
    """The body groups of a commune's figures on its submission page, (title, [(code, definition,
    current value, submitted value)]): the submitted column only beside live figures of a
    submission with a snapshot. 40 rows, a third of that page's template time."""
    submitted_column = bool(snapshot) and source != "locked"
    number = formatting.number
    parts = []
    for title, rows in groups:
        cells = []
        for code, d, value, submitted in rows:
            code = _esc(code)
            extra = f'<td class="num" data-testid="submitted-{code}">{_esc(number(submitted))}</td>'
            cells.append(
                f'<tr data-code="{code}"><td>{_esc(d.label_vi)}</td>'
                f'<td class="num" data-testid="value-{code}">{_esc(number(value))}</td>'
                f"{extra if submitted_column else ''}<td>{_esc(d.unit)}</td></tr>"
            )
        parts.append(
            "<tbody>\n"
            f'      <tr><th colspan="4" scope="colgroup">{_esc(title)}</th></tr>\n'
            f"      {''.join(cells)}\n"
            "    </tbody>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def locked_rows(rows):
    """The rows of one group of the figures an approval locks ((code, definition, value, _))."""
    number = formatting.number
    parts = []
    for code, d, value, _submitted in rows:
        code = _esc(code)
        parts.append(
            f'<tr data-code="{code}"><td>{_esc(d.label_vi)}</td>'
            f'<td class="num" data-testid="locked-{code}">{_esc(number(value))}</td><td>{_esc(d.unit)}</td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
