"""Print the monthly access digest (duplicate lookups, break-glass views, flagged accounts)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.digest import access_digest, parse_month


class Command(BaseCommand):
    help = "Tổng hợp truy cập dữ liệu cá nhân trong tháng (tra cứu trùng người, mở hồ sơ ngoài địa bàn)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="Tháng cần tổng hợp, dạng YYYY-MM (mặc định: tháng trước).")

    def handle(self, *args, **options):
        if options["month"]:
            try:
                month = parse_month(options["month"])
            except ValueError as exc:
                raise CommandError("Tháng phải có dạng YYYY-MM, ví dụ 2026-11.") from exc
        else:
            month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        # The whole province: run as a superuser of the command line would see it.
        reader = User(is_superuser=True, is_active=True)
        rows = access_digest(user=reader, month=month)
        self.stdout.write(f"Tổng hợp truy cập tháng {month:%m/%Y}: {len(rows)} tài khoản")
        for row in rows:
            mark = "[CẦN XEM] " if row.flagged else ""
            self.stdout.write(
                f"{mark}{row.username} ({row.area or '—'}): {row.lookups} lượt tra cứu, {row.identifiers} định danh, "
                f"{row.cross_commune} trùng xã khác, {row.withheld} bị dừng; {row.break_glass_views} lượt mở ngoài "
                f"địa bàn ({row.records_opened} bản ghi)"
            )
            for reason in row.reasons[:5]:
                self.stdout.write(f"    lý do: {reason}")
