"""Lists do not scroll inside a box inside the page: the page scrolls (issue 12 §6). A table may
scroll sideways in its wrapper on a phone, never up and down in a box of its own."""

import pytest
from django.urls import reverse

from apps.accounts import roles

# Elements that scroll vertically on their own: an overflow of auto/scroll with more content than
# room. (The document itself is the one scroller allowed.)
SCROLL_BOXES = """() => [...document.querySelectorAll('body *')].filter(el => {
  const style = getComputedStyle(el);
  return ['auto', 'scroll'].includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
}).map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${el.clientHeight}/${el.scrollHeight}`)"""


@pytest.fixture
def staff(make_user):
    from apps.areas.models import AdministrativeUnit

    province = AdministrativeUnit.objects.get(generation_id="2025", level="province")
    return make_user("tinh.canbo", roles.PROVINCE_STAFF, province)


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_long_list_scrolls_with_the_page(request, device, live_server, login_as, staff):
    page = request.getfixturevalue(device)
    login_as(page, staff)
    # the status board lists all 124 communes of the province: far taller than any screen
    page.goto(live_server.url + reverse("reporting:status_board"))
    page.wait_for_selector('[data-testid="board-row"]')
    assert page.evaluate(SCROLL_BOXES) == []
    assert page.evaluate("document.documentElement.scrollHeight") > 3 * page.viewport_size["height"]
