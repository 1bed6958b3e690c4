"""The uploaded file kept, private and short-lived, between the preview and the confirmation."""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from .baselines import empty_baseline
from .report import ImportFileError


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read: it holds the uploaded personal data."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


class PendingImport:
    """An uploaded file waiting between the preview and the confirmation, owned by one user.

    Its bytes hold personal data, so they are readable by the server's user only and deleted
    ``IMPORT_PENDING_MAX_AGE_MINUTES`` after the preview: when confirmed or cancelled, when an
    expired token is used, at every new upload (for everyone's abandoned previews) and by
    ``manage.py purge_pending_imports``.
    """

    def __init__(self, token: str):
        self.token = token
        base = Path(settings.IMPORT_TMP_DIR)
        self.data_path = base / f"{token}.bin"
        self.meta_path = base / f"{token}.json"

    @staticmethod
    def max_age() -> dt.timedelta:
        return dt.timedelta(minutes=settings.IMPORT_PENDING_MAX_AGE_MINUTES)

    @classmethod
    def create(
        cls, *, user, kind: str, filename: str, content: bytes, baseline: dict[str, Any] | None = None
    ) -> PendingImport:
        cls.purge_expired()
        # The original bytes are kept, so the confirmation reads exactly what the preview read;
        # the baseline (the matched records as the preview saw them) is what it is checked against.
        pending = cls(uuid.uuid4().hex)
        pending.data_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_private(pending.data_path, content)
        meta = {"user": user.pk, "kind": kind, "filename": filename, "created": dt.datetime.now(dt.UTC).isoformat()}
        if baseline is not None:
            meta["baseline"] = baseline
        _write_private(pending.meta_path, json.dumps(meta).encode("utf-8"))
        return pending

    def set_baseline(self, baseline: dict[str, Any]) -> None:
        """Store the baseline of a new preview of the same upload (background or checked again)."""
        meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
        meta["baseline"] = baseline
        meta["created"] = dt.datetime.now(dt.UTC).isoformat()  # kept for the stated time after this preview
        temporary = self.meta_path.with_name(self.meta_path.name + ".tmp")
        temporary.unlink(missing_ok=True)
        _write_private(temporary, json.dumps(meta).encode("utf-8"))
        os.replace(temporary, self.meta_path)

    @staticmethod
    def baseline_of(meta: dict) -> dict[str, Any]:
        return meta.get("baseline") or empty_baseline()

    @classmethod
    def purge_expired(cls, *, now: dt.datetime | None = None) -> int:
        """Delete every waiting file older than the allowed age; the number of previews deleted."""
        base = Path(settings.IMPORT_TMP_DIR)
        if not base.is_dir():
            return 0
        now = now or dt.datetime.now(dt.UTC)
        deadline = now - cls.max_age()
        purged = 0
        for path in base.glob("*.json"):
            pending = cls(path.stem)
            if pending._created(fallback=True) < deadline:
                pending.discard()
                purged += 1
        for path in base.glob("*.bin"):  # bytes whose description was lost
            if not path.with_suffix(".json").exists():
                try:
                    modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
                except OSError:
                    continue
                if modified < deadline:
                    path.unlink(missing_ok=True)
                    purged += 1
        return purged

    def _created(self, *, fallback: bool = False) -> dt.datetime:
        try:
            meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
            return dt.datetime.fromisoformat(meta["created"])
        except (OSError, ValueError, KeyError, TypeError):
            if not fallback:
                raise
            try:  # unreadable (or being written): judge by the file's own age
                return dt.datetime.fromtimestamp(self.meta_path.stat().st_mtime, dt.UTC)
            except OSError:
                return dt.datetime.min.replace(tzinfo=dt.UTC)

    @classmethod
    def load(cls, token: str, *, user, kind: str) -> tuple[PendingImport, bytes, dict]:
        if not token or not token.isalnum() or len(token) != 32:
            raise ImportFileError(_("Phiên nhập dữ liệu không hợp lệ. Hãy tải tệp lên lại."))
        pending = cls(token)
        expired = ImportFileError(
            _(
                "Phiên nhập dữ liệu đã hết hạn (tệp chờ xác nhận chỉ được giữ %(m)s phút sau khi kiểm tra "
                "thử, rồi bị xóa). Chưa có gì được ghi; hãy tải tệp lên lại."
            )
            % {"m": settings.IMPORT_PENDING_MAX_AGE_MINUTES}
        )
        try:
            meta = json.loads(pending.meta_path.read_text(encoding="utf-8"))
            created = dt.datetime.fromisoformat(meta["created"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise expired from exc
        if meta.get("user") != user.pk or meta.get("kind") != kind:
            raise ImportFileError(_("Phiên nhập dữ liệu không hợp lệ. Hãy tải tệp lên lại."))
        if dt.datetime.now(dt.UTC) - created > cls.max_age():
            pending.discard()
            raise expired
        try:
            content = pending.data_path.read_bytes()
        except OSError as exc:
            raise expired from exc
        return pending, content, meta

    def discard(self) -> None:
        for path in (self.data_path, self.meta_path):
            path.unlink(missing_ok=True)
