"""Queue again the reports a stopped worker left "queued" or "running" (run before the worker).

manage.py reports_requeue_stale               # older than 15 minutes
manage.py reports_requeue_stale --minutes 0   # every unfinished report
"""

import datetime as dt

from django.core.management.base import BaseCommand

from apps.reports.services import requeue_stale


class Command(BaseCommand):
    help = "Đưa lại vào hàng đợi các báo cáo bị bỏ dở (đang chờ/đang tạo) khi tiến trình nền dừng."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=15, help="chỉ các báo cáo phát hành trước N phút")

    def handle(self, *args, minutes, **options):
        ids = requeue_stale(older_than=dt.timedelta(minutes=minutes))
        self.stdout.write(f"Đã đưa lại {len(ids)} báo cáo vào hàng đợi." if ids else "Không có báo cáo bị bỏ dở.")
