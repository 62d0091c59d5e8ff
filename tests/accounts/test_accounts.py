import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from clinics.models import Clinic
from tests.builders import make_clinic, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_sign_up_makes_the_account_and_asks_to_check_email(client):
    response = client.post(
        "/account/signup/",
        {"email": "Dr.Ames@Clinic.Example", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    # Not signed in, and not sent to the account's page: an address that has an
    # account already gets the same answer (tests/accounts/test_sign_up_taken.py).
    assert response["Location"] == "/account/signup/sent/"
    assert "Check your email" in client.get(response["Location"]).text
    user = get_user_model().objects.get()
    assert user.username == user.email == "dr.ames@clinic.example"
    client.post("/account/login/", {"username": "dr.ames@clinic.example", "password": PASSWORD})
    assert client.get("/account/").status_code == 200


def _opened_confirmation_link(client):
    link = re.search(r"http://testserver(/account/confirm-email/\S+/)", mail.outbox[-1].body)
    return client.get(link.group(1))


def test_sign_up_goes_back_to_a_safe_next_page_only(client):
    # Sign-up signs nobody in: the emailed link leads on, through signing in.
    client.post(
        "/account/signup/",
        {
            "email": "a@b.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    response = _opened_confirmation_link(client)
    assert response["Location"] == "/account/login/"
    client.logout()
    client.post(
        "/account/signup/",
        {
            "email": "c@d.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "/account/claim/x/",
        },
    )
    response = _opened_confirmation_link(client)
    assert response["Location"] == "/account/login/?next=/account/claim/x/"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "not an email"}, "email", "Enter a valid email address."),
        ({"password2": "something else"}, "password2", "The two passwords don’t match."),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "too common"),
    ],
)
def test_sign_up_explains_what_is_wrong_and_keeps_the_email(client, data, field, message):
    form = {"email": "someone@example.org", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post("/account/signup/", form | data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message.replace("’", "'") in errors.replace("’", "'")
    assert (form | data)["email"] in response.content.decode()
    assert not get_user_model().objects.exists()


def test_sign_up_says_every_mistake_at_once(client):
    # A bad address and a short password: both said, not one round each.
    response = client.post(
        "/account/signup/", {"email": "not an email", "password1": "short", "password2": "short"}
    )
    errors = response.context["form"].errors
    assert "Enter a valid email address." in errors["email"]
    assert "This password is too short" in " ".join(errors["password1"])


def test_an_email_can_have_only_one_account_whatever_its_case(client):
    make_user("staff@clinic.example")
    response = client.post(
        "/account/signup/",
        {"email": "Staff@Clinic.Example", "password1": PASSWORD, "password2": PASSWORD},
    )
    # Said to the address's owner by email, not on the page to whoever typed it.
    assert "already an account" not in client.get(response["Location"]).text
    assert get_user_model().objects.filter(username__iexact="staff@clinic.example").count() == 1
    assert "tried to create an account" in mail.outbox[-1].body


def test_an_address_in_look_alike_characters_is_the_same_address(client):
    # "ａ" (full-width a) is the same letter to a mail server and to the
    # sign-in form: such an address signed up first must not keep the real
    # owner out of their own address, nor be another account beside theirs.
    look_alike = "victim@clinic-\uff41.example"
    client.post(
        "/account/signup/", {"email": look_alike, "password1": PASSWORD, "password2": PASSWORD}
    )
    user = get_user_model().objects.get()
    assert (user.username, user.email) == ("victim@clinic-a.example",) * 2
    other = Client()
    other.post(
        "/account/signup/",
        {"email": "victim@clinic-a.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert get_user_model().objects.count() == 1
    assert "tried to create an account" in mail.outbox[-1].body
    # And the owner can take the account back with a reset, typed either way.
    for typed in ("victim@clinic-a.example", look_alike):
        other.post("/account/password-reset/", {"email": typed})
        assert "/account/password-reset/" in mail.outbox[-1].body
        assert mail.outbox[-1].subject == "Reset your password on Ketamine Clinic Guide"


def test_sign_in_with_the_email_in_any_case(client):
    make_user("staff@clinic.example", password=PASSWORD)
    response = client.post(
        "/account/login/", {"username": "Staff@Clinic.example ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/"


def test_a_wrong_password_is_refused_politely(client):
    make_user("staff@clinic.example", password=PASSWORD)
    response = client.post(
        "/account/login/", {"username": "staff@clinic.example", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "email address and password don&#x27;t match" in response.content.decode()


def test_your_clinics_needs_signing_in(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/account/"


def test_password_reset_emails_a_working_link(client):
    make_user("staff@clinic.example", password=PASSWORD)
    form = client.get("/account/password-reset/").text
    assert "<h1>Reset your password</h1>" in form and "Django administration" not in form
    sent = client.post("/account/password-reset/", {"email": "staff@clinic.example"}, follow=True)
    assert "Django administration" not in sent.text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your password on Ketamine Clinic Guide"
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    response = client.get(link.split("testserver", 1)[1], follow=True)
    assert response.status_code == 200
    assert "Django administration" not in response.text
    new = "a new and much longer password"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response["Location"] == "/account/password-reset/done/"
    assert "Django administration" not in client.get(response["Location"]).text
    assert client.login(username="staff@clinic.example", password=new)


def test_a_reset_for_an_address_without_an_account_tells_that_address_instead(client):
    # One email either way, so neither the page nor the time it takes says
    # whether the address has an account; its owner learns why no link came.
    make_user("closed@clinic.example", password=PASSWORD, is_active=False)
    for email in ("nobody@clinic.example", "closed@clinic.example"):
        response = client.post("/account/password-reset/", {"email": email})
        assert response["Location"] == "/account/password-reset/sent/"
    assert [message.to for message in mail.outbox] == [
        ["nobody@clinic.example"],
        ["closed@clinic.example"],
    ]
    message = mail.outbox[0]
    assert message.subject == "No password was reset on Ketamine Clinic Guide"
    assert "No open account uses this address, so no link was sent" in message.body
    assert "http://testserver/account/signup/" in message.body
    assert "/password-reset/" in message.body and "/password-reset/MQ" not in message.body
    # Under the same limits as a reset link.
    for _ in range(4):
        client.post("/account/password-reset/", {"email": "nobody@clinic.example"})
    assert len([m for m in mail.outbox if m.to == ["nobody@clinic.example"]]) == 3


def test_password_reset_emails_one_address_a_few_times_an_hour(client):
    # Anyone can ask for a reset of any address: without a limit, over and over.
    make_user("staff@clinic.example", password=PASSWORD)
    for _ in range(6):
        response = client.post("/account/password-reset/", {"email": "Staff@Clinic.example"})
        assert response["Location"] == "/account/password-reset/sent/"  # says the same each time
    assert len(mail.outbox) == 3
    make_user("other@clinic.example", password=PASSWORD)
    client.post("/account/password-reset/", {"email": "other@clinic.example"})
    assert len(mail.outbox) == 4


def test_a_stranger_asking_for_resets_leaves_the_owner_theirs(client):
    # Someone elsewhere uses up the few an hour; the owner, on their own
    # network, still gets the email they ask for.
    make_user("staff@clinic.example", password=PASSWORD)
    for _ in range(5):
        client.post(
            "/account/password-reset/", {"email": "staff@clinic.example"}, REMOTE_ADDR="203.0.113.9"
        )
    assert len(mail.outbox) == 3
    client.post("/account/password-reset/", {"email": "staff@clinic.example"})
    assert len(mail.outbox) == 4
    # From many networks at once, the inbox still gets only so many in an hour.
    for n in range(20):
        client.post(
            "/account/password-reset/",
            {"email": "staff@clinic.example"},
            REMOTE_ADDR=f"198.51.100.{n}",
        )
    assert len(mail.outbox) == 10


def test_resets_asked_for_at_the_same_moment_are_counted_each_one(client, monkeypatch):
    # As if every request read the count before any of them added to it.
    from django.core.cache import cache

    make_user("staff@clinic.example", password=PASSWORD)
    read = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **k: 0 if "password-reset-sent" in key else read(key, *a, **k)
    )
    for _ in range(6):
        client.post("/account/password-reset/", {"email": "staff@clinic.example"})
    assert len(mail.outbox) == 3


def reset_page_without(response, email):
    """The page as anyone would see it, whatever address was typed."""
    text = re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', "", response.text)
    return text.replace(email, "EMAIL")


def test_one_visitor_asks_for_a_few_resets_an_hour_whatever_the_addresses(client):
    # Without a limit per visitor, one could have thousands of addresses sent a reset.
    make_user("staff@clinic.example", password=PASSWORD)
    for n in range(10):
        response = client.post("/account/password-reset/", {"email": f"person{n}@clinic.example"})
        assert response["Location"] == "/account/password-reset/sent/"
    pages = []
    for email in ("staff@clinic.example", "nobody@clinic.example"):
        response = client.post("/account/password-reset/", {"email": email})
        assert response.status_code == 429
        assert response["Retry-After"] == "3600"
        assert "Many password resets were asked for from your network" in response.text
        assert f'value="{email}"' in response.text
        pages.append(reset_page_without(response, email))
    # Whether the address has an account shows neither in the answer nor in the page.
    assert pages[0] == pages[1]
    # The ten asked for first were sent (each told it has no account); no more.
    assert len(mail.outbox) == 10
    # Another visitor is not held up.
    other = client.post(
        "/account/password-reset/", {"email": "staff@clinic.example"}, REMOTE_ADDR="203.0.113.9"
    )
    assert other["Location"] == "/account/password-reset/sent/"
    assert len(mail.outbox) == 11 and mail.outbox[-1].to == ["staff@clinic.example"]


def test_behind_a_trusted_proxy_each_visitor_has_their_own_reset_limit(client, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(10):
        client.post(
            "/account/password-reset/",
            {"email": f"person{n}@clinic.example"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
            **proxy,
        )
    data = {"email": "someone@clinic.example"}
    refused = client.post(
        "/account/password-reset/", data, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy
    )
    assert refused.status_code == 429
    # The address the proxy appended is the visitor's, whatever the client put before it.
    spoofed = client.post(
        "/account/password-reset/", data, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7", **proxy
    )
    assert spoofed.status_code == 429
    other = client.post(
        "/account/password-reset/", data, HTTP_X_FORWARDED_FOR="203.0.113.20", **proxy
    )
    assert other["Location"] == "/account/password-reset/sent/"


def test_sign_out_is_a_post_and_ends_the_session(client):
    user = make_user()
    client.force_login(user)
    response = client.post("/account/logout/")
    assert response.status_code == 302
    assert client.get("/account/").status_code == 302


def test_signing_out_says_so_without_starting_a_session(client):
    client.force_login(make_user())
    response = client.post("/account/logout/", follow=True)
    assert response.redirect_chain == [("/account/signed-out/", 302)]
    page = response.text
    assert "<h1>You're signed out</h1>" in page
    assert 'href="/account/login/"' in page and 'href="/clinics/"' in page
    # A message would need a session, and with one every public page after it
    # would skip the page cache; the page itself says it instead.
    assert "sessionid" not in client.cookies or not client.cookies["sessionid"].value


def test_the_signed_out_page_sends_someone_signed_in_to_their_account(client):
    client.force_login(make_user())
    assert client.get("/account/signed-out/")["Location"] == "/account/"


def test_many_wrong_passwords_pause_signing_in_to_that_email(client):
    make_user("staff@clinic.example", password=PASSWORD)
    for _ in range(10):
        client.post("/account/login/", {"username": "staff@clinic.example", "password": "guess"})
    response = client.post(
        "/account/login/", {"username": "staff@clinic.example", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "Too many wrong passwords" in response.content.decode()
    # A password reset lifts the pause.
    client.post("/account/password-reset/", {"email": "staff@clinic.example"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    form_url = client.get(link.split("testserver", 1)[1], follow=True).redirect_chain[-1][0]
    new = "another long new password"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    response = client.post("/account/login/", {"username": "staff@clinic.example", "password": new})
    assert response.status_code == 302
    client.logout()
    # Other accounts are not affected.
    make_user("other@clinic.example", password=PASSWORD)
    response = client.post(
        "/account/login/", {"username": "other@clinic.example", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_many_new_accounts_from_one_address_wait_an_hour(client):
    for n in range(10):
        client.logout()
        data = {"email": f"person{n}@example.org", "password1": PASSWORD, "password2": PASSWORD}
        assert client.post("/account/signup/", data).status_code == 302
    client.logout()
    data = {"email": "one-more@example.org", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post("/account/signup/", data)
    assert response.status_code == 429
    assert "Many accounts were made from your network" in response.text
    assert 'value="one-more@example.org"' in response.text
    assert get_user_model().objects.count() == 10
    # Another address is not held up.
    other = client.post("/account/signup/", data, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_sign_in_and_sign_up_errors_speak_of_email_addresses(client):
    make_user("staff@clinic.example", password=PASSWORD)
    failed = client.post("/account/login/", {"username": "staff@clinic.example", "password": "x"})
    assert "That email address and password don&#x27;t match an account." in failed.text
    assert "username and password" not in failed.text
    weak = "staffclinic.example"
    signup = client.post(
        "/account/signup/",
        {"email": "staff2@clinic.example", "password1": weak, "password2": weak},
    )
    assert "too similar to the email address" in signup.text


def test_a_signed_in_person_changes_their_password(client):
    user = make_user("staff@clinic.example", password=PASSWORD)
    client.force_login(user)
    assert 'href="/account/password/"' in client.get("/account/").text
    wrong = client.post(
        "/account/password/",
        {"old_password": "nope", "new_password1": "x", "new_password2": "x"},
    )
    assert wrong.status_code == 200 and "Django administration" not in wrong.text
    new = "another long password 42"
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == "/account/"
    assert client.get("/account/").status_code == 200  # still signed in here
    assert client.login(username="staff@clinic.example", password=new)


def test_signing_in_to_claim_a_clinic_names_the_clinic(client):
    make_clinic("Calm Harbor Ketamine", slug="calm-harbor")
    # Where "Claim this listing" leads someone signed out.
    sign_in = client.get("/account/claim/calm-harbor/", follow=True)
    assert sign_in.redirect_chain[-1][0] == "/account/login/?next=/account/claim/calm-harbor/"
    assert "Sign in or create an account to claim Calm Harbor Ketamine" in sign_in.text
    # Choosing to create an account instead keeps saying so.
    sign_up = client.get("/account/signup/?next=/account/claim/calm-harbor/").text
    assert "Create an account to claim Calm Harbor Ketamine" in sign_up


@pytest.mark.parametrize(
    "next_url",
    [
        "/account/claim/no-such-clinic/",
        "/account/claim/hidden-clinic/",
        "/account/claim/<b>Trust me</b>/",
        "https://evil.example/account/claim/calm-harbor/",
        "//evil.example/account/claim/calm-harbor/",
        "/account/clinics/calm-harbor/",
        "/account/claim/calm-harbor/../../../evil/",
        "Calm Harbor Ketamine",
    ],
)
def test_the_sign_in_page_names_only_a_clinic_of_this_sites_claim_page(client, next_url):
    make_clinic("Calm Harbor Ketamine", slug="calm-harbor")
    make_clinic("Hidden Clinic", slug="hidden-clinic", status=Clinic.Status.HIDDEN)
    for url in ("/account/login/", "/account/signup/"):
        page = client.get(url, {"next": next_url}).text
        assert "to claim" not in page, (url, next_url)
        assert "<b>" not in page and "Hidden Clinic" not in page


SIGN_UP_HINT = "At least 8 characters, not all numbers, not a common password."


def reset_form_page(client):
    make_user("staff@clinic.example", password=PASSWORD)
    client.post("/account/password-reset/", {"email": "staff@clinic.example"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    return client.get(link.split("testserver", 1)[1], follow=True)


def change_form_page(client):
    client.force_login(make_user("staff@clinic.example", password=PASSWORD))
    return client.get("/account/password/")


@pytest.mark.parametrize("open_form", [reset_form_page, change_form_page])
def test_new_password_forms_say_what_sign_up_says(client, open_form):
    page = open_form(client).text.replace("&#x27;", "'").replace("’", "'")
    assert SIGN_UP_HINT in page and SIGN_UP_HINT in Client().get("/account/signup/").text
    assert "New password again" in page
    assert "New password confirmation" not in page
    assert "can't be too similar" not in page
    assert "can't be entirely numeric" not in page


def test_a_too_weak_new_password_is_said_under_the_new_password(client):
    client.force_login(make_user("staff@clinic.example", password=PASSWORD))
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    form = response.context["form"]
    assert "This password is too short" in " ".join(form.errors["new_password1"])
    assert "new_password2" not in form.errors


def test_the_sign_in_email_box_brings_up_the_email_keyboard(client):
    text = client.get("/account/login/").text
    box = re.search(r'<input[^>]*name="username"[^>]*>', text).group(0)
    assert 'inputmode="email"' in box and 'autocomplete="email"' in box


def test_a_reset_link_stops_working_once_the_account_is_closed(client):
    # Django's reset view does not look at is_active: a link mailed before the
    # account was closed would still set a password on it.
    user = make_user("staff@clinic.example", password=PASSWORD)
    client.post("/account/password-reset/", {"email": "staff@clinic.example"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(link.split("testserver", 1)[1], follow=True)
    assert response.status_code == 200
    assert "This link has expired or has been used already." in response.text
    assert "new_password1" not in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
