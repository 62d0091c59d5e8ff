"""Wherever the site says "email the editors", it links to their address."""

import pytest

from tests.builders import make_clinic, make_member, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"
LINK = '<a href="mailto:editors@clinics.example">email the editors</a>'


@pytest.fixture(autouse=True)
def editors_email(settings):
    settings.EDITORS_EMAIL = "editors@clinics.example"


def test_the_staff_edit_page_links_to_the_editors_for_name_address_and_website(client):
    clinic = make_clinic("Calm Harbor Ketamine", slug="calm-harbor")
    client.force_login(make_member(clinic))
    page = client.get("/account/clinics/calm-harbor/").text
    assert f"To change the name, address or website, {LINK}." in page


def test_the_sign_up_limit_message_links_to_the_editors(client):
    for n in range(10):
        client.logout()
        data = {"email": f"person{n}@example.org", "password1": PASSWORD, "password2": PASSWORD}
        assert client.post("/account/signup/", data).status_code == 302
    client.logout()
    data = {"email": "one-more@example.org", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post("/account/signup/", data)
    assert response.status_code == 429
    assert f"Please try again later, or {LINK}." in response.text


def test_the_claim_limit_message_links_to_the_editors(client):
    clinic = make_clinic("Calm Harbor Ketamine", slug="calm-harbor")
    client.force_login(make_user("jo@gmail.example"))
    data = {"work_email": "jo@calm-harbr.example", "job_title": "Practice manager"}
    for _ in range(5):
        client.post(f"/account/claim/{clinic.slug}/", data)
        client.post(f"/account/claim/{clinic.slug}/", {"action": "withdraw"})
    response = client.post(f"/account/claim/{clinic.slug}/", data)
    assert response.status_code == 429
    assert f"this one again, or {LINK}." in response.text
