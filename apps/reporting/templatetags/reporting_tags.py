"""Formatting of figures in reporting templates (Vietnamese number format, signed changes)."""

from decimal import Decimal

from django import template

from apps.reporting.charts import fmt

register = template.Library()


@register.filter
def vn_number(value):
    """1234 → "1.234"; Decimal("12.50") → "12,5"; None → "—"."""
    return fmt(value)


@register.filter
def signed(value):
    """A change with its sign: "+3", "−2", "0"; None → "—"."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{fmt(value)}"
    if value < 0:
        return f"−{fmt(-value if isinstance(value, Decimal | int) else abs(value))}"
    return "0"


@register.filter
def trend_class(value):
    if value is None or value == 0:
        return "delta-same"
    return "delta-up" if value > 0 else "delta-down"


@register.filter
def get_value(mapping, key):
    return mapping.get(key) if mapping else None
