"""``{{ obj.pk|pk_url:"app:view" }}``: ``{% url "app:view" obj.pk %}`` for the rows of a long
table. ``{% url %}`` resolves the pattern again for every row (about 150 times per worklist,
issue 14 §3); this reverses the view once per URL configuration and script prefix with a
placeholder id and substitutes each row's id."""

from __future__ import annotations

from collections.abc import Callable

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

#: an id no row has, so its text marks where the id goes in the reversed URL
_PLACEHOLDER = 987654321987
_makers: dict[tuple[str, str, str | None], Callable[[int], str]] = {}


def pk_url_maker(viewname: str) -> Callable[[int], str]:
    """A function ``pk -> reverse(viewname, args=[pk])`` that resolves the pattern only once."""
    key = (viewname, get_script_prefix(), get_urlconf())
    maker = _makers.get(key)
    if maker is None:
        head, tail = reverse(viewname, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
        _makers[key] = maker = lambda pk: f"{head}{int(pk)}{tail}"
    return maker


@register.filter
def pk_url(pk, viewname: str) -> str:
    return pk_url_maker(viewname)(pk)
