"""
Whole-page caching for anonymous visitors that keeps a fresh CSP nonce per response.

Every HTML page carries a new CSP nonce, so a stored page cannot be replayed
byte for byte. A page is rendered once with a placeholder where the nonce goes;
each visitor then gets the stored bytes with their own fresh nonce swapped in.

Pages are keyed by the directory and guide versions, which change on every save
(see clinics.signals and articles.signals), so edits show on the next request.
The timeout bounds what no save announces: a guide's scheduled publish time,
and the "updated 3 days ago" wording.

Stored pages are also kept gzipped, as deflate blocks that end on a byte
boundary wherever the nonce goes, so a response is those blocks joined by the
nonce in an uncompressed block: gzip for free instead of compressing 40 KB per
request (GZipMiddleware's cost, which took a third off the cached pages'
throughput). No random padding against BREACH is needed here: a stored page
holds no secret but the nonce, which is new in every response.
"""

import hashlib
import struct
import zlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers

from articles.versioning import guides_version
from clinics.stats import directory_version

TIMEOUT = 5 * 60

# Secret-derived, so page content cannot predict it and have a nonce put in its place.
PLACEHOLDER = "n" + hashlib.sha256(f"csp-nonce:{settings.SECRET_KEY}".encode()).hexdigest()[:21]
PLACEHOLDER_BYTES = PLACEHOLDER.encode()

GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no time, unknown OS
DEFLATE_END = zlib.compressobj(wbits=-15).flush()  # an empty final block


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
            stored = (
                response.status_code,
                response.content,
                dict(response.headers),
                _deflate_around_placeholders(response.content),
            )
            cache.set(key, stored, TIMEOUT)
        status, content, headers, deflated = stored
        response = _with_nonce(request, HttpResponse(content, status=status, headers=headers))
        patch_vary_headers(response, ["Accept-Encoding"])
        if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")):
            _gzip(response, deflated, str(request._csp_nonce).encode())
        return response

    return wrapper


def _key(request):
    # HTMX asks for the result fragment; a history restore wants the whole page.
    variant = "page"
    if request.htmx and not request.htmx.history_restore_request:
        variant = "htmx"
        if request.headers.get("X-Place-Page"):
            # Asked from a state or city page, whose heading changes too.
            variant = "htmx-place"
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()[:40]
    # "page:gz" for the stored shape (with deflate blocks); a deploy that changes
    # the shape must not read pages stored by the one before.
    return f"page:gz:{directory_version()}:{guides_version()}:{variant}:{digest}"


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


def _deflate_around_placeholders(content):
    """The page compressed in pieces split at the nonce placeholder, each byte-aligned."""
    pieces = []
    for piece in content.split(PLACEHOLDER_BYTES):
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        # A full flush ends on a byte boundary and forgets what came before, so
        # other blocks can be put between the pieces.
        pieces.append(compressor.compress(piece) + compressor.flush(zlib.Z_FULL_FLUSH))
    return pieces


def _gzip(response, deflated, nonce):
    """Replace a stored page's content (its nonce already in place) with its gzip form."""
    plain = response.content
    # The nonce as a stored (uncompressed) deflate block: header byte, length, its complement.
    stored_nonce = b"\x00" + struct.pack("<HH", len(nonce), len(nonce) ^ 0xFFFF) + nonce
    response.content = b"".join(
        [
            GZIP_HEADER,
            stored_nonce.join(deflated),
            DEFLATE_END,
            struct.pack("<II", zlib.crc32(plain), len(plain) & 0xFFFFFFFF),
        ]
    )
    response["Content-Encoding"] = "gzip"
