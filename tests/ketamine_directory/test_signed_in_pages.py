"""
Pages shown to someone signed in are kept by no browser cache: on a shared
computer, Back after signing out must not show their clinics and inquiries.
"""

import pytest

from tests.builders import make_clinic, make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    clinic = make_clinic("Calm Harbor Ketamine", slug="calm-harbor", offerings={"iv": (400, 450)})
    make_clinic("Quiet Pines", slug="quiet-pines")
    user = make_member(clinic, make_user("jo@calm-harbor.example"))
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "path",
    [
        "/account/",
        "/account/clinics/calm-harbor/",
        "/account/clinics/calm-harbor/history/",
        "/account/clinics/calm-harbor/inquiries/",
        "/account/password/",
        "/account/claim/quiet-pines/",
        "/account/add-clinic/",
        "/clinics/",  # a public page, with the signed-in header
    ],
)
def test_signed_in_pages_are_no_store(client, staff, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/", "/clinics/", "/clinics/calm-harbor/", "/guides/"])
def test_visitors_pages_are_unchanged_and_do_not_vary_on_the_cookie(client, path):
    make_clinic("Calm Harbor Ketamine", slug="calm-harbor")
    response = client.get(path)
    assert response.status_code == 200
    assert "Cache-Control" not in response
    assert "Cookie" not in response.headers.get("Vary", "")
    assert not response.cookies  # no session started
