"""
At most so many actions an hour from one network address (or one account),
counted in the cache's "limits" alias, apart from the pages: visitors' searches
fill the page cache, and must not push the counts out of it.

The cache holds only a keyed hash of the address or email (the database
never sees it): an unkeyed hash of an IPv4 address can be reversed by trying
them all, and one of an email by trying a list of addresses.
"""

import contextlib
import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.core.cache import caches
from django.utils.connection import ConnectionProxy

# Like django.core.cache.cache: the calling thread's connection, each time.
counts = ConnectionProxy(caches, "limits")


def client_address(request):
    # Behind a proxy every request comes from the proxy's address. Only when the
    # proxy is trusted to add the client's address (the last one it appends) is
    # that used; otherwise the header could be anything a client made up.
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def count_one(key, window):
    """
    Add one to a count kept in the cache for `window` seconds and return the
    new count, in one step (add, else incr: atomic on Redis and locmem), so
    requests arriving together each see their own number. 0 if the cache is down.
    """
    for _ in range(2):  # again once, if the count expired between add and incr
        try:
            if counts.add(key, 1, window):
                return 1
            return counts.incr(key)
        except ValueError:  # incr of a key that has just expired
            continue
        except Exception:
            # A lost count must not turn the request into an error: with Redis
            # down, add() gives False and incr() raises.
            return 0
    return 0


def network(address):
    """
    What one visitor counts as: an IPv4 address whole, an IPv6 address by its
    /64 (one connection is usually given a whole /64, 2^64 addresses to pick
    from), an IPv4 address written as IPv6 (::ffff:a.b.c.d) as that IPv4 address.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)


def address_digest(request):
    """The client's network address as a keyed hash, to count its requests by."""
    address = network(client_address(request)).encode()
    return hmac.new(settings.SECRET_KEY.encode(), address, hashlib.sha256).hexdigest()[:32]


def email_digest(email):
    """An email address as a keyed hash (in any case), to count what is sent to or tried on it."""
    email = email.strip().lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), email, hashlib.sha256).hexdigest()[:32]


class AddressThrottle:
    def __init__(self, name, *, limit, window):
        self.name, self.limit, self.window = name, limit, window

    def _key(self, request):
        return f"{self.name}:{address_digest(request)}"

    def exceeded(self, request):
        """Whether the limit is reached already: to refuse early, before a form is read."""
        return counts.get(self._key(request), 0) >= self.limit

    def allow(self, request):
        """
        Count this action and say whether it is within the limit. One step:
        exceeded() then record() lets a burst of requests all pass the check
        before any is counted.
        """
        count = count_one(self._key(request), self.window)
        return count <= self.limit

    def record(self, request):
        count_one(self._key(request), self.window)

    def give_back(self, request):
        """Uncount an action allow() counted that did not happen after all (an email not sent)."""
        with contextlib.suppress(Exception):  # expired meanwhile, or the cache is down
            counts.decr(self._key(request))


class AccountThrottle(AddressThrottle):
    """The same, counted for the signed-in account wherever it connects from."""

    def _key(self, request):
        return f"{self.name}:{request.user.pk}"
