import pytest

from tests.builders import make_clinic

pytestmark = pytest.mark.django_db


def test_home_shows_live_route_figures_and_states(client):
    make_clinic(offerings={"iv": (400, 500)})
    text = client.get("/").text
    assert "1 clinic listed · typically <strong>$400–$500</strong> per session" in text
    assert 'href="/clinics/in/tx/">Texas</a> (1)' in text
    make_clinic(offerings={"iv": (300, 400)}, city="Denver", state="CO", zip_code="80202")
    text = client.get("/").text  # the cached part is dropped when the directory changes
    assert "2 clinics listed · typically <strong>$350–$450</strong> per session" in text
    assert 'href="/clinics/in/co/">Colorado</a> (1)' in text


def test_find_box_sends_people_to_the_right_listing(client):
    assert client.get("/clinics/find/?where=78701")["Location"] == "/clinics/?near=78701"
    assert client.get("/clinics/find/?where=Austin, TX")["Location"] == "/clinics/in/tx/austin/"
    assert client.get("/clinics/find/?where=Austin")["Location"] == "/clinics/?city=Austin"
    assert client.get("/clinics/find/?where=")["Location"] == "/clinics/"
    # Not a state: search the city by name instead of a 404.
    assert client.get("/clinics/find/?where=Austin, XX")["Location"] == "/clinics/?city=Austin"
