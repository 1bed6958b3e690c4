"""``manage.py create_account USERNAME --role ROLE --unit CODE``: the first accounts of a new
server, before anyone can log in to the admin (the password is read from the environment variable
named by --password-env, or asked twice; never an argument, which would stay in the shell history)."""

from __future__ import annotations

import getpass
import os

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts import roles
from apps.accounts.models import User
from apps.areas.models import AdministrativeUnit
from apps.audit.services import audit_record
from apps.core import actors


class Command(BaseCommand):
    help = _("Tạo một tài khoản với vai trò và đơn vị (mật khẩu từ biến môi trường hoặc nhập từ bàn phím).")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(roles.ROLE_PERMISSIONS))
        parser.add_argument(
            "--unit", default=None, help=_("Mã đơn vị hiện hành (mặc định: tỉnh, PCMT_PROVINCE_CODE).")
        )
        parser.add_argument("--full-name", default="", help=_("Họ và tên."))
        parser.add_argument(
            "--password-env", default=None, help=_("Tên biến môi trường chứa mật khẩu (không thì hỏi).")
        )

    def handle(self, *args, username, role, unit, full_name, password_env, **options):
        code = unit or settings.PCMT_PROVINCE_CODE
        area = AdministrativeUnit.objects.current().filter(code=code).first()
        if area is None:
            raise CommandError(_("Không có đơn vị hiện hành mã %(code)s (đã chạy load_units chưa?).") % {"code": code})
        if User.objects.filter(username=username).exists():
            raise CommandError(_("Tài khoản %(username)s đã có.") % {"username": username})
        if password_env:
            password = os.environ.get(password_env, "")
            if not password:
                raise CommandError(_("Biến môi trường %(name)s trống.") % {"name": password_env})
        else:
            password = getpass.getpass(_("Mật khẩu: "))
            if password != getpass.getpass(_("Nhập lại mật khẩu: ")):
                raise CommandError(_("Hai lần nhập mật khẩu không khớp."))
        user = User(username=username, full_name=full_name or username, area=area)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        roles.sync_roles()
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            audit_record(
                actor=actors.SYSTEM,
                username="manage.py",
                action="accounts.user.add",
                obj=user,
                area=area,
                after={"username": username, "role": role, "area": area.code},
                message=_("Tạo bằng lệnh create_account"),
            )
        self.stdout.write(
            _("Đã tạo tài khoản %(username)s (%(role)s, %(unit)s).")
            % {"username": username, "role": roles.role_label(role), "unit": area.full_name}
        )
