"""One-archive backup and verified restore (``manage.py backup`` / ``manage.py restore``).

The archive is a plain tar (its parts are compressed already) holding:

- ``manifest.json``: format, created_at, app version and commit, the database vendor, the row
  count of every table, the audit log's entry count and last hash, the SHA-256 and size of each
  part;
- ``database.dump`` (PostgreSQL, ``pg_dump -Fc``) or ``database.sqlite3`` (SQLite's online backup);
- ``media/…``: every file of MEDIA_ROOT (attachments, issued reports), byte for byte.

The counts are taken from the same snapshot as the dump (PostgreSQL: an exported snapshot that
``pg_dump --snapshot`` shares; SQLite: counted in the copy itself), so a backup taken while
officers work still verifies after its restore.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit import chain
from apps.audit.models import AuditLogEntry

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_PREFIX = "media/"
AUDIT_TABLE = "audit_auditlogentry"


class BackupError(Exception):
    """A refusal or a failed check, with a message for the operator (Vietnamese)."""


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int
    media_files: int
    audit_entries: int


# --- helpers ---------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_alias() -> str:
    """The owner role's connection when configured (it owns what the dump must recreate)."""
    return "owner" if "owner" in settings.DATABASES else "default"


def _commit() -> str:
    try:
        result = subprocess.run(  # noqa: S603
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return settings.PCMT_APP_COMMIT
    return result.stdout.strip() if result.returncode == 0 else settings.PCMT_APP_COMMIT


def _app_version() -> str:
    try:
        text = (Path(settings.BASE_DIR) / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return ""
    match = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    return match.group(1) if match else ""


def _quote(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def _table_names(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    return [row[0] for row in cursor.fetchall()]


def _counts(cursor, vendor: str, quote) -> dict[str, int]:
    counts = {}
    for table in _table_names(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def _audit_head(cursor, tables: dict[str, int]) -> dict[str, Any]:
    if AUDIT_TABLE not in tables:
        return {"entries": 0, "last_id": None, "last_hash": ""}
    cursor.execute(f"SELECT id, hash FROM {AUDIT_TABLE} ORDER BY id DESC LIMIT 1")  # noqa: S608
    row = cursor.fetchone()
    return {"entries": tables[AUDIT_TABLE], "last_id": row[0] if row else None, "last_hash": row[1] if row else ""}


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.relative_to(root).as_posix()


# --- PostgreSQL tools ------------------------------------------------------------------------------


def pg_tool(name: str, server_version_num: int | None = None) -> str:
    """pg_dump/pg_restore: PCMT_PG_BIN_DIR if set, else Debian's binaries of the server's major
    version (pg_dump refuses a newer server), else PATH, else the newest /usr/lib/postgresql/*/bin
    (the same search as scripts/lib/pg_cluster.sh)."""
    configured = settings.PCMT_PG_BIN_DIR
    if configured:
        return str(Path(configured) / name)
    if server_version_num:
        candidate = Path(f"/usr/lib/postgresql/{server_version_num // 10000}/bin/{name}")
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if versions:
        return str(versions[-1])
    raise BackupError(
        _("Không tìm thấy chương trình %(name)s của PostgreSQL (cài gói postgresql-client).") % {"name": name}
    )


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    mapping = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD", "NAME": "PGDATABASE"}
    for key, var in mapping.items():
        value = settings_dict.get(key)
        if value:
            env[var] = str(value)
        else:
            env.pop(var, None)
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(what)s thất bại (mã %(code)s): %(error)s")
            % {"what": what, "code": result.returncode, "error": result.stderr.strip()[-2000:]}
        )


# --- backup ----------------------------------------------------------------------------------------


def _dump_postgresql(alias: str, target: Path) -> dict[str, Any]:
    connection = connections.create_connection(alias)
    try:
        connection.ensure_connection()
        raw = connection.connection
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version_num')::int")
            snapshot, version = cursor.fetchone()
            # The dump and the counts see the same snapshot, whatever commits in between.
            args = [
                pg_tool("pg_dump", version),
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-password",
                f"--file={target}",
            ]
            _run(args, _pg_env(connection.settings_dict), "pg_dump")
            tables = _counts(cursor, "postgresql", lambda n: _quote(connection, n))
            audit = _audit_head(cursor, tables)
            cursor.execute("COMMIT")
    finally:
        connection.close()
    return {"vendor": "postgresql", "server_version_num": version, "tables": tables, "audit": audit}


def _dump_sqlite(alias: str, target: Path) -> dict[str, Any]:
    connection = connections[alias]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # The online backup API: a consistent copy while other connections keep writing.
        connection.connection.backup(destination)
        cursor = destination.cursor()
        tables = _counts(cursor, "sqlite", lambda n: '"' + n.replace('"', '""') + '"')
        audit = _audit_head(cursor, tables)
    finally:
        destination.close()
    return {"vendor": "sqlite", "tables": tables, "audit": audit}


def create_backup(output: Path, alias: str | None = None) -> dict[str, Any]:
    """Write the archive to ``output`` (a file, or a folder that gets pcmt-<time>.tar); return its
    manifest (with ``path``)."""
    alias = alias or default_alias()
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(_("Cơ sở dữ liệu %(vendor)s không được hỗ trợ.") % {"vendor": vendor})
    created = timezone.now()
    if output.is_dir() or str(output).endswith(os.sep):
        output = output / f"pcmt-{created.astimezone(dt.UTC):%Y%m%d-%H%M%S}.tar"
    output.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="pcmt-backup-", dir=output.parent) as tmp:
        db_name = PG_DUMP if vendor == "postgresql" else SQLITE_COPY
        db_path = Path(tmp) / db_name
        info = _dump_postgresql(alias, db_path) if vendor == "postgresql" else _dump_sqlite(alias, db_path)
        media = {
            rel: {"sha256": sha256_file(path), "size": path.stat().st_size} for path, rel in _media_files(media_root)
        }
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat(),
            "app": {"version": _app_version(), "commit": _commit()},
            "database": {
                "vendor": vendor,
                "file": db_name,
                "sha256": sha256_file(db_path),
                "size": db_path.stat().st_size,
                **({"server_version_num": info["server_version_num"]} if "server_version_num" in info else {}),
            },
            "tables": info["tables"],
            "audit": info["audit"],
            "media": media,
        }
        partial = output.with_name(output.name + ".partial")
        # Personal data: readable by the owner only, and never a half-written archive under the name.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle, tarfile.open(fileobj=handle, mode="w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
            member = tarfile.TarInfo(MANIFEST)
            member.size, member.mtime, member.mode = len(data), int(created.timestamp()), 0o600
            tar.addfile(member, io.BytesIO(data))
            tar.add(db_path, arcname=db_name, recursive=False)
            for path, rel in _media_files(media_root):
                if rel in media:
                    tar.add(path, arcname=MEDIA_PREFIX + rel, recursive=False)
        os.replace(partial, output)
    manifest["path"] = str(output)
    return manifest


# --- restore ---------------------------------------------------------------------------------------


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def read_archive(archive: Path, workdir: Path) -> dict[str, Any]:
    """Unpack into ``workdir`` and check every part against the manifest before anything is touched."""
    try:
        tar = tarfile.open(archive, mode="r")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(
            _("Không đọc được tệp sao lưu %(path)s: %(error)s") % {"path": archive, "error": exc}
        ) from exc
    with tar:
        for member in tar.getmembers():
            if not member.isfile() or not _safe_member(member.name):
                raise BackupError(_("Tệp sao lưu chứa mục không hợp lệ: %(name)s") % {"name": member.name})
            target = workdir / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)
    try:
        manifest = json.loads((workdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(_("Tệp sao lưu không có bản kê (manifest.json) hợp lệ.")) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("Bản kê có định dạng %(format)s, không đọc được.") % {"format": manifest.get("format")})
    db_file = workdir / manifest["database"]["file"]
    if not db_file.is_file() or sha256_file(db_file) != manifest["database"]["sha256"]:
        raise BackupError(_("Bản sao cơ sở dữ liệu trong tệp sao lưu bị hỏng (mã băm SHA-256 không khớp)."))
    media_dir = workdir / MEDIA_PREFIX.rstrip("/")
    present = {rel for _path, rel in _media_files(media_dir)}
    if present != set(manifest["media"]):
        raise BackupError(_("Danh sách tệp đính kèm trong tệp sao lưu không khớp với bản kê."))
    for rel, meta in manifest["media"].items():
        if sha256_file(media_dir / rel) != meta["sha256"]:
            raise BackupError(_("Tệp %(name)s trong tệp sao lưu bị hỏng (mã băm SHA-256 không khớp).") % {"name": rel})
    return manifest


def _ensure_empty(alias: str, media_root: Path) -> None:
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = _table_names(cursor, connection.vendor)
    if tables:
        raise BackupError(
            _(
                "Cơ sở dữ liệu đích không trống (đã có %(count)s bảng): chỉ phục hồi vào một cơ sở dữ liệu mới, "
                "chưa chạy migrate."
            )
            % {"count": len(tables)}
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            _("Thư mục tệp đính kèm %(path)s không trống: chỉ phục hồi vào một thư mục trống.") % {"path": media_root}
        )


def restore_backup(archive: Path, alias: str | None = None) -> RestoreResult:
    """Restore into an empty database and an empty media folder, then verify the manifest."""
    alias = alias or default_alias()
    connection = connections[alias]
    media_root = Path(settings.MEDIA_ROOT)
    _ensure_empty(alias, media_root)
    with tempfile.TemporaryDirectory(prefix="pcmt-restore-") as tmp:
        work = Path(tmp)
        manifest = read_archive(archive, work)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                _("Tệp sao lưu là của %(archive)s, cơ sở dữ liệu đích là %(target)s.")
                % {"archive": vendor, "target": connection.vendor}
            )
        db_file = work / manifest["database"]["file"]
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('server_version_num')::int")
                version = cursor.fetchone()[0]
            connection.close()
            args = [
                pg_tool("pg_restore", version),
                "--no-owner",
                "--no-privileges",
                "--no-comments",
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                f"--dbname={connection.settings_dict['NAME']}",
                str(db_file),
            ]
            _run(args, _pg_env(connection.settings_dict), "pg_restore")
        else:
            connection.ensure_connection()
            source = sqlite3.connect(db_file)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
            connection.close()
        media_src = work / MEDIA_PREFIX.rstrip("/")
        for path, rel in _media_files(media_src):
            target = media_root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return verify_restored(manifest, alias, media_root, chain, AuditLogEntry)


def verify_restored(manifest: dict[str, Any], alias: str, media_root: Path, chain, model) -> RestoreResult:
    connection = connections[alias]
    with connection.cursor() as cursor:
        counts = _counts(cursor, connection.vendor, lambda n: _quote(connection, n))
        audit = _audit_head(cursor, counts)
    if counts != manifest["tables"]:
        differ = sorted(t for t in set(counts) | set(manifest["tables"]) if counts.get(t) != manifest["tables"].get(t))
        raise BackupError(
            _("Số dòng sau khi phục hồi không khớp với bản kê ở các bảng: %(tables)s") % {"tables": ", ".join(differ)}
        )
    for rel, meta in manifest["media"].items():
        path = media_root / rel
        if not path.is_file() or sha256_file(path) != meta["sha256"]:
            raise BackupError(_("Tệp %(name)s sau khi phục hồi không khớp với bản kê.") % {"name": rel})
    if audit != manifest["audit"]:
        raise BackupError(_("Nhật ký hệ thống sau khi phục hồi không khớp với bản kê (số mục hoặc mã băm cuối)."))
    if AUDIT_TABLE in counts:
        verdict = chain.verify(model, using=alias)
        if verdict.broken_at is not None:
            raise BackupError(
                _("Chuỗi mã băm của nhật ký hệ thống bị đứt tại mục #%(id)s: %(reason)s")
                % {"id": verdict.broken_at, "reason": verdict.reason}
            )
    return RestoreResult(
        tables=len(counts),
        rows=sum(counts.values()),
        media_files=len(manifest["media"]),
        audit_entries=audit["entries"],
    )
