"""
The price and ZIP boxes of the directory: what the price filter means, in the
page's own words, and values typed the way people write them.
"""

import re
from pathlib import Path

import pytest

from tests.builders import make_clinic
from tests.pages import results, slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinics():
    make_clinic("IV from 375", slug="iv-375", offerings={"iv": (375, 575)})
    make_clinic("IV from 450", slug="iv-450", offerings={"iv": (450, 600)}, zip_code="78704")
    make_clinic(
        "Denver IV", slug="denver", offerings={"iv": (900, 1100)}, city="Denver", state="CO",
        zip_code="80202",
    )  # fmt: skip


def test_the_price_filter_says_it_is_about_the_lowest_price(client, clinics):
    text = client.get("/clinics/?route=iv&max_price=400").text
    # A card from $375 to $575 matches: it has a session at $400 or less.
    assert results(text) == [{"slug": "iv-375", "distance": None, "prices": {"iv": (375, 575)}}]
    assert "Max price per session" not in text
    assert '<label for="id_max_price">Lowest price per session, up to (in dollars)</label>' in text
    assert "other sessions may cost more" in text
    heading = re.search(r'<h2 id="results-heading".*?</h2>', text, re.S).group(0)
    assert "1 clinic with a session at $400 or less" in " ".join(heading.split())


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("$400", "400"),
        ("1,000", "1000"),
        (" $ 1,000 ", "1000"),
        ("400", "400"),
        # Written with no cents, as a price tag would be.
        ("$400.00", "400"),
        ("$1,000.00", "1000"),
        ("400.", "400"),
    ],
)
def test_prices_typed_with_a_dollar_sign_or_commas_are_understood(client, clinics, typed, shown):
    text = client.get("/clinics/", {"route": "iv", "max_price": typed}).text
    assert "Some of your choices were left out" not in text
    assert f'id="id_max_price" value="{shown}"' in text
    expected = ["iv-375"] if shown == "400" else ["denver", "iv-375", "iv-450"]
    assert sorted(slugs(text)) == expected


def test_a_zip_plus_four_in_the_directory_uses_its_first_five_digits(client, clinics):
    text = client.get("/clinics/", {"near": "78701-1234"}).text
    assert "Some of your choices were left out" not in text
    assert 'id="id_near" value="78701"' in text
    assert sorted(slugs(text)) == ["iv-375", "iv-450"]
    assert "2 clinics within 25 miles of 78701" in text
    assert [clinic["distance"] for clinic in results(text)] == ["0.0", "2.4"]


@pytest.mark.parametrize("typed", ["７８７０１", "٧٨٧٠١", "۷۸۷۰۱-۱۲۳۴"])
def test_a_zip_typed_in_another_scripts_digits_is_read(client, clinics, typed):
    # Phone keyboards set to Japanese or Chinese type full-width digits;
    # Arabic and Persian ones their own.
    text = client.get("/clinics/", {"near": typed}).text
    assert 'id="id_near" value="78701"' in text
    assert sorted(slugs(text)) == ["iv-375", "iv-450"]


@pytest.mark.parametrize(
    "typed",
    ["78701, TX", "ZIP 78701", "Austin, TX 78701", "78701\u20131234", "78701 1234", "78701-1234 "],
)
def test_the_near_box_reads_a_zip_as_the_home_search_does(client, clinics, typed):
    # Pasted from an address, or written with an en dash or a space.
    text = client.get("/clinics/", {"near": typed}).text
    assert "Some of your choices were left out" not in text
    assert 'id="id_near" value="78701"' in text
    assert sorted(slugs(text)) == ["iv-375", "iv-450"]


def test_a_whole_address_without_a_zip_in_the_near_box_says_what_to_type(client, clinics):
    typed = "100 Congress Avenue, Austin, Texas, United States"
    text = client.get("/clinics/", {"near": typed}).text
    assert "Enter a 5-digit ZIP code, like 78701." in text
    assert "Ensure this value" not in text
    assert f'value="{typed}"' in text  # kept, to correct


def test_guides_link_to_price_searches_in_the_words_of_the_filter():
    guides = Path(__file__).resolve().parents[2] / "fixtures" / "guides"
    links = re.findall(r"\[([^\]]+)\]\(/clinics/\?[^)]*max_price=(\d+)", _read_all(guides))
    assert links
    for words, price in links:
        assert f"with a session at ${int(price):,} or less" in words, words


def _read_all(folder):
    return "\n".join(path.read_text() for path in sorted(folder.glob("*.md")))
