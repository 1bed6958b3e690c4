"""The measuring accounts: a real role in a real area, no usable password, no superuser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count

from apps.accounts import roles
from apps.areas.models import AdministrativeUnit
from apps.cases.models import CaseFile

OFFICER_USERNAME = "bench.congan"  # commune officer of the commune with the most files
SMALL_OFFICER_USERNAME = "bench.congan2"  # commune officer of the commune with the fewest files (N+1 check)
PROVINCE_USERNAME = "bench.tinh"  # province staff


@dataclass
class BenchUsers:
    officer: Any
    small_officer: Any
    province: Any
    commune: AdministrativeUnit
    small_commune: AdministrativeUnit


def bench_account(username: str, *, role: str, area: AdministrativeUnit, full_name: str):
    """A measuring account (created if missing) with only ``role`` in ``area`` and no usable
    password: a page measured as a real role, without any superuser."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(username=username)
    user.full_name, user.area, user.is_active = full_name, area, True
    if user.has_usable_password():
        # a new unusable password would change the session hash and log out every other
        # benchmark running with this account at the same time
        user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return User.objects.get(pk=user.pk)


def ensure_users(province: AdministrativeUnit) -> BenchUsers:
    """A commune officer of the commune with the most files (and one of the commune with the
    fewest, to check that the query count does not grow with the data) and a province staff."""
    roles.sync_roles()
    counts = list(
        CaseFile.objects.filter(commune__valid_to__isnull=True, commune__level="commune")
        .values("commune_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "commune_id")
    )
    if not counts:
        raise RuntimeError("No case files: seed first (drop --skip-seed).")
    largest = AdministrativeUnit.objects.get(pk=counts[0]["commune_id"])
    smallest = AdministrativeUnit.objects.get(pk=counts[-1]["commune_id"])
    return BenchUsers(
        officer=bench_account(
            OFFICER_USERNAME, role=roles.COMMUNE_OFFICER, area=largest, full_name="Cán bộ đo hiệu năng (xã lớn)"
        ),
        small_officer=bench_account(
            SMALL_OFFICER_USERNAME, role=roles.COMMUNE_OFFICER, area=smallest, full_name="Cán bộ đo hiệu năng (xã nhỏ)"
        ),
        province=bench_account(
            PROVINCE_USERNAME, role=roles.PROVINCE_STAFF, area=province, full_name="Cán bộ tỉnh đo hiệu năng"
        ),
        commune=largest,
        small_commune=smallest,
    )
