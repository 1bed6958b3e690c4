"""Every legal duration the code reads is a ``DurationKey`` with rows for every law: a key without
rows does not fail, the file simply gets no due date (``Clock.add`` answers ``(None, None)``)."""

import datetime as dt

import pytest

from apps.cases import reference, stocks, workflow
from apps.cases.choices import DurationKey
from apps.cases.models import LegalDuration


def _keys_the_workflow_reads() -> set[str]:
    keys = {key for key, _label in workflow._PERIODS.values()}
    keys |= set(stocks.TERM_KEYS.values())
    for transition in workflow.TRANSITIONS:
        keys |= {k for k in (transition.min_duration_key, *transition.term_keys) if k}
    return keys | {DurationKey.HOME_VISIT_INTERVAL}


def test_every_key_the_workflow_reads_is_a_duration_key():
    assert _keys_the_workflow_reads() <= {k.value for k in DurationKey}


def test_the_shipped_rows_cover_every_duration_key_and_only_those():
    shipped = {row["key"] for row in reference.duration_rows()}
    assert shipped == {k.value for k in DurationKey}


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(DurationKey))
def test_every_duration_key_has_a_row_in_force_under_each_law(key):
    for _law, start, _end in reference._ERAS:
        day = start + dt.timedelta(days=1)
        rows = LegalDuration.objects.filter(key=key, effective_from__lte=day)
        assert rows.exists(), f"{key} has no row in force on {day}"
