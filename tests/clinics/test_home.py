import time
from types import SimpleNamespace

import pytest
from django.core.cache.backends import locmem

from clinics.models import Offering
from tests.builders import make_clinic

pytestmark = pytest.mark.django_db


def test_home_shows_live_route_figures_and_states(client):
    make_clinic(offerings={"iv": (400, 500)})
    text = client.get("/").text
    assert "1 clinic listed · typically <strong>$400 to $500</strong> per session" in text
    assert 'href="/clinics/in/tx/">Texas</a> (1)' in text
    make_clinic(offerings={"iv": (300, 400)}, city="Denver", state="CO", zip_code="80202")
    text = client.get("/").text  # the cached part is dropped when the directory changes
    assert "2 clinics listed · typically <strong>$325 to $475</strong> per session" in text
    assert 'href="/clinics/in/co/">Colorado</a> (1)' in text


def test_find_box_sends_people_to_the_right_listing(client):
    make_clinic(city="Austin", state="TX", zip_code="78701")
    make_clinic(city="Portland", state="OR", zip_code="97201")
    make_clinic(city="Portland", state="ME", zip_code="04101")

    def goes(where):
        response = client.get("/clinics/find/", {"where": where})
        assert response.status_code == 302, response.text
        return response["Location"]

    assert goes("78701") == goes(" 78701-1234 ") == "/clinics/?near=78701"
    # Typed on a phone keyboard set to Japanese, Arabic or Persian.
    assert goes("７８７０１") == goes("٧٨٧٠١") == goes("Austin ۷۸۷۰۱") == "/clinics/?near=78701"
    # A whole address, pasted: its ZIP code is the nearest place there is.
    for where in ("Austin TX 78701", "12 Oak Ave, Austin, TX 78701-1234", "austin,78701"):
        assert goes(where) == "/clinics/?near=78701", where
    for where in ("Austin, TX", "austin tx", "Austin, Texas", "AUSTIN  TEXAS", "Austin"):
        assert goes(where) == "/clinics/in/tx/austin/", where
    assert goes("Portland") == "/clinics/?city=Portland"  # in two states
    assert goes("Portland, OR") == "/clinics/in/or/portland/"
    for where in ("TX", "texas", "Texas "):
        assert goes(where) == "/clinics/in/tx/"
    assert goes("") == "/clinics/"
    # Not a state: search the city by name.
    assert goes("Austin, XX") == "/clinics/in/tx/austin/"


@pytest.mark.parametrize(
    ("where", "problem"),
    [
        ("1234", "“1234” is not a ZIP code. Enter 5 digits, like 78701."),
        ("787011", "“787011” is not a ZIP code. Enter 5 digits, like 78701."),
        ("Boise, ID", "No clinics are listed in Boise, Idaho yet."),
        ("abcde", "We could not find a US city or town called “abcde”."),
    ],
)
def test_find_box_explains_what_it_cannot_find_and_keeps_the_words(client, where, problem):
    make_clinic(city="Austin", state="TX", zip_code="78701")
    response = client.get("/clinics/find/", {"where": where})
    assert response.status_code == 200
    assert problem in response.text
    assert f'value="{where}"' in response.text
    assert "Try your ZIP code" in response.text
    # A real place with no clinic is no mistake (test_find.py).
    mistake = where != "Boise, ID"
    assert ('aria-invalid="true"' in response.text) == mistake
    assert ("<title>Error: " in response.text) == mistake


def test_no_search_box_cuts_a_pasted_text_silently(client):
    # A browser cuts at maxlength without a word; the box's own check says so.
    make_clinic(slug="calm")
    for url in ["/", "/clinics/compare/?clinic=calm", "/no-such-page/"]:
        assert "maxlength" not in client.get(url).text, url
    long = client.get("/clinics/find/", {"where": "Austin " * 20}).text
    assert "more than 100 characters" in long
    assert "<title>Error: " in long


def test_a_city_without_clinics_points_to_its_state_when_it_has_some(client):
    make_clinic(city="Austin", state="TX", zip_code="78701")
    text = client.get("/clinics/find/", {"where": "Dallas, TX"}).text
    assert "No clinics are listed in Dallas, Texas yet." in text
    assert 'href="/clinics/in/tx/">see the 1 clinic listed in Texas</a>' in text
    text = client.get("/clinics/find/", {"where": "Helena MT"}).text
    assert "No clinics are listed in Helena, Montana yet." in text
    assert "/clinics/in/mt/" not in text


def test_state_page_urls_are_lower_case(client):
    make_clinic(city="Austin", state="TX", zip_code="78701")
    assert client.get("/clinics/in/TX/").headers["Location"] == "/clinics/in/tx/"
    assert client.get("/clinics/in/Tx/austin/").headers["Location"] == "/clinics/in/tx/austin/"
    assert client.get("/clinics/in/TX/?route=iv").headers["Location"] == "/clinics/in/tx/?route=iv"


def test_city_page_urls_are_lower_case(client):
    make_clinic(city="Austin", state="TX", zip_code="78701")
    # Typed from the city's name, as people write it.
    assert client.get("/clinics/in/tx/Austin/").headers["Location"] == "/clinics/in/tx/austin/"
    redirect = client.get("/clinics/in/TX/Austin/?route=iv")
    assert redirect.status_code == 301
    assert redirect.headers["Location"] == "/clinics/in/tx/austin/?route=iv"


def test_a_change_another_worker_made_shows_within_five_minutes(client, monkeypatch):
    """
    Without Redis each gunicorn worker has its own cache, and a save clears
    only the cache of the worker that made it. The others must not show old
    figures for longer than they keep a cached page.
    """
    clinic = make_clinic(offerings={"iv": (400, 500)})
    assert "typically <strong>$400 to $500</strong>" in client.get("/").text
    # Another worker's save, as this worker sees it: new rows, no signal.
    Offering.objects.filter(clinic=clinic).update(price_min=300, price_max=350)
    assert "typically <strong>$400 to $500</strong>" in client.get("/").text

    five_minutes_on = time.time() + 5 * 60 + 1
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: five_minutes_on))
    assert "typically <strong>$300 to $350</strong>" in client.get("/").text
