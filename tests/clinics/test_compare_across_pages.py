"""Clinics ticked to compare stay ticked through pages of results and changed filters."""

import re

import pytest
from django.test import override_settings

from tests.builders import make_clinic
from tests.pages import slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    """Two pages of clinics, named so that their order is known."""
    return [make_clinic(f"Clinic {number:02}", slug=f"clinic-{number:02}") for number in range(25)]


def checked_boxes(text):
    return re.findall(r'<input type="checkbox" name="clinic" value="([^"]+)"[^>]*checked', text)


def test_a_clinic_ticked_on_another_page_is_kept_in_the_compare_form(client, directory):
    text = client.get("/clinics/?clinic=clinic-22&clinic=clinic-03").text

    assert slugs(text)[0] == "clinic-00"
    assert checked_boxes(text) == ["clinic-22", "clinic-03"]
    compare_form = between(text, '<div id="compare-form"', "</fieldset>")
    assert "Also ticked to compare" in compare_form
    assert 'value="clinic-22" id="compare-kept-clinic-22" checked' in compare_form
    assert "Clinic 22, Austin, TX" in compare_form
    assert "Tick two to four clinics, on any page" in text


def between(text, start, end):
    """The first stretch of `text` from `start` up to the next `end`."""
    begin = text.index(start)
    return text[begin : text.index(end, begin)]


def page_buttons(text):
    """[(page, the button's attributes)] for each button of the pagination, in order."""
    nav = between(text, '<nav class="pagination"', "</nav>")
    return [
        (value, attributes)
        for attributes, value in re.findall(r'<button ([^>]*name="page" value="(\d+)"[^>]*)>', nav)
    ]


def test_without_javascript_the_page_buttons_send_the_boxes_ticked_since_the_page_loaded(
    client, directory
):
    # Links were written before any box was ticked, so a tick then "Next" was
    # lost; buttons of the form that holds the boxes send them as they are.
    text = client.get("/clinics/?near=78701&radius=100&sort=name&clinic=clinic-03").text
    buttons = page_buttons(text)
    assert [number for number, _ in buttons] == ["2", "2"]  # "2" and "Next"
    for _, attributes in buttons:
        assert 'type="submit" form="filter-form" formaction="/clinics/"' in attributes
    # The search goes with them from that form's own fields: no copy of it.
    form = between(text, '<form id="filter-form"', "</form>")
    assert 'name="near" id="id_near" value="78701"' in form
    assert '<option value="100" selected>' in form
    assert "<noscript>" not in text


def test_the_page_buttons_of_a_place_page_stay_on_it(client, directory):
    text = client.get("/clinics/in/tx/").text
    assert 'formaction="/clinics/in/tx/"' in dict(page_buttons(text))["2"]


def test_without_javascript_the_search_is_carried_without_its_empty_fields(client, directory):
    # As the filter form sends it without JavaScript: every field, most empty.
    text = client.get(
        "/clinics/?route=iv&max_price=&insurance=&near=&radius=25&state=&city=&sort=name"
        "&clinic=clinic-03&page=1",
        follow=True,  # to the address without them
    ).text
    # What the page writes from it (the way back from a comparison, the other
    # pages), without them. A distance means nothing without a ZIP code, as
    # directory.js has it.
    assert (
        re.findall(r'name="back" value="([^"]*)"', text) == ["/clinics/?route=iv&amp;sort=name"] * 2
    )
    assert '<link rel="next" href="/clinics/?route=iv&amp;sort=name&amp;page=2">' in text


def test_with_htmx_the_page_buttons_send_the_search_and_the_boxes_ticked_now(client, directory):
    text = client.get("/clinics/?sort=name&clinic=clinic-03").text
    nav = between(text, '<nav class="pagination"', ">")
    # Inherited by every button: htmx sends the boxes ticked when one is pressed.
    assert 'hx-include="#results" hx-target="#results" hx-push-url="true"' in nav
    # The button adds its page itself, and the boxes their clinics.
    assert 'hx-get="/clinics/?sort=name"' in dict(page_buttons(text))["2"]
    plain = client.get("/clinics/?clinic=clinic-03").text
    assert 'hx-get="/clinics/"' in dict(page_buttons(plain))["2"]


def test_an_htmx_fragment_holds_no_copy_of_the_search(client, directory):
    # htmx parses a fragment with scripting off, so inputs inside <noscript>
    # would become real ones and go with every search beside the form's own.
    fragment = client.get(
        "/clinics/?sort=name&clinic=clinic-03", headers={"HX-Request": "true"}
    ).text
    assert "<noscript>" not in fragment
    assert 'name="page" value="2"' in fragment


def test_pagination_is_a_labelled_list_of_pages_with_the_current_one_marked(client, directory):
    with override_settings(CLINICS_PER_PAGE=3):
        text = client.get("/clinics/?page=5").text  # 9 pages
    nav = between(text, '<nav class="pagination"', "</nav>")
    assert 'aria-label="Pages of results"' in nav
    assert re.findall(
        r'aria-current="page"><span class="visually-hidden">Page </span>(\d+)<', nav
    ) == ["5"]
    assert [number for number, _ in page_buttons(text)] == ["4", "1", "4", "6", "9", "6"]
    assert "← Previous" in nav and "Next →" in nav
    assert nav.count("…") == 2


def test_crawlers_reach_the_other_pages_of_a_plain_listing(client, directory):
    # Search engines follow links, not buttons: the head names the next and
    # previous pages of the same search, without anyone's ticks.
    first = client.get("/clinics/?sort=name&clinic=clinic-03").text
    head = between(first, "<head>", "</head>")
    assert '<link rel="next" href="/clinics/?sort=name&amp;page=2">' in head
    assert 'rel="prev"' not in head
    second = between(client.get("/clinics/?page=2&clinic=clinic-03").text, "<head>", "</head>")
    assert '<link rel="prev" href="/clinics/">' in second
    assert 'rel="next"' not in second


def test_the_compare_button_carries_the_zip_and_htmx_cannot_send_it_twice(client, directory):
    text = client.get("/clinics/?near=78701").text
    results = text[text.index('<section id="results"') :].split("</section>")[0]
    # A hidden ZIP field inside #results would go with every htmx request
    # beside the filter form's own, and the older of the two could win. The
    # copy inside <noscript> is there only without JavaScript (and never in
    # the fragment htmx swaps in).
    assert not re.search(
        r'<(input|select|textarea)[^>]*name="near"',
        re.sub(r"<noscript>.*?</noscript>", "", results),
    )
    # The Compare buttons send it inside the search they were pressed in.
    assert (
        '<button type="submit" form="filter-form" formaction="/clinics/compare/" '
        'class="button button-secondary" name="back" value="/clinics/?near=78701">' in text
    )


def test_the_next_page_shows_its_own_ticked_clinic_checked_and_the_rest_in_the_form(
    client, directory
):
    text = client.get(
        "/clinics/?clinic=clinic-03&clinic=clinic-22&page=2", headers={"HX-Request": "true"}
    ).text
    assert slugs(text)[0] == "clinic-20"
    assert checked_boxes(text) == ["clinic-03", "clinic-22"]
    assert 'id="compare-kept-clinic-03"' in text and 'id="compare-kept-clinic-22"' not in text


def test_a_search_with_no_results_keeps_the_ticked_clinics(client, directory):
    text = client.get("/clinics/?clinic=clinic-03&route=kap").text
    assert "No clinics match" in text
    assert checked_boxes(text) == ["clinic-03"]
    assert compare_buttons(text) == ["Compare 1 clinic"]


@pytest.mark.parametrize("junk", ["gone", "\x00", "a b", "<b>", "x" * 5000])
def test_a_clinic_no_one_can_compare_is_left_out(client, directory, junk):
    response = client.get("/clinics/", {"clinic": [junk, "clinic-22"]})
    assert response.status_code == 200
    assert checked_boxes(response.text) == ["clinic-22"]


def test_ticked_clinics_cost_one_query_whatever_their_number(
    client, directory, django_assert_max_num_queries
):
    client.get("/clinics/")  # warm the cached vocabulary and directory figures
    with django_assert_max_num_queries(4):
        text = client.get(
            "/clinics/", {"clinic": ["clinic-01", "clinic-21", "clinic-22", "clinic-23"]}
        ).text
    assert checked_boxes(text) == ["clinic-21", "clinic-22", "clinic-23", "clinic-01"]


def test_the_ticked_clinics_can_be_compared_from_below_the_list_too(client, directory):
    text = client.get("/clinics/?near=78701").text
    below = text[text.index("</ol>") :]
    assert (
        '<button type="submit" form="filter-form" formaction="/clinics/compare/" '
        'class="button button-secondary" name="back" value="/clinics/?near=78701">'
        '<span class="ticked-count">Compare selected</span>'
    ) in below


def test_a_new_search_without_javascript_carries_the_ticked_clinics(client, directory):
    text = client.get("/clinics/?clinic=clinic-22&clinic=clinic-03").text
    form = between(text, '<form id="filter-form" class="filter-form"', "</form>")
    # The boxes themselves belong to the form (form="filter-form"): no copy of
    # the address's ticks inside it, which would bring back an unticked clinic.
    assert 'name="clinic"' not in form
    assert checked_boxes(text) == ["clinic-22", "clinic-03"]
    for slug in ("clinic-22", "clinic-03"):
        assert re.search(rf'value="{slug}"[^>]*form="filter-form"', text)


def test_clear_all_resets_the_search_and_keeps_the_ticked_clinics(client, directory):
    response = client.get(
        "/clinics/?route=iv&near=78701&sort=name&clinic=clinic-03&clinic=clinic-22&page=2&clear=1"
    )
    assert response.status_code == 302
    assert response["Location"] == "/clinics/?clinic=clinic-03&clinic=clinic-22"
    assert checked_boxes(client.get(response["Location"]).text) == ["clinic-22", "clinic-03"]
    assert client.get("/clinics/?route=iv&clear=1")["Location"] == "/clinics/"


def test_clear_all_sends_the_boxes_ticked_now_from_any_page(client, directory):
    # A link would carry only what was ticked when the page loaded.
    for url in ("/clinics/?route=iv", "/clinics/in/tx/?sort=name"):
        text = client.get(url).text
        actions = between(text, '<div class="form-actions">', "</div>")
        assert (
            '<button type="submit" formaction="/clinics/" name="clear" '
            'value="1" class="link-button">Clear all<span class="visually-hidden"> filters</span>'
            "</button>"
        ) in actions


def test_clear_all_still_works_when_a_search_finds_nothing_and_nothing_is_ticked(client, directory):
    # The filter form stays while htmx swaps the results; the compare box, whose
    # count directory.js reads, is there whatever the results.
    for headers in ({}, {"HX-Request": "true"}):
        text = client.get("/clinics/?route=kap", headers=headers).text
        assert "No clinics match" in text
        assert '<div id="compare-form"' in text
    empty_state = between(text, '<div class="empty-state">', "</div>")
    assert 'form="filter-form" formaction="/clinics/" name="clear" value="1"' in empty_state


def test_untick_all_is_offered_once_a_clinic_is_ticked(client, directory):
    text = client.get("/clinics/?sort=name&clinic=clinic-03&clinic=clinic-22&page=2").text
    link = re.search(r'<a class="untick-all" href="([^"]+)">(.*?)</a>', text)
    assert link.group(1).replace("&amp;", "&") == "/clinics/?sort=name&page=2"
    assert link.group(2).startswith("Untick all")
    # Hidden until then; directory.js shows it as boxes are ticked.
    assert '<a class="untick-all" href="/clinics/" hidden>' in client.get("/clinics/").text


def compare_buttons(text):
    """What each Compare button says, as the server counted the ticks."""
    return re.findall(r'<span class="ticked-count">([^<]*)</span>', text)


@pytest.mark.parametrize(
    ("ticked", "label"),
    [
        ([], "Compare selected"),
        (["clinic-03"], "Compare 1 clinic"),
        # Slugs no clinic has are not ticked boxes, so they are not counted.
        (["clinic-03", "gone", "clinic-22"], "Compare 2 clinics"),
        (["clinic-03", "clinic-04", "clinic-22", "clinic-23"], "Compare 4 clinics"),
        (
            ["clinic-03", "clinic-04", "clinic-05", "clinic-22", "clinic-23"],
            "Compare 4 of 5 clinics",
        ),
    ],
)
def test_the_compare_buttons_say_how_many_clinics_are_ticked(client, directory, ticked, label):
    for headers in ({}, {"HX-Request": "true"}):
        text = client.get("/clinics/", {"clinic": ticked}, headers=headers).text
        assert compare_buttons(text) == [label, label]  # above the list and below it
        assert f'data-ticked="{len(ticked) - ("gone" in ticked)}"' in text


def test_more_than_four_ticked_says_compare_takes_four_at_a_time(client, directory):
    four = client.get("/clinics/", {"clinic": ["clinic-01", "clinic-02", "clinic-03", "clinic-21"]})
    assert '<p id="compare-limit" class="compare-limit" hidden>' in four.text
    five = client.get(
        "/clinics/", {"clinic": ["clinic-01", "clinic-02", "clinic-03", "clinic-21", "clinic-22"]}
    )
    assert '<p id="compare-limit" class="compare-limit">' in five.text
    assert "Compare takes at most four clinics at a time" in five.text
    assert 'data-compare-max="4"' in five.text


def test_the_ticks_are_announced_from_a_live_region_that_stays_put(client, directory):
    # Outside #results, so that htmx never replaces it (a new live region says
    # nothing), and empty: only what is ticked from now on is announced.
    text = client.get("/clinics/?clinic=clinic-03").text
    results_end = text.index("</section>", text.index('<section id="results"'))
    live = text.index('<p id="ticked-live" class="visually-hidden" aria-live="polite"></p>')
    assert live > results_end
    fragment = client.get("/clinics/?clinic=clinic-03", headers={"HX-Request": "true"}).text
    assert "ticked-live" not in fragment


def test_counting_the_ticks_costs_no_query(client, directory, django_assert_max_num_queries):
    client.get("/clinics/")  # warm the cached vocabulary and directory figures
    with django_assert_max_num_queries(4):
        text = client.get("/clinics/", {"clinic": ["clinic-01", "clinic-21", "clinic-22"]}).text
    assert compare_buttons(text) == ["Compare 3 clinics"] * 2


def test_every_box_ticked_to_compare_goes_with_the_filter_form(client, directory):
    # Without JavaScript only the form a box belongs to sends it: a box of the
    # filter form goes with "Show clinics" as it is ticked now.
    text = client.get("/clinics/?clinic=clinic-22&clinic=clinic-03").text
    assert '<form id="filter-form" class="filter-form"' in text
    boxes = re.findall(r'<input type="checkbox" name="clinic"[^>]*>', text)
    assert len(boxes) == 21  # the page's 20 and the one ticked on page 2
    assert all('form="filter-form"' in box for box in boxes)
    # No copy of the address's ticks beside them, which would bring back one unticked.
    assert not re.search(r'<input type="hidden" name="clinic"', text)


def test_every_button_that_sends_the_ticks_belongs_to_the_filter_form(client, directory):
    text = client.get("/clinics/?sort=name&clinic=clinic-03").text
    for _, attributes in page_buttons(text):
        assert 'form="filter-form" formaction="/clinics/"' in attributes
    compare = re.findall(r'<button type="submit" ([^>]*)name="back"', text)
    assert (
        compare
        == ['form="filter-form" formaction="/clinics/compare/" class="button button-secondary" ']
        * 2
    )
    actions = between(text, '<div class="form-actions">', "</div>")
    assert '<button type="submit" id="show-clinics" class="button">Show clinics</button>' in actions
    assert 'formaction="/clinics/" name="clear" value="1"' in actions
    empty = client.get("/clinics/?route=kap&clinic=clinic-03").text
    empty_state = between(empty, '<div class="empty-state">', "</div>")
    assert 'form="filter-form" formaction="/clinics/" name="clear" value="1"' in empty_state


def test_a_comparison_sent_the_whole_filter_form_keeps_only_its_clinics_and_way_back(
    client, directory
):
    # As the Compare buttons send it: every field of the filter form, most empty.
    response = client.get(
        "/clinics/compare/?route=&max_price=&insurance=&near=&radius=25&state=&city="
        "&condition=&sort=name&clinic=clinic-03&clinic=clinic-22&back=%2Fclinics%2F%3Fsort%3Dname"
    )
    assert response.status_code == 302
    assert response["Location"] == (
        "/clinics/compare/?clinic=clinic-03&clinic=clinic-22&back=%2Fclinics%2F%3Fsort%3Dname"
    )


def test_the_suggestions_of_an_empty_search_keep_the_clinics_ticked(client, directory):
    # Links: they carry the ticks the address has (a box ticked since the page
    # loaded goes with "Show clinics" or a button, not with a link).
    text = client.get("/clinics/?route=kap&clinic=clinic-03&clinic=clinic-22").text
    empty_state = between(text, '<div class="empty-state">', "</ul>")
    links = re.findall(r'<a href="([^"]+)">', empty_state)
    assert links
    for link in links:
        assert link.replace("&amp;", "&").endswith("clinic=clinic-03&clinic=clinic-22"), link


def test_a_search_sent_without_javascript_costs_no_more_queries_with_its_ticks(
    client, directory, django_assert_max_num_queries
):
    # As "Show clinics" sends it now: every field, and the boxes ticked.
    client.get("/clinics/")  # warm the cached vocabulary and directory figures
    url = (
        "/clinics/?route=&max_price=&insurance=&near=&radius=25&state=&city=&condition=&sort=name"
        "&clinic=clinic-03&clinic=clinic-22&clinic=clinic-23&page=2"
    )
    with django_assert_max_num_queries(4):
        text = client.get(url, follow=True).text  # to the address without them
    assert checked_boxes(text) == ["clinic-03", "clinic-22", "clinic-23"]


EIGHT = [f"clinic-{number:02}" for number in (1, 2, 3, 4, 5, 21, 22, 23)]


def test_with_eight_ticked_the_other_boxes_wait_and_say_why(client, directory):
    text = client.get("/clinics/", {"clinic": EIGHT}).text
    boxes = re.findall(r'<input type="checkbox" name="clinic" value="([^"]+)"([^>]*)>', text)
    assert {slug for slug, attributes in boxes if "disabled" not in attributes} == set(EIGHT)
    assert all("checked" in attributes for _, attributes in boxes if "disabled" not in attributes)
    assert '<p id="carry-limit" class="compare-limit">' in text
    assert "You have ticked eight clinics, the most kept at once" in text
    assert 'data-carried-max="8"' in text
    seven = client.get("/clinics/", {"clinic": EIGHT[:7]}).text
    assert "disabled" not in " ".join(
        re.findall(r'<input type="checkbox" name="clinic"[^>]*>', seven)
    )
    assert '<p id="carry-limit" class="compare-limit" hidden>' in seven


def test_more_than_eight_ticked_says_which_were_left_out(client, directory):
    # Sent without JavaScript, or from an address written by hand.
    asked = [*EIGHT, "clinic-06", "clinic-07"]
    text = client.get("/clinics/", {"clinic": asked}).text
    assert sorted(checked_boxes(text)) == sorted(EIGHT)
    assert "The last 2 you ticked were left out." in text

    compared = client.get("/clinics/compare/", {"clinic": asked}).text
    assert (
        "You ticked 10 clinics; we keep eight at a time, so the last 2 were left out." in compared
    )
    assert "Clinic 06" not in compared and "Clinic 07" not in compared
