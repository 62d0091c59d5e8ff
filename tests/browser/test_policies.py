"""The About and Privacy pages read the same with JavaScript off and on a phone."""

import pytest

from tests.browser.conftest import PHONE


@pytest.mark.parametrize("path, heading", [("/about/", "About"), ("/privacy/", "Privacy")])
def test_the_page_reads_without_javascript_on_a_phone(new_page, path, heading):
    page = new_page(viewport=PHONE, java_script_enabled=False)
    page.goto(path)
    assert page.get_by_role("heading", level=1).inner_text().startswith(heading)
    assert page.get_by_role("complementary", name="Crisis support").is_visible()
    assert page.get_by_role("link", name="Privacy").first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{path} is {width}px wide on a phone"
