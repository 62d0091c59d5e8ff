"""Guides in a real browser: tables a phone can read, and a topic change told in a few words."""

from tests.browser.conftest import PHONE


def test_prices_at_a_glance_reads_on_a_phone_without_scrolling_sideways(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/guides/ketamine-therapy-cost/")
    table = page.locator(".prose table").first
    off_screen = table.evaluate(
        """table => [...table.querySelectorAll('th, td')]
            .filter(cell => cell.getBoundingClientRect().right > window.innerWidth + 1)
            .map(cell => cell.textContent.trim())"""
    )
    assert off_screen == [], f"off screen on a {PHONE['width']}px phone: {off_screen}"
    region = page.locator(".table-scroll").first
    assert region.evaluate("region => region.scrollWidth <= region.clientWidth + 1")
    # Each figure still reads with its column's name, "Who usually pays" too.
    first_row = table.locator("tbody tr").first
    assert first_row.is_visible()
    text = first_row.inner_text()
    assert "IV infusion" in text and "Who usually pays" in text and "Typical first course" in text


def test_a_wide_screen_keeps_the_table_as_a_table(page):
    page.goto("/guides/ketamine-therapy-cost/")
    assert not page.locator(".prose .cell-label").first.is_visible()
    assert page.locator(".prose thead").first.is_visible()


def test_a_topic_change_announces_a_count_not_the_whole_list(page):
    page.goto("/guides/")
    assert page.locator("#guide-results").get_attribute("aria-live") is None
    live = page.locator("#guide-summary")
    live.evaluate("region => { region.dataset.seen = 'yes'; }")
    with page.expect_response(lambda response: "category=safety" in response.url):
        page.get_by_label("Topic").select_option("safety")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    assert live.count() == 1
    assert live.get_attribute("data-seen") == "yes", "the live region was replaced"
    assert live.get_attribute("aria-live") == "polite"
    summary = live.inner_text()
    assert summary.endswith("about safety.") and len(summary) < 60, summary
    assert page.locator("#guide-results [data-guide]").count() >= 1
