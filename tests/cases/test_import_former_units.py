"""A case import naming a former unit (issue 10 §6/§4): the file records the unit as written
(``recorded_unit``, counted there on the map of its time) and is managed by today's successor;
the preview says which old unit became which new one."""

from apps.cases.models import CaseFile
from apps.cases.resources import COL_COMMUNE, COL_ID
from tests.cases.test_import_export import errors_of, import_ok, person_row, preview, xlsx


def test_a_former_commune_is_recorded_and_the_file_goes_to_its_successor(world, officer_a, client_for):
    rows = [
        person_row("Lê Văn Dũng", commune="Đạo Viện"),
        person_row("Lê Văn Thắng", commune="dao vien, yen son"),
        person_row("Lê Văn Hải", commune="pre2025:2467"),
        person_row("Lê Văn Cường", commune="Trung Sơn"),
        person_row("Lê Văn Sơn", commune="2458"),
    ]
    import_ok(client_for(officer_a), xlsx(rows))
    got = dict(CaseFile.objects.values_list("person__full_name", "recorded_unit"))
    assert got == {
        "Lê Văn Dũng": world.former_a.pk,
        "Lê Văn Thắng": world.former_a.pk,
        "Lê Văn Hải": world.former_a.pk,
        "Lê Văn Cường": None,
        "Lê Văn Sơn": None,
    }
    assert set(CaseFile.objects.values_list("commune", flat=True)) == {world.commune_a.pk}


def test_the_preview_says_which_old_unit_becomes_which_new_one(world, officer_a, client_for):
    rows = [person_row("Lê Văn Dũng", commune="Đạo Viện"), person_row("Lê Văn Thắng", commune="dao vien")]
    response = preview(client_for(officer_a), xlsx(rows))
    report = response.context["report"]
    assert report.ok, errors_of(response)
    [conversion] = report.conversions
    assert (conversion.old, conversion.new, conversion.rows) == ("Xã Đạo Viện, Huyện Yên Sơn", "Xã Trung Sơn", [2, 3])
    html = response.content.decode()
    assert 'data-testid="import-units"' in html
    assert "Xã Đạo Viện, Huyện Yên Sơn (cũ) → Xã Trung Sơn (hiện nay)" in html


def test_a_reimport_naming_the_former_unit_records_it_and_today_s_name_keeps_it(world, officer_a, client_for):
    client = client_for(officer_a)
    import_ok(client, xlsx([person_row("Lê Văn Dũng", **{COL_ID: "008090001234"})]))
    response = preview(client, xlsx([person_row("Lê Văn Dũng", commune="Đạo Viện", **{COL_ID: "008090001234"})]))
    report = response.context["report"]
    assert report.updated == 1
    [change] = report.changes
    assert [(f.column, f.old, f.new) for f in change.fields] == [(COL_COMMUNE, "", "Xã Đạo Viện")]
    client.post(response.request["PATH_INFO"], {"token": response.context["token"], "confirm": "1"})
    assert CaseFile.objects.get().recorded_unit == world.former_a
    # Writing today's commune again says nothing about the old one: the recorded unit stays.
    again = import_ok(client, xlsx([person_row("Lê Văn Dũng", commune="Trung Sơn", **{COL_ID: "008090001234"})]))
    assert again.skipped == 1
    assert CaseFile.objects.get().recorded_unit == world.former_a
