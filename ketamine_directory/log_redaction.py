"""
Signed tokens, and email addresses, kept out of log lines.

Claim links, email-confirmation links and password-reset links carry a signed
token in their path, and whoever reads it in a log could use the link. The
request log prints paths, and so do Django's own warnings ("Bad Request:
<path>", "Not Found: <path>", "Forbidden (CSRF token missing.): <path>"), the
development server's request lines (query strings included, where a sign-in
page's `next` can hold a claim link) and gunicorn's logs. So every line the site
writes goes through `redact()`: the log handler's filter (settings.LOGGING) and
gunicorn's logger (ketamine_directory/gunicorn_logging.py) both use it.

The routes are written out here rather than read from the URLconf because
logging starts before the URLconf can be loaded; a test checks that every route
with a token in its path is covered.
"""

import logging
import re

# A path separator, as written or percent-encoded (in a query string).
_SEP = r"(?:/|%2[fF])"
# One path segment: up to the next separator, the end of a query value, or the
# end of the line's path (a space, a quote).
_SEGMENT = r"(?:(?!%2[fF])[^/\s?#&;\"'<>])+"


def _route(*parts):
    return _SEP + _SEP.join(re.escape(part) for part in parts) + _SEP


_ONE_TOKEN = re.compile(
    rf"(?P<head>{_route('account', 'confirm-email')}|{_route('account', 'claim', 'confirm')})"
    rf"(?P<token>{_SEGMENT})"
)
_PASSWORD_RESET = re.compile(
    rf"(?P<head>{_route('account', 'password-reset')})"
    rf"(?P<uid>{_SEGMENT})(?P<sep>{_SEP})(?P<token>{_SEGMENT})"
)
# An email address, as written or percent-encoded, whose domain has a dot.
# The site logs none on purpose (emails, inquiries); this catches those that
# an error nobody foresaw would quote: a database error's row, a mail
# server's reply.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# After its first use the reset link moves on to a page of this name, and
# keeps the token in the session instead: worth keeping for debugging.
_RESET_FORM = "set-password"


def _reset(match):
    token = match["token"] if match["token"] == _RESET_FORM else "[token]"
    return f"{match['head']}[uid]{match['sep']}{token}"


def redact(text):
    """
    `text` with the token of every claim, confirmation or reset link in it
    replaced, and every email address.
    """
    if "@" in text or "%40" in text:
        text = _EMAIL.sub("[email]", text)
    if "account" not in text:  # the cheap common case: no such link at all
        return text
    text = _ONE_TOKEN.sub(r"\g<head>[token]", text)
    return _PASSWORD_RESET.sub(_reset, text)


class RedactTokens(logging.Filter):
    """
    Rewrites each record's message (and traceback) with `redact()`, in place,
    so that every handler after this one sees the redacted line too.
    """

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # arguments that don't fit: the handler reports it, without them
            record.msg, record.args = redact(str(record.msg)), ()
        else:
            redacted = redact(message)
            if redacted != message:
                record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            # An exception's message can quote the path; format it here, once.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
