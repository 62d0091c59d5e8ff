"""Clinics ticked to compare stay ticked through pages of results and changed filters."""

import re

import pytest

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
    compare_form = text[
        text.index('<form id="compare-form"') : text.index(
            "</form>", text.index('<form id="compare-form"')
        )
    ]
    assert "Also ticked to compare" in compare_form
    assert 'value="clinic-22" id="compare-kept-clinic-22" checked' in compare_form
    assert "Clinic 22, Austin, TX" in compare_form
    assert "Tick two to four clinics, on any page" in text


def test_paging_carries_the_ticked_clinics(client, directory):
    text = client.get("/clinics/?clinic=clinic-03").text
    link = re.search(r'<a rel="next" href="([^"]+)" hx-get="([^"]+)" hx-include="([^"]+)"', text)
    href, hx_get, include = (part.replace("&amp;", "&") for part in link.groups())
    # Without JavaScript the link keeps what was ticked when the page loaded;
    # htmx sends what is ticked when Next is chosen, so it is not in its URL.
    assert href == "?clinic=clinic-03&page=2"
    assert hx_get == "?page=2"
    assert include == "#results"
    assert 'hx-include="#results"' in text.split('class="filter-form"')[1][:600]


def test_the_compare_button_carries_the_zip_and_htmx_cannot_send_it_twice(client, directory):
    text = client.get("/clinics/?near=78701").text
    results = text[text.index('<section id="results"') :]
    # A hidden ZIP field inside #results would go with every htmx request
    # beside the filter form's own, and the older of the two could win.
    assert not re.search(
        r'<(input|select|textarea)[^>]*name="near"', results.split("</section>")[0]
    )
    assert (
        '<button type="submit" class="button button-secondary" name="near" value="78701">' in text
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
    assert "Compare selected" in text


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
        '<button type="submit" form="compare-form" class="button button-secondary" '
        'name="near" value="78701">Compare the ticked clinics</button>'
    ) in below


def test_a_new_search_without_javascript_carries_the_ticked_clinics(client, directory):
    text = client.get("/clinics/?clinic=clinic-22&clinic=clinic-03").text
    form = text[
        text.index('<form class="filter-form"') : text.index(
            "</form>", text.index('<form class="filter-form"')
        )
    ]
    # Inside <noscript>: with JavaScript on, htmx sends the boxes ticked at
    # that moment instead, and an unticked clinic must not come back.
    carried = re.search(r"<noscript>(.*?)</noscript>", form).group(1)
    assert re.findall(r'<input type="hidden" name="clinic" value="([^"]+)">', carried) == [
        "clinic-22",
        "clinic-03",
    ]
    assert 'name="clinic"' not in form.replace(carried, "")
