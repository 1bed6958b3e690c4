from django.conf import settings
from django.core.management.base import BaseCommand

from apps.core.imports import PendingImport


class Command(BaseCommand):
    help = (
        "Xóa các tệp nhập dữ liệu đã kiểm tra thử nhưng không được xác nhận sau "
        "IMPORT_PENDING_MAX_AGE_MINUTES phút (chúng chứa dữ liệu cá nhân). Nên chạy định kỳ, ví dụ mỗi giờ."
    )

    def handle(self, *args, **options):
        purged = PendingImport.purge_expired()
        if options["verbosity"]:
            self.stdout.write(f"Đã xóa {purged} tệp chờ xác nhận quá {settings.IMPORT_PENDING_MAX_AGE_MINUTES} phút.")
