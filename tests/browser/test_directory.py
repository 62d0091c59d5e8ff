"""
The directory in a real browser: htmx filtering, shareable URLs, history,
comparing clinics, the no-JavaScript path and the phone layout.

The data hooks of the public URL contract (`data-clinic`, `data-route`,
`data-price-min`, ...) are what these tests read.
"""

import contextlib
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Count
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from clinics.models import Clinic
from tests.browser.conftest import PHONE, served

IV_LABEL = "IV ketamine infusion"
MAX_PRICE_LABEL = "Lowest price per session, up to (in dollars)"


def result_slugs(page):
    return page.locator("#results [data-clinic]").evaluate_all(
        "cards => cards.map(card => card.dataset.clinic)"
    )


def result_prices(page):
    """{slug: [(route, min, max), ...]} for every clinic card in the results."""
    return page.locator("#results [data-clinic]").evaluate_all(
        """cards => Object.fromEntries(cards.map(card => [
            card.dataset.clinic,
            [...card.querySelectorAll('[data-route]')].map(price => [
                price.dataset.route, Number(price.dataset.priceMin), Number(price.dataset.priceMax)
            ])
        ]))"""
    )


def query(url):
    return parse_qs(urlsplit(url).query)


def wait_for_htmx(page, /, **params):
    """Wait until the address bar shows `params` and htmx has swapped the response in."""

    def url_matches(url):
        got = query(url)
        return all(value in got.get(name, []) for name, value in params.items())

    page.wait_for_url(url_matches)
    # htmx pushes the URL just before it swaps; `htmx-request` goes once the swap is done.
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def mark_no_reload(page):
    """A marker that a full page load would wipe out."""
    page.evaluate("window.__noReload = 1")


def assert_not_reloaded(page):
    assert page.evaluate("window.__noReload") == 1, "the page was reloaded instead of swapped"


def filter_iv_under(page, max_price):
    """Tick the IV route and type a price ceiling, the way a visitor does."""
    page.get_by_label(IV_LABEL, exact=True).check()
    wait_for_htmx(page, route="iv")
    page.get_by_label(MAX_PRICE_LABEL).fill(str(max_price))
    page.get_by_label(MAX_PRICE_LABEL).press("Tab")
    wait_for_htmx(page, route="iv", max_price=str(max_price))


def assert_all_offer_iv_under(page, max_price):
    prices = result_prices(page)
    assert prices, "expected some clinics offering IV at or under the ceiling in the sample data"
    too_dear = {
        slug: offers
        for slug, offers in prices.items()
        if not any(route == "iv" and low <= max_price for route, low, _ in offers)
    }
    assert not too_dear, f"clinics without an IV price of ${max_price} or less: {too_dear}"


def test_filters_update_results_in_place(page):
    page.goto("/clinics/")
    heading = page.locator("#results-heading")
    unfiltered = heading.inner_text()
    mark_no_reload(page)

    filter_iv_under(page, 450)

    assert_not_reloaded(page)
    assert urlsplit(page.url).path == "/clinics/"
    assert_all_offer_iv_under(page, 450)
    assert heading.inner_text() != unfiltered, "the result count did not change"
    assert page.console_errors == []


def test_with_javascript_show_clinics_and_enter_search_in_place_and_keep_the_ticks(page):
    # The boxes and the other buttons belong to the filter form: htmx must
    # still make the search, and only "Show clinics" (Enter clicks it) or a change.
    page.goto("/clinics/?sort=name")
    mark_no_reload(page)
    card = page.locator("#results [data-clinic]").nth(2)
    slug = card.get_attribute("data-clinic")
    card.get_by_label("Compare").check()

    page.get_by_label("ZIP code").fill("78701")
    page.get_by_label("ZIP code").press("Enter")
    wait_for_htmx(page, near="78701")
    assert query(page.url)["clinic"] == [slug]
    page.get_by_role("button", name="Show clinics").click()
    wait_for_htmx(page, near="78701", clinic=slug)

    assert_not_reloaded(page)
    assert query(page.url) == {
        "sort": ["name"],
        "near": ["78701"],
        "radius": ["25"],
        "clinic": [slug],
    }
    assert checked_clinics(page) == [slug]
    assert page.console_errors == [] and page.page_errors == []


def test_htmx_results_match_a_cold_load_of_the_same_url(page):
    page.goto("/clinics/")
    mark_no_reload(page)
    filter_iv_under(page, 450)
    assert_not_reloaded(page)
    swapped = result_slugs(page)
    swapped_heading = page.locator("#results-heading").inner_text()
    filtered_url = page.url

    page.goto(filtered_url)

    assert page.evaluate("window.__noReload") is None, "expected a real page load"
    assert result_slugs(page) == swapped
    assert page.locator("#results-heading").inner_text() == swapped_heading
    # The server-rendered form shows the filters that are on.
    assert page.get_by_label(IV_LABEL, exact=True).is_checked()
    assert page.get_by_label(MAX_PRICE_LABEL).input_value() == "450"


def test_a_comparison_started_on_a_clinic_page_takes_in_a_clinic_from_another_city(new_page):
    page = new_page(viewport=PHONE)
    first = Clinic.objects.published().exclude(city="Denver").first()
    other = Clinic.objects.published().filter(city="Denver").first()
    page.goto(first.get_absolute_url())
    page.get_by_role("link", name="Compare these prices with other clinics").click()
    page.wait_for_url("**/clinics/compare/?clinic=*")

    page.get_by_label("Clinic name or city").fill("denver")
    page.get_by_label("Clinic name or city").press("Enter")
    page.wait_for_url("**find=denver**")
    page.get_by_role("link", name=f"Add {other.name} to the comparison").click()

    page.wait_for_url("**/clinics/compare/?**")
    assert query(page.url)["clinic"] == [first.slug, other.slug]
    headers = page.locator("table.compare-table thead th[data-clinic]")
    assert headers.evaluate_all("ths => ths.map(th => th.dataset.clinic)") == [
        first.slug,
        other.slug,
    ]

    page.get_by_role("link", name=f"Remove {first.name} from the comparison").click()
    page.wait_for_url(f"**/clinics/compare/?clinic={other.slug}")
    assert page.get_by_text("Pick at least one more clinic").is_visible()


def test_clinics_ticked_on_different_pages_and_searches_are_compared_together(page):
    page.goto("/clinics/")
    mark_no_reload(page)
    first = page.locator("#results [data-clinic]").nth(1)
    first_slug = first.get_attribute("data-clinic")
    first.get_by_label("Compare").check()

    page.get_by_role("button", name="Next →").click()
    wait_for_htmx(page, page="2", clinic=first_slug)
    assert urlsplit(page.url).query == f"clinic={first_slug}&page=2"
    assert (
        page.get_by_role("group", name="Also ticked to compare")
        .get_by_role("checkbox")
        .is_checked()
    )
    second = page.locator("#results [data-clinic]").first
    second_slug = second.get_attribute("data-clinic")
    second.get_by_label("Compare").check()

    # A new search keeps both, and a clinic found by it joins them.
    page.get_by_label(IV_LABEL, exact=True).check()
    wait_for_htmx(page, route="iv", clinic=second_slug)
    assert query(page.url)["clinic"] == [first_slug, second_slug]
    third = (
        page.locator("#results [data-clinic]").filter(has_not=page.locator("input:checked")).first
    )
    third_slug = third.get_attribute("data-clinic")
    third.get_by_label("Compare").check()
    assert_not_reloaded(page)

    page.get_by_role("button", name="Compare 3 clinics").first.click()
    page.wait_for_url("**/clinics/compare/?**")
    assert set(query(page.url)["clinic"]) == {first_slug, second_slug, third_slug}
    headers = page.locator("table.compare-table thead th[data-clinic]")
    assert len(headers.all()) == 3


def test_compare_selected_clinics(page):
    page.goto("/clinics/")
    cards = page.locator("#results [data-clinic]")
    chosen = [cards.nth(0), cards.nth(2)]
    slugs = [card.get_attribute("data-clinic") for card in chosen]
    names = [card.locator("h3").inner_text() for card in chosen]
    mark_no_reload(page)
    for card in chosen:
        card.get_by_label("Compare").check()
    assert_not_reloaded(page)  # ticking "Compare" must not run the filter form

    page.get_by_role("button", name="Compare 2 clinics").first.click()

    page.wait_for_url("**/clinics/compare/?**")
    assert urlsplit(page.url).path == "/clinics/compare/"
    assert query(page.url)["clinic"] == slugs
    table = page.locator("table.compare-table")
    headers = table.locator("thead th[data-clinic]")
    assert headers.evaluate_all("ths => ths.map(th => th.dataset.clinic)") == slugs
    assert headers.all_inner_texts() == names
    for name in names:
        assert table.get_by_role("link", name=name, exact=True).is_visible()


def settled_slugs(page, expected, timeout=5.0):
    """
    The result slugs once the page shows `expected`, or whatever it shows after
    `timeout` seconds. Back/forward may swap the results in place or reload the
    page (htmx's history cache is off), so poll rather than wait for one event.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            page.wait_for_load_state()
            got = result_slugs(page)
        except PlaywrightError:  # the document went away mid-read: a reload
            got = None
        if got == expected or time.monotonic() > deadline:
            return got
        page.wait_for_timeout(100)


def test_back_button_shows_the_previous_results(page):
    page.goto("/clinics/")
    page.get_by_label(IV_LABEL, exact=True).check()
    wait_for_htmx(page, route="iv")
    first_url, first_slugs = page.url, result_slugs(page)
    page.get_by_label(MAX_PRICE_LABEL).fill("400")
    page.get_by_label(MAX_PRICE_LABEL).press("Tab")
    wait_for_htmx(page, route="iv", max_price="400")
    second_url, second_slugs = page.url, result_slugs(page)
    assert second_slugs != first_slugs, "the second filter should narrow the list"

    # What the server renders for each URL, loaded cold in another tab.
    cold = page.context.new_page()
    cold.goto(first_url)
    cold_first = result_slugs(cold)
    cold.goto(second_url)
    cold_second = result_slugs(cold)
    cold.close()
    assert cold_first == first_slugs, "htmx and the server disagree about the first URL"

    page.go_back()
    page.wait_for_url(first_url)
    assert settled_slugs(page, cold_first) == cold_first, f"Back did not restore {first_url}"

    page.go_forward()
    page.wait_for_url(second_url)
    assert settled_slugs(page, cold_second) == cold_second, f"Forward did not restore {second_url}"
    assert page.page_errors == []


def test_filter_form_works_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/clinics/")
    form = page.locator("form.filter-form")
    form.get_by_label(IV_LABEL, exact=True).check()
    form.get_by_label(MAX_PRICE_LABEL).fill("450")

    with page.expect_navigation():
        form.get_by_role("button", name="Show clinics").click()

    params = query(page.url)
    assert urlsplit(page.url).path == "/clinics/"
    assert params["route"] == ["iv"]
    assert params["max_price"] == ["450"]
    assert_all_offer_iv_under(page, 450)
    assert page.get_by_label(IV_LABEL, exact=True).is_checked()


def test_with_eight_ticked_the_other_boxes_wait_until_one_is_unticked(page):
    page.goto("/clinics/")
    cards = page.locator("#results [data-clinic]")
    for number in range(8):
        cards.nth(number).get_by_label("Compare").check()
    ninth = cards.nth(8).get_by_label("Compare")
    expect(ninth).to_be_disabled()
    expect(page.locator("#carry-limit")).to_be_visible()
    expect(page.locator("#carry-limit")).to_contain_text("You have ticked eight clinics")
    assert page.locator("#carry-limit").inner_text().endswith("untick one to tick another.")
    assert page.get_by_role("button", name="Compare 4 of 8 clinics").count() == 2

    cards.nth(0).get_by_label("Compare").uncheck()
    expect(ninth).to_be_enabled()
    expect(page.locator("#carry-limit")).to_be_hidden()
    ninth.check()
    assert len(query(page.url)["clinic"]) == 8


def test_without_javascript_eight_ticked_say_a_search_frees_the_others(new_page):
    # Nothing can re-enable a waiting box as one is unticked: the next search does.
    slugs = Clinic.objects.published().order_by("name").values_list("slug", flat=True)[:8]
    page = new_page(java_script_enabled=False)
    page.goto("/clinics/?sort=name&" + "&".join(f"clinic={slug}" for slug in slugs))
    limit = page.locator("#carry-limit")
    assert limit.inner_text().endswith("untick one to tick another, after pressing “Show clinics”.")
    page.locator(f'#results [data-clinic="{slugs[0]}"]').get_by_label("Compare").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Show clinics").click()
    ninth = page.locator("#results [data-clinic]").nth(8).get_by_label("Compare")
    expect(ninth).to_be_enabled()


def test_a_new_search_without_javascript_keeps_the_ticked_clinics(new_page):
    slug = Clinic.objects.published().order_by("name").values_list("slug", flat=True)[3]
    page = new_page(java_script_enabled=False)
    page.goto(f"/clinics/?clinic={slug}")  # as a page link leaves it

    form = page.locator("form.filter-form")
    form.get_by_label("Sort by").select_option("price")
    with page.expect_navigation():
        form.get_by_role("button", name="Show clinics").click()

    assert query(page.url)["clinic"] == [slug]
    assert query(page.url)["sort"] == ["price"]
    ticked = page.locator("#results input[name=clinic]:checked")
    assert ticked.evaluate_all("boxes => boxes.map(box => box.value)") == [slug]


def checked_clinics(page):
    return page.locator("#results input[name=clinic]:checked").evaluate_all(
        "boxes => boxes.map(box => box.value)"
    )


def test_without_javascript_a_box_ticked_just_before_show_clinics_is_kept(new_page):
    # A checkbox belongs to one form: the ticks must go with "Show clinics" as
    # they are on the page, not only as the address had them.
    by_name = Clinic.objects.published().order_by("name")
    first_page = list(by_name.values_list("slug", flat=True)[:20])
    without_iv = set(by_name.exclude(offerings__route="iv").values_list("slug", flat=True))
    earlier, unticked = first_page[0], first_page[1]
    elsewhere = by_name.values_list("slug", flat=True)[30]
    # Ticked now, on this page, and not found by the new search.
    fresh = next(slug for slug in first_page[2:] if slug in without_iv)
    page = new_page(java_script_enabled=False)
    page.goto(f"/clinics/?sort=name&clinic={earlier}&clinic={unticked}&clinic={elsewhere}")

    page.locator(f'#results [data-clinic="{fresh}"]').get_by_label("Compare").check()
    page.locator(f'#results [data-clinic="{unticked}"]').get_by_label("Compare").uncheck()
    form = page.locator("form.filter-form")
    form.get_by_label(IV_LABEL, exact=True).check()
    with page.expect_navigation():
        form.get_by_role("button", name="Show clinics").click()

    assert query(page.url)["route"] == ["iv"]
    assert sorted(query(page.url)["clinic"]) == sorted([earlier, elsewhere, fresh])
    # Those the new search does not list are still ticked, and counted.
    assert set(checked_clinics(page)) == {earlier, elsewhere, fresh}
    kept = page.get_by_role("group", name="Also ticked to compare").get_by_role("checkbox")
    assert fresh in kept.evaluate_all("boxes => boxes.map(box => box.value)")
    assert page.get_by_role("button", name="Compare 3 clinics").count() == 2

    # And the comparison, from there, has its own address with the search as the way back.
    with page.expect_navigation():
        page.get_by_role("button", name="Compare 3 clinics").first.click()
    assert urlsplit(page.url).path == "/clinics/compare/"
    assert set(query(page.url)) == {"clinic", "back"}
    assert sorted(query(page.url)["clinic"]) == sorted([earlier, elsewhere, fresh])


def test_without_javascript_clinics_ticked_before_next_are_kept(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/clinics/?route=iv&sort=price")
    cards = page.locator("#results [data-clinic]")
    ticked = [cards.nth(0).get_attribute("data-clinic"), cards.nth(3).get_attribute("data-clinic")]
    for slug in ticked:
        page.locator(f'#results [data-clinic="{slug}"]').get_by_label("Compare").check()

    with page.expect_navigation():
        page.get_by_role("button", name="Next →").click()

    params = query(page.url)
    assert urlsplit(page.url).path == "/clinics/"
    assert (params["route"], params["sort"], params["page"]) == (["iv"], ["price"], ["2"])
    assert params["clinic"] == ticked
    kept = page.get_by_role("group", name="Also ticked to compare").get_by_role("checkbox")
    assert kept.count() == 2 and all(box.is_checked() for box in kept.all())
    assert page.get_by_label("Sort by").input_value() == "price"
    # One more on this page, then back to the first by its number.
    third = cards.first.get_attribute("data-clinic")
    cards.first.get_by_label("Compare").check()
    with page.expect_navigation():
        page.get_by_role("navigation", name="Pages of results").get_by_role(
            "button", name="Page 1", exact=True
        ).click()

    assert query(page.url)["page"] == ["1"]
    assert set(checked_clinics(page)) == {*ticked, third}
    nav = page.get_by_role("navigation", name="Pages of results")
    assert nav.locator('[aria-current="page"]').text_content() == "Page 1"
    assert page.locator('link[rel="next"]').get_attribute("href") == (
        "/clinics/?route=iv&sort=price&page=2"
    )

    # The compare form sent the search too; the comparison has its own
    # address, with the search only as its way back.
    with page.expect_navigation():
        page.get_by_role("button", name="Compare 3 clinics").first.click()
    assert urlsplit(page.url).path == "/clinics/compare/"
    assert set(query(page.url)) == {"clinic", "back"}
    assert query(page.url)["back"] == ["/clinics/?route=iv&sort=price"]
    assert sorted(query(page.url)["clinic"]) == sorted([*ticked, third])


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_next_pressed_after_changing_a_filter_shows_the_new_search_from_its_start(
    new_page, javascript
):
    page = new_page(java_script_enabled=javascript)
    page.goto("/clinics/?sort=price")
    assert page.get_by_role("button", name="Next →").count()
    price = page.get_by_label(MAX_PRICE_LABEL)
    price.fill("450")

    with page.expect_request(lambda request: "max_price=450" in request.url):
        page.get_by_role("button", name="Next →").first.click()

    page.wait_for_url(lambda url: query(url).get("max_price") == ["450"])
    served(page)
    assert "page" not in query(page.url) and "shown" not in query(page.url)
    assert price.input_value() == "450"
    expect(page.locator("#results-heading")).to_contain_text("with a session at $450 or less")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_clearing_the_filters_keeps_the_clinics_ticked_to_compare(new_page, javascript):
    page = new_page(java_script_enabled=javascript)
    page.goto("/clinics/?route=iv&sort=price")
    card = page.locator("#results [data-clinic]").nth(2)
    slug = card.get_attribute("data-clinic")
    card.get_by_label("Compare").check()  # after the page loaded

    with page.expect_navigation():
        page.get_by_role("button", name="Clear all filters").click()

    page.wait_for_url(lambda url: "route" not in query(url))
    assert query(page.url) == {"clinic": [slug]}
    assert not page.get_by_label(IV_LABEL, exact=True).is_checked()
    assert page.get_by_label("Sort by").input_value() == ""
    assert checked_clinics(page) == [slug]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_untick_all_unticks_every_clinic_and_keeps_the_search(new_page, javascript):
    slugs = Clinic.objects.published().order_by("name").values_list("slug", flat=True)
    page = new_page(java_script_enabled=javascript)
    # One ticked on this page, one on another.
    page.goto(f"/clinics/?sort=name&clinic={slugs[1]}&clinic={slugs[30]}")
    assert checked_clinics(page) == [slugs[30], slugs[1]]

    page.get_by_role("link", name="Untick all").click()

    page.wait_for_url(lambda url: "clinic" not in query(url))
    assert query(page.url) == {"sort": ["name"]}
    page.wait_for_function("() => !document.querySelector('#results input[name=clinic]:checked')")
    assert not page.get_by_role("link", name="Untick all").is_visible()
    assert page.page_errors == []


def test_the_compare_button_counts_the_ticks_and_says_when_there_are_too_many(page):
    page.goto("/clinics/?sort=name")
    page.evaluate("document.getElementById('ticked-live').dataset.seen = 'yes'")
    cards = page.locator("#results [data-clinic]")
    compare = page.locator("#compare-form").get_by_role("button", name="Compare")
    limit = page.get_by_text("Compare takes at most four clinics at a time")
    live = page.locator("#ticked-live")
    assert compare.inner_text() == "Compare selected"

    cards.nth(0).get_by_label("Compare").check()
    cards.nth(1).get_by_label("Compare").check()
    assert compare.inner_text() == "Compare 2 clinics"
    assert not limit.is_visible()
    # Told once the ticking stops, not at every box.
    page.wait_for_function("() => document.getElementById('ticked-live').textContent !== ''")
    assert live.inner_text() == "2 clinics ticked to compare."

    for number in (2, 3, 4):
        cards.nth(number).get_by_label("Compare").check()
    assert compare.inner_text() == "Compare 4 of 5 clinics"
    assert limit.is_visible()
    page.wait_for_function(
        "() => document.getElementById('ticked-live').textContent.startsWith('5')"
    )
    assert live.inner_text() == "5 clinics ticked. Compare takes at most 4 at a time."

    # The next page counts them from the address, and the live region, which
    # htmx leaves alone, says nothing about it.
    page.get_by_role("button", name="Next →").click()
    wait_for_htmx(page, page="2")
    assert compare.inner_text() == "Compare 4 of 5 clinics"
    assert live.get_attribute("data-seen") == "yes"
    cards.nth(0).get_by_label("Compare").check()
    assert compare.inner_text() == "Compare 4 of 6 clinics"
    page.get_by_role("group", name="Also ticked to compare").get_by_role("checkbox").first.uncheck()
    assert compare.inner_text() == "Compare 4 of 5 clinics"
    page.get_by_role("link", name="Untick all").click()
    assert compare.inner_text() == "Compare selected"
    assert not limit.is_visible()
    page.wait_for_function(
        "() => document.getElementById('ticked-live').textContent.startsWith('No')"
    )
    assert live.inner_text() == "No clinics ticked to compare."
    assert page.page_errors == []


def test_the_empty_states_suggestions_carry_the_ticks_as_they_are_now(page):
    ticked = (
        "&clinic=aspen-mental-health-partners-spokane&clinic=bluebird-infusion-therapy-sacramento"
    )
    page.goto("/clinics/?route=kap&max_price=50" + ticked)
    suggestions = page.locator(".empty-state a[href^='/clinics/']")
    assert suggestions.count() >= 1
    page.get_by_role("group", name="Also ticked to compare").get_by_role("checkbox").first.uncheck()
    for href in suggestions.evaluate_all("links => links.map(link => link.getAttribute('href'))"):
        clinics = parse_qs(urlsplit(href).query).get("clinic", [])
        assert clinics == ["bluebird-infusion-therapy-sacramento"], href
    assert page.page_errors == []


def test_without_javascript_the_compare_button_never_shows_a_count_gone_stale(new_page):
    slugs = Clinic.objects.published().order_by("name").values_list("slug", flat=True)
    page = new_page(java_script_enabled=False)
    page.goto(f"/clinics/?sort=name&clinic={slugs[0]}")
    compare = page.locator("#compare-form").get_by_role("button", name="Compare")
    assert compare.inner_text() == "Compare 1 clinic"
    # Nothing can count the boxes as they are ticked: the button says what is true.
    page.locator(f'#results [data-clinic="{slugs[1]}"]').get_by_label("Compare").check()
    assert compare.inner_text() == "Compare the ticked clinics"
    page.locator(f'#results [data-clinic="{slugs[1]}"]').get_by_label("Compare").uncheck()
    assert compare.inner_text() == "Compare 1 clinic"


def _compare_url():
    first, second = Clinic.objects.published().order_by("name").values_list("slug", flat=True)[:2]
    return f"/clinics/compare/?clinic={first}&clinic={second}"


def _compare_four_url():
    slugs = Clinic.objects.published().order_by("name").values_list("slug", flat=True)[:4]
    return "/clinics/compare/?" + "&".join(f"clinic={slug}" for slug in slugs)


def _clinic_url():
    return Clinic.objects.published().order_by("name").first().get_absolute_url()


def test_on_the_narrowest_phones_the_home_search_box_keeps_its_width(new_page):
    # Beside its button it shrank to a third of the screen: "78701 or Aust".
    page = new_page(viewport={"width": 320, "height": 667})
    page.goto("/")
    box = page.get_by_label("ZIP code or city").bounding_box()
    assert box["width"] >= 250


def test_on_a_small_phone_a_link_focused_in_the_comparison_is_shown_whole(new_page):
    # Browsers scroll a box to a focused control only when it is wholly
    # hidden: one half out of the box keeps its focus ring out of sight.
    page = new_page(viewport={"width": 320, "height": 600})
    page.goto(_compare_four_url())
    region = page.locator(".table-scroll")
    links = region.locator("a")
    assert links.count() > 4
    region.focus()
    for _ in range(links.count()):
        page.keyboard.press("Tab")
        box = page.evaluate(
            """() => {
              const el = document.activeElement, r = el.closest('.table-scroll');
              if (!r) return null;
              const a = el.getBoundingClientRect(), b = r.getBoundingClientRect();
              return {left: a.left - b.left, right: b.right - a.right, text: el.textContent};
            }"""
        )
        if box is None:
            break
        assert box["left"] >= -1 and box["right"] >= -1, box


@pytest.mark.parametrize(
    "url",
    [
        lambda: "/",
        lambda: "/clinics/",
        _clinic_url,
        _compare_url,
        # The table scrolls inside its box; nothing in it may widen the page.
        _compare_four_url,
        # A long word typed into a search is said back in headings.
        lambda: "/clinics/compare/?find=Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
        lambda: "/clinics/?city=Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
        lambda: "/guides/?q=Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
        lambda: "/guides/",
        # Guides with wide tables of routes and prices.
        lambda: "/guides/ketamine-therapy-cost/",
        lambda: "/guides/iv-ketamine-vs-spravato/",
    ],
    ids=[
        "home",
        "directory",
        "clinic",
        "compare",
        "compare-four",
        "compare-long-word",
        "directory-long-word",
        "guides-long-word",
        "guide-index",
        "cost-guide",
        "iv-vs-spravato",
    ],
)
def test_phone_layout_has_no_horizontal_scroll(new_page, url):
    page = new_page(viewport=PHONE)
    page.goto(url())
    widths = page.evaluate(
        """() => ({
            document: document.documentElement.scrollWidth,
            viewport: document.documentElement.clientWidth,
            widest: [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                              && !el.closest('.table-scroll'))
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase()
                           + (el.id ? '#' + el.id : '')
                           + (el.className && typeof el.className === 'string'
                              ? '.' + el.className.trim().split(/\\s+/).join('.') : '')),
        })"""
    )
    assert widths["document"] <= PHONE["width"] + 1, (
        f"page is {widths['document']}px wide on a {PHONE['width']}px phone; "
        f"overflowing: {widths['widest']}"
    )


def _compare_columns(page):
    """Where each clinic's column and each row's label sit, in pixels."""
    return page.evaluate(
        """() => ({
            clinics: [...document.querySelectorAll('.compare-table th[scope=col]')]
                .map(th => th.getBoundingClientRect().right),
            labels: [...document.querySelectorAll('.compare-table th[scope=row]')]
                .map(th => th.getBoundingClientRect().left),
        })"""
    )


def test_phone_compares_two_clinics_without_scrolling_and_more_with_labels_in_view(new_page):
    page = new_page(viewport=PHONE)
    page.goto(_compare_url())
    columns = _compare_columns(page)
    assert all(right <= PHONE["width"] for right in columns["clinics"]), columns
    assert not page.get_by_text("Scroll the table sideways").is_visible()

    slugs = Clinic.objects.published().order_by("name").values_list("slug", flat=True)[:4]
    page.goto("/clinics/compare/?" + "&".join(f"clinic={slug}" for slug in slugs))
    assert page.get_by_text("Scroll the table sideways").is_visible()
    table = page.get_by_role("region", name="Comparison of 4 clinics")
    table.evaluate("region => { region.scrollLeft = region.scrollWidth; }")
    columns = _compare_columns(page)
    assert columns["clinics"][-1] <= PHONE["width"], "the last clinic is in view"
    assert all(left >= 0 for left in columns["labels"]), "row labels stay in view"


def test_phone_filters_open_and_filter(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/clinics/")
    iv = page.get_by_label(IV_LABEL, exact=True)
    assert not iv.is_visible(), "on a phone the filters start folded under 'Filters'"
    mark_no_reload(page)

    page.locator("details.filters > summary").click()
    iv.check()
    wait_for_htmx(page, route="iv")

    assert_not_reloaded(page)
    prices = result_prices(page)
    assert prices
    assert all(any(route == "iv" for route, _, _ in offers) for offers in prices.values())
    # The summary says how many filters are on once the page is loaded with them.
    page.goto(page.url)
    assert page.locator("details.filters > summary").inner_text().startswith("Filters (1 on)")


def test_show_clinics_on_a_phone_takes_the_visitor_to_the_results(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/clinics/")
    mark_no_reload(page)
    page.locator("details.filters > summary").click()
    page.get_by_label(IV_LABEL, exact=True).check()
    wait_for_htmx(page, route="iv")  # the search has run already, as the filter changed
    page.get_by_role("button", name="Show clinics").click()
    page.wait_for_function("() => document.activeElement.id === 'results-heading'")
    top = page.locator("#results-heading").evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"]
    # From the keyboard too.
    page.get_by_role("button", name="Show clinics").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'results-heading'")
    assert_not_reloaded(page)


def test_phone_filters_keep_the_focused_control_above_the_count_bar(new_page):
    # WCAG 2.4.11: the sticky "Show N clinics" bar must not cover what has focus.
    page = new_page(viewport=PHONE)
    page.goto("/clinics/?near=78701&radius=100")
    page.locator("details.filters > summary").click()
    bar = page.locator("#filter-count")
    covered = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const element = document.activeElement;
                if (!element.closest('#filter-form')) return null;
                const box = element.getBoundingClientRect();
                return {name: element.name || element.textContent.trim(), bottom: box.bottom};
            }"""
        )
        if focused is None:
            continue
        top = bar.bounding_box()["y"]
        if focused["bottom"] > top + 1:
            covered.append(focused)
        if focused["name"] == "clear":  # the last of the form
            break
    assert covered == [], f"under the count bar (its top at {top}): {covered}"


@pytest.mark.parametrize(
    "path",
    ["/clinics/?city=" + "a" * 100, "/clinics/find/?where=" + "a" * 99, "/?where=" + "b" * 99],
)
def test_a_long_word_typed_in_a_search_never_widens_the_phone_page(new_page, path):
    # What was typed is said back ("No listed clinic is in aaaa..."), and must wrap.
    page = new_page(viewport=PHONE)
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_phone_shows_every_price_column_without_scrolling_sideways(new_page):
    clinic = (
        Clinic.objects.published()
        .annotate(routes=Count("offerings"))
        .order_by("-routes", "name")
        .first()
    )
    page = new_page(viewport=PHONE)
    page.goto(clinic.get_absolute_url())
    rows = page.locator("[data-route]")
    assert rows.count() == clinic.routes
    hidden = page.evaluate(
        """() => [...document.querySelectorAll('[data-route] > *')]
            .filter(cell => cell.getBoundingClientRect().right > window.innerWidth + 1)
            .map(cell => cell.textContent.trim())"""
    )
    assert hidden == [], f"off screen on a {PHONE['width']}px phone: {hidden}"
    # Each price still reads with its column's name.
    first = rows.first.inner_text()
    assert "Per session" in first and "series" in first


def test_the_address_bar_keeps_only_the_filters_that_are_on(page):
    page.goto("/clinics/")
    page.get_by_label(IV_LABEL, exact=True).check()
    wait_for_htmx(page, route="iv")
    assert urlsplit(page.url).query == "route=iv"


def test_choosing_another_state_on_a_city_page_lets_go_of_the_city(page):
    # A city is in one state: "Austin" kept with California chosen found
    # "no listed clinic in Austin, California".
    page.goto("/clinics/in/tx/austin/")
    page.get_by_label(IV_LABEL, exact=True).check()
    wait_for_htmx(page, route="iv")
    page.get_by_label("State", exact=True).select_option(label="California")
    wait_for_htmx(page, state="CA")
    assert "city" not in query(page.url)
    assert page.get_by_label("City", exact=True).input_value() == ""
    assert "Austin" not in page.locator("#results-heading").inner_text()


def test_choosing_another_state_on_a_state_page_changes_its_heading(page):
    page.goto("/clinics/in/tx/")
    assert page.locator("h1").inner_text() == "Ketamine clinics in Texas"
    page.get_by_label("State", exact=True).select_option(label="California")
    wait_for_htmx(page, state="CA")
    assert page.locator("h1").inner_text() == "Find a ketamine clinic"
    assert page.title().startswith("Ketamine clinics in California")
    assert "Texas" not in page.locator(".breadcrumbs").inner_text()
    assert page.locator(".place-links").count() == 0
    page.reload()
    assert page.locator("h1").inner_text() == "Find a ketamine clinic"


def test_arrowing_through_a_menu_makes_one_search_not_one_per_step(page):
    page.goto("/clinics/")
    searches = []
    page.on("request", lambda request: "/clinics/?" in request.url and searches.append(request))
    page.get_by_label("State", exact=True).focus()
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    page.wait_for_timeout(1000)
    assert len(searches) == 1, [request.url for request in searches]


def test_a_keyboard_skips_the_filters_to_the_results(page):
    page.goto("/clinics/?route=iv")
    page.get_by_label(IV_LABEL, exact=True).focus()
    page.keyboard.press("Shift+Tab")
    for _ in range(10):
        if page.evaluate("document.activeElement.textContent.trim()") == "Skip to the results":
            break
        page.keyboard.press("Shift+Tab")
    skip = page.get_by_role("link", name="Skip to the results")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'results-heading'")


def test_next_page_moves_focus_to_the_top_of_the_new_results(page):
    page.goto("/clinics/")
    page.get_by_role("button", name="Next →").click()
    page.wait_for_url("**page=2")
    page.wait_for_function("() => document.activeElement.id === 'results-heading'")
    assert page.locator("#results-heading").evaluate(
        "el => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().top < innerHeight"
    )
    # A screen reader says which page it is, with the count.
    expect(page.locator("#results-heading")).to_have_accessible_description(
        re.compile(r"^Page 2 of \d+$")
    )


def test_paging_keeps_focus_on_the_page_and_says_the_count_once(page):
    # The pressed button goes with the old results: focus must land on the new
    # heading in the same step, never on the page's body (a screen reader
    # would start reading from the top). The heading, focused, says the count
    # and the page; the live region must not say the count a second time.
    page.goto("/clinics/")
    page.get_by_role("button", name="Next →").focus()
    page.evaluate(
        """() => {
          window.focusTrail = [];
          const watch = () => {
            window.focusTrail.push(document.activeElement.tagName);
            requestAnimationFrame(watch);
          };
          watch();
        }"""
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**page=2")
    page.wait_for_function("() => document.activeElement.id === 'results-heading'")
    page.wait_for_timeout(100)
    assert "BODY" not in page.evaluate("window.focusTrail")
    assert page.locator("#live-count").inner_text() == ""
    # A new search still has its count said.
    page.get_by_label(IV_LABEL, exact=True).check()
    wait_for_htmx(page, route="iv")
    assert page.locator("#live-count").inner_text().endswith("clinics found.")


def test_the_live_region_stays_in_place_so_new_counts_are_announced(page):
    # Screen readers announce changes inside a live region they already know;
    # a region swapped in whole is a new one, and most say nothing of it.
    page.goto("/clinics/")
    page.evaluate("document.getElementById('live-count').dataset.seen = 'yes'")
    page.get_by_label(IV_LABEL, exact=True).check()
    wait_for_htmx(page, route="iv")
    live = page.locator("#live-count")
    assert live.count() == 1
    assert live.get_attribute("data-seen") == "yes", "the live region was replaced"
    assert live.get_attribute("aria-live") == "polite"
    assert live.inner_text().endswith("clinics found.")


def test_without_javascript_back_keeps_the_ticks_and_filters_that_match_the_results(new_page):
    # The ticks are the visitor's, not yet in the address: the browser keeps
    # them. A filter typed but not sent would not match the results shown.
    page = new_page(java_script_enabled=False)
    page.goto("/clinics/?page=2")
    cards = page.locator("#results [data-clinic]")
    ticked = [cards.nth(0).get_attribute("data-clinic"), cards.nth(2).get_attribute("data-clinic")]
    for slug in ticked:
        page.locator(f'#results [data-clinic="{slug}"]').get_by_label("Compare").check()
    page.get_by_label("Near ZIP code").fill("78701")
    with page.expect_navigation():
        cards.nth(1).get_by_role("link").first.click()
    page.go_back()
    page.wait_for_load_state()
    assert sorted(checked_clinics(page)) == sorted(ticked)
    assert page.get_by_label("Near ZIP code").input_value() == ""
    # Nor after a search, whose Back shows the results before it.
    page.get_by_label("Near ZIP code").fill("78701")
    with page.expect_navigation():
        page.get_by_role("button", name="Show clinics").click()
    page.go_back()
    page.wait_for_load_state()
    assert page.get_by_label("Near ZIP code").input_value() == ""


def test_with_javascript_back_shows_the_choices_the_results_were_made_for(page):
    # Every choice is in the address: one restored by the browser from an
    # older state of the page would not match the results shown.
    page.goto("/clinics/")
    page.get_by_label(IV_LABEL, exact=True).check()
    wait_for_htmx(page, route="iv")
    with page.expect_navigation():
        page.locator("#results [data-clinic]").first.get_by_role("link").first.click()
    page.go_back()
    page.wait_for_url(lambda url: query(url).get("route") == ["iv"])
    page.wait_for_load_state()
    assert page.get_by_label(IV_LABEL, exact=True).is_checked()
    page.go_back()
    page.wait_for_url(lambda url: "route" not in query(url))
    page.wait_for_load_state()
    assert not page.get_by_label(IV_LABEL, exact=True).is_checked()
    assert page.page_errors == []


def test_ticks_are_kept_by_a_reload_back_and_a_shared_address(page):
    page.goto("/clinics/")
    first = page.locator("#results [data-clinic]").nth(1)
    slug = first.get_attribute("data-clinic")
    first.get_by_label("Compare").check()
    assert query(page.url)["clinic"] == [slug], "the address bar says what is ticked"

    page.reload()
    assert page.locator(f'#results [data-clinic="{slug}"] input').is_checked()

    page.get_by_role("button", name="Next →").click()
    page.wait_for_url("**page=2**")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    second = page.locator("#results [data-clinic]").first
    second_slug = second.get_attribute("data-clinic")
    second.get_by_label("Compare").check()
    assert query(page.url)["clinic"] == [slug, second_slug]

    page.go_back()
    page.wait_for_url(lambda url: "page=2" not in url)
    page.wait_for_load_state()
    assert page.locator(f'#results [data-clinic="{slug}"] input').is_checked(), (
        "Back to the first page shows the clinic ticked there"
    )
    page.go_forward()
    page.wait_for_url("**page=2**")
    page.wait_for_load_state()
    assert page.locator(f'#results [data-clinic="{second_slug}"] input').is_checked()

    # Unticking takes the clinic out of the address too.
    page.locator(f'#results [data-clinic="{second_slug}"]').get_by_label("Compare").uncheck()
    assert query(page.url)["clinic"] == [slug]
    assert page.page_errors == []


def in_view(locator):
    """Whether the element's top and bottom are both inside the viewport."""
    return locator.evaluate(
        "el => { const box = el.getBoundingClientRect();"
        " return box.top >= -1 && box.bottom <= window.innerHeight + 1; }"
    )


def test_phone_shows_the_results_on_the_first_screen_after_a_zip_search(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/")
    page.get_by_label("ZIP code or city").fill("78701")
    page.get_by_role("button", name="Find clinics").click()
    page.wait_for_url("**/clinics/?near=78701")

    heading = page.locator("#results-heading")
    assert heading.inner_text().endswith("within 25 miles of 78701")
    assert in_view(heading), "the count of results is below the first screen"
    first = page.locator("#results [data-clinic] h3 a").first
    assert in_view(first), "the first result's name is below the first screen"


def test_phone_filters_show_the_new_count_where_the_filter_was_changed(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/clinics/")
    page.locator("details.filters > summary").click()
    insurance = page.get_by_label("Insurance or payment")
    insurance.scroll_into_view_if_needed()
    insurance.focus()
    scrolled = page.evaluate("window.scrollY")

    insurance.select_option(label="Aetna")
    wait_for_htmx(page, insurance="aetna")

    count = page.get_by_role("link", name="Show")
    count_words = page.locator("#results-heading").inner_text().split(" within")[0]
    assert count.inner_text() == f"Show {count_words}"
    assert in_view(count), "the new count is not on screen beside the filters"
    assert in_view(insurance)
    assert page.evaluate("window.scrollY") == scrolled, "a filter change scrolled the page"
    assert page.evaluate("document.activeElement.id") == "id_insurance", "focus moved"

    count.click()
    assert in_view(page.locator("#results-heading"))
    assert page.evaluate("document.activeElement.id") == "results-heading"


def test_back_from_a_comparison_returns_to_the_search_it_came_from(page):
    page.goto("/clinics/?route=iv&sort=price&near=78701&radius=100")
    heading = page.locator("#results-heading").inner_text()
    assert heading.endswith("within 100 miles of 78701")
    cards = page.locator("#results [data-clinic]")
    cards.nth(0).get_by_label("Compare").check()
    cards.nth(1).get_by_label("Compare").check()
    page.get_by_role("button", name="Compare 2 clinics").first.click()
    page.wait_for_url("**/clinics/compare/**")
    assert "miles from 78701" in page.locator(".compare-table").inner_text()

    page.get_by_role("link", name="← Back to the clinic list").click()
    page.wait_for_url("**/clinics/?**")
    assert page.locator("#results-heading").inner_text() == heading
    assert query(page.url)["radius"] == ["100"] and query(page.url)["sort"] == ["price"]
    assert page.locator("#results input[name=clinic]:checked").count() == 2


def test_phone_comparison_never_hides_what_has_focus_under_its_sticky_labels(new_page):
    # WCAG 2.4.11: a link tabbed to in a scrolled column is not under the
    # row labels (sticky on the left) or the clinics' names (sticky on top).
    page = new_page(viewport={"width": 375, "height": 740})
    page.goto(_compare_four_url())
    covered, seen = [], []
    for _ in range(60):
        page.keyboard.press("Tab")
        found = page.evaluate(
            """() => {
                const element = document.activeElement;
                const region = element.closest('.table-scroll');
                if (!region || element === region || element.closest('thead')
                    || element.closest('th[scope=row]')) {
                    return region ? 'skip' : null;
                }
                const box = element.getBoundingClientRect();
                const label = region.querySelector('tbody th[scope=row]').getBoundingClientRect();
                const head = region.querySelector('thead').getBoundingClientRect();
                return {text: element.textContent.trim(), left: box.left, top: box.top,
                        labels: label.right, names: head.bottom};
            }"""
        )
        if found is None and seen:
            break  # out of the table again
        if found is None:
            continue
        seen.append(found)
        if isinstance(found, dict) and (
            found["left"] < found["labels"] - 1 or found["top"] < found["names"] - 1
        ):
            covered.append(found)
    assert len([item for item in seen if isinstance(item, dict)]) >= 8, seen
    assert covered == [], covered


def test_phone_comparison_keeps_the_clinic_names_in_sight_down_at_the_insurance_rows(new_page):
    page = new_page(viewport=PHONE)
    slugs = Clinic.objects.published().order_by("name").values_list("slug", flat=True)[:4]
    page.goto("/clinics/compare/?" + "&".join(f"clinic={slug}" for slug in slugs))
    region = page.get_by_role("region", name="Comparison of 4 clinics")
    # Down to the Insurance row and across to the last clinic, as a thumb does.
    page.locator(".compare-table th[scope=row]", has_text="Insurance").first.evaluate(
        "th => th.scrollIntoView({block: 'nearest'})"
    )
    region.evaluate("region => { region.scrollLeft = region.scrollWidth; }")
    seen = region.evaluate(
        """region => {
            const box = region.getBoundingClientRect();
            const row = [...region.querySelectorAll('th[scope=row]')]
                .find(th => th.textContent.trim() === 'Insurance').parentElement
                .getBoundingClientRect();
            const names = [...region.querySelectorAll('th[scope=col]')]
                .map(th => th.getBoundingClientRect())
                .filter(name => name.right > box.left + 1 && name.left < box.right - 1);
            return {
                insuranceShown: row.bottom > Math.max(...names.map(name => name.bottom)),
                names: names.map(name => name.top >= Math.max(box.top, 0) - 1
                                         && name.bottom <= innerHeight),
            };
        }"""
    )
    assert seen["insuranceShown"], seen
    assert seen["names"] and all(seen["names"]), "clinic names off screen at the Insurance row"
    # Each clinic can be called or reached from the table itself.
    assert page.locator(".contact-row td").count() == 4
    assert page.locator(".contact-row a[href^='tel:']").count() >= 1


def _top(page, selector):
    return page.locator(selector).first.evaluate("el => el.getBoundingClientRect().top")


def _bottom(page, selector):
    return page.locator(selector).last.evaluate("el => el.getBoundingClientRect().bottom")


def test_the_guides_on_a_condition_follow_the_filters(page):
    page.goto("/clinics/?condition=bipolar-depression")
    guides = page.locator("#results .search-guides")
    assert guides.get_by_role("link", name="Who is a candidate", exact=False).count() == 1
    mark_no_reload(page)

    page.get_by_label("Condition treated").select_option("ptsd")
    wait_for_htmx(page, condition="ptsd")
    assert guides.count() == 0, "the guides on the previous condition stayed on the page"
    page.get_by_label(IV_LABEL, exact=True).check()
    wait_for_htmx(page, condition="ptsd", route="iv")
    assert guides.locator("li").count() == 3
    assert_not_reloaded(page)
    assert page.console_errors == []


def test_phone_puts_the_guides_under_the_results_not_above_them(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/clinics/?condition=treatment-resistant-depression")
    first = page.locator("#results [data-clinic] h3 a").first
    assert in_view(first), "the first result's name is below the first screen"
    assert _top(page, ".search-guides") >= _bottom(page, "#results [data-clinic]")
    assert _top(page, ".directory-page > .lede") >= _bottom(page, ".search-guides")


def test_phone_comparison_never_hides_the_label_of_the_row_being_read(new_page):
    # The clinic names stay at the top of the table as it scrolls; a row
    # scrolled partly under them is still being read, and so is its label.
    page = new_page(viewport=PHONE)
    page.goto(_compare_four_url())
    region = page.get_by_role("region", name="Comparison of 4 clinics")
    region.scroll_into_view_if_needed()
    problems = region.evaluate(
        """region => {
            const head = region.querySelector('thead').getBoundingClientRect();
            const names = [...region.querySelectorAll('thead th[scope=col]')];
            const text = th => {
                const range = document.createRange();
                range.selectNodeContents(th);
                return [...range.getClientRects()].filter(r => r.width && r.height)
                    .reduce((box, r) => ({
                        top: Math.min(box.top, r.top), bottom: Math.max(box.bottom, r.bottom),
                        left: Math.min(box.left, r.left), right: Math.max(box.right, r.right),
                    }), {top: Infinity, bottom: -Infinity, left: Infinity, right: -Infinity});
            };
            const problems = [];
            let checked = 0;
            const places = [];
            for (const th of region.querySelectorAll('tbody th[scope=row]')) {
                region.scrollTop = 0;
                const start = text(th);
                const height = start.bottom - start.top;
                const row = th.parentElement.getBoundingClientRect();
                // The label's middle at the foot of the header (half of it under
                // the header, were nothing done about it); and the row scrolled
                // as far as it goes while a label's height of it is in sight.
                places.push([th, height, start.top + height / 2 - head.bottom]);
                places.push([th, height, row.bottom - head.bottom - height - 2]);
            }
            for (const [th, height, scrollTop] of places) {
                region.scrollTop = scrollTop;
                const row = th.parentElement.getBoundingClientRect();
                const box = region.getBoundingClientRect();
                if (row.bottom - head.bottom < height) continue;  // the next row is being read
                checked += 1;
                const label = text(th);
                const name = `${th.textContent.trim()} at ${Math.round(region.scrollTop)}`;
                if (label.top < Math.max(box.top, 0) - 0.5 || label.bottom > innerHeight + 0.5) {
                    problems.push(`${name}: out of sight`);
                }
                for (const cell of names) {
                    const r = cell.getBoundingClientRect();
                    if (r.left < label.right && r.right > label.left
                        && r.top < label.bottom && r.bottom > label.top) {
                        problems.push(`${name}: overlaps a clinic's name`);
                    }
                }
                // Whatever is drawn over the label's text is the label itself.
                const across = (low, high) => [low + 1, (low + high) / 2, high - 1];
                for (const y of across(label.top, label.bottom)) {
                    for (const x of across(label.left, label.right)) {
                        if (!th.contains(document.elementFromPoint(x, y))) {
                            problems.push(`${name}: covered at ${Math.round(x)},${Math.round(y)}`);
                        }
                    }
                }
            }
            return {checked, problems};
        }"""
    )
    assert problems["checked"] >= 10, problems
    assert problems["problems"] == []


class HeldSearches:
    """
    The directory's htmx requests, held on their way until let go, so that a
    test can act while a search is in flight and choose the order answers land.
    """

    def __init__(self, page):
        self.page = page
        self.held = []
        page.route(lambda url: "/clinics/" in url, self._hold)

    def _hold(self, route):
        if route.request.headers.get("hx-request"):
            self.held.append(route)
        else:
            route.continue_()

    def wait_for(self, count):
        deadline = time.monotonic() + 5
        while len(self.held) < count:
            assert time.monotonic() < deadline, f"expected {count} searches, saw {len(self.held)}"
            self.page.wait_for_timeout(50)

    def release(self):
        """Let the held requests go one by one, oldest first, each answered before the next."""
        while self.held:
            route = self.held.pop(0)
            with contextlib.suppress(PlaywrightError):  # aborted by htmx while held
                route.continue_()
            self.page.wait_for_timeout(300)
        self.page.wait_for_function("() => !document.querySelector('.htmx-request')")


def test_a_page_pressed_while_a_search_is_on_its_way_never_overwrites_it(page):
    insurance = page.get_by_label("Insurance or payment")
    # A page button pressed while the search is in flight, and a search started
    # while a page is: either way the results are those of the filters shown.
    for press_page_first in (False, True):
        page.goto("/clinics/")
        mark_no_reload(page)
        held = HeldSearches(page)
        if press_page_first:
            page.get_by_role("button", name="Next →").click()
            held.wait_for(1)
        insurance.focus()  # as a visitor's click or Tab does, leaving the button
        insurance.select_option(label="Aetna")
        held.wait_for(2 if press_page_first else 1)
        if not press_page_first:
            page.get_by_role("button", name="Next →").click()
            page.wait_for_timeout(300)
        held.release()
        page.unroute_all()

        assert_not_reloaded(page)
        assert insurance.input_value() == "aetna"
        assert query(page.url).get("insurance") == ["aetna"], page.url
        assert "page" not in query(page.url), page.url
        shown = result_slugs(page), page.locator("#results-heading").inner_text()
        page.goto(page.url)
        assert (result_slugs(page), page.locator("#results-heading").inner_text()) == shown


def test_a_box_ticked_or_unticked_while_a_search_is_on_its_way_stays_so(page):
    page.goto("/clinics/?sort=name")
    mark_no_reload(page)
    prices = result_prices(page)
    iv = [slug for slug, offers in prices.items() if any(r == "iv" for r, _, _ in offers)]
    other = [slug for slug, offers in prices.items() if all(r != "iv" for r, _, _ in offers)]
    unticked, ticked, in_the_delay, gone = iv[0], iv[1], iv[2], other[0]

    def box(slug):
        return page.locator(f'#results input[name="clinic"][value="{slug}"]')

    box(unticked).check()
    held = HeldSearches(page)
    page.get_by_label(IV_LABEL, exact=True).check()
    box(in_the_delay).check()  # before the 400 ms are up
    held.wait_for(1)
    box(unticked).uncheck()
    box(ticked).check()
    box(gone).check()  # a clinic the IV search does not list
    held.release()
    page.unroute_all()

    assert_not_reloaded(page)
    assert query(page.url)["route"] == ["iv"]
    assert gone not in result_slugs(page)
    assert sorted(query(page.url)["clinic"]) == sorted([in_the_delay, ticked, gone])
    assert not box(unticked).is_checked()
    assert box(ticked).is_checked() and box(in_the_delay).is_checked()
    kept = page.locator(".compared-elsewhere").get_by_role("checkbox", checked=True)
    assert kept.evaluate_all("boxes => boxes.map(box => box.value)") == [gone]
    assert page.get_by_role("button", name="Compare 3 clinics").count() >= 1
    page.get_by_role("button", name="Compare 3 clinics").first.click()
    page.wait_for_url("**/clinics/compare/**")
    assert sorted(query(page.url)["clinic"]) == sorted([in_the_delay, ticked, gone])
    assert page.page_errors == []


def test_a_rejected_zip_code_is_announced_and_marked_invalid_with_javascript(page):
    page.goto("/clinics/")
    mark_no_reload(page)
    zip_code = page.get_by_label("Near ZIP code")
    field = page.locator(".field", has=zip_code)
    zip_code.fill("00000")
    zip_code.press("Enter")
    wait_for_htmx(page, near="00000")

    live = page.locator("#live-count")
    assert "ZIP 00000" in live.inner_text(), live.inner_text()
    assert live.inner_text().startswith(page.locator("#results-heading").inner_text())
    assert zip_code.get_attribute("aria-invalid") == "true"
    assert "has-error" in field.get_attribute("class").split()
    assert page.evaluate("document.activeElement.id") == "id_near"
    assert zip_code.input_value() == "00000"

    zip_code.fill("78701")
    zip_code.press("Enter")
    wait_for_htmx(page, near="78701")
    assert live.inner_text().endswith("clinics found."), live.inner_text()
    assert zip_code.get_attribute("aria-invalid") is None
    assert "has-error" not in field.get_attribute("class").split()
    assert page.evaluate("document.activeElement.id") == "id_near"
    assert_not_reloaded(page)


def test_enter_on_a_tick_box_does_not_search_again(page):
    page.goto("/clinics/")
    first = page.locator("#results [data-clinic]").first
    first.get_by_label("Compare").check()
    page.get_by_role("button", name="Next →").click()
    wait_for_htmx(page, page="2")
    page.wait_for_function("() => document.activeElement.id === 'results-heading'")
    address, entries = page.url, page.evaluate("history.length")
    searches = []
    page.on("request", lambda request: "/clinics/" in request.url and searches.append(request))

    kept = page.locator(".compared-elsewhere input[name=clinic]")
    card_box = page.locator("#results [data-clinic] input[name=clinic]").first
    for box in (card_box, kept):
        box.focus()
        box.press("Enter")
    page.wait_for_timeout(700)

    assert [request.url for request in searches] == []
    assert page.url == address and page.evaluate("history.length") == entries
    assert kept.is_checked() and not card_box.is_checked()


def _compare_spravato_url():
    slugs = (
        Clinic.objects.published()
        .filter(offerings__route="spravato")
        .order_by("name")
        .values_list("slug", flat=True)[:4]
    )
    return "/clinics/compare/?" + "&".join(f"clinic={slug}" for slug in slugs)


@pytest.mark.parametrize("url", [_compare_four_url, _compare_spravato_url], ids=["any", "spravato"])
def test_phone_comparison_hides_the_labels_of_rows_gone_under_the_names(new_page, url):
    # A row whose cells have all scrolled under the clinics' names is not being
    # read: its label goes under the names with it, rather than piling up in
    # the corner with the labels of the rows before it.
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto(url())
    region = page.get_by_role("region", name="Comparison of 4 clinics")
    region.scroll_into_view_if_needed()
    found = region.evaluate(
        """region => {
            const found = {checked: 0, shown: []};
            for (let top = 0; top <= region.scrollHeight - region.clientHeight; top += 10) {
                region.scrollTop = top;
                // The cells stick, not the row group: where the names are now.
                const head = Math.max(...[...region.querySelectorAll('thead th')]
                    .map(th => th.getBoundingClientRect().bottom));
                for (const th of region.querySelectorAll('tbody th[scope=row]')) {
                    const row = th.parentElement.getBoundingClientRect();
                    if (row.bottom > head + 0.5) continue;
                    found.checked += 1;
                    const range = document.createRange();
                    range.selectNodeContents(th);
                    for (const r of range.getClientRects()) {
                        if (!r.width || !r.height) continue;
                        const x = r.left + r.width / 2, y = r.top + r.height / 2;
                        if (th.contains(document.elementFromPoint(x, y))) {
                            found.shown.push(`${th.textContent.trim()} at ${region.scrollTop}`);
                        }
                    }
                }
            }
            return found;
        }"""
    )
    assert found["checked"] >= 10, found
    assert found["shown"] == []


def test_a_long_url_in_a_clinics_hours_or_address_never_widens_the_phone_page(new_page):
    # Staff write what they like there; a booking link is one long word.
    link = "https://clinic.example/book?utm_source=guide&utm_campaign=" + "new-patient-intake-" * 5
    clinic = Clinic.objects.published().first()
    clinic.hours = f"Saturday by appointment: {link}"
    clinic.street_address = "Suite " + "9" * 60
    clinic.save()
    page = new_page(viewport=PHONE)
    page.goto(clinic.get_absolute_url())
    assert link in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
