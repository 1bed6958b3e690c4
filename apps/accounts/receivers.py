"""Audit entries for authentication events (the only events Django exposes solely as signals)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from apps.audit import actions
from apps.audit.services import audit_record


def _area_of_username(username: str):
    user = get_user_model().objects.filter(username=username).select_related("area").first()
    return user.area if user else None


@receiver(user_logged_in, dispatch_uid="accounts.audit_login")
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action=actions.LOGIN, obj=user, area=user.area)


@receiver(user_logged_out, dispatch_uid="accounts.audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=actions.LOGOUT, obj=user, area=user.area)


@receiver(user_login_failed, dispatch_uid="accounts.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")[:150]
    audit_record(actor=None, username=username, action=actions.LOGIN_FAILED, area=_area_of_username(username))


@receiver(user_locked_out, dispatch_uid="accounts.audit_locked_out")
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        actor=None,
        username=(username or "")[:150],
        action=actions.LOCKED_OUT,
        area=_area_of_username(username or ""),
        message=f"IP {ip_address}",
    )
