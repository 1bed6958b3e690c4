"""Write a rule set as readable JSON (the format ``import_ruleset`` reads).

manage.py export_ruleset QD-28-2025 [--output qd-28.json]
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.classification import selectors
from apps.classification.models import RuleSet


class Command(BaseCommand):
    help = gettext_lazy("Xuất một bộ tiêu chí phân loại ra tệp JSON (mặc định in ra màn hình).")

    def add_arguments(self, parser):
        parser.add_argument("code", help=_("Mã bộ tiêu chí, ví dụ QD-28-2025."))
        parser.add_argument("--output", "-o", help=_("Tệp cần ghi."))

    def handle(self, *args, code, output=None, **options):
        rule_set = RuleSet.objects.filter(code=code).first()
        if rule_set is None:
            raise CommandError(_("Không có bộ tiêu chí “%(code)s”.") % {"code": code})
        text = json.dumps(selectors.ruleset_export_data(rule_set), ensure_ascii=False, indent=2) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(
                _("Đã ghi %(file)s (%(code)s, phiên bản %(version)s).")
                % {"file": output, "code": rule_set.code, "version": rule_set.version}
            )
        else:
            self.stdout.write(text, ending="")
