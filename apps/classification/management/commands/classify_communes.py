"""Print the classification every current commune would get, without writing anything.

manage.py classify_communes --period 2025 --ruleset QD-28-2025 [--json] [-v 2]
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.classification import rules, selectors, services
from apps.classification.models import RuleSet


class Command(BaseCommand):
    help = gettext_lazy(
        "Phân loại thử mọi xã, phường hiện hành theo một bộ tiêu chí (không ghi gì vào cơ sở dữ liệu)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", type=int, required=True, help=_("Năm đánh giá YYYY (số liệu 01/01–31/12)."))
        parser.add_argument("--ruleset", required=True, help=_("Mã bộ tiêu chí, ví dụ QD-28-2025."))
        parser.add_argument("--json", action="store_true", help=_("In kết quả dạng JSON."))

    def handle(self, *args, period, ruleset, json: bool = False, verbosity: int = 1, **options):
        rule_set = RuleSet.objects.filter(code=ruleset).first()
        if rule_set is None:
            codes = ", ".join(RuleSet.objects.order_by("code").values_list("code", flat=True)) or "—"
            raise CommandError(
                _("Không có bộ tiêu chí “%(code)s”. Các bộ hiện có: %(codes)s.") % {"code": ruleset, "codes": codes}
            )
        if not 2000 <= period <= 2100:
            raise CommandError(_("Năm đánh giá phải từ 2000 đến 2100."))
        spec = selectors.ruleset_spec(rule_set)
        window = rules.period_for_year(period)
        communes, outcomes = services.classify(spec=spec, year=period)
        counts = rules.count_by_level(spec, (outcomes[c.pk][1].level_code for c in communes))
        if json:
            self._print_json(spec, window, communes, outcomes, counts)
        else:
            self._print_text(spec, window, communes, outcomes, counts, verbosity)

    def _print_json(self, spec, window, communes, outcomes, counts):
        payload = {
            "rule_set": spec.code,
            "version": spec.version,
            "year": window.year,
            "period": {"start": window.start.isoformat(), "end": window.end.isoformat()},
            "counts": counts,
            "communes": [
                {
                    "code": commune.code,
                    "name": commune.full_name,
                    "level": outcome.level_code,
                    "label": outcome.label,
                    "is_key": outcome.is_key,
                    "criteria_met": list(outcome.met_codes),
                    "met_count": outcome.met_count,
                    "required": outcome.required,
                    "reason": outcome.reason,
                    "candidates": list(outcome.candidates),
                    "indicators": indicators.to_dict(),
                    "explanation": outcome.to_dict()["levels"],
                }
                for commune in communes
                for indicators, outcome in [outcomes[commune.pk]]
            ],
        }
        self.stdout.write(json_dumps(payload))

    def _print_text(self, spec, window, communes, outcomes, counts, verbosity):
        self.stdout.write(
            _("Phân loại theo %(code)s (phiên bản %(version)s), %(period)s. Chạy thử: không ghi gì vào cơ sở dữ liệu.")
            % {"code": spec.code, "version": spec.version, "period": window.label}
        )
        if unverified := spec.unverified_count():
            self.stdout.write(
                _("Lưu ý: %(n)s tiêu chí chưa được kiểm chứng đầy đủ với văn bản gốc.") % {"n": unverified}
            )
        for commune in communes:
            _indicators, outcome = outcomes[commune.pk]
            met = f"{outcome.met_count}/{outcome.required}" if outcome.required else str(outcome.met_count)
            codes = f" ({', '.join(outcome.met_codes)})" if outcome.met_codes else ""
            self.stdout.write(
                _("%(unit)s [%(code)s]: %(level)s – tiêu chí đạt %(met)s%(codes)s")
                % {"unit": commune.full_name, "code": commune.code, "level": outcome.label, "met": met, "codes": codes}
            )
            if outcome.level_code == rules.UNDETERMINED or verbosity >= 2:
                self.stdout.write(f"    {outcome.reason}")
            if verbosity >= 2:
                for level in outcome.levels:
                    for c in level.criteria:
                        mark = {True: _("đạt"), False: _("không"), None: "?"}[c.met]
                        self.stdout.write(f"    {level.label} {c.code} [{mark}] {c.reason}")
        summary = "; ".join(f"{spec.label_for(code)}: {n}" for code, n in counts.items())
        self.stdout.write(_("Tổng %(n)s xã, phường – %(summary)s.") % {"n": len(communes), "summary": summary})


def json_dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
