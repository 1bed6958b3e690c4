from django.conf import settings
from django.core.management.base import BaseCommand

from apps.areas.models import AdministrativeUnit
from apps.demo.accounts import demo_logins_table


class Command(BaseCommand):
    help = "In bảng tài khoản minh họa."

    def handle(self, *args, **options):
        province = AdministrativeUnit.objects.current().get(level="province", code=settings.PCMT_PROVINCE_CODE)
        self.stdout.write("\nTài khoản minh họa (demo):\n" + demo_logins_table(province=province) + "\n")
