"""Issue 12 §6: the administration pages are entirely Vietnamese (Django's own strings through the
project's locale/vi catalogue, roles by their Vietnamese labels), and an account can only be
assigned to a unit in force today, the choices in Vietnamese order."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from apps.accounts import roles
from apps.accounts.models import User
from apps.core.collation import vi_sorted
from tests.factories.accounts import UserFactory
from tests.factories.areas import UnitFactory

# Django's English that showed on the admin pages before (and what else would betray a missing catalogue).
ENGLISH = [
    "Required.",
    "Enter the same password",
    "By ",
    "Filter",
    "Skip to main content",
    "Toggle theme",
    "Model name",
    "Add link",
    "Change or view list link",
    "After you",
    "Please correct",
    "Error:",
    "Show counts",
    "Hide counts",
    "Raw passwords",
    "Password-based",
    "Designates",
    "The groups this user",
    "Start typing",
    "Search",
    "True",
    "False",
    "models",
    "Bởi ",
    "Thêm vào",
]
ROLE_CODES = [roles.COMMUNE_OFFICER, roles.STEERING_MEMBER, roles.PROVINCE_STAFF, roles.ADMINISTRATOR]


def readable_text(response) -> str:
    """What a person reads or hears: the text and the titles, labels and placeholders, no scripts."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    attrs = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', body)
    text = re.sub(r"<[^>]+>", "\n", body)
    return html.unescape("\n".join([text, *attrs]))


def english_in(response) -> list[str]:
    text = readable_text(response)
    return [s for s in ENGLISH if s in text]


@pytest.fixture
def admin_client(world, administrator, client_for):
    administrator.is_staff = True
    administrator.save()
    return client_for(administrator)


def test_the_add_user_page_has_no_english(admin_client):
    response = admin_client.get(reverse("admin:accounts_user_add"))
    assert response.status_code == 200
    assert english_in(response) == []


def test_the_error_summary_of_a_bad_new_user_is_vietnamese(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"), {"username": "a b", "password1": "x", "password2": "y"}
    )
    assert response.status_code == 200
    assert english_in(response) == []
    assert "Vui lòng sửa các lỗi dưới đây." in readable_text(response)


def test_the_user_list_and_change_page_show_roles_by_their_labels(world, admin_client):
    officer = UserFactory(username="off", role=roles.COMMUNE_OFFICER, area=world.commune_a)
    listing = admin_client.get(reverse("admin:accounts_user_changelist"))
    change = admin_client.get(reverse("admin:accounts_user_change", args=[officer.pk]))
    for response in (listing, change):
        assert response.status_code == 200
        assert english_in(response) == []
    labels = sorted(roles.role_label(code) for code in ROLE_CODES)
    page = change.content.decode()
    select = re.search(r'<select name="groups".*?</select>', page, flags=re.S).group(0)
    assert sorted(html.unescape(o) for o in re.findall(r"<option [^>]*>([^<]*)</option>", select)) == labels
    filters = re.findall(r'<a href="\?role=[^"]*"[^>]*>([^<]*)</a>', listing.content.decode())
    assert sorted(html.unescape(f.strip()) for f in filters) == labels
    assert "Theo vai trò" in readable_text(listing)


def test_the_admin_index_has_no_english(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert english_in(response) == []


def _unit_choices(response) -> list[str]:
    select = re.search(r'<select name="area".*?</select>', response.content.decode(), flags=re.S).group(0)
    return [html.unescape(o) for o in re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', select)]


def test_only_units_in_force_are_offered_in_vietnamese_order(world, admin_client):
    for name in ["Đức Xuân", "Bình Xa", "Dũng Tiến", "Bạch Xa"]:
        UnitFactory(parent=world.province, name=name, full_name=f"Xã {name}")
    response = admin_client.get(reverse("admin:accounts_user_add"))
    choices = _unit_choices(response)
    assert world.former_a.full_name not in choices
    assert choices.count("Tỉnh Tuyên Quang") == 1  # the former province is not offered
    assert choices[0] == "Tỉnh Tuyên Quang"
    communes = choices[1:]
    assert communes == vi_sorted(communes, key=lambda c: c.split(" ", 1)[1])
    order = [c.split(" ", 1)[1] for c in communes]
    assert order.index("Bạch Xa") < order.index("Bình Xa") < order.index("Dũng Tiến") < order.index("Đức Xuân")


def test_a_former_unit_is_refused(world, admin_client):
    data = {"username": "moi", "full_name": "Người Mới", "password1": "MatKhauMoi2026", "password2": "MatKhauMoi2026"}
    response = admin_client.post(reverse("admin:accounts_user_add"), {**data, "area": world.former_a.pk})
    assert response.status_code == 200
    assert not User.objects.filter(username="moi").exists()
    assert "Lựa chọn không hợp lệ" in readable_text(response) or "Hãy chọn" in readable_text(response)
    assert english_in(response) == []

    response = admin_client.post(reverse("admin:accounts_user_add"), {**data, "area": world.commune_a.pk})
    assert response.status_code == 302
    assert User.objects.get(username="moi").area == world.commune_a


def test_the_admin_javascript_catalogue_is_vietnamese(admin_client):
    """The role and permission pickers (two lists) are written by the admin's JavaScript."""
    script = admin_client.get("/admin/jsi18n/").content.decode()
    assert "Ch\\u1ecdn t\\u1ea5t c\\u1ea3 %s" in script or "Chọn tất cả %s" in script
