"""``manage.py backup [--output PATH]``: one archive with the database, the media folder and a
manifest (``apps/core/backup.py``). Run nightly; README "Sao lưu và phục hồi"."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = _("Sao lưu cơ sở dữ liệu và thư mục tệp đính kèm vào một tệp (tar) có bản kê.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=None,
            help=_("Tệp hoặc thư mục đích (mặc định: PCMT_BACKUP_DIR, tên pcmt-<thời điểm UTC>.tar)."),
        )
        parser.add_argument(
            "--database", default=None, help=_("Bí danh kết nối (mặc định: owner nếu có, không thì default).")
        )

    def handle(self, *args, output, database, **options):
        target = Path(output) if output else Path(settings.PCMT_BACKUP_DIR)
        if not output:
            target.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        try:
            manifest = create_backup(target, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            _(
                "Đã sao lưu %(path)s: %(tables)s bảng, %(rows)s dòng, %(files)s tệp đính kèm, nhật ký %(entries)s mục "
                "(mã băm cuối %(hash)s), %(seconds).1f giây."
            )
            % {
                "path": manifest["path"],
                "tables": len(manifest["tables"]),
                "rows": rows,
                "files": len(manifest["media"]),
                "entries": manifest["audit"]["entries"],
                "hash": manifest["audit"]["last_hash"] or "-",
                "seconds": time.monotonic() - started,
            }
        )
