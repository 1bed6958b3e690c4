"""Template filters of the one number formatter (``apps.core.formatting``): ``{% load formatting %}``
then ``{{ value|number }}``, ``|percent``, ``|points``, ``|signed``, ``|change:unit``, ``|quantity:unit``,
``|coordinate`` and ``{{ label|label_with_unit:unit }}``."""

from django import template

from apps.core import formatting

register = template.Library()

register.filter("number", formatting.number)
register.filter("percent", formatting.percent)
register.filter("points", formatting.points)
register.filter("signed", formatting.signed)
register.filter("coordinate", formatting.coordinate)


@register.filter
def change(value, unit=""):
    return formatting.change(value, unit)


@register.filter
def quantity(value, unit=""):
    return formatting.quantity(value, unit)


@register.filter
def label_with_unit(label, unit=""):
    return formatting.label_with_unit(label, unit)


@register.filter(expects_localtime=True)
def day(value) -> str:
    """A date as dd/mm/yyyy, what ``|date:"d/m/Y"`` writes, without Django's format parser: the
    worklist formats a few hundred dates per page (issue 14 §3). A datetime is first converted
    to the local time zone (``expects_localtime``), as ``|date`` does."""
    if not value:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


@register.filter
def iso_day(value) -> str:
    """A date as yyyy-mm-dd (``|date:"Y-m-d"``, for ``<time datetime>``), without the format parser."""
    if not value:
        return ""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


@register.filter(expects_localtime=True)
def day_time(value) -> str:
    """A moment as dd/mm/yyyy hh:mm in the local time zone (``|date:"d/m/Y H:i"``), without the
    format parser: a case page writes one per timeline entry and audit row (issue 14 §3)."""
    if not value:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d} {value.hour:02d}:{value.minute:02d}"
