"""Issue 11 §5: opening a named record outside one's own commune asks for a reason first
("break-glass", as DHIS2 does); the reason is recorded with the view and remembered for that
record, in that session, for a short time."""

import pytest
from django.urls import reverse

from apps.audit.models import AuditLogEntry
from tests.factories.cases import make_case
from tests.factories.prevention import make_person

REASON = "Kiểm tra theo đề nghị của Công an xã Trung Sơn"


def detail(case):
    return reverse("cases:casefile_detail", args=[case.pk])


def views_of(case):
    return AuditLogEntry.objects.filter(action="cases.casefile.view", object_id=str(case.pk))


@pytest.fixture
def case(world, officer_a):
    return make_case(officer_a, world.commune_a, full_name="Hoàng Văn Bí Mật", phone="0912345678")


def test_province_staff_is_asked_for_a_reason_before_the_file(case, province_staff, client_for):
    response = client_for(province_staff).get(detail(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="break-glass-form"' in page
    assert "Xã Trung Sơn" in page  # the commune, so the reader knows why they are asked
    assert "Bí Mật" not in page and "0912345678" not in page  # nothing of the person yet
    assert not views_of(case).exists()


def test_a_too_short_reason_is_refused(case, province_staff, client_for):
    response = client_for(province_staff).post(detail(case), {"break_glass_reason": "xem"})
    assert response.status_code == 200
    assert "Hãy ghi rõ lý do" in response.content.decode()
    assert not views_of(case).exists()


def test_the_reason_is_recorded_with_the_view_and_remembered(case, province_staff, client_for):
    client = client_for(province_staff)
    response = client.post(detail(case), {"break_glass_reason": f"  {REASON} "})
    assert response.status_code == 302 and response["Location"] == detail(case)
    page = client.get(detail(case))
    assert page.status_code == 200 and "Bí Mật" in page.content.decode()
    entry = views_of(case).get()
    assert entry.actor == province_staff
    assert entry.after == {"break_glass": REASON}
    assert REASON in entry.message
    # the next click is not asked again, and still carries the reason
    assert "Bí Mật" in client.get(detail(case)).content.decode()
    assert [e.after for e in views_of(case)] == [{"break_glass": REASON}] * 2


def test_the_reason_opens_only_that_file(world, case, officer_a, province_staff, client_for):
    other = make_case(officer_a, world.commune_a)
    client = client_for(province_staff)
    client.post(detail(case), {"break_glass_reason": REASON})
    assert 'data-testid="break-glass-form"' in client.get(detail(other)).content.decode()


def test_the_reason_expires(case, province_staff, client_for, settings):
    settings.PCMT_BREAK_GLASS_MINUTES = 0
    client = client_for(province_staff)
    client.post(detail(case), {"break_glass_reason": REASON})
    assert 'data-testid="break-glass-form"' in client.get(detail(case)).content.decode()


def test_officers_of_the_commune_are_not_asked(case, officer_a, client_for):
    page = client_for(officer_a).get(detail(case))
    assert "Bí Mật" in page.content.decode()
    assert views_of(case).get().message == ""


def test_out_of_scope_is_still_404_before_any_prompt(case, officer_b, client_for):
    client = client_for(officer_b)
    assert client.get(detail(case)).status_code == 404
    assert client.post(detail(case), {"break_glass_reason": REASON}).status_code == 404


def test_high_risk_person_page_asks_too(world, officer_a, province_staff, client_for):
    person = make_person(officer_a, world.commune_a)
    url = reverse("prevention:highrisk_detail", args=[person.pk])
    client = client_for(province_staff)
    assert 'data-testid="break-glass-form"' in client.get(url).content.decode()
    client.post(url, {"break_glass_reason": REASON})
    assert client.get(url).status_code == 200
    entry = AuditLogEntry.objects.get(action="prevention.highriskperson.view")
    assert entry.after == {"break_glass": REASON}
