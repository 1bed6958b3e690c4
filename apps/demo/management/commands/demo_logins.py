from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.areas.models import AdministrativeUnit
from apps.demo.accounts import demo_logins_table


class Command(BaseCommand):
    help = gettext_lazy("In bảng tài khoản minh họa.")

    def handle(self, *args, **options):
        province = AdministrativeUnit.objects.current().get(level="province", code=settings.PCMT_PROVINCE_CODE)
        self.stdout.write("\n" + _("Tài khoản minh họa (demo):") + "\n" + demo_logins_table(province=province) + "\n")
