"""
Whole-page caching for anonymous visitors that keeps a fresh CSP nonce per response.

Every HTML page carries a new CSP nonce, so a stored page cannot be replayed
byte for byte. A page is rendered once with a placeholder where the nonce goes;
each visitor then gets the stored bytes with their own fresh nonce swapped in.

Pages are keyed by the directory and guide versions, which change on every save
(see clinics.signals and articles.signals), so edits show on the next request.
The timeout bounds what no save announces: a guide's scheduled publish time,
and the "updated 3 days ago" wording.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from articles.versioning import guides_version
from clinics.stats import directory_version

TIMEOUT = 5 * 60

# Secret-derived, so page content cannot predict it and have a nonce put in its place.
PLACEHOLDER = "n" + hashlib.sha256(f"csp-nonce:{settings.SECRET_KEY}".encode()).hexdigest()[:21]
PLACEHOLDER_BYTES = PLACEHOLDER.encode()


def cache_public_page(view):
    """Serve GET requests from visitors who are not signed in from the page cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            request.method != "GET"
            # Only signing in makes a session here; signed-in pages can be personal.
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or getattr(request, "_csp_nonce", None) is None  # no CSP middleware
        ):
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = cache.get(key)
        if stored is None:
            response = _render_with_placeholder(view, request, *args, **kwargs)
            if not _cacheable(request, response):
                return _with_nonce(request, response)
            stored = (response.status_code, response.content, dict(response.headers))
            cache.set(key, stored, TIMEOUT)
        status, content, headers = stored
        return _with_nonce(request, HttpResponse(content, status=status, headers=headers))

    return wrapper


def _key(request):
    # HTMX asks for the result fragment; a history restore wants the whole page.
    variant = "page"
    if request.htmx and not request.htmx.history_restore_request:
        variant = "htmx"
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()[:40]
    return f"page:{directory_version()}:{guides_version()}:{variant}:{digest}"


def _render_with_placeholder(view, request, *args, **kwargs):
    nonce = request._csp_nonce
    request._csp_nonce = PLACEHOLDER
    try:
        return view(request, *args, **kwargs)
    finally:
        request._csp_nonce = nonce


def _cacheable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A page that used a CSRF token is personal to this visitor.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _with_nonce(request, response):
    if response.streaming or PLACEHOLDER_BYTES not in response.content:
        return response
    # str() generates the nonce, so the CSP header names it too.
    response.content = response.content.replace(PLACEHOLDER_BYTES, str(request._csp_nonce).encode())
    return response
