"""Activity import: a colleague's save between the preview and the confirmation refuses the file."""

from django.urls import reverse

from apps.accounts import roles
from apps.prevention.models import Activity
from apps.prevention.resources import COL_NOTES
from tests.factories.accounts import UserFactory
from tests.prevention.test_import_blank_cells import FULL_HEADERS, ROW, _confirm
from tests.prevention.test_import_export import upload, xlsx


def test_a_colleagues_edit_between_preview_and_confirm_refuses_the_file(world, officer_a, client_for):
    colleague = UserFactory(
        username="colleague_a", full_name="Trần Thị Bình", role=roles.COMMUNE_OFFICER, area=world.commune_a
    )
    client = client_for(officer_a)
    url = reverse("prevention:activity_import")
    _confirm(client, url, xlsx(FULL_HEADERS, [[*ROW, 3, 120, "Tờ rơi", "Có phụ huynh"]]))
    first = upload(client, url, xlsx(FULL_HEADERS, [[*ROW, 4, None, None, None]]))
    assert first.context["report"].ok and first.context["report"].updated == 1
    _confirm(client_for(colleague), url, xlsx(FULL_HEADERS, [[*ROW, None, None, None, "Mời cả xóm"]]))

    response = client.post(url, {"token": first.context["token"], "confirm": "1"})
    report = response.context["report"]
    assert not report.ok and report.stale
    assert Activity.objects.values_list("sessions", "notes").get() == (3, "Mời cả xóm")
    [conflict] = [e for e in report.errors if e.row]
    assert COL_NOTES in conflict.message and "Trần Thị Bình" in conflict.message
