"""Per-request context (request id, client address) that the audit service reads.

Held in a contextvar set by RequestContextMiddleware, so services need no request argument and
management commands simply run without one.
"""

import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestContext:
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    client_ip: str | None = None
    user_agent: str = ""


_current: ContextVar[RequestContext | None] = ContextVar("pcmt_request_context", default=None)


def get_request_context() -> RequestContext | None:
    return _current.get()


def set_request_context(ctx: RequestContext | None):
    return _current.set(ctx)


def reset_request_context(token) -> None:
    _current.reset(token)
