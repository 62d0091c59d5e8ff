"""
Guessing passwords: when signing in waits. The site's sign-in and the admin's
share these counts, so neither is a way round the other.
"""

import hashlib

from django.core.cache import cache

from ketamine_directory.throttle import add_one

# After this many failures for one email address, signing in to it waits
# until the window has passed (or a password reset).
FAILURE_LIMIT = 10
FAILURE_WINDOW = 15 * 60  # seconds

TOO_MANY = "Too many wrong passwords for this email. Wait 15 minutes, or reset the password."


def _key(username):
    return "sign-in-failures:" + hashlib.sha256(username.encode()).hexdigest()


def refusal(request, username):
    """Why signing in as `username` waits now, or None."""
    if cache.get(_key(username), 0) >= FAILURE_LIMIT:
        return TOO_MANY
    return None


def record_failure(request, username):
    add_one(_key(username), FAILURE_WINDOW)


def forget_failures(username):
    """A new password ends a pause caused by someone else's guesses."""
    cache.delete(_key(username))
