"""One-time form tokens: a state-changing form is recorded once, however many times it is sent.

A double tap on "Lưu" over a slow link, or the browser's "resubmit" after a reload, sends the same
body twice; without a guard the second one records a second home visit. Every state-changing form
of the templates carries ``{% form_token %}`` (a hidden ``form_token`` field with a fresh random
value per rendering; ``tests/core/test_form_tokens.py`` checks that none is missing), and
:class:`FormTokenMiddleware` wraps each POST carrying one in a transaction that first INSERTs the
token into :class:`~apps.core.models.UsedFormToken` (unique) and then runs the view:

- the view answers a redirect (the form was processed): the row stays, with the page it led to, and
  commits together with the change; a second POST of the same token fails the insert and is answered
  with a redirect to that page and "Biểu mẫu này đã được gửi; không ghi lại lần nữa.";
- anything else (the form re-rendered with its errors, 403, 404, 500): the row is removed again, so
  the same page can still be sent once corrected; a failed write never burns the token.

The consumption is a unique INSERT, never read-then-write, so two simultaneous copies cannot both
pass: on PostgreSQL the second insert waits on the index for the first transaction and then fails; on
SQLite every transaction takes the write lock at BEGIN (settings), so they run one after the other.

A POST without a token (scripts, the test client, the admin) is processed as before: the token is
enforced when present, and every form the application renders has one, so browsers are protected.
Nothing is stored when a form is rendered (GETs stay read-only); rows older than
``FORM_TOKEN_KEEP_DAYS`` are purged while new ones are written.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .models import UsedFormToken

FIELD = "form_token"
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def hidden_input() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


def posted_token(request: HttpRequest) -> str | None:
    """The token of a POST, or None when there is none (or it is not one we could have issued)."""
    value = request.POST.get(FIELD, "")
    return value if _TOKEN_RE.match(value) else None


class _Replayed(Exception):
    pass


def _replay_response(request: HttpRequest, token: str) -> HttpResponse | None:
    row = UsedFormToken.objects.filter(token=token).only("user_id", "result_url").first()
    if row is None:
        return None
    messages.info(request, _("Biểu mẫu này đã được gửi; không ghi lại lần nữa."))
    target = row.result_url if row.user_id == request.user.pk else ""
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = request.get_full_path()
    return HttpResponseRedirect(target)


def _processed(response: HttpResponse) -> bool:
    """Post/Redirect/Get: a view answers a redirect once it has done what the form asked."""
    return response.status_code in (301, 302, 303) and bool(response.get("Location"))


def _purge() -> None:
    keep = settings.FORM_TOKEN_KEEP_DAYS
    UsedFormToken.objects.filter(used_at__lt=timezone.now() - dt.timedelta(days=keep)).delete()


def process_once(request: HttpRequest, token: str, handle) -> HttpResponse:
    """Run ``handle()`` (which answers the POST) once for ``token``; see the module docstring."""
    replay = _replay_response(request, token)  # the common replay, without taking the write lock
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = UsedFormToken.objects.create(token=token, user=request.user, path=request.path[:500])
            except IntegrityError:
                raise _Replayed from None
            response = handle()
            if _processed(response):
                row.result_url = response["Location"][:1000]
                row.save(update_fields=["result_url"])
                _purge()
            else:
                try:
                    with transaction.atomic():
                        row.delete()
                except DatabaseError:
                    # The view left the transaction unusable (and answered an error page): undo it
                    # all, token included, as the failed request would have been.
                    transaction.set_rollback(True)
    except _Replayed:
        return _replay_response(request, token) or HttpResponseRedirect(request.get_full_path())
    return response


class FormTokenMiddleware:
    """Applies :func:`process_once` to every POST of a logged-in user that carries a form token.

    Placed after the authentication and messages middleware (it needs the user and the message store).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not request.user.is_authenticated:
            return self.get_response(request)
        token = posted_token(request)
        if token is None:
            return self.get_response(request)
        return process_once(request, token, lambda: self.get_response(request))
