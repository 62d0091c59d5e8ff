"""
At most so many actions an hour from one network address (or one account),
counted in the cache.

The cache holds only a keyed hash of the address (the database never sees it):
an unkeyed hash of an IPv4 address can be reversed by trying them all.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    # Behind a proxy every request comes from the proxy's address. Only when the
    # proxy is trusted to add the client's address (the last one it appends) is
    # that used; otherwise the header could be anything a client made up.
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def add_one(key, window):
    """Add one to a count kept in the cache for `window` seconds."""
    try:
        if not cache.add(key, 1, window):
            cache.incr(key)
    except Exception:  # the count expired meanwhile, or the cache is down
        # A lost count must not turn the request into an error: with Redis
        # down, add() gives False and incr() raises.
        pass


def address_digest(request):
    """The client's network address as a keyed hash, to count its requests by."""
    address = client_address(request).encode()
    return hmac.new(settings.SECRET_KEY.encode(), address, hashlib.sha256).hexdigest()[:32]


class AddressThrottle:
    def __init__(self, name, *, limit, window):
        self.name, self.limit, self.window = name, limit, window

    def _key(self, request):
        return f"{self.name}:{address_digest(request)}"

    def exceeded(self, request):
        return cache.get(self._key(request), 0) >= self.limit

    def record(self, request):
        add_one(self._key(request), self.window)


class AccountThrottle(AddressThrottle):
    """The same, counted for the signed-in account wherever it connects from."""

    def _key(self, request):
        return f"{self.name}:{request.user.pk}"
