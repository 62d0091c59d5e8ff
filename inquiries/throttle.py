"""
At most a few inquiries an hour from one network address, counted in the cache.

The cache holds only a keyed hash of the address (the database never sees it):
an unkeyed hash of an IPv4 address can be reversed by trying them all.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

LIMIT = 5
WINDOW = 60 * 60  # seconds


def _key(request):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), _address(request).encode(), hashlib.sha256
    ).hexdigest()
    return f"inquiries:sent:{digest[:32]}"


def _address(request):
    # Behind a proxy every request comes from the proxy's address. Only when the
    # proxy is trusted to add the client's address (the last one it appends) is
    # that used; otherwise the header could be anything a client made up.
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def exceeded(request):
    return cache.get(_key(request), 0) >= LIMIT


def record(request):
    key = _key(request)
    try:
        if not cache.add(key, 1, WINDOW):
            cache.incr(key)
    except Exception:  # the count expired meanwhile, or the cache is down
        # The message is saved already; a lost count must not turn that into an error.
        pass
