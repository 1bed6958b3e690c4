"""Formatting of figures in reporting templates (Vietnamese number format, signed changes)."""

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from apps.core import formatting
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
    """The body rows of a chart's data table (first cell a row header), as ``_chart.html`` wrote
    them, built in Python: the tile grid's table is 124 rows of 3 cells on a province dashboard."""
    parts = []
    for row in rows:
        cells = [f'<th scope="row">{_esc(cell)}</th>' if i == 0 else f'<td class="num">{_esc(cell)}</td>'
                 for i, cell in enumerate(row)]  # fmt: skip
        parts.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
