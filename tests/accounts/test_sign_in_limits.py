"""Wrong passwords: per email and network address, per address, and per email."""

import hashlib

import pytest
from django.core import mail

from accounts import sign_in_limits
from tests.builders import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
OWNER = "staff@clinic.example"


def _sign_in(client, email, password, address="127.0.0.1"):
    return client.post(
        "/account/login/", {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_a_stranger_guessing_elsewhere_does_not_lock_out_the_owner(client):
    make_user(OWNER, password=PASSWORD)
    for _ in range(sign_in_limits.FAILURE_LIMIT):
        _sign_in(client, OWNER, "guess", address="203.0.113.9")
    refused = _sign_in(client, OWNER, PASSWORD, address="203.0.113.9")
    assert "Too many wrong passwords for this email" in refused.text
    assert "_auth_user_id" not in client.session
    # The owner, at the clinic's own connection, signs in.
    assert _sign_in(client, OWNER, PASSWORD).status_code == 302


def test_an_email_typed_in_other_cases_is_counted_as_one(client, monkeypatch):
    # Sign-in takes the email in any case, so the guesses count together.
    monkeypatch.setattr(sign_in_limits, "EMAIL_LIMIT", 4)
    make_user(OWNER, password=PASSWORD)
    for n, email in enumerate([OWNER.upper(), OWNER.title(), f" {OWNER} ", OWNER]):
        _sign_in(client, email, "guess", address=f"192.0.2.{n + 1}")
    refused = _sign_in(client, OWNER, PASSWORD, address="198.51.100.7")
    assert "Too many wrong passwords for this email" in refused.text


def test_the_cache_holds_no_hash_of_an_email_anyone_could_compute(client, monkeypatch):
    # An unkeyed hash of an email is reversed by hashing a list of addresses.
    from django.core.cache import caches

    limits = caches["limits"]
    keys = []
    for name in ("add", "incr", "get", "set"):
        method = getattr(limits, name)
        monkeypatch.setattr(
            limits,
            name,
            lambda key, *a, _method=method, **k: keys.append(key) or _method(key, *a, **k),
        )
    make_user(OWNER, password=PASSWORD)
    _sign_in(client, OWNER, "guess")
    client.post("/account/password-reset/", {"email": OWNER})
    client.post(
        "/account/signup/",
        {"email": OWNER, "password1": PASSWORD + "!", "password2": PASSWORD + "!"},
    )
    plain = hashlib.sha256(OWNER.encode()).hexdigest()
    assert any(key.startswith("sign-in-failures-to:") for key in keys)
    assert any(key.startswith("password-reset-sent:") for key in keys)
    assert any(key.startswith("accounts:sign-up-taken:") for key in keys)
    assert not [key for key in keys if plain[:32] in key or OWNER in key]


def test_one_address_guessing_across_many_emails_waits(client, monkeypatch):
    # The real limit is a few dozen; a smaller one keeps the test quick (each
    # guess hashes a password).
    monkeypatch.setattr(sign_in_limits, "ADDRESS_LIMIT", 4)
    make_user(OWNER, password=PASSWORD)
    for n in range(4):
        _sign_in(client, f"person{n}@clinic.example", "Spring2026!")
    refused = _sign_in(client, OWNER, PASSWORD)
    assert refused.status_code == 200
    assert "Too many wrong passwords from your network" in refused.text
    assert "_auth_user_id" not in client.session
    # Another address is not held up.
    assert _sign_in(client, OWNER, PASSWORD, address="198.51.100.7").status_code == 302


def test_guessing_one_email_from_many_addresses_waits(client, monkeypatch):
    monkeypatch.setattr(sign_in_limits, "EMAIL_LIMIT", 6)
    make_user(OWNER, password=PASSWORD)
    make_user("other@clinic.example", password=PASSWORD)
    for n in range(6):
        _sign_in(client, OWNER, "guess", address=f"192.0.2.{n + 1}")
    refused = _sign_in(client, OWNER, PASSWORD, address="198.51.100.7")
    assert "Too many wrong passwords for this email" in refused.text
    assert "_auth_user_id" not in client.session
    # Only that email waits.
    response = _sign_in(client, "other@clinic.example", PASSWORD, address="198.51.100.7")
    assert response.status_code == 302


def test_a_password_reset_ends_the_wait_for_the_email(client, monkeypatch):
    monkeypatch.setattr(sign_in_limits, "EMAIL_LIMIT", 3)
    make_user(OWNER, password=PASSWORD)
    for n in range(3):
        _sign_in(client, OWNER, "guess", address=f"192.0.2.{n + 1}")
    assert "Too many wrong passwords" in _sign_in(client, OWNER, PASSWORD).text
    client.post("/account/password-reset/", {"email": OWNER})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    form_url = client.get(link.split("testserver", 1)[1], follow=True).redirect_chain[-1][0]
    new = "another long new password"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    assert _sign_in(client, OWNER, new).status_code == 302


def test_sign_ins_under_way_count_so_a_burst_cannot_slip_past(rf):
    # Checking before a password is checked and counting after lets a burst of
    # guesses sent at once all pass the check; counting first does not.
    request = rf.post("/account/login/", REMOTE_ADDR="192.0.2.1")
    under_way = [sign_in_limits.attempt(request, OWNER) for _ in range(12)]
    assert [a.refusal for a in under_way] == [None] * 10 + [sign_in_limits.TOO_MANY_FOR_EMAIL] * 2


def test_a_right_password_is_not_counted_as_a_wrong_one(client):
    make_user(OWNER, password=PASSWORD)
    for _ in range(sign_in_limits.FAILURE_LIMIT + 1):
        assert _sign_in(client, OWNER, PASSWORD).status_code == 302
        client.logout()


def test_new_searches_filling_the_page_cache_do_not_wipe_the_counts(client):
    # The page cache stores every new search; in a cache shared with the
    # counts, a few hundred of them pushed the counts out, and the wait ended.
    from django.core.cache import cache

    make_user(OWNER, password=PASSWORD)
    for _ in range(sign_in_limits.FAILURE_LIMIT):
        _sign_in(client, OWNER, "guess")
    for n in range(1000):
        cache.set(f"page:a-new-search-{n}", "x" * 100)
    refused = _sign_in(client, OWNER, PASSWORD)
    assert "Too many wrong passwords for this email" in refused.text
