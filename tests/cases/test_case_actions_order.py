"""On the case page the officer's most frequent actions (home visit, note) come first, before the
legal status changes, which are a separate, visually distinct section (issue 12 §6)."""

import re

from django.urls import reverse

from tests.factories.cases import advance, make_case


def test_home_visit_and_note_come_before_legal_steps(world, officer_a, client_for):
    case = make_case(officer_a, world.commune_a, substances=["meth"])
    case = advance(officer_a, case, "positive_test", case.detected_on)
    page = client_for(officer_a).get(reverse("cases:casefile_detail", args=[case.pk])).content.decode()
    visit, note = page.index('data-testid="event-home_visit"'), page.index('data-testid="event-note"')
    first_step = min(m.start() for m in re.finditer(r'data-testid="transition-', page))
    assert visit < note < first_step
    # the frequent actions come before the deadlines card too: the first thing under the header
    assert visit < page.index('data-testid="case-deadlines"')
    quick = re.search(r'<section class="([^"]*)" data-testid="case-quick-actions"', page)
    legal = re.search(r'<section class="([^"]*)" data-testid="case-steps"', page)
    assert quick and legal
    assert "case-legal" in legal.group(1) and "case-legal" not in quick.group(1)
    # the two everyday actions stand out; the legal steps are not primary buttons
    assert re.search(r'class="btn btn-primary[^"]*" href="[^"]+" data-testid="event-home_visit"', page)
    legal_html = page[legal.start() : page.index("</section>", legal.start())]
    assert "btn-primary" not in legal_html
