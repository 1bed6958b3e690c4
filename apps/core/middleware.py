import uuid

from django.conf import settings

from .context import RequestContext, reset_request_context, set_request_context


def _client_ip(request) -> str | None:
    # Only trust X-Forwarded-For when the deployment says a proxy sets it; otherwise it is forgeable.
    if getattr(settings, "PCMT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    """Give each request an id (returned as X-Request-ID) and expose it to the audit service."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = RequestContext(
            request_id=uuid.uuid4(),
            client_ip=_client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
        request.request_id = ctx.request_id
        token = set_request_context(ctx)
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = str(ctx.request_id)
        return response
