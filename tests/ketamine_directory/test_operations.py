import json
import logging
import re

import pytest
from django.core import mail
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from tests.builders import make_clinic, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    # With REDIS_URL set the body also reports the cache.
    assert body["status"] == "ok" and body["database"] == "ok"


def test_healthz_is_503_when_the_database_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unavailable"


def test_pages_answer_503_not_500_when_the_database_is_down(client, database_down):
    response = client.get("/clinics/?route=iv")
    assert response.status_code == 503
    assert "temporarily unavailable" in response.text
    assert response["Retry-After"] == "30"


def test_404_page_renders_without_the_database(client, database_down):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.text
    assert "988" in response.text


def test_500_page_renders_without_the_database(database_down):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and "988" in html


def test_400_page_renders_without_the_database(database_down):
    from django.template.loader import render_to_string

    # As Django's bad_request renders it: without the request.
    html = render_to_string("400.html")
    assert "We couldn't read that address" in html and "988" in html


def test_one_log_line_per_request_without_query_or_personal_data(client, caplog):
    make_clinic()
    with caplog.at_level(logging.INFO, logger="ketamine_directory.requests"):
        client.get("/clinics/?near=78701&route=iv")
    lines = [r.getMessage() for r in caplog.records if r.name == "ketamine_directory.requests"]
    assert len(lines) == 1
    assert lines[0].startswith("GET /clinics/ 200 ")
    assert "78701" not in lines[0]


def test_the_log_keeps_no_password_reset_token(client, caplog):
    make_user("jo@example.org")
    client.post("/account/password-reset/", {"email": "jo@example.org"})
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", mail.outbox[0].body)[1]
    token = link.rstrip("/").rsplit("/", 1)[1]
    with caplog.at_level(logging.INFO, logger="ketamine_directory.requests"):
        # A real link: it hands over to the set-password form.
        assert client.get(link).status_code == 302
    lines = [r.getMessage() for r in caplog.records if r.name == "ketamine_directory.requests"]
    assert lines and all(token not in line for line in lines), lines


def test_conditional_get_answers_304_for_unchanged_sitemap(client):
    make_clinic()
    first = client.get("/sitemap.xml")
    etag = first["ETag"]
    again = client.get("/sitemap.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_favicon_ico_leads_to_the_sites_icon(client):
    # The admin's pages name no icon, so browsers ask for /favicon.ico: a 404 on every page.
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg") and "favicon" in response["Location"]
