"""Demo accounts for every role, on real units. Passwords are documented in README."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.accounts import roles
from apps.accounts.models import User
from apps.areas.models import AdministrativeUnit
from apps.core.registry import DemoSeeder, register_demo_seeder

DEMO_PASSWORD = "PcmtDemo2026"  # noqa: S105 - demo data, printed on purpose


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    unit_code: str | None  # current-generation code; None = province
    position: str


DEMO_USERS = [
    DemoUser("quantri", "Nguyễn Quản Trị", roles.ADMINISTRATOR, None, "Quản trị hệ thống, Công an tỉnh"),
    DemoUser("tinh.canbo", "Hoàng Thị Lan", roles.PROVINCE_STAFF, None, "Cán bộ Phòng PC04, Công an tỉnh"),
    DemoUser("tinh.bcd", "Ma Văn Quyết", roles.STEERING_MEMBER, None, "Thành viên Ban Chỉ đạo tỉnh"),
    DemoUser("trungson.congan", "Đặng Văn Hùng", roles.COMMUNE_OFFICER, "2458", "Cán bộ Công an xã Trung Sơn"),
    DemoUser("trungson.bcd", "Lý Thị Mai", roles.STEERING_MEMBER, "2458", "Phó Chủ tịch UBND xã Trung Sơn"),
    DemoUser("minhxuan.congan", "Trần Quốc Đạt", roles.COMMUNE_OFFICER, "2215", "Cán bộ Công an phường Minh Xuân"),
    DemoUser("minhxuan.bcd", "Phạm Thu Hà", roles.STEERING_MEMBER, "2215", "Phó Chủ tịch UBND phường Minh Xuân"),
    DemoUser("hagiang1.congan", "Vàng Seo Lử", roles.COMMUNE_OFFICER, "694", "Cán bộ Công an phường Hà Giang 1"),
    # Bình Thuận holds former thị trấn Tân Bình (abolished 01/01/2020): its 2019 files show the maps of the time.
    DemoUser("binhthuan.congan", "Nông Văn Thành", roles.COMMUNE_OFFICER, "2524", "Cán bộ Công an phường Bình Thuận"),
]


def _unit(code: str | None, province: AdministrativeUnit) -> AdministrativeUnit:
    if code is None:
        return province
    return AdministrativeUnit.objects.current().get(code=code, level="commune")


@transaction.atomic
def seed_users(*, province: AdministrativeUnit) -> list[tuple[DemoUser, AdministrativeUnit]]:
    roles.sync_roles()
    result = []
    for demo in DEMO_USERS:
        unit = _unit(demo.unit_code, province)
        user, created = User.objects.get_or_create(username=demo.username)
        user.full_name, user.position, user.area = demo.full_name, demo.position, unit
        user.is_staff = demo.role == roles.ADMINISTRATOR
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=demo.role)])
        result.append((demo, unit))
    return result


def demo_logins_table(*, province: AdministrativeUnit) -> str:
    lines = [f"{'Tên đăng nhập':<18} {'Mật khẩu':<14} {'Vai trò':<26} Đơn vị"]
    for demo in DEMO_USERS:
        unit = _unit(demo.unit_code, province)
        lines.append(f"{demo.username:<18} {DEMO_PASSWORD:<14} {roles.role_label(demo.role):<26} {unit.full_name}")
    return "\n".join(lines)


def _seed(context) -> int:
    context.accounts = seed_users(province=context.province)
    context.administrator = User.objects.get(username="quantri")
    context.province_staff = User.objects.get(username="tinh.canbo")
    context.officers = {
        unit.code: User.objects.get(username=demo.username)
        for demo, unit in context.accounts
        if demo.role == roles.COMMUNE_OFFICER
    }
    return len(context.accounts)


register_demo_seeder(DemoSeeder("accounts", 0, _seed, summary=_("%(n)s tài khoản"), summary_order=0))
