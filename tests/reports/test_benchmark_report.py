"""manage.py benchmark_report on a fresh database: no superuser account needed (issue 10 §7)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.mark.django_db
def test_benchmark_report_runs_without_a_superuser(world, quarter, capsys):
    User = get_user_model()
    assert not User.objects.filter(is_superuser=True).exists()
    call_command("benchmark_report", "--kind", "quarter", "--year", "2026", "--number", "3", "--json")
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["communes"] >= 2 and result["pdf_pages"] >= 1
    # The reader it uses has the province's scope and no password to log in with.
    reader = User.objects.get(username="bench.tinh")
    assert not reader.is_superuser and not reader.has_usable_password()
    assert reader.area == world.province
