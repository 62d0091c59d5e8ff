"""Sign-up says the same whether or not the email has an account, as password reset does."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.builders import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "another long new password"


def _sign_up(client, email, **data):
    fields = {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post("/account/signup/", fields | data)


def _as_seen(response, email):
    # What differs between any two responses (the CSP nonce, the CSRF token,
    # the address typed) set aside.
    text = re.sub(r'nonce="[^"]*"', "", response.text)
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return text.replace(email, "EMAIL")


def test_sign_up_looks_the_same_whether_or_not_the_email_has_an_account(client):
    owner = make_user("staff@clinic.example", password=PASSWORD)
    taken, fresh = Client(), Client()
    taken_response = _sign_up(taken, "Staff@Clinic.Example")
    fresh_response = _sign_up(fresh, "new@clinic.example")
    assert taken_response.status_code == fresh_response.status_code == 302
    assert taken_response["Location"] == fresh_response["Location"]
    taken_page = taken.get(taken_response["Location"])
    fresh_page = fresh.get(fresh_response["Location"])
    assert "Check your email" in fresh_page.text
    assert "staff@clinic.example" in taken_page.text  # what was typed is shown back
    assert _as_seen(taken_page, "staff@clinic.example") == _as_seen(
        fresh_page, "new@clinic.example"
    )
    # Neither is signed in: that alone would tell them apart.
    assert "_auth_user_id" not in taken.session and "_auth_user_id" not in fresh.session

    # The existing account is untouched, and its owner is told.
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert get_user_model().objects.filter(username__iexact="staff@clinic.example").count() == 1
    told = next(message for message in mail.outbox if message.to == ["staff@clinic.example"])
    assert "tried to create an account" in told.body
    assert "http://testserver/account/login/" in told.body
    assert "http://testserver/account/password-reset/" in told.body
    assert NEW_PASSWORD not in told.body
    # The new address gets its confirmation link.
    confirm = next(message for message in mail.outbox if message.to == ["new@clinic.example"])
    assert "/account/confirm-email/" in confirm.body


def test_sign_ups_with_a_taken_email_count_as_sign_ups(client):
    make_user("staff@clinic.example", password=PASSWORD)
    for _ in range(10):
        assert _sign_up(client, "staff@clinic.example").status_code == 302
    response = _sign_up(client, "staff@clinic.example")
    assert response.status_code == 429
    assert "Many accounts were made from your network" in response.text
    # And the owner's inbox is not filled either.
    assert len(mail.outbox) == 3
