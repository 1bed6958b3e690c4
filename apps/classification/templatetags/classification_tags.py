"""Badges for classification pages (levels, verification marks, criterion results, trends)."""

from django import template
from django.utils.html import format_html

from apps.classification import rules

register = template.Library()

_LEVEL_CLASSES = {
    "type_1": "badge-danger",
    "type_2": "badge-warn",
    "type_3": "badge-info",
    rules.HAS_PROBLEMS: "badge-muted",
    "drug_free": "badge-ok",
    rules.UNDETERMINED: "badge-warn",
}
_VERIFICATION = {
    "verified": ("badge-ok", "Đã kiểm chứng"),
    "partly": ("badge-info", "Kiểm chứng một phần"),
    "unverified": ("badge-warn", "Chưa kiểm chứng"),
}
_TRENDS = {
    "up": ("badge-danger", "↑ nặng hơn"),
    "down": ("badge-ok", "↓ nhẹ hơn"),
    "same": ("badge-muted", "= không đổi"),
}


@register.simple_tag
def level_badge(code: str, label: str = "", testid: str = "level-badge"):
    """A coloured badge for an outcome code (Loại I red … không ma túy green, undetermined amber)."""
    css = _LEVEL_CLASSES.get(code, "badge-info")
    text = label or code
    if code == rules.UNDETERMINED:
        text = f"? {text}"
    return format_html(
        '<span class="badge {} badge-wrap" data-testid="{}" data-level="{}">{}</span>', css, testid, code, text
    )


@register.simple_tag
def verification_badge(verification: str):
    css, text = _VERIFICATION.get(verification, ("badge-warn", "Chưa kiểm chứng"))
    return format_html(
        '<span class="badge {}" data-testid="verification" data-verification="{}" title="{}">{}</span>',
        css,
        verification,
        rules.VERIFICATIONS.get(verification, ""),
        text,
    )


@register.simple_tag
def met_badge(met):
    if met is True:
        return format_html('<span class="badge badge-ok" data-testid="met" data-met="yes">{}</span>', "Đạt")
    if met is False:
        return format_html('<span class="badge badge-muted" data-testid="met" data-met="no">{}</span>', "Không đạt")
    return format_html(
        '<span class="badge badge-warn" data-testid="met" data-met="unknown">{}</span>', "Chưa xác định"
    )


@register.simple_tag
def trend_badge(trend: str):
    if trend not in _TRENDS:
        return format_html('<span class="muted" data-testid="trend" data-trend="">{}</span>', "—")
    css, text = _TRENDS[trend]
    return format_html('<span class="badge {}" data-testid="trend" data-trend="{}">{}</span>', css, trend, text)


@register.filter
def criterion_threshold(criterion, spec=None):
    return rules.criterion_threshold_text(criterion, spec)


@register.filter
def indicator_label(code: str) -> str:
    info = rules.INPUTS.get(code)
    return info.label if info else code
