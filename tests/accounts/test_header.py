"""Signed-in staff find their way back to their clinics from any page."""

import pytest
from django.test import Client

from tests.articles.builders import make_guide
from tests.builders import make_clinic, make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    return make_clinic("Calm Harbor Ketamine", slug="calm-harbor")


def test_signed_in_pages_link_to_your_clinics_in_the_header(client, clinic):
    client.force_login(make_member(clinic))
    guide = make_guide("Costs")
    for path in ["/", "/clinics/", guide.get_absolute_url(), "/account/"]:
        header = client.get(path).text.split("</header>")[0]
        assert '<a href="/account/"' in header and "Your clinics" in header, path


def test_visitors_get_the_same_header_and_no_cookie_vary(clinic):
    visitor = Client()
    for path in ["/", "/clinics/", clinic.get_absolute_url()]:
        response = visitor.get(path)
        assert "Your clinics" not in response.text, path
        # The header reads no session for visitors: their pages stay cacheable alike.
        assert "Cookie" not in response.get("Vary", ""), path


def test_a_clinics_own_staff_see_edit_this_listing_on_its_public_page(client, clinic):
    client.force_login(make_member(clinic))
    page = client.get(clinic.get_absolute_url()).text
    assert (
        '<a class="claim-link" href="/account/clinics/calm-harbor/">Edit this listing</a>' in page
    )
    assert "Work here?" not in page

    # Not for anyone else signed in, nor for the visitors after them.
    other = Client()
    other.force_login(make_user("someone@else.example"))
    assert "Work here?" in other.get(clinic.get_absolute_url()).text
    visitor = Client().get(clinic.get_absolute_url()).text
    assert "Edit this listing" not in visitor and "Work here?" in visitor
