"""Guides in a real browser: tables a phone can read, and a topic change told in a few words."""


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
