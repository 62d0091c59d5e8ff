"""
The token of a claim, confirmation or password-reset link never leaves in a
Referer header, not even to the site's own stylesheet, and the forms on the
way still work.

The site's policy (strict-origin-when-cross-origin) sends a page's whole
address to the site itself. Responses at a token's address say no-referrer,
which makes a browser send `Origin: null` with any form posted from them
(refused by the CSRF check), so those addresses only ever redirect or explain:
the pages with a form have addresses without the token.
"""

import re
from types import SimpleNamespace

import pytest
from django.core import mail

from accounts.confirmation import send_link
from listings.models import Claim, Membership
from tests.builders import make_clinic, make_user

pytestmark = pytest.mark.django_db

SITE_POLICY = "strict-origin-when-cross-origin"
NO_FORM = re.compile(r'<form[^>]+method="post"', re.IGNORECASE)


@pytest.fixture
def clinic():
    return make_clinic(
        "Calm Harbor Ketamine", slug="calm-harbor", website="https://calm-harbor.example"
    )


def claim_link(client, user):
    client.force_login(user)
    data = {"work_email": "jo@calm-harbor.example", "job_title": "Practice manager"}
    client.post("/account/claim/calm-harbor/", data)
    return re.search(r"http://testserver(/account/claim/confirm/\S+/)", mail.outbox[-1].body)[1]


def confirmation_link(user, next_url=""):
    request = SimpleNamespace(build_absolute_uri=lambda path: "http://testserver" + path)
    send_link(request, user, next_url)
    return re.search(r"http://testserver(/account/confirm-email/\S+/)", mail.outbox[-1].body)[1]


def reset_link(client, email):
    client.post("/account/password-reset/", {"email": email})
    return re.search(r"http://testserver(/account/password-reset/\S+/)", mail.outbox[-1].body)[1]


def assert_token_kept_from_referers(response):
    assert response["Referrer-Policy"] == "no-referrer", response.request["PATH_INFO"]
    # From a no-referrer page a form would be posted with "Origin: null" and refused.
    assert not NO_FORM.search(response.content.decode()), "a form at a token's address"


def test_a_claim_link_keeps_its_token_from_referers(client, clinic):
    jo = make_user("jo@gmail.example")
    link = claim_link(client, jo)

    opened = client.get(link)
    assert_token_kept_from_referers(opened)
    # On to the Confirm form, at an address without the token.
    assert opened.status_code == 302
    page = client.get(opened["Location"])
    token = link.split("/")[-2]
    assert token not in opened["Location"] and token not in page.content.decode()
    assert page["Referrer-Policy"] == SITE_POLICY
    assert NO_FORM.search(page.text)
    assert client.post(opened["Location"])["Location"] == "/account/clinics/calm-harbor/"
    assert Membership.objects.filter(user=jo, clinic=clinic).exists()

    # Every other answer at the link's address too: used up, tampered, signed out.
    assert_token_kept_from_referers(client.get(link))
    assert_token_kept_from_referers(client.get(link[:-3] + "xx/"))
    client.logout()
    signed_out = client.get(link)
    assert signed_out.status_code == 302
    assert_token_kept_from_referers(signed_out)


def test_a_claim_link_opened_as_another_account_keeps_its_token_from_referers(client, clinic):
    link = claim_link(client, make_user("jo@gmail.example"))
    client.force_login(make_user("sam@gmail.example"))
    opened = client.get(link)
    assert_token_kept_from_referers(opened)
    page = client.get(opened["Location"])
    assert page["Referrer-Policy"] == SITE_POLICY
    assert Claim.objects.get().status == Claim.Status.EMAIL_SENT


def test_a_confirmation_link_keeps_its_token_from_referers(client, clinic):
    jo = make_user("jo@calm-harbor.example", confirmed=False)
    link = confirmation_link(jo, "/account/claim/calm-harbor/")
    assert_token_kept_from_referers(client.get(link[:-3] + "xx/"))
    # Signed in as someone else: the explanation has a sign-out form, so it
    # is shown at an address without the token.
    client.force_login(make_user("sam@gmail.example"))
    opened = client.get(link)
    assert_token_kept_from_referers(opened)
    assert opened.status_code == 302
    page = client.get(opened["Location"])
    assert "This link is for another account" in page.text
    assert page["Referrer-Policy"] == SITE_POLICY
    client.logout()
    assert_token_kept_from_referers(client.get(link))


def test_a_password_reset_link_keeps_its_token_from_referers(client):
    make_user("jo@gmail.example")
    link = reset_link(client, "jo@gmail.example")
    opened = client.get(link)
    assert_token_kept_from_referers(opened)
    # Django's own view moves on to a form whose address holds no token.
    assert opened["Location"].endswith("/set-password/")
    form = client.get(opened["Location"])
    assert form["Referrer-Policy"] == SITE_POLICY
    assert_token_kept_from_referers(client.get(link[:-3] + "xx/"))


def test_a_sign_in_page_leading_back_to_a_link_sends_only_the_origin(client, clinic):
    link = claim_link(client, make_user("jo@gmail.example"))
    client.logout()
    # A form page, so not no-referrer; but nothing of its address beyond the origin.
    sign_in = client.get(link, follow=True)
    assert sign_in.request["PATH_INFO"] == "/account/login/"
    assert sign_in["Referrer-Policy"] == "strict-origin"
    sign_up = client.get("/account/signup/", {"next": link})
    assert sign_up["Referrer-Policy"] == "strict-origin"
    # Other sign-in pages keep the site's policy.
    assert client.get("/account/login/?next=/account/")["Referrer-Policy"] == SITE_POLICY
