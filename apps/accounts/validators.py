import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """Require letters and digits: case files are sensitive, "matkhau2024" style passwords are not enough."""

    def validate(self, password, user=None):
        if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
            raise ValidationError(_("Mật khẩu phải có cả chữ cái và chữ số."), code="password_classes")

    def get_help_text(self):
        return _("Mật khẩu phải có cả chữ cái và chữ số.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's validator with a Vietnamese message (Django's vi catalogue lacks this string)."""

    def get_error_message(self):
        return _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("Mật khẩu phải có ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}
