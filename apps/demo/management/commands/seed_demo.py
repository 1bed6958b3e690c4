from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError

from apps.areas.models import AdministrativeUnit
from apps.demo.accounts import seed_users
from apps.demo.areas import seed_population
from apps.demo.cases import seed_cases, seed_past_cases
from apps.demo.classification import seed_classification
from apps.demo.prevention import seed_prevention
from apps.demo.registers import seed_registers
from apps.demo.reporting import seed_reporting


class Command(BaseCommand):
    help = "Tạo bộ dữ liệu minh họa (tài khoản mọi vai trò, số liệu) trên đơn vị hành chính thật. Chạy lại được."

    def handle(self, *args, **options):
        if not settings.PCMT_ALLOW_DEMO_DATA:
            raise CommandError(
                "Không tạo dữ liệu minh họa với cấu hình này (production: PCMT_ALLOW_DEMO_DATA tắt): "
                "tài khoản minh họa dùng chung một mật khẩu công khai."
            )
        province = (
            AdministrativeUnit.objects.current().filter(level="province", code=settings.PCMT_PROVINCE_CODE).first()
        )
        if province is None:
            raise CommandError("Chưa có danh mục đơn vị hành chính: chạy `manage.py load_units` trước.")
        users = seed_users(province=province)
        admin = next(u for u, _unit in users if u.username == "quantri")
        from apps.accounts.models import User

        actor = User.objects.get(username=admin.username)
        n_pop = seed_population(actor=actor)
        officers = {
            unit.code: User.objects.get(username=demo.username)
            for demo, unit in users
            if demo.role == "commune_officer"
        }
        n_cases = seed_cases(officers=officers)
        n_registers = seed_registers(officers=officers)
        province_staff = User.objects.get(username="tinh.canbo")
        n_past = seed_past_cases(officers=officers)
        n_assessments = seed_classification(actor=province_staff)
        n_prevention = seed_prevention(officers=officers, province_user=province_staff)
        n_periods = seed_reporting(officers=officers, province_user=province_staff)
        # The informant's identity is a personal authorisation, never a role: the demo grants it to
        # the province officer so the protected view can be tried.
        province_staff.user_permissions.add(
            Permission.objects.get(content_type__app_label="prevention", codename="view_informant")
        )
        self.stdout.write(
            f"Dữ liệu minh họa: {len(users)} tài khoản, {n_pop} số liệu dân số, {n_cases} hồ sơ mới, "
            f"{n_registers} bản ghi sổ theo dõi, {n_assessments} lần phân loại, "
            f"{n_prevention} bản ghi phòng ngừa, {n_periods} bản ghi kỳ báo cáo."
        )
        self.stdout.write(
            f"Hồ sơ năm 2019–2020 ghi theo đơn vị cũ (bản đồ hành chính thời điểm đó): {n_past} hồ sơ mới; "
            "chạy phân loại năm 2019 hoặc 2020 để xem theo bản đồ năm đó hoặc quy đổi sang đơn vị hiện nay."
        )
