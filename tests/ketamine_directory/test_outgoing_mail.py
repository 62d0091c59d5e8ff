"""
A mail server that refuses an address, or cannot be reached, is answered on
the page (where someone waits for the email), never with a server error, and
the logs never get the address (SMTPRecipientsRefused carries it).
"""

import logging
import smtplib

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from inquiries.models import Inquiry
from listings.models import Claim, ListingReport
from tests.builders import make_clinic, make_editor, make_member, make_user

pytestmark = pytest.mark.django_db

NOT_SENT = "We could not send an email to"


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every recipient, naming them, as a real one does."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused(
            {address: (550, b"5.1.1 no such user") for m in messages for address in m.to}
        )


class UnreachableBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture(params=[RefusingBackend, UnreachableBackend], ids=["refused", "unreachable"])
def failing_mail(request, settings):
    # The settings use MAILERS (Django 6.1), which EMAIL_BACKEND does not override.
    backend = f"{__name__}.{request.param.__name__}"
    settings.MAILERS = {"default": {"BACKEND": backend}}
    settings.MANAGERS = ["editors@site.example"]


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def logged(caplog):
    """Every log line, with any traceback formatted as a handler would."""
    formatter = logging.Formatter()
    return "\n".join(
        record.getMessage()
        + (formatter.formatException(record.exc_info) if record.exc_info else "")
        for record in caplog.records
    )


def sign_up(client, email):
    password = "a long new password 77"
    return client.post(
        "/account/signup/", {"email": email, "password1": password, "password2": password}
    )


def test_sign_up_says_the_email_could_not_be_sent_and_keeps_the_address(client, failing_mail, logs):
    response = sign_up(client, "jo@bad.example")
    assert response.status_code == 200
    assert f"{NOT_SENT} jo@bad.example. Check the address" in response.text
    assert "try again later" in response.text
    assert 'value="jo@bad.example"' in response.text
    # No account waits for a link that never came: signing up again starts afresh.
    assert not get_user_model().objects.filter(email="jo@bad.example").exists()
    assert "bad.example" not in logged(logs)
    assert "Could not send a confirmation link" in logged(logs)


def test_sign_up_with_a_taken_address_says_the_same_when_its_email_fails(
    client, failing_mail, logs
):
    make_user("jo@bad.example")
    response = sign_up(client, "jo@bad.example")
    assert response.status_code == 200
    assert f"{NOT_SENT} jo@bad.example. Check the address" in response.text
    assert get_user_model().objects.filter(email="jo@bad.example").count() == 1
    assert "bad.example" not in logged(logs)


def test_signing_up_again_once_mail_works_sends_the_link(client, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    sign_up(client, "jo@bad.example")
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    response = sign_up(client, "jo@bad.example")
    assert response["Location"] == "/account/signup/sent/"
    assert "/account/confirm-email/" in mail.outbox[-1].body
    assert "tried to create an account" not in mail.outbox[-1].body


def test_a_new_confirmation_link_that_fails_says_so_and_can_be_asked_again(
    client, failing_mail, logs
):
    client.force_login(make_user("jo@bad.example", confirmed=False))
    response = client.post("/account/confirm-email/", follow=True)
    assert response.status_code == 200
    assert f"{NOT_SENT} jo@bad.example" in response.text
    assert "try again later" in response.text
    # Not counted as sent: asking again at once tries again.
    again = client.post("/account/confirm-email/", follow=True)
    assert NOT_SENT in again.text and "less than a minute ago" not in again.text
    assert "bad.example" not in logged(logs)


@pytest.fixture
def clinic():
    return make_clinic("Calm Harbor Ketamine", slug="calm-harbor", website="https://bad.example")


def test_a_claim_link_that_fails_says_so_and_keeps_what_was_typed(
    client, clinic, failing_mail, logs
):
    client.force_login(make_user("jo@gmail.example"))
    data = {"work_email": "jo@bad.example", "job_title": "Practice manager", "message": ""}
    response = client.post("/account/claim/calm-harbor/", data)
    assert response.status_code == 200
    assert f"{NOT_SENT} jo@bad.example. Check the address" in response.text
    assert 'value="jo@bad.example"' in response.text and "Practice manager" in response.text
    # No claim left waiting for that link: the form can be sent again.
    assert not Claim.objects.exists()
    assert client.post("/account/claim/calm-harbor/", data).status_code == 200
    assert "bad.example" not in logged(logs)


def test_a_claim_link_sent_again_that_fails_says_so(client, clinic, settings, logs):
    person = make_user("jo@gmail.example")
    client.force_login(person)
    data = {"work_email": "jo@bad.example", "job_title": "Practice manager", "message": ""}
    client.post("/account/claim/calm-harbor/", data)
    Claim.objects.update(link_sent_at=None)  # a minute later
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    response = client.post("/account/claim/calm-harbor/", {"action": "resend"}, follow=True)
    assert response.status_code == 200
    assert f"{NOT_SENT} jo@bad.example" in response.text
    assert "withdraw the claim" in response.text
    assert Claim.objects.get().link_sent_at is None  # asking again need not wait
    assert "bad.example" not in logged(logs)


def test_a_claim_decision_that_cannot_be_emailed_stands_and_the_editor_is_told(
    client, clinic, failing_mail, logs
):
    person = make_user("jo@bad.example")
    pending = Claim.objects.create(
        clinic=clinic, user=person, work_email="jo@bad.example", status=Claim.Status.IN_REVIEW
    )
    client.force_login(make_editor())
    response = client.post(
        "/admin/listings/claim/",
        {"action": "approve", "_selected_action": [pending.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "could not be sent" in response.text and "Calm Harbor Ketamine" in response.text
    pending.refresh_from_db()
    assert pending.status == Claim.Status.APPROVED
    assert "bad.example" not in logged(logs)


def test_editors_not_told_of_a_claim_or_report_is_no_error(client, clinic, failing_mail, logs):
    client.force_login(make_user("jo@bad.example"))
    data = {"work_email": "jo@bad.example", "job_title": "Manager", "message": ""}
    clinic.website = "https://other.example"
    clinic.save()
    assert client.post("/account/claim/calm-harbor/", data).status_code == 302
    assert Claim.objects.get().status == Claim.Status.IN_REVIEW
    client.logout()
    report = client.post("/clinics/calm-harbor/report/", {"problem": "price", "details": ""})
    assert report.status_code == 302 and ListingReport.objects.exists()
    assert "bad.example" not in logged(logs) and "editors@site.example" not in logged(logs)


def test_staff_not_told_of_an_inquiry_is_no_error(client, clinic, failing_mail, logs):
    make_member(clinic, make_user("jo@bad.example"))
    data = {"email": "alex@example.org", "message": "Is IV covered?", "consent": "on"}
    assert client.post("/clinics/calm-harbor/contact/", data).status_code == 302
    assert Inquiry.objects.exists()
    assert "bad.example" not in logged(logs) and "Is IV covered" not in logged(logs)


def test_a_password_reset_that_fails_says_what_it_always_says(client, failing_mail, logs):
    make_user("jo@bad.example")
    response = client.post("/account/password-reset/", {"email": "jo@bad.example"})
    # The same page as for an address without an account: it tells nobody which.
    assert response.status_code == 302
    assert response["Location"] == "/account/password-reset/sent/"
    assert "bad.example" not in logged(logs)
    assert "Could not send a password reset" in logged(logs)


class AddressingBackend(BaseEmailBackend):
    """Encodes each recipient's domain, as Django's SMTP backend does before connecting."""

    def send_messages(self, messages):
        for message in messages:
            for address in message.recipients():
                address.rpartition("@")[2].encode("idna")
        return len(messages)


# The email field takes it; no email can be addressed to it.
UNADDRESSABLE = "jo@xn--ü.example"


def test_an_address_no_email_can_be_sent_to_is_refused_at_sign_up(client, logs):
    response = sign_up(client, UNADDRESSABLE)
    assert response.status_code == 200
    assert "No email can be sent to this address" in response.text
    assert not get_user_model().objects.exists()


def test_a_password_reset_for_such_an_account_says_what_it_always_says(client, settings, logs):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.AddressingBackend"}}
    make_user(UNADDRESSABLE)  # made before the sign-up form refused such addresses
    response = client.post("/account/password-reset/", {"email": UNADDRESSABLE})
    assert response["Location"] == "/account/password-reset/sent/"
    assert "xn--" not in logged(logs)


def test_links_that_failed_to_go_are_not_counted_as_sent(client, clinic, settings):
    person = make_user("jo@gmail.example")
    client.force_login(person)
    data = {"work_email": "jo@bad.example", "job_title": "Practice manager", "message": ""}
    client.post("/account/claim/calm-harbor/", data)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    for _ in range(4):  # an outage: each attempt fails
        Claim.objects.update(link_sent_at=None)
        client.post("/account/claim/calm-harbor/", {"action": "resend"})
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    Claim.objects.update(link_sent_at=None)
    response = client.post("/account/claim/calm-harbor/", {"action": "resend"}, follow=True)
    assert "We sent a new link to jo@bad.example" in response.text
