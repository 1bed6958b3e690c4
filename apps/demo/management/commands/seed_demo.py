from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.areas.models import AdministrativeUnit
from apps.core.registry import demo_seeders
from apps.demo.context import DemoContext


class Command(BaseCommand):
    help = gettext_lazy(
        "Tạo bộ dữ liệu minh họa (tài khoản mọi vai trò, số liệu) trên đơn vị hành chính thật. Chạy lại được."
    )

    def handle(self, *args, **options):
        if not settings.PCMT_ALLOW_DEMO_DATA:
            raise CommandError(
                _(
                    "Không tạo dữ liệu minh họa với cấu hình này (production: PCMT_ALLOW_DEMO_DATA tắt): "
                    "tài khoản minh họa dùng chung một mật khẩu công khai."
                )
            )
        province = (
            AdministrativeUnit.objects.current().filter(level="province", code=settings.PCMT_PROVINCE_CODE).first()
        )
        if province is None:
            raise CommandError(_("Chưa có danh mục đơn vị hành chính: chạy `manage.py load_units` trước."))
        # Each app's seeder is registered by its module in apps/demo (core.registry), run in its order.
        context = DemoContext(province=province)
        done = [(seeder, seeder.seed(context)) for seeder in demo_seeders()]
        totals = [
            str(seeder.summary) % {"n": n}
            for seeder, n in sorted(done, key=lambda item: item[0].summary_order)
            if seeder.summary
        ]
        self.stdout.write(_("Dữ liệu minh họa: %(totals)s.") % {"totals": ", ".join(totals)})
        for seeder, n in done:
            if seeder.note:
                self.stdout.write(str(seeder.note) % {"n": n})
