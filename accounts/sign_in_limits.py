"""
Guessing passwords: when signing in waits. The site's sign-in and the admin's
share these counts, so neither is a way round the other.

Three counts of wrong passwords, each refusing even the right one once full:
- one email from one network address: the usual lockout, which a stranger
  guessing from elsewhere cannot impose on the owner;
- one network address, whatever the emails: stops trying a few common
  passwords on many accounts ("spraying");
- one email, whatever the addresses: stops guessing one account from many
  addresses, and is looser, since reaching it locks out the owner too.
"""

import contextlib
import time

from ketamine_directory.throttle import address_digest, count_one, counts, email_digest

# 10 in 15 minutes: far more than anyone mistyping their own password.
FAILURE_LIMIT = 10
FAILURE_WINDOW = 15 * 60  # seconds
# 30 an hour from one address: room for a clinic's staff sharing an office
# connection to mistype, a few hundred sprayed guesses a day at most.
ADDRESS_LIMIT = 30
ADDRESS_WINDOW = 60 * 60
# 100 an hour at one email: no one address can reach it alone (it stops at 30),
# so locking out an owner takes several; guessing stays at 2,400 a day.
EMAIL_LIMIT = 100
EMAIL_WINDOW = 60 * 60

TOO_MANY_FOR_EMAIL = (
    "Too many wrong passwords for this email. Wait 15 minutes, or reset the password."
)
TOO_MANY_FROM_ADDRESS = (
    "Too many wrong passwords from your network in the last hour. Please wait an hour and "
    "try again."
)


def _counts(request, username):
    """(cache key, limit, window, message) for each count this sign-in falls under."""
    email = email_digest(username)
    # A password reset starts the email's counts from one address afresh
    # without having to find them all: their keys hold the time of the last reset.
    since = counts.get(f"sign-in-reset:{email}", 0)
    address = address_digest(request)
    return [
        (
            f"sign-in-failures:{email}:{address}:{since}",
            FAILURE_LIMIT,
            FAILURE_WINDOW,
            TOO_MANY_FOR_EMAIL,
        ),
        (f"sign-in-failures-to:{email}", EMAIL_LIMIT, EMAIL_WINDOW, TOO_MANY_FOR_EMAIL),
        (f"sign-in-failures-from:{address}", ADDRESS_LIMIT, ADDRESS_WINDOW, TOO_MANY_FROM_ADDRESS),
    ]


class Attempt:
    """
    One sign-in, counted as a wrong password from its start: checked after
    the password, a burst of guesses sent at once would all pass the check.
    finish() takes it back off if the password was right.
    """

    def __init__(self, request, username):
        self._counts = _counts(request, username)
        self.refusal = None
        for key, limit, window, message in self._counts:
            if count_one(key, window) > limit and self.refusal is None:
                self.refusal = message
        if self.refusal:
            self.finish(wrong_password=False)  # refused unheard: not a guess

    def finish(self, *, wrong_password):
        if wrong_password:
            return
        for key, *_ in self._counts:
            # Expired meanwhile, or the cache is down: nothing to take back.
            with contextlib.suppress(Exception):
                counts.decr(key)


def attempt(request, username):
    """Start a sign-in as `username`; its `refusal` says why it must wait, or is None."""
    return Attempt(request, username)


def forget_failures(username):
    """
    A new password ends a pause for its email caused by someone else's
    guesses (the reset link proves the address); one for a network address stays.
    """
    email = email_digest(username)
    counts.set(f"sign-in-reset:{email}", time.time_ns(), max(FAILURE_WINDOW, EMAIL_WINDOW))
    counts.delete(f"sign-in-failures-to:{email}")
