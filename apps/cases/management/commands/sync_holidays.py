"""Load the public holidays of coming years from the rules (apps.cases.public_holidays).

    manage.py sync_holidays                  # this year and next, when they have no rows yet
    manage.py sync_holidays --through 2040   # every missing year up to 2040

Run it once a year (e.g. in December, after the government announces the Tết break, check the
loaded days in the admin). Years that already have rows are left as province staff keep them.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.cases.public_holidays import FIRST_YEAR, YEARS_AHEAD, holidays_sync


class Command(BaseCommand):
    help = "Nạp ngày nghỉ lễ, Tết theo quy tắc (dương lịch và âm lịch) cho các năm chưa có."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=int, default=None, help="từ năm (mặc định năm nay)")
        parser.add_argument("--through", type=int, default=None, help="đến năm (mặc định năm sau)")

    def handle(self, *args, **options):
        today = timezone.localdate()
        first = options["first"] or today.year
        last = options["through"] or today.year + YEARS_AHEAD
        created = holidays_sync(range(max(first, FIRST_YEAR), last + 1))
        if not created:
            self.stdout.write(f"Các năm {first}–{last} đã có lịch nghỉ lễ: không thay đổi.")
            return
        for year, count in sorted(created.items()):
            self.stdout.write(f"Năm {year}: đã nạp {count} ngày nghỉ lễ, Tết.")
