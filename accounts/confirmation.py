"""Proving an account's email address with a signed link, as sign-up asks."""

import enum
import hashlib

from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import ConfirmedEmail
from ketamine_directory.outgoing_mail import send_email
from ketamine_directory.throttle import counts

SALT = "accounts.confirm-email"
MAX_AGE = 3 * 24 * 60 * 60  # seconds; the email says 3 days
RESEND_AFTER = 60  # seconds between links for one account


class BadLink(Exception):
    pass


class AccountClosed(BadLink):
    """The link's account was deactivated or deleted: only the editors can help."""


def is_confirmed(user):
    return ConfirmedEmail.objects.filter(user=user, email__iexact=user.email).exists()


def mark_confirmed(user):
    ConfirmedEmail.objects.update_or_create(user=user, defaults={"email": user.email})


def _fingerprint(email):
    # The token names the address without holding it: paths reach request logs.
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def address_hint(email):
    """
    "j…@calm-harbor.example": enough of an address for its owner to recognise,
    for pages shown to whoever holds a link, who need not be that owner.
    """
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}…@{domain}"


class Sent(enum.Enum):
    YES = "sent"
    TOO_SOON = "one went out less than a minute ago"
    FAILED = "the mail server refused it or could not be reached"


def send_link(request, user, next_url=""):
    """
    Email the account a link that leads on to `next_url` (a path on this site)
    once opened; says whether it went (a `Sent`).
    """
    key = f"accounts:confirm-sent:{user.pk}"
    # Not added and yet not there: the counts' Redis is unreachable, which
    # must not stop every sign-up as "too soon".
    if not counts.add(key, 1, RESEND_AFTER) and counts.get(key) is not None:
        return Sent.TOO_SOON
    data = {"u": user.pk, "e": _fingerprint(user.email)}
    if next_url:
        data["n"] = next_url
    token = signing.dumps(data, salt=SALT)
    url = request.build_absolute_uri(reverse("accounts:confirm_email", args=[token]))
    if not send_email(
        "a confirmation link",
        "Confirm your email address",
        render_to_string("accounts/email/confirm_email.txt", {"user": user, "url": url}),
        [user.email],
    ):
        counts.delete(key)  # nothing went out: asking again at once is no flood
        return Sent.FAILED
    return Sent.YES


def read_link(token, users):
    """
    The account a link proves and the page to go on to ("" if none), or
    BadLink with a reason a person can act on (AccountClosed when `users`
    has the account no more, or has it deactivated).
    """
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise BadLink("This link has expired. Sign in and ask for a new one.") from None
    except signing.BadSignature:
        raise BadLink("This link is not valid. Copy the whole link from the email.") from None
    user = users.filter(pk=data.get("u")).first()
    if user is None or not user.is_active:
        raise AccountClosed(
            "This link is for an account that has been closed, so it no longer works."
        )
    if _fingerprint(user.email) != data.get("e"):
        raise BadLink("This link is for an address the account no longer uses.")
    return user, data.get("n", "")
