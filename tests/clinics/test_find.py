"""The home page's one search box, read the way people type places."""

import re
from html import unescape

import pytest

from tests.builders import make_clinic
from tests.pages import slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinics():
    make_clinic(city="Austin", state="TX", zip_code="78701")
    make_clinic(city="Austin", state="TX", zip_code="78704")
    make_clinic(city="New York", state="NY", zip_code="10001", slug="new-york-clinic")
    make_clinic(city="Miami", state="FL", zip_code="33130", slug="miami-clinic")
    make_clinic(city="Portland", state="OR", zip_code="97201")
    make_clinic(city="Portland", state="ME", zip_code="04101")


def goes(client, where):
    response = client.get("/clinics/find/", {"where": where})
    assert response.status_code == 302, f"{where}: {response.text[:300]}"
    return response["Location"]


def problem(client, where):
    response = client.get("/clinics/find/", {"where": where})
    assert response.status_code == 200, where
    found = re.search(r'<div id="where-problem".*?</div>', response.text, re.S)
    assert found, f"{where}: no problem explained"
    return response, " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


@pytest.mark.parametrize(
    "where",
    [
        "123 Congress Ave, Austin, TX",
        "123 Congress Ave, Austin, Texas",
        "123 Congress Ave, Austin TX",
        "123 Congress Ave Austin TX",
        "Austin, TX, USA",
        "123 Congress Ave, Austin",
        # A house number is not a ZIP code in another state than the one named.
        "12345 Congress Ave, Austin, TX",
    ],
)
def test_an_address_without_a_zip_code_finds_its_city(client, clinics, where):
    assert goes(client, where) == "/clinics/in/tx/austin/"


@pytest.mark.parametrize(
    "where", ["NYC", "nyc", "New York City", "new york city, ny", "NYC, New York", "N.Y.C."]
)
def test_common_names_of_a_city_find_it(client, clinics, where):
    assert goes(client, where) == "/clinics/in/ny/new-york/"


@pytest.mark.parametrize(
    "where", ["78701 Austin", "78701, Austin TX", "Austin 78701 TX", "78701-1234 Austin, Texas"]
)
def test_a_zip_code_anywhere_in_the_text_wins(client, clinics, where):
    assert goes(client, where) == "/clinics/?near=78701"


def test_a_zip_in_full_width_digits_is_that_zip(client, clinics):
    assert goes(client, "７８７０１") == "/clinics/?near=78701"


def test_a_zip_code_nobody_uses_is_explained_on_the_home_page(client, clinics):
    response, words = problem(client, "00000")
    assert "We don't know ZIP 00000. Check the number, or search by city or state." in words
    assert 'value="00000"' in response.text


def test_a_real_place_without_clinics_points_to_the_nearest(client, clinics):
    response, words = problem(client, "Miami Beach")
    assert "No clinics are listed in Miami Beach, Florida yet." in words
    nearby = re.search(r'<a href="([^"]+)">see clinics near Miami Beach</a>', response.text)
    assert nearby, words
    assert slugs(client.get(unescape(nearby.group(1))).text) == ["miami-clinic"]
    # Far from the nearest, the link reaches as far as it is.
    response, words = problem(client, "Dallas, TX")
    assert "No clinics are listed in Dallas, Texas yet." in words
    assert "The nearest listed clinic is 184 miles away" in words
    nearby = re.search(r'<a href="([^"]+)">see clinics near Dallas</a>', response.text)
    assert "radius=200" in nearby.group(1)
    assert len(slugs(client.get(unescape(nearby.group(1))).text)) == 2


def test_a_real_place_without_clinics_is_news_not_a_mistake(client, clinics):
    # Nothing was typed wrong: the page says where the clinics are, calmly.
    response, _ = problem(client, "Miami Beach")
    assert "<title>Error:" not in response.text
    assert 'aria-invalid="true"' not in response.text
    assert 'role="alert"' not in response.text and 'role="status"' in response.text
    assert 'class="field-error"' not in response.text
    typo, _ = problem(client, "00000")
    assert "<title>Error:" in typo.text and 'aria-invalid="true"' in typo.text


@pytest.mark.parametrize(
    ("where", "says"),
    [
        ("abcde", "We could not find a US city or town called “abcde”."),
        ("Austn, TX", "We could not find a city or town called “Austn” in Texas."),
        ("Miami Bech", "We could not find a US city or town called “Miami Bech”."),
        ("...", "We could not read “...” as a place."),
        ("USA", "We could not read “USA” as a place."),
    ],
)
def test_words_that_are_not_a_known_place_are_not_said_to_have_no_clinics(
    client, clinics, where, says
):
    response, words = problem(client, where)
    assert says in words
    assert "No clinics are listed" not in words
    assert "ZIP code" in words
    assert f'value="{where}"' in response.text


def test_a_town_name_in_several_states_asks_which(client, clinics):
    _, words = problem(client, "Springfield")
    assert "No clinics are listed in a city or town called Springfield." in words
    assert "add its state, like “Springfield, IL”" in words


def test_text_too_long_for_a_place_is_explained_and_kept(client, clinics):
    typed = "Austin TX " + "x" * 120
    response, words = problem(client, typed)
    assert "That is more than 100 characters" in words
    assert f'value="{typed}"' in response.text
    _, words = problem(client, "Austin\x00")
    assert "unusual characters" in words
