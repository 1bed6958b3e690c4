"""Import a rule set from a JSON file, all or nothing, audited.

    manage.py import_ruleset qd-28.json [--replace]

A code that exists already is refused unless ``--replace`` (which creates the next version).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.classification import services


class Command(BaseCommand):
    help = "Nhập bộ tiêu chí phân loại từ tệp JSON (kiểm tra toàn bộ; lỗi thì không ghi gì)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp JSON của bộ tiêu chí.")
        parser.add_argument("--replace", action="store_true", help="Thay thế bộ tiêu chí cùng mã (tạo phiên bản mới).")

    def handle(self, *args, file, replace=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        try:
            rule_set = services.ruleset_import(
                actor=None, content=path.read_bytes(), replace=replace, filename=path.name
            )
        except ValidationError as exc:
            raise CommandError("Không nhập được, không có gì được ghi:\n- " + "\n- ".join(exc.messages)) from exc
        self.stdout.write(f"Đã nhập bộ tiêu chí {rule_set.code}, phiên bản {rule_set.version}.")
