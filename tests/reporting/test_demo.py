"""The demo seed: periods of last year and this year, approved past quarters, submitted and
returned ones, through the real (audited) services; idempotent."""

from apps.demo.reporting import RETURN_REASON, seed_reporting
from apps.reporting.models import ReportingPeriod, Submission, SubmissionStatus


def test_seed_reporting(world, officer_a, officer_b, province_staff):
    officers = {world.commune_a.code: officer_a, world.commune_b.code: officer_b}
    created = seed_reporting(officers=officers, province_user=province_staff)
    year = world.today.year
    assert ReportingPeriod.objects.filter(year=year - 1).count() == 19
    assert ReportingPeriod.objects.filter(year=year).count() == 19
    assert created > 0
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert SubmissionStatus.APPROVED in statuses and SubmissionStatus.RETURNED in statuses
    returned = Submission.objects.get(status=SubmissionStatus.RETURNED)
    assert returned.return_reason == RETURN_REASON
    assert seed_reporting(officers=officers, province_user=province_staff) == 0
