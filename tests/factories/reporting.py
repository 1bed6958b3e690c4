"""Reporting periods and submissions, moved through the submission workflow's services (submit,
return, approve) so they carry their snapshots, versions and audit rows like real ones."""

from __future__ import annotations

from apps.reporting import services
from apps.reporting.models import Submission
from apps.reporting.periods import period_get


def period(kind: str = "quarter", year: int = 2026, number: int = 1):
    """The reporting period (created on first use, as the pages do)."""
    return period_get(kind, year, number)


def submitted(officer, commune, for_period=None, note: str = "") -> Submission:
    """The commune's figures for the period, submitted by its officer."""
    return services.submission_submit(actor=officer, commune=commune, period=for_period or period(), note=note)


def returned(officer, staff, commune, for_period=None, reason: str = "Đề nghị xã rà soát lại số liệu.") -> Submission:
    """Submitted, then sent back by province staff with a reason."""
    return services.submission_return(actor=staff, submission=submitted(officer, commune, for_period), reason=reason)


def approved(officer, staff, commune, for_period=None) -> Submission:
    """Submitted, then approved by province staff: the period is locked for the commune."""
    return services.submission_approve(actor=staff, submission=submitted(officer, commune, for_period))
