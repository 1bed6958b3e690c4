"""Before the tip-off's register links become foreign keys (0006): null the ids that name no record.

They were plain integers, so nothing stopped a record being deleted or an id being mistyped
outside the service. The constraint cannot be added over such a row, and no record can be
guessed for it, so the id is cleared and printed (tip-off pk, old id) for the people who keep
the registers to follow up."""

from django.db import migrations

_LINKS = (("crime_case_id", "CrimeCase"), ("hotspot_id", "Hotspot"))


def null_dangling_links(apps) -> dict[str, list[tuple[int, int]]]:
    """Clear the links that name no register record; returns {column: [(tip-off pk, old id)]}."""
    tip_off = apps.get_model("prevention", "TipOff")
    report: dict[str, list[tuple[int, int]]] = {}
    for column, model_name in _LINKS:
        target = apps.get_model("registers", model_name)
        dangling = tip_off.objects.filter(**{f"{column}__isnull": False}).exclude(
            **{f"{column}__in": target.objects.values("pk")}
        )
        rows = sorted(dangling.values_list("pk", column))
        if rows:
            tip_off.objects.filter(pk__in=[pk for pk, _ in rows]).update(**{column: None})
            report[column] = rows
    return report


def forwards(apps, schema_editor) -> None:
    for column, rows in null_dangling_links(apps).items():
        listed = ", ".join(f"tin báo {pk} ({column}={old})" for pk, old in rows)
        print(f"\n  prevention.TipOff: {len(rows)} liên kết không trỏ tới bản ghi nào, đã xóa: {listed}")


class Migration(migrations.Migration):
    dependencies = [
        ("prevention", "0004_target_verification_shared_labels"),
        ("registers", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
