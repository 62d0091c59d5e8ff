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


def test_a_change_another_worker_made_shows_within_five_minutes(client, monkeypatch):
    """
    Without Redis each gunicorn worker has its own cache, and a save clears
    only the cache of the worker that made it. The others must not show old
    figures for longer than they keep a cached page.
    """
    clinic = make_clinic(offerings={"iv": (400, 500)})
    assert "typically <strong>$400–$500</strong>" in client.get("/").text
    # Another worker's save, as this worker sees it: new rows, no signal.
    Offering.objects.filter(clinic=clinic).update(price_min=300, price_max=350)
    assert "typically <strong>$400–$500</strong>" in client.get("/").text

    five_minutes_on = time.time() + 5 * 60 + 1
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: five_minutes_on))
    assert "typically <strong>$300–$350</strong>" in client.get("/").text
