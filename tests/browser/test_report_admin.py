"""A report in the admin, in a real browser: beside the listing on a desk, stacked on a phone."""

import pytest
from playwright.sync_api import expect

from clinics.models import Clinic
from listings.models import ListingReport
from tests.browser.conftest import DESKTOP, PHONE, served
from tests.browser.test_page_health import AXE_SOURCE, format_violations
from tests.builders import make_editor

PASSWORD = "a long test password"


def _sign_in(page):
    page.goto("/admin/login/")
    page.get_by_label("Email").or_(page.get_by_label("Username")).fill("editor@site.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_editor_checks_a_report_against_the_listing_and_marks_it_dealt_with(new_page, viewport):
    editor = make_editor("editor@site.example")
    clinic = Clinic.objects.published().filter(offerings__route="iv").order_by("name").first()
    report = ListingReport.objects.create(
        clinic=clinic, problem="price", details="They quoted me $650 for IV."
    )
    page = new_page(viewport=viewport)
    _sign_in(page)
    page.goto(f"/admin/listings/listingreport/{report.pk}/change/")

    sent = page.get_by_role("group", name="What the visitor reported").bounding_box()
    now = page.get_by_role("group", name="The listing now").bounding_box()
    if viewport is DESKTOP:
        # Beside each other, so the editor reads one against the other.
        assert now["x"] >= sent["x"] + sent["width"] - 1
        assert abs(now["y"] - sent["y"]) < 5
    else:
        assert now["y"] >= sent["y"] + sent["height"] - 1
        assert now["x"] + now["width"] <= viewport["width"] + 1, "no sideways scrolling"
    assert page.get_by_text("IV ketamine infusion:").is_visible()
    # The report's form (the admin around it is Django's).
    page.evaluate(AXE_SOURCE)
    results = page.evaluate(
        "async () => await axe.run('#listingreport_form', {resultTypes: ['violations']})"
    )
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, format_violations(serious)

    page.get_by_label("Mark dealt with").check()
    page.get_by_label("Editor's note").fill("Phoned the clinic: $650 now.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    served(page)
    report.refresh_from_db()
    assert report.resolved_by == editor and report.editor_note.startswith("Phoned")
    assert not page.csp_violations and not page.page_errors
