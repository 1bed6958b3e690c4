"""Activity import: blank optional cells on a row matching an existing activity keep the stored
values (issue 11 §1)."""

from django.urls import reverse

from apps.prevention.models import Activity
from apps.prevention.resources import COL_MATERIALS, COL_MATERIALS_DESC, COL_NOTES, COL_SESSIONS
from tests.prevention.test_import_export import HEADERS, STUDENTS, upload, xlsx

FULL_HEADERS = [*HEADERS, COL_SESSIONS, COL_MATERIALS, COL_MATERIALS_DESC, COL_NOTES]
ROW = ["Ngoại khóa phòng, chống ma túy", "15/03/2026", "2458", "ngoai khoa", "law", "350", "Công an xã"]


def _confirm(client, url, content):
    first = upload(client, url, content)
    report = first.context["report"]
    assert report.ok, report.errors
    assert client.post(url, {"token": first.context["token"], "confirm": "1"}).status_code == 302
    return report


def _stored():
    activity = Activity.objects.get()
    return (
        activity.sessions,
        activity.materials_count,
        activity.materials_description,
        activity.notes,
        {p.group.code: p.count for p in activity.participations.select_related("group")},
        activity.version,
    )


def test_blank_cells_keep_stored_values(world, officer_a, client_for):
    client = client_for(officer_a)
    url = reverse("prevention:activity_import")
    _confirm(client, url, xlsx(FULL_HEADERS, [[*ROW, 3, 120, "Tờ rơi", "Có phụ huynh"]]))
    before = _stored()
    assert before[:4] == (3, 120, "Tờ rơi", "Có phụ huynh") and before[4]["students"] == 350
    bare = [[value if header != STUDENTS else None for header, value in zip(HEADERS, ROW, strict=True)]]
    report = _confirm(client, url, xlsx(HEADERS, bare))
    assert (report.new, report.updated, report.skipped) == (0, 0, 1)
    assert _stored() == before

    changed = upload(client, url, xlsx(FULL_HEADERS, [[*ROW[:5], None, ROW[6], None, None, None, "Mời cả xóm"]]))
    report = changed.context["report"]
    assert (report.updated, report.skipped) == (1, 0)
    [change] = report.changes
    assert [(f.column, f.old, f.new) for f in change.fields] == [(COL_NOTES, "Có phụ huynh", "Mời cả xóm")]
