"""Log records that carry the request id (the one the audit rows carry), and a JSON formatter for
the province's log collector (``PCMT_LOG_FORMAT=json``)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from .context import get_request_context

#: attributes every LogRecord has; anything else was passed with ``extra=`` and goes into the JSON
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request being served ("-" outside a request), so a
    traceback in the log can be matched with the request line and with the audit entries."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            ctx = get_request_context()
            record.request_id = str(ctx.request_id) if ctx else "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request id, the
    ``extra`` fields of the record and the traceback, if any."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in data:
                data[key] = value
        if record.exc_info:
            data["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            data["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(data, ensure_ascii=False, default=str)
