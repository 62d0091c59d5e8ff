"""
Keeping the tokens of emailed links (claim, email confirmation, password reset)
out of Referer headers.

The site's policy (SECURE_REFERRER_POLICY, strict-origin-when-cross-origin)
sends a page's whole address to the site itself, so a page at a link's address
would hand its token to every request for its own stylesheet and icon, and to
whatever logs those. Responses at such an address say `no-referrer` instead
(SecurityMiddleware only sets the header on responses that have none).

A browser posts a form from a no-referrer page with `Origin: null`, which
Django's CSRF check refuses, so the views at those addresses never answer with
a form: like Django's password reset, they keep the token in the session and
redirect to an address without it, or explain what is wrong. A page with a
form whose query holds a token (signing in on the way back to a link) gets
`strict-origin`: the origin and nothing more.
"""

from functools import wraps

from ketamine_directory.log_redaction import redact

TOKEN = "[token]"  # what redact() puts in a token's place


def keep_tokens_from_referers(view):
    """Set the Referrer-Policy of `view`'s responses whose address holds a link's token."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if _holds_token(request.path):
            response.headers["Referrer-Policy"] = "no-referrer"
        elif _holds_token(request.get_full_path()):
            response.headers["Referrer-Policy"] = "strict-origin"
        return response

    return wrapper


def _holds_token(address):
    # redact() knows every address with a token (a test checks it). It cuts out
    # a reset link's user id too, which the form's address keeps: not a secret.
    return redact(address).count(TOKEN) > address.count(TOKEN)
