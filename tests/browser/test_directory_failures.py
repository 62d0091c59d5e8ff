"""
The directory when an htmx request for new results fails: the network drops,
the server answers with an error, or no answer comes in time. The old results
stay (htmx swaps nothing), so the page says so, beside them and to a screen
reader, with a full page load of the search that failed.
"""

import contextlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_directory import (
    IV_LABEL,
    assert_not_reloaded,
    mark_no_reload,
    result_slugs,
    wait_for_htmx,
)

NOTICE = "#results-error"
# What the browser and htmx log about the failed request itself, and only that.
EXPECTED_ERRORS = re.compile(
    r"^(Failed to load resource: .*"
    r"|htmx:(afterRequest|sendError|timeout), .*"
    r"|Response Status Error Code \d+ from /clinics/.*)$"
)


def is_directory(url):
    return urlsplit(url).path == "/clinics/"


class FailingFragments:
    """Make the directory's htmx requests fail, and leave full page loads be."""

    def __init__(self, page, how):
        self.page = page
        self.how = how
        self.failed = []
        self.held = []

    def handle(self, route):
        request = route.request
        if request.headers.get("hx-request") != "true":
            route.continue_()
            return
        self.failed.append(request.url)
        if self.how == "hang":
            # No answer, ever: htmx gives up after htmx.config.timeout.
            self.held.append(route)
        elif self.how == "abort":
            route.abort("internetdisconnected")
        else:
            route.fulfill(status=self.how, content_type="text/html", body="<h1>Server Error</h1>")

    def __enter__(self):
        self.page.route(is_directory, self.handle)
        return self

    def __exit__(self, *exc):
        self.page.unroute(is_directory, self.handle)
        for route in self.held:
            with contextlib.suppress(PlaywrightError):
                route.abort()


def query(url):
    return parse_qs(urlsplit(url).query)


def assert_only_the_failed_request_complained(page):
    assert page.csp_violations == []
    assert page.page_errors == []
    unexpected = [text for text in page.console_errors if not EXPECTED_ERRORS.match(text)]
    assert unexpected == [], "console errors beyond the failed request"


def tick_iv_and_fail(page, how):
    page.goto("/clinics/")
    if how == "hang":
        # The site sets no timeout; one here makes htmx fire htmx:timeout.
        page.evaluate("htmx.config.timeout = 1000")
    notice = page.locator(NOTICE)
    expect(notice).to_be_hidden()
    before = result_slugs(page)
    heading = page.locator("#results-heading").inner_text()
    mark_no_reload(page)

    with FailingFragments(page, how) as failing:
        page.get_by_label(IV_LABEL, exact=True).check()
        expect(notice).to_be_visible()
        assert len(failing.failed) == 1

    expect(notice).to_contain_text("We couldn’t update the results")
    # The link is a plain full page load of the search the form now holds.
    link = notice.get_by_role("link", name="show the results")
    href = link.get_attribute("href")
    assert urlsplit(href).path == "/clinics/"
    assert query(href) == {"route": ["iv"]}
    assert urlsplit(failing.failed[0]).query == urlsplit(href).query
    # Told to a screen reader, in the polite live region there from the start.
    expect(page.locator("#live-count")).to_contain_text("We couldn't update the results")
    # Nothing else changed: the old results, and the old address.
    assert result_slugs(page) == before
    assert page.locator("#results-heading").inner_text() == heading
    assert "route=iv" not in page.url
    assert page.get_by_label(IV_LABEL, exact=True).is_checked()
    assert_not_reloaded(page)
    assert_only_the_failed_request_complained(page)
    return href, before


@pytest.mark.parametrize("how", ["abort", 500, 404, "hang"])
def test_a_failed_search_says_so_and_the_next_one_clears_it(page, how):
    _, before = tick_iv_and_fail(page, how)

    # The network is back: the next change succeeds and the message goes.
    page.get_by_label("Spravato (esketamine) nasal spray", exact=True).check()
    wait_for_htmx(page, route="spravato")
    assert query(page.url)["route"] == ["iv", "spravato"]
    expect(page.locator(NOTICE)).to_be_hidden()
    expect(page.locator("#live-count")).to_have_text(re.compile(r"clinics? found\."))
    assert result_slugs(page) != before
    assert_not_reloaded(page)
    assert_only_the_failed_request_complained(page)


def test_the_link_loads_the_failed_search_in_full(page):
    tick_iv_and_fail(page, "abort")
    page.locator(NOTICE).get_by_role("link", name="show the results").click()
    page.wait_for_url("**/clinics/?route=iv")
    assert page.evaluate("window.__noReload") is None, "expected a real page load"
    expect(page.locator(NOTICE)).to_be_hidden()
    assert page.get_by_label(IV_LABEL, exact=True).is_checked()
    assert page.locator("#results [data-route]").count() > 0
    routes = set(
        page.locator("#results [data-route]").evaluate_all("els => els.map(e => e.dataset.route)")
    )
    assert routes == {"iv"}


def test_a_failed_page_of_results_says_so(page):
    page.goto("/clinics/")
    before = result_slugs(page)
    mark_no_reload(page)

    with FailingFragments(page, 503):
        page.get_by_role("button", name="Next →").click()
        expect(page.locator(NOTICE)).to_be_visible()

    href = page.locator(NOTICE).get_by_role("link", name="show the results").get_attribute("href")
    assert urlsplit(href).path == "/clinics/"
    assert query(href)["page"] == ["2"]
    assert result_slugs(page) == before
    assert "page=2" not in page.url

    page.get_by_role("button", name="Next →").click()
    page.wait_for_url("**page=2**")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    expect(page.locator(NOTICE)).to_be_hidden()
    assert result_slugs(page) != before
    assert_not_reloaded(page)
    assert_only_the_failed_request_complained(page)


def test_a_failed_search_on_a_phone_says_so_in_the_bar_under_the_filters(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/clinics/")
    page.locator(".filters > summary").click()

    with FailingFragments(page, "abort"):
        page.get_by_label(IV_LABEL, exact=True).check()
        expect(page.locator(NOTICE)).to_be_visible()

    bar = page.locator("#filter-count a")
    expect(bar).to_have_text("Results not updated: see why")
    expect(bar).to_be_in_viewport()
    # The message fits the phone's width.
    widths = page.evaluate(
        """() => ({
            document: document.documentElement.scrollWidth,
            notice: document.querySelector('#results-error').getBoundingClientRect().right,
        })"""
    )
    assert widths["document"] <= PHONE["width"] + 1, widths
    assert widths["notice"] <= PHONE["width"], widths

    page.get_by_label("Spravato (esketamine) nasal spray", exact=True).check()
    wait_for_htmx(page, route="spravato")
    expect(bar).to_have_text(re.compile(r"^Show .*clinic"))
    expect(page.locator(NOTICE)).to_be_hidden()
    assert_only_the_failed_request_complained(page)


def test_without_javascript_the_message_is_never_shown(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/clinics/")
    expect(page.locator(NOTICE)).to_be_hidden()
    page.get_by_label(IV_LABEL, exact=True).check()
    page.get_by_role("button", name="Show clinics").click()
    page.wait_for_url("**route=iv**")
    expect(page.locator(NOTICE)).to_be_hidden()
