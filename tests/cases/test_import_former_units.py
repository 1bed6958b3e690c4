"""A case import naming a former unit (issue 10 §6/§4): the file records the unit as written
(``recorded_unit``, counted there on the map of its time) and is managed by today's successor;
the preview says which old unit became which new one."""

from apps.cases.models import CaseFile
from apps.cases.resources import COL_COMMUNE, COL_CURRENT, COL_ID
from tests.cases.test_import_export import errors_of, import_ok, person_row, preview, split_commune, xlsx

__all__ = ["split_commune"]  # the fixture, shared with the import tests


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


def test_a_split_former_commune_with_todays_commune_keeps_both(world, split_commune, officer_a, client_for):
    """'Kim Phú' went partly to Trung Sơn and partly to Minh Xuân: the column “Xã/phường hiện nay”
    says which, and the file still records Kim Phú (as the register imports do)."""
    client = client_for(officer_a)
    row = person_row("Lê Văn Cường", commune="Kim Phú", **{COL_CURRENT: "Trung Sơn"})
    import_ok(client, xlsx([row]))
    case = CaseFile.objects.get()
    assert (case.commune, case.recorded_unit) == (world.commune_a, split_commune)
    # Re-importing the same row matches that file instead of opening a second one.
    again = import_ok(client, xlsx([row]))
    assert again.skipped == 1 and CaseFile.objects.count() == 1


def test_the_current_commune_column_must_be_a_successor_of_the_former_one(world, split_commune, officer_a, client_for):
    rows = [
        person_row("Lê Văn Cường", commune="Đạo Viện", **{COL_CURRENT: "Minh Xuân"}),
        person_row("Lê Văn Hải", commune="Kim Phú", **{COL_CURRENT: "Đạo Viện"}),
    ]
    errors = errors_of(preview(client_for(officer_a), xlsx(rows)))
    assert [(n, c) for n, c, _m in errors] == [(2, COL_CURRENT), (3, COL_CURRENT)]
    assert "Đạo Viện" in errors[0][2] and "Phường Minh Xuân" in errors[0][2] and "Xã Trung Sơn" in errors[0][2]
    assert "hiện nay" in errors[1][2]
    assert not CaseFile.objects.exists()


def test_without_the_current_commune_a_split_former_commune_asks_for_it(world, split_commune, officer_a, client_for):
    errors = errors_of(preview(client_for(officer_a), xlsx([person_row("Lê Văn Cường", commune="Kim Phú")])))
    [(row, column, message)] = errors
    assert (row, column) == (2, COL_COMMUNE)
    assert COL_CURRENT in message and "Trung Sơn" in message and "Minh Xuân" in message
