"""Ethnic groups as people write them (issue 10 §6): "Mông" is the official and everyday name of
the H'Mông people in this province; every name people write for a group is accepted."""

import pytest

from apps.cases.models import Ethnicity, Person
from apps.cases.resources import COL_ETHNIC
from apps.cases.selectors import ethnicity_index, ethnicity_key
from tests.cases.test_import_export import errors_of, import_ok, person_row, preview, xlsx


def test_the_official_name_is_mong_with_the_older_spellings_as_aliases(db):
    mong = Ethnicity.objects.get(code="08")
    assert mong.name == "Mông"
    index = ethnicity_index()
    for written in ("Mông", "mong", "H'Mông", "H’Mông", "Hmông", "H Mông", "H-Mông", "hmong", "Mèo"):
        assert index[ethnicity_key(written)] == mong, written
    assert index[ethnicity_key("Cao Lan")].name == "Sán Chay"
    assert index[ethnicity_key("Dao Đỏ")].name == "Dao"
    assert index[ethnicity_key("Khơ me")].name == "Khơ-me"


def test_no_alias_takes_another_groups_name(db):
    groups = list(Ethnicity.objects.all())
    assert len(groups) == 54
    names = {ethnicity_key(g.name): g for g in groups}
    assert len(names) == 54, "two groups share a spelling"
    for group in groups:
        for alias in filter(None, (a.strip() for a in group.aliases.split(","))):
            owner = names.get(ethnicity_key(alias))
            assert owner is None or owner == group, (alias, group.name, owner and owner.name)


def test_a_case_import_accepts_the_names_people_write_for_the_mong(world, officer_a, client_for):
    rows = [
        person_row("Giàng Seo Sủ", **{COL_ETHNIC: "Mông"}),
        person_row("Vàng Mí Pó", **{COL_ETHNIC: "H'Mông"}),
        person_row("Sùng Thị Mai", sex="Nữ", **{COL_ETHNIC: "Hmông"}),
        person_row("Lý Văn Tài", **{COL_ETHNIC: "Cao Lan"}),
    ]
    import_ok(client_for(officer_a), xlsx(rows))
    stored = dict(Person.objects.values_list("full_name", "ethnicity__name"))
    assert stored == {
        "Giàng Seo Sủ": "Mông",
        "Vàng Mí Pó": "Mông",
        "Sùng Thị Mai": "Mông",
        "Lý Văn Tài": "Sán Chay",
    }


@pytest.mark.parametrize("written", ["Mongolia", "Kinh Mông"])
def test_an_unknown_name_is_still_an_error_naming_it(world, officer_a, client_for, written):
    response = preview(client_for(officer_a), xlsx([person_row("Giàng Seo Sủ", **{COL_ETHNIC: written})]))
    assert any(written in message for _row, _col, message in errors_of(response))


def test_the_administrator_keeps_the_aliases_in_the_admin_and_imports_follow(world, client_for):
    from django.urls import reverse

    from apps.accounts import roles
    from apps.audit.models import AuditLogEntry
    from tests.factories.accounts import UserFactory

    admin_user = UserFactory(username="admin_aliases", role=roles.ADMINISTRATOR, area=world.province)
    admin_user.is_staff = True
    admin_user.save()
    client = client_for(admin_user)
    giay = Ethnicity.objects.get(name="Giáy")
    url = reverse("admin:cases_ethnicity_change", args=[giay.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"aliases": f"{giay.aliases}, Pu Nà Giáy"})
    assert response.status_code == 302, response.content.decode()[:500]
    giay.refresh_from_db()
    assert giay.aliases.endswith("Pu Nà Giáy") and giay.name == "Giáy"
    assert ethnicity_index()[ethnicity_key("pu na giay")] == giay
    assert AuditLogEntry.objects.filter(object_id=str(giay.pk), content_type__model="ethnicity").exists()
