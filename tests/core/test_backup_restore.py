"""manage.py backup → manage.py restore into a NEW database and media folder: every table's row
count, the audit log (same entries, same order, chain intact) and the bytes of every archived
file come back. Runs on whichever database the suite runs on (the pg and sqlite steps)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from apps.audit.models import AuditLogEntry
from apps.reports.models import IssuedReport, ReportKind, ReportStatus
from tests.factories.cases import advance, make_case

REPO = Path(settings.BASE_DIR)
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + "Báo cáo – Tuyên Quang".encode() + b"\n%%EOF\n"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def seeded(world, officer_a, media):
    case = make_case(officer_a, world.commune_a, full_name="Nguyễn Văn Hùng")
    advance(officer_a, case, "positive_test", dt.date(2026, 4, 2))
    make_case(officer_a, world.commune_a, full_name="Đặng Thị Hương")
    report = IssuedReport(
        unit=world.province,
        kind=ReportKind.PERIODIC,
        document_date=dt.date(2026, 9, 20),
        title="Báo cáo quý III/2026",
        issued_by=officer_a,
        issued_at=timezone.now(),
        status=ReportStatus.DONE,
        sha256=hashlib.sha256(PDF).hexdigest(),
        size=len(PDF),
    )
    report.file.save("bao-cao-quy-III-2026.pdf", ContentFile(PDF), save=False)
    report.save()
    (Path(media) / "attachments").mkdir(parents=True)
    (Path(media) / "attachments" / "biên bản.bin").write_bytes(os.urandom(5000))
    assert AuditLogEntry.objects.count() >= 3
    return report


def _restore_env(new_media: Path, database_url: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_OWNER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")},
        "DJANGO_SETTINGS_MODULE": "tuyenquang_pcmt.settings.test",
        "DATABASE_URL": database_url,
        "DJANGO_MEDIA_ROOT": str(new_media),
    }


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - this repository's manage.py
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def new_database(tmp_path):
    """A new, empty database of the same kind as the suite's: (URL, raw DB-API connection factory)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)
        return
    import psycopg2

    params = connection.settings_dict
    name = f"pcmt_restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"],
        port=params["PORT"],
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    url = f"postgres://{auth}@{params['HOST']}:{params['PORT']}/{name}"

    def connect():
        return psycopg2.connect(
            dbname=name, user=params["USER"], password=params["PASSWORD"], host=params["HOST"], port=params["PORT"]
        )

    yield url, connect
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _snapshot(cursor, vendor: str) -> tuple[dict[str, int], list[tuple]]:
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    cursor.execute(
        "SELECT id, time, actor_username, action, object_id, object_repr, message, prev_hash, hash "
        "FROM audit_auditlogentry ORDER BY id"
    )
    entries = [tuple(str(v) for v in row) for row in cursor.fetchall()]
    return counts, entries


def test_backup_then_restore_into_a_new_database_gives_everything_back(seeded, new_database, tmp_path):
    archive = tmp_path / "out" / "pcmt.tar"
    call_command("backup", "--output", str(archive), "--database", "default")
    assert archive.is_file()
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert names[0] == "manifest.json"
    db_file = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert db_file in names
    assert f"media/{seeded.file.name}" in names
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"]["cases_casefile"] == 2
    assert manifest["audit"]["entries"] == AuditLogEntry.objects.count()
    assert manifest["media"][seeded.file.name]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert manifest["created_at"] and "commit" in manifest["app"]

    with connection.cursor() as cursor:
        before_counts, before_entries = _snapshot(cursor.cursor, connection.vendor)
    original_media = {
        p.relative_to(settings.MEDIA_ROOT): p.read_bytes() for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()
    }

    url, connect = new_database
    new_media = tmp_path / "new-media"
    env = _restore_env(new_media, url)
    result = _manage(env, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "Đã phục hồi" in result.stdout

    restored = connect()
    try:
        cursor = restored.cursor()
        after_counts, after_entries = _snapshot(cursor, connection.vendor)
    finally:
        restored.close()
    assert after_counts == before_counts
    assert after_entries == before_entries  # same entries, same order, same hashes
    restored_media = {p.relative_to(new_media): p.read_bytes() for p in new_media.rglob("*") if p.is_file()}
    assert restored_media == original_media
    assert restored_media[Path(seeded.file.name)] == PDF

    verify = _manage(env, "verify_audit_chain")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_restore_refuses_a_database_that_is_not_empty(seeded, tmp_path, settings):
    archive = tmp_path / "pcmt.tar"
    call_command("backup", "--output", str(archive), "--database", "default")
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    with pytest.raises(CommandError, match="Cơ sở dữ liệu đích không trống"):
        call_command("restore", str(archive), "--database", "default")


def test_restore_refuses_a_media_folder_that_is_not_empty(seeded, new_database, tmp_path):
    archive = tmp_path / "pcmt.tar"
    call_command("backup", "--output", str(archive), "--database", "default")
    busy = tmp_path / "busy-media"
    busy.mkdir()
    (busy / "old.pdf").write_bytes(b"x")
    url, _connect = new_database
    result = _manage(_restore_env(busy, url), "restore", str(archive))
    assert result.returncode != 0
    assert "không trống" in result.stderr
    assert "Traceback" not in result.stderr


def test_restore_refuses_a_damaged_archive(seeded, new_database, tmp_path):
    archive = tmp_path / "pcmt.tar"
    call_command("backup", "--output", str(archive), "--database", "default")
    # Flip bytes inside the archived report: the manifest's hash no longer matches.
    data = bytearray(archive.read_bytes())
    offset = data.find(b"B\xc3\xa1o c\xc3\xa1o")
    assert offset > 0
    data[offset : offset + 3] = b"XXX"
    archive.write_bytes(bytes(data))
    url, connect = new_database
    new_media = tmp_path / "new-media"
    result = _manage(_restore_env(new_media, url), "restore", str(archive))
    assert result.returncode != 0
    assert "bị hỏng" in result.stderr
    # Nothing was written before the check.
    conn = connect()
    try:
        assert _tables(conn.cursor(), connection.vendor) == []
    finally:
        conn.close()
    assert not new_media.exists() or not any(new_media.iterdir())
