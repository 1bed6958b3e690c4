"""``manage.py restore ARCHIVE``: bring a ``manage.py backup`` archive back into an empty database
and an empty media folder, then check it against its manifest (hashes, row counts, audit chain)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = _("Phục hồi từ tệp sao lưu vào cơ sở dữ liệu trống và thư mục tệp đính kèm trống, rồi đối chiếu bản kê.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("Tệp sao lưu (.tar) do manage.py backup tạo."))
        parser.add_argument(
            "--database", default=None, help=_("Bí danh kết nối (mặc định: owner nếu có, không thì default).")
        )

    def handle(self, *args, archive, database, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp sao lưu %(path)s.") % {"path": path})
        started = time.monotonic()
        try:
            result = restore_backup(path, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Đã phục hồi và đối chiếu: %(tables)s bảng, %(rows)s dòng, %(files)s tệp đính kèm, "
                "nhật ký %(entries)s mục (chuỗi mã băm nguyên vẹn), %(seconds).1f giây."
            )
            % {
                "tables": result.tables,
                "rows": result.rows,
                "files": result.media_files,
                "entries": result.audit_entries,
                "seconds": time.monotonic() - started,
            }
        )
        from django.conf import settings

        if "owner" in settings.DATABASES:
            # pg_restore --no-privileges: the runtime role's rights are given again, as after migrate.
            self.stdout.write(_("Tiếp theo: chạy manage.py grant_runtime_role để cấp quyền cho vai trò ứng dụng."))
