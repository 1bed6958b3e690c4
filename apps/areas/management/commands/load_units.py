from pathlib import Path

from django.core.management.base import BaseCommand

from apps.areas.services import DEFAULT_FIXTURE, units_load


class Command(BaseCommand):
    help = "Nạp (hoặc cập nhật) danh mục đơn vị hành chính và bảng chuyển đổi cũ→mới từ fixtures/."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(DEFAULT_FIXTURE))

    def handle(self, *args, path, **options):
        summary = units_load(path=Path(path))
        self.stdout.write(
            f"Đơn vị: {summary.created} thêm mới, {summary.updated} cập nhật; "
            f"chuyển đổi: {summary.successions} thêm mới."
        )
