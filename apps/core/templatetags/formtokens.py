"""``{% form_token %}``: the one-time token of a state-changing form (apps.core.formtokens).

A builtin (settings.TEMPLATES), so a template needs no ``{% load %}``: put it beside
``{% csrf_token %}`` in every form that changes data.
"""

from django import template
from django.utils.safestring import SafeString

from apps.core.formtokens import hidden_input

register = template.Library()


@register.simple_tag
def form_token() -> SafeString:
    return hidden_input()
