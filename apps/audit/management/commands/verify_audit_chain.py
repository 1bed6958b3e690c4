"""Check that the audit log has not been rewritten since it was written.

    manage.py verify_audit_chain        # exit status 0: intact; 1: the first broken link is reported

Walks every entry in id order, recomputing its SHA-256 (apps/audit/chain.py). Prints the number of
entries checked and the last entry's hash: keep that line outside the database (e.g. in the
backup log) — a later run whose chain no longer passes through it shows that entries were removed
from the end, the one rewrite the chain alone cannot see.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from apps.audit import chain
from apps.audit.models import AuditLogEntry


class Command(BaseCommand):
    help = "Kiểm tra chuỗi mã băm của nhật ký hệ thống; báo mục đầu tiên bị sửa hoặc bị xóa."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database: str, **options):
        verdict = chain.verify(AuditLogEntry, using=database)
        if verdict.broken_at is not None:
            raise CommandError(
                _("Chuỗi nhật ký bị đứt tại mục #%(id)s (sau %(checked)s mục nguyên vẹn): %(reason)s")
                % {"id": verdict.broken_at, "checked": verdict.checked, "reason": verdict.reason}
            )
        self.stdout.write(
            _("Chuỗi nhật ký nguyên vẹn: %(checked)s mục; mục cuối #%(id)s, mã băm %(hash)s")
            % {"checked": verdict.checked, "id": verdict.last_id or "-", "hash": verdict.last_hash}
        )
