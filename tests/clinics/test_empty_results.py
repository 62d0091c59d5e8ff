"""
What the directory says when a search finds nothing: what excluded the
clinics, and only suggestions that find some when followed.
"""

import re
from html import unescape

import pytest

from tests.builders import make_clinic
from tests.clinics.builders import make_texas_and_colorado
from tests.pages import slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinics():
    """Two Austin clinics (no KAP), Houston's KAP 146 miles away, Denver, Spokane."""
    return make_texas_and_colorado() | {
        "spokane": make_clinic(
            "Spokane Infusions",
            slug="spokane",
            city="Spokane",
            state="WA",
            zip_code="99201",
            offerings={"iv": (375, 575)},
        ),
    }


def empty_state(html):
    """The empty state's words (tags stripped) and its links [(text, href)]."""
    found = re.search(r'<div class="empty-state">(.*?)</div>', html, re.S)
    assert found, "expected the empty state"
    block = found.group(1)
    links = [
        (" ".join(unescape(re.sub(r"<[^>]+>", "", text)).split()), unescape(href))
        for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', block, re.S)
    ]
    # "Clear all filters" is a button of the compare form (it keeps the ticks),
    # which lands on the list with no filters: the page its formaction names.
    links += [
        (" ".join(unescape(re.sub(r"<[^>]+>", "", text)).split()), unescape(href))
        for href, text in re.findall(
            r'<button[^>]*formaction="([^"]+)"[^>]*>(.*?)</button>', block, re.S
        )
    ]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", block)).split()), links


def link_to(html, text):
    hrefs = [href for link_text, href in empty_state(html)[1] if link_text == text]
    assert hrefs, f"no link “{text}” in {empty_state(html)[1]}"
    return hrefs[0]


def test_says_a_filter_excluded_the_clinics_of_a_place_not_that_it_has_none(client, clinics):
    text = client.get("/clinics/?near=78701&radius=100&route=kap").text
    words, _ = empty_state(text)
    assert (
        "2 clinics are within 100 miles of 78701, but none offers "
        "ketamine-assisted psychotherapy." in words
    )
    assert "No listed clinic is within" not in words
    # A link drops the filter that excluded them.
    dropped = client.get(link_to(text, "Include every treatment")).text
    assert sorted(slugs(dropped)) == ["austin-cheap", "austin-iv"]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("state=tx&route=im", "3 clinics are in Texas, but none offers IM ketamine injection."),
        (
            "state=co&city=Denver&insurance=cigna",
            "1 clinic is in Denver, Colorado, but it does not take Cigna.",
        ),
        (
            "near=78701&insurance=cigna&telehealth=1",
            "2 clinics are within 25 miles of 78701, but none takes Cigna and offers "
            "telehealth or at-home care.",
        ),
        ("max_price=100", "No listed clinic has a session at $100 or less."),
        ("route=kap&insurance=aetna", "No listed clinic offers ketamine-assisted psychotherapy"),
        ("near=59601", "No listed clinic is within 25 miles of 59601."),
    ],
)
def test_the_empty_state_names_what_excluded_the_clinics(client, clinics, query, says):
    assert says in empty_state(client.get(f"/clinics/?{query}").text)[0]


def test_a_wider_radius_goes_straight_to_the_nearest_match(client, clinics):
    # Houston's KAP is 146 miles from Austin: 100 miles would be one more dead end.
    text = client.get("/clinics/?near=78701&radius=10&route=kap").text
    assert "The nearest clinic that matches is 147 miles from 78701." in empty_state(text)[0]
    wider = link_to(text, "Look within 150 miles of 78701")
    assert "radius=150" in wider
    assert slugs(client.get(wider).text) == ["houston"]
    # Helena, Montana: Spokane is the nearest listed clinic, in one click.
    text = client.get("/clinics/?near=59601").text
    wider = [href for link_text, href in empty_state(text)[1] if link_text.startswith("Look")]
    assert len(wider) == 1
    assert slugs(client.get(wider[0]).text) == ["spokane"]
    radius = int(re.search(r"radius=(\d+)", wider[0]).group(1))
    assert radius == 300
    assert slugs(client.get("/clinics/?near=59601&radius=250").text) == []


def test_no_wider_radius_is_offered_when_none_would_find_a_clinic(client, clinics):
    for query in ("near=96813", "near=96813&radius=100", "near=96813&radius=500"):
        text = client.get(f"/clinics/?{query}").text
        words, links = empty_state(text)
        assert not [t for t, _ in links if "miles" in t], (query, links)
        assert "No listed clinic is within 500 miles of 96813." in words, query


def test_the_state_line_hint_is_not_given_where_there_is_no_state_line(client, clinics):
    for state in ("hi", "ak"):
        assert "state line" not in client.get(f"/clinics/in/{state}/").text
    assert "Near a state line?" in client.get("/clinics/in/mt/").text


EMPTY_SEARCHES = [
    "near=78701&radius=100&route=kap",
    "near=78701&radius=10&route=kap",
    "near=59601",
    "near=59601&radius=100&route=iv&insurance=aetna",
    "near=96813",
    "near=96813&radius=500&sort=distance",
    "near=78701&state=co",
    "near=80202&state=tx&route=kap",
    "state=co&max_price=100",
    "route=spravato&max_price=400",
    "max_price=10",
    "max_price=%24100&state=co",
    "route=iv&insurance=medicare",
    "insurance=cigna&route=spravato",
    "insurance=self-pay&state=co",
    "telehealth=1&state=co",
    "condition=ptsd&state=co",
    "condition=ocd",
    "state=tx&city=dallas",
    "state=mt&route=iv",
    "state=wa&route=kap&telehealth=1",
    "city=Boise",
    "state=wy",
    "state=nm&route=spravato",
]


@pytest.mark.parametrize("query", EMPTY_SEARCHES)
def test_every_suggestion_finds_clinics_when_followed(client, clinics, query):
    text = client.get(f"/clinics/?{query}").text
    assert slugs(text) == [], "expected an empty search"
    _, links = empty_state(text)
    assert links, "expected something to try"
    for link_text, href in links:
        followed = client.get(href)
        assert followed.status_code == 200
        assert slugs(followed.text), f"“{link_text}” ({href}) found nothing"


@pytest.mark.parametrize(
    "path", ["/clinics/in/hi/", "/clinics/in/mt/", "/clinics/in/tx/houston/?route=im"]
)
def test_suggestions_on_place_pages_find_clinics_too(client, clinics, path):
    _, links = empty_state(client.get(path).text)
    assert links
    for link_text, href in links:
        assert slugs(client.get(href).text), f"“{link_text}” ({href}) found nothing"


def test_a_state_without_a_match_names_the_nearest_clinic_from_its_biggest_towns(client, clinics):
    text = client.get("/clinics/in/mt/").text
    words, _ = empty_state(text)
    # Spokane is 170 miles from Missoula.
    assert (
        "From Missoula, the nearest listed clinic is 170 miles away, in Spokane, Washington."
        in words
    )
    assert "From Billings, the nearest listed clinic is" in words
    # The nearest first.
    assert words.index("From Missoula") < words.index("From Billings")
    near_missoula = link_to(text, "See clinics near Missoula")
    assert "radius=200" in near_missoula
    assert slugs(client.get(near_missoula).text) == ["spokane"]
    # The rest of the search is kept: Spravato is only in Denver.
    text = client.get("/clinics/in/mt/?route=spravato").text
    words, _ = empty_state(text)
    assert "From Billings, the nearest clinic that matches is" in words
    assert "in Denver, Colorado." in words
    assert "in Spokane" not in words


def test_no_nearest_clinic_is_named_beyond_the_widest_radius(client, clinics):
    words, links = empty_state(client.get("/clinics/in/hi/").text)
    assert "From Honolulu" not in words
    assert not [text for text, _ in links if text.startswith("See clinics near")]


def test_a_state_s_towns_are_not_districts_of_one_town(client, clinics):
    make_clinic(
        "Richmond Infusions",
        slug="richmond",
        city="Richmond",
        state="VA",
        zip_code="23219",
        offerings={"iv": (400, 500)},
    )
    # Washington Navy Yard has its own ZIP codes, a mile from the Capitol.
    words, _ = empty_state(client.get("/clinics/in/dc/").text)
    assert "From Washington, the nearest listed clinic is" in words
    assert "in Richmond, Virginia." in words
    assert "Navy Yard" not in words


def test_a_price_suggestion_respects_the_rest_of_the_search(client, clinics):
    # The cheapest session in the directory is $150 in Austin; in Colorado it is $300.
    text = client.get("/clinics/?state=co&max_price=100").text
    assert "/clinics/?state=co&max_price=300" in link_to(
        text, "Show clinics with a session at $300 or less"
    )


def test_an_empty_page_takes_a_few_queries_however_many_filters(
    client, clinics, django_assert_max_num_queries
):
    client.get("/clinics/")  # warm the cached vocabulary and directory figures
    for query in (
        "near=59601&radius=100&route=iv&insurance=aetna&telehealth=1&condition=ptsd",
        "state=tx&city=houston&route=im&max_price=100&insurance=self-pay",
        "near=96813",
        "state=mt&route=spravato&max_price=900",
    ):
        # The matching ids (none), then one query for what to say and suggest;
        # and the first search by a condition or route reads the guides on it
        # (once for every search until a guide changes, see test_directory_guides).
        with django_assert_max_num_queries(3 if query.startswith("near=59601") else 2):
            text = client.get(f"/clinics/?{query}").text
        assert slugs(text) == []


@pytest.mark.parametrize("query", ["city=78704", "city=78704&state=TX", "city=78704-1234"])
def test_a_zip_typed_in_the_city_box_is_offered_as_a_zip_search(client, clinics, query):
    text = client.get(f"/clinics/?{query}").text
    words, _ = empty_state(text)
    assert "78704 looks like a ZIP code." in words
    near = link_to(text, "Search near ZIP 78704")
    assert "city=" not in near and "near=78704" in near
    assert sorted(slugs(client.get(near).text)) == ["austin-cheap", "austin-iv"]
