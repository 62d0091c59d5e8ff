"""What a screen reader is told on the directory's pages, beyond what axe checks."""

import re

import pytest

from tests.builders import make_clinic

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinics():
    return [
        make_clinic("Calm Harbor Ketamine", slug="calm-harbor", offerings={"iv": (400, 450)}),
        make_clinic(
            "Lakeside Spravato",
            slug="lakeside",
            offerings={"spravato": (600, 900)},
            city="Dallas",
            zip_code="75201",
        ),
    ]


def test_a_place_the_box_cannot_find_is_read_out_first(client):
    # Focus goes to the explanation, as on every form's error summary: an
    # alert already on the page when it loads is often not announced.
    text = client.get("/clinics/find/", {"where": "Nowhereville"}).text
    problem = re.search(r'<div id="where-problem"[^>]*>', text).group(0)
    assert 'tabindex="-1"' in problem and "autofocus" in problem
    assert text.count("autofocus") == 1


def test_the_comparison_table_has_a_caption_and_a_named_corner(client, clinics):
    text = client.get("/clinics/compare/?clinic=calm-harbor&clinic=lakeside").text
    assert (
        '<caption class="visually-hidden">Calm Harbor Ketamine, Lakeside Spravato, '
        "side by side</caption>" in text
    )
    assert "<td></td>" not in text
    assert '<td><span class="visually-hidden">Clinic</span></td>' in text


def test_the_price_table_has_a_caption_and_says_when_there_are_no_notes(client, clinics):
    text = client.get("/clinics/calm-harbor/").text
    assert (
        '<caption class="visually-hidden">Treatments and prices at Calm Harbor Ketamine'
        "</caption>" in text
    )
    assert '<span aria-hidden="true">—</span><span class="visually-hidden">No notes</span>' in text


def test_the_guide_topic_menu_waits_for_the_arrow_keys_to_stop(client):
    # Each arrow key on a closed select is a change: without the wait, each
    # one rebuilt the list and was announced.
    text = client.get("/guides/").text
    assert 'hx-trigger="submit, change from:select delay:400ms"' in text


def test_moving_by_headings_reaches_the_filters_before_the_results(client, clinics):
    text = client.get("/clinics/").text
    headings = re.findall(r"<h([1-6])[^>]*>\s*([^<]*)", text)
    names = [name.strip() for level, name in headings if level == "2"]
    assert names.index("Filters") < names.index("2 clinics")
    assert text.index(">Filters</h2>") < text.index('id="filter-form"')
    # "($)" is read as bare punctuation, or as "dollar" after "up to".
    assert "($)" not in text


def test_price_ranges_are_read_in_words(client, clinics):
    text = client.get("/clinics/").text
    assert "$400 to $450" in text and "–$" not in text and "≈" not in text
