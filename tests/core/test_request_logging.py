"""One log line per request carrying the request id the audit rows carry; the id a proxy sends is
kept; errors are logged with it; the JSON log format option; the client address behind the proxy."""

from __future__ import annotations

import json
import logging
import uuid

import pytest
from django.urls import reverse

from apps.audit.models import AuditLogEntry
from apps.core.logging import JsonFormatter, RequestIdFilter
from tests.factories.cases import make_case

PROXY = "10.0.0.1"


def test_each_request_logs_one_line_with_its_id(world, officer_a, client_for, caplog):
    client = client_for(officer_a)
    with caplog.at_level(logging.INFO, logger="pcmt.request"):
        response = client.get(reverse("cases:casefile_list"))
    lines = [r for r in caplog.records if r.name == "pcmt.request"]
    assert len(lines) == 1
    record = lines[0]
    assert record.request_id == response["X-Request-ID"]
    assert record.status == 200
    assert record.method == "GET"
    assert record.path == reverse("cases:casefile_list")
    assert record.user_id == officer_a.pk
    assert isinstance(record.duration_ms, float)


def test_the_query_string_is_not_logged(world, officer_a, client_for, caplog):
    # Searches carry names and ID numbers: they must not land in the server logs.
    with caplog.at_level(logging.INFO, logger="pcmt.request"):
        client_for(officer_a).get(reverse("cases:casefile_list"), {"q": "Nguyễn Văn Hùng"})
    (record,) = [r for r in caplog.records if r.name == "pcmt.request"]
    assert "Hùng" not in record.getMessage()
    assert "q=" not in record.path


def test_a_request_id_from_the_proxy_is_kept_and_carried_by_the_audit_rows(world, officer_a, client_for, settings):
    settings.PCMT_TRUSTED_PROXIES = 1
    sent = str(uuid.uuid4())
    case = make_case(officer_a, world.commune_a)
    response = client_for(officer_a).get(reverse("cases:casefile_detail", args=[case.pk]), HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] == sent
    entry = AuditLogEntry.objects.order_by("-pk").first()
    assert str(entry.request_id) == sent


def test_without_a_declared_proxy_the_request_id_header_is_ignored(world, officer_a, client_for):
    # Nobody overwrites the header then: a client could reuse another request's id.
    sent = str(uuid.uuid4())
    response = client_for(officer_a).get(reverse("core:home"), HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] != sent


@pytest.mark.parametrize("sent", ["not-a-uuid", "x" * 300, "'; DROP TABLE"])
def test_an_invalid_request_id_is_replaced(world, officer_a, client_for, sent, settings):
    settings.PCMT_TRUSTED_PROXIES = 1
    response = client_for(officer_a).get(reverse("core:home"), HTTP_X_REQUEST_ID=sent)
    assert str(uuid.UUID(response["X-Request-ID"])) != sent


def test_the_audit_row_records_the_client_behind_the_proxy(world, officer_a, client_for, settings):
    settings.PCMT_TRUSTED_PROXIES = 1
    case = make_case(officer_a, world.commune_a)
    response = client_for(officer_a).get(
        reverse("cases:casefile_detail", args=[case.pk]),
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.0.2.50, 198.51.100.7",
    )
    assert response.status_code == 200
    entry = AuditLogEntry.objects.get(request_id=response["X-Request-ID"])
    # The proxy appended the address it saw (the last hop); the client wrote the rest.
    assert entry.client_ip == "198.51.100.7"


def test_without_the_proxy_setting_the_audit_row_records_the_peer(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a)
    response = client_for(officer_a).get(
        reverse("cases:casefile_detail", args=[case.pk]), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert AuditLogEntry.objects.get(request_id=response["X-Request-ID"]).client_ip == PROXY


def test_an_error_is_logged_with_the_request_id(world, officer_a, client_for, caplog, monkeypatch):
    from apps.core import views

    def boom(self, request, *args, **kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(views.HomeView, "get", boom)
    client = client_for(officer_a)
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("core:home"))
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.name == "django.request" and r.levelno >= logging.ERROR]
    assert errors
    # The filter on the handlers stamps every record emitted during the request.
    record = errors[0]
    RequestIdFilter().filter(record)
    assert record.request_id == response["X-Request-ID"]


def test_json_format_is_one_object_per_line():
    formatter = JsonFormatter()
    record = logging.LogRecord("pcmt.request", logging.INFO, __file__, 1, "GET %s %s", ("/", 200), None)
    record.request_id = "abc"
    record.status = 200
    line = formatter.format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "GET / 200"
    assert data["level"] == "INFO"
    assert data["logger"] == "pcmt.request"
    assert data["request_id"] == "abc"
    assert data["status"] == 200
    assert "time" in data


def test_json_format_includes_the_exception():
    formatter = JsonFormatter()
    try:
        raise ValueError("sai")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "lỗi", (), sys.exc_info())
    data = json.loads(formatter.format(record))
    assert "ValueError: sai" in data["exc_info"]
    assert data["message"] == "lỗi"


def test_the_log_format_setting_selects_the_formatter(settings):
    from django.conf import settings as live

    assert live.PCMT_LOG_FORMAT in ("plain", "json")
    handler = live.LOGGING["handlers"]["console"]
    assert handler["formatter"] == live.PCMT_LOG_FORMAT
    assert "request_id" in handler["filters"]
