"""gunicorn.conf.py's hooks, run as gunicorn runs them."""

import runpy
from pathlib import Path

import pytest
import zipcodes

from clinics import geo
from tests.builders import make_clinic

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_worker_reads_the_zip_and_place_tables_before_its_first_request(client, monkeypatch):
    from gunicorn.config import Config

    config = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    # A new worker: nothing read yet.
    geo._zip_index.cache_clear()
    geo._place_index.cache_clear()
    config.post_worker_init(None)

    def read_again():
        raise AssertionError("read the ZIP table during a request")

    monkeypatch.setattr(zipcodes, "list_all", read_again)
    make_clinic("Austin Infusions", slug="austin-iv")
    assert 'data-clinic="austin-iv"' in client.get("/clinics/?near=78701").text
    assert client.get("/clinics/find/", {"where": "Austin"}).status_code == 302
