"""Sign-up proves the email address before the account may ask the editors for anything."""

import re

import pytest
from django.core import mail, signing

from accounts.confirmation import is_confirmed
from tests.builders import make_clinic, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def sign_up(client, email="jo@calm-harbor.example"):
    client.post("/account/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    # Sign-up signs nobody in (an address with an account would be told apart).
    client.post("/account/login/", {"username": email, "password": PASSWORD})


def emailed_link():
    body = mail.outbox[-1].body
    return re.search(r"http://testserver(/account/confirm-email/\S+/)", body).group(1)


def test_sign_up_emails_a_link_that_confirms_the_address(client):
    sign_up(client)
    assert mail.outbox[-1].to == ["jo@calm-harbor.example"]
    link = emailed_link()
    assert "calm-harbor" not in link, "request paths are logged: no address in the link"
    # Whoever made the account may have a few more links sent: say so truthfully.
    body = " ".join(mail.outbox[-1].body.split())
    assert "ignore this email: the account can't be used without this link" in body
    assert "at most three more a day" in body
    dashboard = client.get("/account/").text
    assert "Please confirm your email address." in dashboard

    response = client.get(link)
    assert response["Location"] == "/account/"
    page = client.get("/account/").text
    assert "jo@calm-harbor.example is confirmed" in page
    assert "Please confirm your email address." not in page


def test_the_link_leads_back_to_the_page_that_asked_for_it(client):
    make_clinic("Calm Harbor Ketamine", slug="calm-harbor")
    claim = "/account/claim/calm-harbor/"
    client.post(
        "/account/signup/",
        {"email": "jo@gmail.example", "password1": PASSWORD, "password2": PASSWORD, "next": claim},
    )
    client.post("/account/login/", {"username": "jo@gmail.example", "password": PASSWORD})
    assert client.get(claim).status_code == 403
    assert client.get(emailed_link())["Location"] == claim
    assert client.get(claim).status_code == 200


def test_signed_out_the_link_signs_in_on_the_way_back(client):
    client.force_login(make_user("jo@gmail.example", confirmed=False))
    client.post("/account/confirm-email/", {"next": "/account/add-clinic/"})
    client.logout()
    assert client.get(emailed_link())["Location"] == "/account/login/?next=/account/add-clinic/"


def test_the_link_never_leads_off_the_site(client):
    client.force_login(make_user("jo@gmail.example", confirmed=False))
    client.post("/account/confirm-email/", {"next": "https://evil.example/"})
    assert client.get(emailed_link())["Location"] == "/account/"


def test_claiming_or_adding_a_clinic_waits_for_a_confirmed_address(client):
    make_clinic("Calm Harbor Ketamine", slug="calm-harbor")
    client.force_login(make_user("jo@gmail.example", confirmed=False))
    for url in ("/account/claim/calm-harbor/", "/account/add-clinic/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Confirm your email first" in response.text
        assert 'action="/account/confirm-email/"' in response.text
    response = client.post("/account/claim/calm-harbor/", {"work_email": "jo@gmail.example"})
    assert response.status_code == 403 and not mail.outbox


def test_a_new_link_at_most_once_a_minute(client):
    client.force_login(make_user("jo@gmail.example", confirmed=False))
    back = client.post("/account/confirm-email/", {"next": "/account/claim/calm-harbor/"})
    assert back["Location"] == "/account/claim/calm-harbor/"
    client.post("/account/confirm-email/", {"next": "https://evil.example/"})
    assert len(mail.outbox) == 1
    assert "less than a minute ago" in client.get("/account/").text


def test_a_bad_or_stale_link_is_explained(client):
    user = make_user("jo@gmail.example", confirmed=False)
    client.force_login(user)
    client.post("/account/confirm-email/")
    link = emailed_link()
    response = client.get(link[:-4] + "xyz/")
    assert response.status_code == 400 and "not valid" in response.text

    user.email = user.username = "jo@calm-harbor.example"
    user.save()
    response = client.get(link)
    assert response.status_code == 400
    assert "an address the account no longer uses" in response.text
    assert not is_confirmed(user)


def test_the_link_works_signed_out_too(client):
    user = make_user("jo@gmail.example", confirmed=False)
    client.force_login(user)
    client.post("/account/confirm-email/")
    client.logout()
    response = client.get(emailed_link())
    assert response["Location"] == "/account/login/"
    assert is_confirmed(user)


def test_an_expired_link_is_explained(client, monkeypatch):
    user = make_user("jo@gmail.example", confirmed=False)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: "1")
    client.force_login(user)
    client.post("/account/confirm-email/")
    monkeypatch.undo()
    response = client.get(emailed_link())
    assert response.status_code == 400 and "expired" in response.text


def test_a_password_reset_also_proves_the_address(client):
    user = make_user("jo@gmail.example", confirmed=False)
    client.post("/account/password-reset/", {"email": "jo@gmail.example"})
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", mail.outbox[-1].body)[1]
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "another long password 42", "new_password2": "another long password 42"},
    )
    assert is_confirmed(user)


def test_no_new_link_for_an_address_already_confirmed(client):
    client.force_login(make_user("jo@gmail.example"))
    response = client.post("/account/confirm-email/", follow=True)
    assert "confirmed already" in response.text and not mail.outbox


def test_a_link_opened_while_signed_in_as_another_account_says_what_happened(client):
    jo = make_user("jo@calm-harbor.example", confirmed=False)
    client.force_login(jo)
    client.post("/account/confirm-email/", {"next": "/account/claim/calm-harbor/"})
    link = emailed_link()
    sam = make_user("sam@gmail.example", confirmed=False)
    client.force_login(sam)  # a colleague's browser, or the same person's other account

    response = client.get(link, follow=True)
    assert response.status_code == 200
    # On a page without the token in its address: it has a form (see test_referrer_policy).
    assert response.redirect_chain == [("/account/email-confirmed/", 302)]
    page = response.text
    assert "This link is for another account" in page
    # Enough of the address to recognise it, not all of it: whoever holds the
    # link need not be the one it was sent to.
    assert "j…@calm-harbor.example" in page and "jo@calm-harbor.example" not in page
    assert "You're signed in as sam@gmail.example" in page
    assert is_confirmed(jo) and not is_confirmed(sam)
    assert "no-store" in response["Cache-Control"]

    # Signing out from there leads to signing in as that account, then on to the claim.
    assert 'action="/account/logout/"' in page
    on = "/account/login/?next=/account/claim/calm-harbor/"
    assert f'name="next" value="{on}"' in page.replace("&amp;", "&")
    assert client.post("/account/logout/", {"next": on})["Location"] == on
    # And nothing about it waits to surprise the other account on its next page.
    client.force_login(sam)
    assert "calm-harbor" not in client.get("/account/").text


def test_signed_out_the_link_names_its_address_only_in_part(client):
    user = make_user("jo@calm-harbor.example", confirmed=False)
    client.force_login(user)
    client.post("/account/confirm-email/")
    client.logout()
    page = client.get(emailed_link(), follow=True).text
    assert "j…@calm-harbor.example is confirmed" in page
    assert "jo@calm-harbor.example" not in page


@pytest.mark.parametrize("closing", ["deactivated", "deleted"])
def test_the_link_of_a_closed_account_says_it_is_closed_and_whom_to_ask(client, closing, settings):
    settings.EDITORS_EMAIL = "editors@clinics.example"
    user = make_user("jo@gmail.example", confirmed=False)
    client.force_login(user)
    client.post("/account/confirm-email/")
    client.logout()
    if closing == "deactivated":
        user.is_active = False
        user.save()
    else:
        user.delete()
    response = client.get(emailed_link())
    assert response.status_code == 400
    page = response.text
    # Not "an address the account no longer uses": the address is the same.
    assert "no longer uses" not in page
    assert "This link is for an account that has been closed" in page
    assert 'email the editors at <a href="mailto:editors@clinics.example">' in page
    # Signing in to ask for a new link is no way forward for a closed account.
    assert "send yourself a new link" not in page


def test_a_new_link_at_most_3_times_a_day(client, monkeypatch):
    # Someone who signed up with another person's address must not be able to
    # have it sent a link every minute for ever.
    monkeypatch.setattr("accounts.confirmation.RESEND_AFTER", 0)
    client.force_login(make_user("jo@gmail.example", confirmed=False))
    for _ in range(3):
        client.post("/account/confirm-email/")
    assert len(mail.outbox) == 3
    response = client.post("/account/confirm-email/", follow=True)
    assert len(mail.outbox) == 3
    assert "sent you 3 new links today" in response.text
