"""Registers journeys in a real browser: a commune officer records a hotspot, eliminates it with a
reason and reads its status history; records a drug crime case with an offender and a seizure and a
drug-plant find; the lists show them; another commune's officer gets 404 on every one of them; the
hotspot list fits a 375 px phone."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.registers.choices import HotspotKind, HotspotStatus
from apps.registers.models import CrimeCase, Cultivation, Hotspot, HotspotStatusChange
from apps.registers.services import hotspots as hotspot_services

HOTSPOT_URL_RE = re.compile(r"/hotspots/(\d+)/$")
CRIME_URL_RE = re.compile(r"/crimes/(\d+)/$")
CULTIVATION_URL_RE = re.compile(r"/cultivation/(\d+)/$")
HOTSPOT_NAME = "Tụ điểm bãi sông Lô, thôn Đồng Cầu"
ELIMINATION_REASON = "Đã bắt 3 đối tượng, lắp camera, giao Tổ an ninh thôn giám sát; 3 tháng không tái diễn."


@pytest.fixture(autouse=True)
def _reference(case_reference):
    """The registers' forms offer the officer's case files: the cases reference rows are needed."""


def vn(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def today() -> dt.date:
    return timezone.localdate()


def url(live_server, name: str, *args) -> str:
    return live_server.url + reverse(name, args=args)


def assert_fits_phone(page) -> None:
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " body: document.body.scrollWidth})"
    )
    assert sizes["inner"] == 375
    assert max(sizes["scroll"], sizes["body"]) <= sizes["inner"], f"horizontal overflow on {page.url}: {sizes}"


def test_officer_records_registers_and_another_commune_cannot_open_them(
    page, live_server, login_as, trung_son_officer, minh_xuan_officer, current_unit
):
    trung_son = current_unit("2458")
    discovered, occurred, found = today() - dt.timedelta(days=40), today() - dt.timedelta(days=10), today()
    login_as(page, trung_son_officer)

    # 1. A hotspot ("Tụ điểm") through the form.
    page.goto(url(live_server, "registers:hotspot_list"))
    expect(page.get_by_test_id("hotspot-empty")).to_be_visible()
    page.get_by_test_id("hotspot-add").click()
    expect(page).to_have_url(re.compile(r"/hotspots/new/$"))
    expect(page.locator("#id_commune option:checked")).to_have_text("Xã Trung Sơn")
    page.locator("#id_kind").select_option(label="Tụ điểm")
    page.locator("#id_name").fill(HOTSPOT_NAME)
    page.locator("#id_village").fill("Thôn Đồng Cầu")
    page.locator("#id_address").fill("Bãi bồi ven sông Lô, cách cầu 300 m")
    page.locator("#id_latitude").fill("21,8233")
    page.locator("#id_longitude").fill("105,2142")
    page.locator("#id_discovered_on").fill(vn(discovered))
    page.get_by_test_id("hotspot-save").click()

    expect(page).to_have_url(HOTSPOT_URL_RE)
    hotspot = Hotspot.objects.get()
    assert page.url == url(live_server, "registers:hotspot_detail", hotspot.pk)
    assert (hotspot.commune_id, hotspot.kind, hotspot.status) == (trung_son.pk, HotspotKind.HOTSPOT, "active")
    assert (hotspot.discovered_on, hotspot.latitude) == (discovered, Decimal("21.823300"))
    expect(page.locator(".msg-success")).to_contain_text(f"Đã lưu điểm, tụ điểm “{HOTSPOT_NAME}”.")
    expect(page.get_by_test_id("hotspot-name")).to_have_text(HOTSPOT_NAME)
    expect(page.get_by_test_id("hotspot-kind")).to_have_text("Tụ điểm")
    expect(page.get_by_test_id("hotspot-commune")).to_have_text("Xã Trung Sơn")
    expect(page.locator(".case-meta [data-testid='hotspot-status']")).to_have_text("Đang hoạt động")
    expect(page.get_by_test_id("history-item")).to_have_count(1)

    # 2. Eliminated, with a reason; the history shows both steps.
    page.get_by_test_id("status-eliminated").click()
    expect(page).to_have_url(re.compile(r"/hotspots/\d+/status/\?to=eliminated$"))
    expect(page.get_by_label("Đã triệt xóa")).to_be_checked()
    expect(page.locator("#id_changed_on")).to_have_value(vn(today()))
    page.get_by_label("Lý do, kết quả").fill(ELIMINATION_REASON)
    page.get_by_test_id("status-submit").click()

    expect(page).to_have_url(url(live_server, "registers:hotspot_detail", hotspot.pk))
    expect(page.locator(".msg-success")).to_contain_text("Đã chuyển sang “Đã triệt xóa”.")
    expect(page.locator(".case-meta [data-testid='hotspot-status']")).to_have_text("Đã triệt xóa")
    expect(page.get_by_test_id("hotspot-eliminated")).to_have_text(vn(today()))
    expect(page.get_by_test_id("status-eliminated")).to_have_count(0)
    expect(page.get_by_test_id("status-reemerged")).to_be_visible()
    history = page.get_by_test_id("history-item")
    expect(history).to_have_count(2)
    # Newest first: the elimination, then the entry in the register.
    expect(history.nth(0)).to_have_attribute("data-status", "eliminated")
    expect(history.nth(0).locator("time")).to_have_text(vn(today()))
    expect(history.nth(0).locator(".event-status")).to_have_text("Đang hoạt động → Đã triệt xóa")
    expect(history.nth(0).locator(".event-notes")).to_have_text(ELIMINATION_REASON)
    expect(history.nth(0)).to_contain_text(trung_son_officer.get_full_name())
    expect(history.nth(1)).to_have_attribute("data-status", "active")
    expect(history.nth(1).locator("time")).to_have_text(vn(discovered))
    expect(history.nth(1).locator(".event-status")).to_have_text("Ghi vào sổ: Đang hoạt động")
    hotspot.refresh_from_db()
    assert (hotspot.status, hotspot.eliminated_on, hotspot.version) == (HotspotStatus.ELIMINATED, today(), 2)
    change = HotspotStatusChange.objects.get(hotspot=hotspot, to_status=HotspotStatus.ELIMINATED)
    assert (change.from_status, change.reason, change.changed_by) == ("active", ELIMINATION_REASON, trung_son_officer)

    # 3. A crime case with one offender and a seizure.
    page.goto(url(live_server, "registers:crimecase_list"))
    page.get_by_test_id("crimecase-add").click()
    expect(page).to_have_url(re.compile(r"/crimes/new/$"))
    page.locator("#id_occurred_on").fill(vn(occurred))
    page.locator("#id_article").select_option(label="Điều 251 – Mua bán trái phép chất ma túy")
    page.locator("#id_summary").fill("Bắt quả tang bán 2 gói heroin tại bãi sông Lô.")
    page.locator("#id_heroin_g").fill("1,25")
    page.locator("#id_o-0-full_name").fill("Lý Văn Dũng")
    page.locator("#id_o-0-birth_year").fill("1988")
    page.locator("#id_o-0-sex").select_option(label="Nam")
    page.locator("#id_o-0-arrested_on").fill(vn(occurred))
    page.get_by_test_id("crimecase-save").click()

    expect(page).to_have_url(CRIME_URL_RE)
    crime = CrimeCase.objects.get()
    assert page.url == url(live_server, "registers:crimecase_detail", crime.pk)
    assert (crime.commune_id, crime.article, crime.occurred_on) == (trung_son.pk, "251", occurred)
    assert (crime.offenders_count, crime.heroin_g) == (1, Decimal("1.250"))
    assert list(crime.offenders.values_list("full_name", "birth_year", "sex")) == [("Lý Văn Dũng", 1988, "M")]
    expect(page.locator(".msg-success")).to_contain_text(f"Đã lưu vụ án {crime.number}.")
    expect(page.get_by_test_id("crimecase-number")).to_have_text(crime.number)
    expect(page.get_by_test_id("crimecase-article")).to_have_text("Điều 251 – Mua bán trái phép chất ma túy")
    expect(page.get_by_test_id("crimecase-offenders-count")).to_have_text("1")
    offenders = page.get_by_test_id("offender-row")
    expect(offenders).to_have_count(1)
    expect(offenders).to_contain_text("Lý Văn Dũng")
    expect(offenders).to_contain_text(vn(occurred))
    expect(page.get_by_test_id("crimecase-seizures")).to_contain_text(re.compile(r"Heroin\s*1,250? g"))

    # 4. A drug-plant find.
    page.goto(url(live_server, "registers:cultivation_list"))
    page.get_by_test_id("cultivation-add").click()
    expect(page).to_have_url(re.compile(r"/cultivation/new/$"))
    page.locator("#id_found_on").fill(vn(found))
    page.locator("#id_species").select_option(label="Cây thuốc phiện")
    page.locator("#id_plants").fill("350")
    page.locator("#id_area_m2").fill("120,5")
    page.locator("#id_village").fill("Thôn Khuổi Phầy")
    expect(page.locator("#id_destroyed")).to_be_checked()
    page.get_by_test_id("cultivation-save").click()

    expect(page).to_have_url(CULTIVATION_URL_RE)
    item = Cultivation.objects.get()
    assert page.url == url(live_server, "registers:cultivation_detail", item.pk)
    assert (item.commune_id, item.species, item.plants, item.area_m2, item.destroyed) == (
        trung_son.pk,
        "opium_poppy",
        350,
        Decimal("120.50"),
        True,
    )
    expect(page.locator(".msg-success")).to_contain_text(f"Đã lưu {item.number}.")
    expect(page.get_by_test_id("cultivation-species")).to_have_text("Cây thuốc phiện")
    expect(page.get_by_test_id("cultivation-plants")).to_have_text("350")
    expect(page.get_by_test_id("cultivation-area")).to_have_text("120,5 m²")
    expect(page.get_by_test_id("cultivation-destroyed")).to_have_text("Đã triệt phá")

    # 5. The lists.
    page.goto(url(live_server, "registers:hotspot_list"))
    rows = page.get_by_test_id("hotspot-row")
    expect(rows).to_have_count(1)
    expect(rows.get_by_test_id("hotspot-row-link")).to_have_text(HOTSPOT_NAME)
    expect(rows.get_by_test_id("hotspot-status")).to_have_text("Đã triệt xóa")
    expect(rows).to_contain_text("Tụ điểm")
    page.get_by_role("navigation", name="Các sổ theo dõi").get_by_role("link", name="Vụ án về ma túy").click()
    expect(page).to_have_url(re.compile(r"/crimes/$"))
    expect(page.get_by_test_id("crimecase-count")).to_have_text("1 vụ án")
    expect(page.get_by_test_id("crimecase-table").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("crimecase-table")).to_contain_text(crime.number)
    page.get_by_role("navigation", name="Các sổ theo dõi").get_by_role(
        "link", name="Trồng cây có chứa chất ma túy"
    ).click()
    expect(page).to_have_url(re.compile(r"/cultivation/$"))
    rows = page.get_by_test_id("cultivation-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(item.number)
    expect(rows).to_contain_text("350")

    # 6. Another commune's officer: none of them exists, the lists are empty.
    page.context.clear_cookies()
    login_as(page, minh_xuan_officer)
    for name, pk in (
        ("registers:hotspot_detail", hotspot.pk),
        ("registers:hotspot_edit", hotspot.pk),
        ("registers:hotspot_status", hotspot.pk),
        ("registers:crimecase_detail", crime.pk),
        ("registers:crimecase_edit", crime.pk),
        ("registers:cultivation_detail", item.pk),
        ("registers:cultivation_edit", item.pk),
    ):
        response = page.goto(url(live_server, name, pk))
        assert response.status == 404, name
        expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(page.get_by_text(HOTSPOT_NAME)).to_have_count(0)
    page.goto(url(live_server, "registers:hotspot_list"))
    expect(page.get_by_test_id("hotspot-count")).to_have_text("0 điểm, tụ điểm")
    expect(page.get_by_text(HOTSPOT_NAME)).to_have_count(0)
    page.goto(url(live_server, "registers:crimecase_list"))
    expect(page.get_by_test_id("crimecase-count")).to_have_text("0 vụ án")
    page.goto(url(live_server, "registers:cultivation_list"))
    expect(page.get_by_test_id("cultivation-count")).to_have_text("0 vụ phát hiện")


def test_hotspot_list_fits_a_phone(phone_page, live_server, login_as, trung_son_officer, current_unit):
    page = phone_page
    trung_son = current_unit("2458")
    for n, (kind, name) in enumerate(
        (
            (HotspotKind.HOTSPOT, "Tụ điểm bãi bồi ven sông Lô phía dưới chân cầu Đồng Cầu kéo dài"),
            (HotspotKind.POINT, "Điểm nhà nghỉ Hoàng Gia Thịnh Vượng Phát Đạt, tổ dân phố Trung Sơn Thượng"),
            (HotspotKind.HARBOURING, "Nhà ông Nguyễn Văn Hùng (Hùng đen), ngõ 56 đường Nguyễn Tất Thành"),
        )
    ):
        hotspot_services.hotspot_create(
            actor=trung_son_officer,
            data=hotspot_services.HotspotInput(
                name=name,
                kind=kind,
                discovered_on=today() - dt.timedelta(days=30 + n),
                commune=trung_son,
                village="Thôn Đồng Cầu Trên Khu Tái Định Cư Số 2",
                address="Số nhà 1234, ngõ 56, đường Nguyễn Tất Thành kéo dài",
            ),
        )
    login_as(page, trung_son_officer)

    page.goto(url(live_server, "registers:hotspot_list"))
    expect(page.get_by_test_id("hotspot-row")).to_have_count(3)
    expect(page.get_by_test_id("hotspot-count")).to_have_text("3 điểm, tụ điểm")
    assert_fits_phone(page)
    page.locator(".filters-more summary").click()
    expect(page.locator("#id_status")).to_be_visible()
    assert_fits_phone(page)
