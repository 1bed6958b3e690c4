"""Template helpers of the shared form includes (templates/includes/_form_*.html)."""

from django import template
from django.core.exceptions import NON_FIELD_ERRORS

register = template.Library()


@register.filter
def is_stale(form, other=None) -> bool:
    """Whether a save was refused because someone else saved first (a ``stale`` non-field error):
    the page then offers, explicitly labelled, to drop the typed input and reload the new version."""
    for one in (form, other):
        if one is None or not hasattr(one, "errors"):
            continue
        errors = one.errors.as_data().get(NON_FIELD_ERRORS, [])
        if any(getattr(error, "code", None) == "stale" for error in errors):
            return True
    return False


@register.simple_tag
def error_summary(form, other=None) -> list[dict]:
    """Every visible field error of the form(s), in page order, each with the id to jump to: the
    summary at the top of a long form (a phone page is several screens) links to each field."""
    found = []
    for one in (form, other):
        if one is None or not hasattr(one, "visible_fields"):
            continue
        for field in one.visible_fields():
            for message in field.errors:
                target = field.id_for_label or f"{field.auto_id}_error"
                found.append({"target": target, "label": field.label, "message": message})
    return found
