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
