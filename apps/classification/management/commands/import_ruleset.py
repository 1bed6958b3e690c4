"""Import a rule set from a JSON file, all or nothing, audited.

    manage.py import_ruleset qd-28.json [--replace]

A code that exists already is refused unless ``--replace`` (which creates the next version).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.classification import services
from apps.core import actors


class Command(BaseCommand):
    help = gettext_lazy("Nhập bộ tiêu chí phân loại từ tệp JSON (kiểm tra toàn bộ; lỗi thì không ghi gì).")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Tệp JSON của bộ tiêu chí."))
        parser.add_argument(
            "--replace", action="store_true", help=_("Thay thế bộ tiêu chí cùng mã (tạo phiên bản mới).")
        )

    def handle(self, *args, file, replace=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(file)s.") % {"file": file})
        try:
            rule_set = services.ruleset_import(
                actor=actors.SYSTEM, content=path.read_bytes(), replace=replace, filename=path.name
            )
        except ValidationError as exc:
            lines = "\n- ".join(exc.messages)
            raise CommandError(_("Không nhập được, không có gì được ghi:") + "\n- " + lines) from exc
        self.stdout.write(
            _("Đã nhập bộ tiêu chí %(code)s, phiên bản %(version)s.")
            % {"code": rule_set.code, "version": rule_set.version}
        )
