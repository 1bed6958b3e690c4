# Criteria say which positive evidence they need (issue 10 §2: no data is not zero). The shipped
# rule sets already stored get the evidence of fixtures/rulesets/*.json on the matching criteria
# whose evidence is still empty, and the new wording of the assumed Type III lower bounds where
# the stored source is still the shipped one. Rule sets replaced by legal staff keep their own.
import json
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

_OLD_SOURCES = (
    'Suy luận (domain.md §1): "< 50", cận dưới không rõ – chưa kiểm chứng',
    "Suy luận tương tự (domain.md §1) – chưa kiểm chứng",
    "Không tìm được văn bản (domain.md §2) – chưa kiểm chứng",
    'Không tìm được văn bản (domain.md §2); phương án "hoặc diện tích > 0 m²" theo cách ghi của tiêu chí d loại I, '
    "II – chưa kiểm chứng",
)


def forward(apps, schema_editor):
    RuleSet = apps.get_model("classification", "RuleSet")
    Criterion = apps.get_model("classification", "Criterion")
    for path in sorted((Path(settings.BASE_DIR) / "fixtures" / "rulesets").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        rule_set = RuleSet.objects.filter(code=data["code"]).first()
        if rule_set is None:
            continue
        for level in data["levels"]:
            for c in level["criteria"]:
                row = Criterion.objects.filter(
                    level__rule_set=rule_set, level__code=level["code"], code=c["code"], indicator=c.get("indicator", "")
                ).first()
                if row is None:
                    continue
                changed = []
                if c.get("evidence") and not row.evidence:
                    row.evidence = c["evidence"]
                    changed.append("evidence")
                if level["code"] == "type_3" and row.source in _OLD_SOURCES and row.source != c["source"]:
                    row.source, row.label = c["source"], c["label"]
                    changed += ["source", "label"]
                if changed:
                    row.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("classification", "0002_shipped_rulesets")]

    operations = [
        migrations.AddField(
            model_name="criterion",
            name="evidence",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Mã bằng chứng, chỉ cần một: records (hồ sơ, sổ theo dõi trong năm), submission (báo cáo được phê duyệt), population (dân số năm). Thiếu bằng chứng thì tiêu chí “chưa đủ số liệu”.",
                verbose_name="bằng chứng cần có",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
