"""Uploads cannot exhaust the server (issue 11 §2): rows, columns, cell length and the unpacked
size of an .xlsx are capped while the sheet is streamed, empty rows cost nothing, no message
quotes a whole cell, and waiting previews expire."""

import datetime as dt
import json
import os
import stat
import tracemalloc
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from apps.cases.models import CaseFile
from apps.cases.resources import CaseResource
from apps.core.imports import ImportFileError, PendingImport, dataset_from_bytes
from tests.cases.test_import_export import HEADERS, person_row
from tests.factories import uploads

FIRST = person_row("Nguyễn Văn Hùng")


def parse(content: bytes, name: str):
    return dataset_from_bytes(
        content,
        name,
        expected_headers=CaseResource.expected_headers(),
        required_headers=CaseResource.required_headers(),
    )


def refused(content: bytes, name: str) -> tuple[str, int]:
    """The refusal message and the peak of Python allocations (bytes).

    Bounded memory proves the reader stopped at the cap; speed is measured by
    scripts/measure_upload_bombs.py, not asserted here (a loaded CI machine would flake)."""
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError) as info:
            parse(content, name)
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return str(info.value), peak


MB = 1024 * 1024


def test_the_caps_are_settings_declared_in_base_and_env_example():
    env = (Path(settings.BASE_DIR) / ".env.example").read_text(encoding="utf-8")
    base = (Path(settings.BASE_DIR) / "tuyenquang_pcmt" / "settings" / "base.py").read_text(encoding="utf-8")
    for name in (
        "IMPORT_MAX_ROWS",
        "IMPORT_MAX_COLUMNS",
        "IMPORT_MAX_CELL_CHARS",
        "IMPORT_MAX_XLSX_UNPACKED_MB",
        "IMPORT_PENDING_MAX_AGE_MINUTES",
    ):
        assert isinstance(getattr(settings, name), int), name
        assert name in env and name in base, name


def test_an_xlsx_with_a_100_mb_cell_is_refused_before_it_is_unpacked():
    content = uploads.huge_cell_xlsx(HEADERS, megabytes=100)
    assert len(content) < 500_000
    message, peak = refused(content, "bom.xlsx")
    assert "giải nén" in message
    assert len(message) < 400
    assert peak < 20 * MB


def test_a_long_cell_is_refused_naming_row_and_column_and_quoting_only_its_start(settings):
    settings.IMPORT_MAX_CELL_CHARS = 500
    long_name = "Nguyễn " + "A" * 5000
    for name, content in (
        (
            "dai.xlsx",
            uploads.xlsx([uploads.row_xml(1, HEADERS), uploads.row_xml(2, [long_name, "Nam"])], dimension="A1:M2"),
        ),
        ("dai.csv", ",".join(HEADERS).encode() + b"\r\n" + f"{long_name},Nam\r\n".encode()),
    ):
        message, _peak = refused(content, name)
        assert "Dòng 2" in message and "Họ và tên" in message and "500" in message, message
        assert "A" * 100 not in message and len(message) < 400


def test_a_csv_cell_beyond_the_csv_field_limit_is_a_clear_refusal():
    message, peak = refused(uploads.huge_cell_csv(HEADERS, chars=1_000_000), "bom.csv")
    assert "Dòng 2" in message and len(message) < 400
    assert peak < 20 * MB


@pytest.mark.parametrize("name", ["bom.xlsx", "bom.csv"])
def test_300000_tiny_rows_are_refused_quickly(name):
    build = uploads.many_rows_xlsx if name.endswith(".xlsx") else uploads.many_rows_csv
    content = build(HEADERS, rows=300_000)
    assert len(content) < 2 * MB
    message, peak = refused(content, name)
    assert f"{settings.IMPORT_MAX_ROWS:,}".replace(",", ".") in message, message
    assert "dòng" in message
    assert peak < 100 * MB


@pytest.mark.parametrize("name", ["trong.xlsx", "trong.csv"])
def test_empty_rows_are_skipped_without_cost(name):
    build = uploads.empty_rows_xlsx if name.endswith(".xlsx") else uploads.empty_rows_csv
    content = build(HEADERS, FIRST, size=1_500_000)
    tracemalloc.start()
    try:
        dataset = parse(content, name)
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert len(dataset) == 1 and dataset.sheet_rows == [2]
    assert dataset.dict[0]["Họ và tên"] == "Nguyễn Văn Hùng"
    assert peak < 50 * MB


def test_too_many_columns_are_refused(settings):
    settings.IMPORT_MAX_COLUMNS = 20
    wide = [*HEADERS, *[f"Cột {i}" for i in range(30)]]
    content = uploads.xlsx([uploads.row_xml(1, wide), uploads.row_xml(2, FIRST)], dimension="A1:AR2")
    message, _peak = refused(content, "rong.xlsx")
    assert "20 cột" in message


def test_the_error_page_of_a_bomb_is_small(world, officer_a, client_for):
    upload = SimpleUploadedFile("bom.xlsx", uploads.huge_cell_xlsx(HEADERS, megabytes=100))
    response = client_for(officer_a).post(reverse("cases:import"), {"file": upload})
    assert response.status_code == 400
    assert len(response.content) < 50_000
    assert "giải nén" in response.context["file_error"]
    assert not CaseFile.objects.exists()


def test_long_unknown_headers_are_not_echoed_whole():
    content = uploads.xlsx([uploads.row_xml(1, [*HEADERS, "X" * 1500]), uploads.row_xml(2, FIRST)], dimension="A1:N2")
    message, _peak = refused(content, "a.xlsx")
    assert "cột không nhận dạng được" in message
    assert "X" * 100 not in message and len(message) < 600


# --- previews waiting for confirmation ------------------------------------------------------------


def _age(pending: PendingImport, minutes: int) -> None:
    meta = json.loads(pending.meta_path.read_text(encoding="utf-8"))
    meta["created"] = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)).isoformat()
    pending.meta_path.write_text(json.dumps(meta), encoding="utf-8")


def test_waiting_files_are_readable_by_the_owner_only(world, officer_a):
    pending = PendingImport.create(user=officer_a, kind="cases", filename="a.xlsx", content=b"secret")
    for path in (pending.data_path, pending.meta_path):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    pending.discard()


def test_an_expired_preview_says_so_and_its_bytes_are_gone(world, officer_a):
    pending = PendingImport.create(user=officer_a, kind="cases", filename="a.xlsx", content=b"secret")
    _age(pending, settings.IMPORT_PENDING_MAX_AGE_MINUTES + 1)
    with pytest.raises(ImportFileError) as info:
        PendingImport.load(pending.token, user=officer_a, kind="cases")
    assert "hết hạn" in str(info.value)
    assert f"{settings.IMPORT_PENDING_MAX_AGE_MINUTES} phút" in str(info.value)
    assert not pending.data_path.exists() and not pending.meta_path.exists()


def test_confirming_an_expired_preview_is_refused_in_vietnamese(world, officer_a, client_for):
    from tests.cases.test_import_export import _good_rows, xlsx

    client = client_for(officer_a)
    first = client.post(reverse("cases:import"), {"file": xlsx(_good_rows())})
    _age(PendingImport(first.context["token"]), settings.IMPORT_PENDING_MAX_AGE_MINUTES + 5)
    response = client.post(reverse("cases:import"), {"token": first.context["token"], "confirm": "1"})
    assert response.status_code == 400
    assert "hết hạn" in response.context["file_error"]
    assert not CaseFile.objects.exists()


def test_abandoned_previews_are_purged_by_a_command_and_on_each_upload(world, officer_a):
    old = PendingImport.create(user=officer_a, kind="cases", filename="a.xlsx", content=b"old")
    fresh = PendingImport.create(user=officer_a, kind="cases", filename="b.xlsx", content=b"fresh")
    _age(old, settings.IMPORT_PENDING_MAX_AGE_MINUTES + 1)
    call_command("purge_pending_imports", verbosity=0)
    assert not old.data_path.exists() and not old.meta_path.exists()
    assert fresh.data_path.exists()

    _age(fresh, settings.IMPORT_PENDING_MAX_AGE_MINUTES + 1)
    newer = PendingImport.create(user=officer_a, kind="cases", filename="c.xlsx", content=b"new")
    assert not fresh.data_path.exists()
    newer.discard()


def test_row_errors_quote_only_the_start_of_a_cell(world, officer_a, client_for):
    from tests.cases.test_import_export import xlsx

    rows = [person_row("Nguyễn Văn Hùng", dob="9" * 1500), person_row("Lê Văn Sơn", **{"Dân tộc": "X" * 1500})]
    response = client_for(officer_a).post(reverse("cases:import"), {"file": xlsx(rows)})
    errors = response.context["report"].errors
    assert len(errors) == 2
    for error in errors:
        assert len(error.message) <= 300 and "9" * 100 not in error.message and "X" * 100 not in error.message
