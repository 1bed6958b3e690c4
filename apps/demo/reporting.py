"""Demo reporting data: the periods of last year and this year, and a realistic state of the
quarterly submissions — most communes of the demo approved for past quarters, some submitted,
one returned with a reason, the latest quarter partly submitted.

Runs through the real services (audited, snapshots computed), so the demo dashboards show locked
figures next to live ones. Idempotent: communes that already have a submission are left alone.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.areas.models import AdministrativeUnit
from apps.core.registry import DemoSeeder, register_demo_seeder
from apps.reporting import services
from apps.reporting.models import PeriodKind, ReportingPeriod, Submission
from apps.reporting.periods import periods_generate

RETURN_REASON = (
    "Số người đang cai nghiện tại cơ sở chưa khớp với danh sách của cơ sở cai nghiện tỉnh; "
    "đề nghị xã rà soát lại rồi nộp lại."
)


def _ended_quarters(today) -> list[ReportingPeriod]:
    return list(
        ReportingPeriod.objects.filter(
            kind=PeriodKind.QUARTER, year__in=[today.year - 1, today.year], end__lt=today
        ).order_by("start")
    )


def seed_reporting(*, officers: dict[str, object], province_user) -> int:
    """``officers``: {commune code: commune officer} (as ``seed_demo`` builds it); ``province_user``:
    a province staff account. Returns the number of submissions created."""
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        periods_generate(year)
    quarters = _ended_quarters(today)
    if not quarters:
        return 0
    created = 0
    codes = sorted(officers)
    for index, code in enumerate(codes):
        officer = officers[code]
        commune = AdministrativeUnit.objects.current().filter(code=code, level="commune").first()
        if commune is None:
            continue
        for q_index, quarter in enumerate(quarters):
            if Submission.objects.filter(period=quarter, commune=commune).exists():
                continue
            latest = q_index == len(quarters) - 1
            if latest and index % 2 == 1:
                continue  # not submitted yet: shows as late on the status board
            submission = services.submission_submit(
                actor=officer, commune=commune, period=quarter, note="Số liệu minh họa"
            )
            created += 1
            if latest:
                if index == 0:
                    services.submission_return(actor=province_user, submission=submission, reason=RETURN_REASON)
                continue  # the others wait for review
            services.submission_approve(actor=province_user, submission=submission)
    return created


register_demo_seeder(
    DemoSeeder(
        "reporting",
        70,
        lambda context: seed_reporting(officers=context.officers, province_user=context.province_staff),
        summary=_("%(n)s bản ghi kỳ báo cáo"),
        summary_order=6,
    )
)
