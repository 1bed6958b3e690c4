import logging
import time
import uuid

from django.conf import settings

from .context import RequestContext, reset_request_context, set_request_context


def client_ip(request) -> str | None:
    """The browser's address, for the audit log and the login lockout (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``PCMT_TRUSTED_PROXIES`` proxies (nginx with ``$proxy_add_x_forwarded_for``), the entry
    the outermost one appended to X-Forwarded-For: everything left of it is what the client chose to
    send, so taking the left-most entry would let anyone pick the address their failures count on.
    Without a declared proxy the header is ignored (forgeable) and REMOTE_ADDR is the client.
    """
    proxies = settings.PCMT_TRUSTED_PROXIES
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


request_logger = logging.getLogger("pcmt.request")


def _request_id(request) -> uuid.UUID:
    """The id the proxy gave the request (X-Request-ID, so its access log and ours match), if it is
    a UUID (the audit column's type). Only behind a declared proxy (``PCMT_TRUSTED_PROXIES``), which
    sets the header itself: without one, a client could give its requests another request's id."""
    sent = request.META.get("HTTP_X_REQUEST_ID", "")
    if sent and len(sent) <= 36 and settings.PCMT_TRUSTED_PROXIES > 0:
        try:
            return uuid.UUID(sent)
        except ValueError:
            pass
    return uuid.uuid4()


class RequestContextMiddleware:
    """Give each request an id (returned as X-Request-ID) and expose it to the audit service; log
    one line per request with it (path without the query string: searches carry names)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        ctx = RequestContext(
            request_id=_request_id(request),
            client_ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
        request.request_id = ctx.request_id
        token = set_request_context(ctx)
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = str(ctx.request_id)
        user = getattr(request, "user", None)
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        request_logger.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "request_id": str(ctx.request_id),
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "client_ip": ctx.client_ip,
            },
        )
        return response


class SecurityHeadersMiddleware:
    """Headers the issue-11 review asked for on every answer of the application (static files are
    answered earlier by WhiteNoise and keep their long cache).

    - ``Cache-Control: private, no-store`` for a logged-in user: pages and exports carry names and ID
      numbers, which must not stay in the browser cache of a shared office PC or in a proxy.
    (The Content-Security-Policy comes from django-csp, settings.CONTENT_SECURITY_POLICY.)
    - ``Permissions-Policy``: none of the powerful browser features is used.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions = settings.PCMT_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Replaces max-age and the like set by a view: personal data is never stored.
            response["Cache-Control"] = "private, no-store, max-age=0"
            response.setdefault("Pragma", "no-cache")
        if self.permissions:
            response.setdefault("Permissions-Policy", self.permissions)
        return response
