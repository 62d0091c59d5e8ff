import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.builders import make_clinic, make_member

pytestmark = pytest.mark.django_db

CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


@pytest.fixture
def pair():
    return make_clinic("Beta Clinic", slug="beta"), make_clinic("Alpha Clinic", slug="alpha")


def test_a_comparison_has_one_address_whatever_the_order_or_zip(client, pair):
    first = client.get("/clinics/compare/?clinic=beta&clinic=alpha&near=78701").text
    second = client.get("/clinics/compare/?clinic=alpha&clinic=beta").text
    expected = "http://testserver/clinics/compare/?clinic=alpha&amp;clinic=beta"
    assert CANONICAL.findall(first) == CANONICAL.findall(second) == [expected]
    assert "noindex" not in first and "noindex" not in second


@pytest.mark.parametrize("query", ["", "clinic=alpha", "clinic=alpha&clinic=gone"])
def test_fewer_than_two_clinics_is_kept_out_of_search(client, pair, query):
    text = client.get(f"/clinics/compare/?{query}").text
    assert '<meta name="robots" content="noindex">' in text
    assert not CANONICAL.search(text)


def test_robots_let_crawlers_reach_comparisons(client):
    robots = client.get("/robots.txt").text
    assert "Disallow: /admin/" in robots and "compare" not in robots


def test_a_slug_no_clinic_could_have_is_dropped_with_a_note(client, pair):
    # PostgreSQL refuses text with a NUL byte outright; that was a 500.
    response = client.get("/clinics/compare/", {"clinic": ["alpha", "be\x00ta", "beta"]})
    assert response.status_code == 200
    assert 'data-clinic="alpha"' in response.text and 'data-clinic="beta"' in response.text
    assert "not listed any more" in response.text


def test_series_cost_says_whether_it_is_an_estimate_or_a_package(client):
    make_clinic(slug="estimate", offerings={"iv": (400, 450)})
    make_clinic(
        slug="package",
        offerings={"iv": {"price_min": 450, "price_max": 450, "series_price": 2400}},
    )
    text = client.get("/clinics/compare/?clinic=estimate&clinic=package").text
    assert "6-session series about $2,400 to $2,700" in text
    assert "6-session package: $2,400" in text


def hrefs(text, selector):
    """The addresses of links whose markup follows `selector` (a literal prefix)."""
    return [
        href.replace("&amp;", "&")
        for href in re.findall(re.escape(selector) + r'[^>]*?<a href="([^"]+)"', text, re.S)
    ]


def test_a_clinic_page_starts_a_comparison_with_itself(client, pair):
    text = client.get("/clinics/alpha/").text
    assert '<a href="/clinics/compare/?clinic=alpha">Compare these prices' in text


def test_each_clinic_can_be_removed_and_the_rest_stay(client, pair):
    make_clinic("Gamma Clinic", slug="gamma")
    text = client.get("/clinics/compare/?clinic=beta&clinic=alpha&clinic=gamma&near=78701").text
    removes = re.findall(r'<a href="([^"]+)">Remove<span class="visually-hidden"> (.+?) from', text)
    assert [(href.replace("&amp;", "&"), name) for href, name in removes] == [
        ("/clinics/compare/?clinic=alpha&clinic=gamma&near=78701", "Beta Clinic"),
        ("/clinics/compare/?clinic=beta&clinic=gamma&near=78701", "Alpha Clinic"),
        ("/clinics/compare/?clinic=beta&clinic=alpha&near=78701", "Gamma Clinic"),
    ]


def test_a_clinic_from_another_page_or_city_is_found_by_name_or_city_and_added(client, pair):
    make_clinic("Harbor Light Ketamine", slug="harbor-denver", city="Denver", state="CO")
    make_clinic("Harbor Ketamine Austin", slug="harbor-austin")
    make_clinic("Mile High Infusions", slug="mile-high", city="Denver", state="CO")

    text = client.get("/clinics/compare/", {"clinic": ["alpha"], "find": " harbor  denver "}).text

    assert 'value=" harbor  denver "' in text  # kept as typed
    assert "Clinics matching “harbor  denver”" in text
    assert re.findall(r'data-candidate="([^"]+)"', text) == ["harbor-denver"]
    assert hrefs(text, 'data-candidate="harbor-denver">') == [
        "/clinics/compare/?clinic=alpha&clinic=harbor-denver"
    ]
    # The box carries the comparison so far.
    assert '<input type="hidden" name="clinic" value="alpha">' in text

    by_city = client.get("/clinics/compare/", {"clinic": ["alpha"], "find": "DENVER"}).text
    assert re.findall(r'data-candidate="([^"]+)"', by_city) == ["harbor-denver", "mile-high"]


def test_clinics_already_compared_are_not_offered_again(client, pair):
    text = client.get("/clinics/compare/", {"clinic": ["alpha"], "find": "clinic"}).text
    assert re.findall(r'data-candidate="([^"]+)"', text) == ["beta"]


def test_without_words_the_other_clinics_in_the_first_clinics_city_are_offered(client, pair):
    make_clinic("Elsewhere", slug="elsewhere", city="Denver", state="CO")
    text = client.get("/clinics/compare/?clinic=alpha").text
    assert "Other clinics in Austin, TX" in text
    assert re.findall(r'data-candidate="([^"]+)"', text) == ["beta"]
    assert "Pick at least one more clinic" in text


def test_a_search_that_finds_nothing_says_so_and_keeps_the_words(client, pair):
    text = client.get("/clinics/compare/", {"clinic": ["alpha"], "find": "Zzyzx"}).text
    assert "No listed clinic has “Zzyzx” in its name or city" in text
    assert 'value="Zzyzx"' in text


def test_a_long_list_of_matches_says_it_is_cut_short(client):
    for number in range(10):
        make_clinic(f"Sunrise Ketamine {number}", slug=f"sunrise-{number}")
    text = client.get("/clinics/compare/", {"find": "sunrise"}).text
    assert len(re.findall(r"data-candidate=", text)) == 8
    assert "Only the first 8 are shown" in text


def test_four_clinics_are_the_most_so_no_more_are_offered(client, pair):
    make_clinic(slug="c3")
    make_clinic(slug="c4")
    text = client.get("/clinics/compare/?clinic=alpha&clinic=beta&clinic=c3&clinic=c4").text
    assert 'name="find"' not in text and "data-candidate" not in text
    assert "Remove one to add another" in text


@pytest.mark.parametrize("typed", ["\x00", "a" * 101, "😀", "<b>x</b>", "%"])
def test_odd_words_in_the_box_are_answered_not_a_server_error(client, pair, typed):
    response = client.get("/clinics/compare/", {"clinic": ["alpha"], "find": typed})
    assert response.status_code == 200
    assert "<b>x</b>" not in response.text


def test_too_long_or_nul_words_are_explained(client, pair):
    long = client.get("/clinics/compare/", {"clinic": ["alpha"], "find": "a" * 101}).text
    assert "too long for a clinic" in long
    nul = client.get("/clinics/compare/", {"clinic": ["alpha"], "find": "ab\x00"}).text
    assert "Type the clinic" in nul


def test_after_a_search_for_a_clinic_to_add_focus_goes_to_what_it_found(client, pair):
    # The page loads again at its top, and on a phone the answer is a screen
    # or two down: focus (and so the screen) goes to it.
    found = client.get("/clinics/compare/", {"clinic": ["alpha"], "find": "beta"}).text
    assert re.search(r'<h3 id="find-results" tabindex="-1" autofocus>Clinics matching', found)
    none = client.get("/clinics/compare/", {"clinic": ["alpha"], "find": "Zzyzx"}).text
    assert '<h3 id="find-results" tabindex="-1" autofocus>' in none
    long = client.get("/clinics/compare/", {"clinic": ["alpha"], "find": "a" * 101}).text
    assert '<div id="find-problem" role="alert" tabindex="-1" autofocus>' in long
    assert long.count("autofocus") == 1
    # Not when nothing was searched for: the page starts at its top.
    assert "autofocus" not in client.get("/clinics/compare/?clinic=alpha&clinic=beta").text


def test_a_clinic_with_only_self_pay_says_it_lists_no_insurance(client):
    make_clinic(slug="plain", payers=["payment-plans"])
    make_clinic(slug="covered", payers=["aetna"])
    text = client.get("/clinics/compare/?clinic=plain&clinic=covered").text
    insurance = re.search(
        r'<th scope="row"><span class="row-label">Insurance</span></th>(.*?)</tr>', text
    ).group(1)
    assert re.findall(r"<td>(.*?)</td>", insurance) == ["None listed", "Aetna<br>"]


def test_query_count_does_not_grow_with_clinics_or_candidates(
    client, pair, django_assert_max_num_queries
):
    for number in range(12):
        make_clinic(
            f"Harbor {number}",
            slug=f"harbor-{number}",
            offerings={"iv": (400, 450), "kap": (500, 600)},
            payers=["aetna"],
        )
    client.get("/clinics/compare/?clinic=alpha")  # warm the cached vocabulary
    with django_assert_max_num_queries(7):
        response = client.get(
            "/clinics/compare/",
            {"clinic": ["alpha", "harbor-1", "harbor-2"], "find": "harbor", "near": "78701"},
        )
    assert len(re.findall(r"data-candidate=", response.text)) == 8


def test_distances_of_a_thousand_miles_or_more_are_grouped(client):
    make_clinic(slug="near-one", payers=["aetna"])
    make_clinic(
        slug="far-one", city="Seattle", state="WA", zip_code="98101", payers=["unitedhealthcare"]
    )
    text = client.get("/clinics/compare/?clinic=near-one&clinic=far-one&near=78701").text
    assert re.search(r"<br>1,\d{3}\.\d miles from 78701", text)


def test_clinics_ticked_beyond_four_are_named_and_come_in_as_one_is_removed(client, pair):
    for number in range(3, 7):
        make_clinic(f"Clinic {number}", slug=f"c{number}", city="Denver", state="CO")
    text = client.get(
        "/clinics/compare/?clinic=alpha&clinic=beta&clinic=c3&clinic=c4&clinic=c5&clinic=c6"
    ).text
    columns = re.findall(r'<th scope="col" data-clinic="([^"]+)"', text)
    assert columns == ["alpha", "beta", "c3", "c4"]
    # Which ones were left out, not just that some were.
    assert "You ticked 6 clinics" in text
    assert "Clinic 5 (Denver, CO)" in text and "Clinic 6 (Denver, CO)" in text
    removes = re.findall(r'<a href="([^"]+)">Remove<span class="visually-hidden"> Alpha', text)
    assert [href.replace("&amp;", "&") for href in removes] == [
        "/clinics/compare/?clinic=beta&clinic=c3&clinic=c4&clinic=c5&clinic=c6"
    ]
    after = client.get(removes[0].replace("&amp;", "&")).text
    assert re.findall(r'<th scope="col" data-clinic="([^"]+)"', after) == ["beta", "c3", "c4", "c5"]
    assert "Clinic 6 (Denver, CO)" in after


def test_more_ticked_clinics_than_are_waiting_cost_no_more_queries(
    client, pair, django_assert_max_num_queries
):
    for number in range(3, 13):
        make_clinic(slug=f"c{number}")
    client.get("/clinics/compare/?clinic=alpha")  # warm the cached vocabulary
    with django_assert_max_num_queries(7):
        response = client.get(
            "/clinics/compare/", {"clinic": ["alpha", "beta"] + [f"c{n}" for n in range(3, 13)]}
        )
    assert response.status_code == 200


def test_back_to_the_list_keeps_the_clinics_compared_ticked(client, pair):
    text = client.get("/clinics/compare/?clinic=beta&clinic=alpha&near=78701").text
    back = re.search(r'<a href="([^"]*)">← Back to the clinic list</a>', text).group(1)
    assert back.replace("&amp;", "&") == "/clinics/?clinic=beta&clinic=alpha&near=78701"
    listed = client.get(back.replace("&amp;", "&")).text
    assert re.findall(r'name="clinic" value="([^"]+)"[^>]*checked', listed) == ["alpha", "beta"]

    nothing = client.get("/clinics/compare/").text
    assert '<a href="/clinics/">← Back to the clinic list</a>' in nothing


def test_an_insurer_taken_for_every_route_is_listed_once(client):
    make_clinic(slug="both", payers=["cigna", ("cigna", "spravato"), ("aetna", "spravato")])
    make_clinic(slug="other")
    text = client.get("/clinics/compare/?clinic=both&clinic=other").text
    insurance = re.search(
        r'<th scope="row"><span class="row-label">Insurance</span></th>(.*?)</tr>', text
    ).group(1)
    assert "Cigna<br>" in insurance and "Cigna <span" not in insurance
    assert 'Aetna <span class="scope">(for Spravato)</span>' in insurance
    page = client.get("/clinics/both/").text
    assert page.count("<li>Cigna") == 1


def test_clinics_offered_to_add_say_their_prices_are_per_session(client, pair):
    make_clinic("Nasal Clinic", slug="nasal", offerings={"spravato": (650, 700)})
    text = client.get("/clinics/compare/", {"clinic": ["alpha"], "find": "nasal"}).text
    assert "Spravato $650 to $700 before insurance (per session)" in text


def test_a_comparison_sent_with_the_search_it_was_ticked_in_drops_the_search(client, pair):
    # Without JavaScript the clinic list's compare form also holds its search
    # (for its page buttons), and the ZIP twice: one address per comparison.
    response = client.get(
        "/clinics/compare/?route=iv&sort=price&near=78701&radius=50"
        "&clinic=beta&clinic=alpha&near=78701"
    )
    assert response.status_code == 302
    assert response["Location"] == "/clinics/compare/?clinic=beta&clinic=alpha&near=78701"
    assert client.get(response["Location"]).status_code == 200


def test_a_comparison_keeps_the_words_typed_to_add_a_clinic(client, pair):
    response = client.get("/clinics/compare/?clinic=beta&find=alpha")
    assert response.status_code == 200


SEARCH = "/clinics/?route=iv&max_price=450&insurance=self-pay&near=10001&radius=100"


def back_link(text):
    return re.search(r'<a href="([^"]*)">← Back to the clinic list</a>', text)[1].replace(
        "&amp;", "&"
    )


def test_the_list_s_compare_buttons_send_the_search_they_were_pressed_in(client, pair):
    search = "/clinics/?route=iv&max_price=450&near=78701&radius=100"
    text = client.get(search + "&clinic=alpha").text
    value = search.replace("&", "&amp;")
    assert text.count(f'name="back" value="{value}">') == 2  # above and below the list


def test_back_to_the_list_returns_to_the_search_the_comparison_came_from(client, pair):
    query = {"clinic": ["beta", "alpha"], "back": SEARCH}
    text = client.get("/clinics/compare/", query).text
    assert back_link(text) == SEARCH + "&clinic=beta&clinic=alpha"
    # Its distances are from the search's ZIP code.
    assert "miles from 10001" in text
    # Removing or adding a clinic keeps the way back.
    removes = [
        href.replace("&amp;", "&") for href in re.findall(r'<a href="([^"]+)">Remove<span', text)
    ]
    assert len(removes) == 2 and all("back=" in href for href in removes)
    after = client.get(removes[0]).text
    assert back_link(after) == SEARCH + "&clinic=alpha"
    assert f'<input type="hidden" name="back" value="{SEARCH.replace("&", "&amp;")}">' in text

    # A state page, and its page number, come back too.
    state = client.get("/clinics/compare/", {**query, "back": "/clinics/in/tx/?route=iv&page=2"})
    assert back_link(state.text) == "/clinics/in/tx/?route=iv&page=2&clinic=beta&clinic=alpha"


def test_a_comparison_sent_with_its_search_keeps_only_the_way_back(client, pair):
    # Without JavaScript the compare form holds the search as well.
    response = client.get(
        SEARCH.replace("/clinics/", "/clinics/compare/")
        + "&clinic=beta&clinic=alpha&back="
        + SEARCH.replace("&", "%26").replace("?", "%3F")
    )
    assert response.status_code == 302
    location = response["Location"]
    assert sorted(parse_qsl(urlsplit(location).query)) == [
        ("back", SEARCH),
        ("clinic", "alpha"),
        ("clinic", "beta"),
        ("near", "10001"),
    ]
    assert back_link(client.get(location).text) == SEARCH + "&clinic=beta&clinic=alpha"


@pytest.mark.parametrize(
    "back",
    [
        "https://evil.example/clinics/",
        "//evil.example/clinics/",
        "/\\evil.example/clinics/",
        "javascript:alert(1)",
        "/account/",
        "/clinics/compare/?clinic=alpha",
        "/clinics/alpha/",
        "/clinics/in/zz/",
        "/clinics/\x00",
        "x" * 3000,
    ],
)
def test_a_way_back_anywhere_but_the_directory_s_own_lists_is_ignored(client, pair, back):
    response = client.get("/clinics/compare/", {"clinic": ["beta", "alpha"], "back": back})
    assert response.status_code == 200
    assert back_link(response.text) == "/clinics/?clinic=beta&clinic=alpha"
    assert "evil" not in response.text


def test_a_way_back_keeps_only_the_directory_s_own_fields(client, pair):
    back = "/clinics/?route=iv&clinic=other&next=https://evil.example/&page=x&sort=price"
    text = client.get("/clinics/compare/", {"clinic": ["beta", "alpha"], "back": back}).text
    assert back_link(text) == "/clinics/?route=iv&sort=price&clinic=beta&clinic=alpha"


def test_each_clinic_can_be_called_or_written_to_from_the_comparison(client, pair):
    alpha = pair[1]
    alpha.phone = "(512) 555-0100"
    alpha.save()
    make_member(alpha)
    text = client.get("/clinics/compare/?clinic=alpha&clinic=beta").text
    row = re.search(r'<tr class="contact-row">(.*?)</tr>', text, re.S)[1]
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert '<a href="tel:5125550100">(512) 555-0100</a>' in cells[0]
    assert '<a href="/clinics/alpha/contact/">Send a message' in cells[0]
    # Nobody would read a message to beta: its page says how else to reach it.
    assert "tel:" not in cells[1] and "/contact/" not in cells[1]
    assert '<a href="/clinics/beta/#contact-heading">How to contact' in cells[1]
