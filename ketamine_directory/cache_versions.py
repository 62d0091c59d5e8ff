"""
Version tokens that cached pages and figures are keyed by.

A new token drops everything stored under the old one at once, without
knowing its keys (see ketamine_directory.page_cache).
"""

import uuid

from django.core.cache import cache
from django.db import connection, transaction


def current(key):
    return cache.get_or_set(key, lambda: uuid.uuid4().hex, None)


def renew(key):
    cache.set(key, uuid.uuid4().hex, None)


def now_and_after_commit(forget):
    """
    Call forget now, and again once the surrounding transaction commits.

    Until the change commits, other requests still read the old rows, and
    would store what they render under the token forget has just renewed.
    """
    forget()
    if connection.in_atomic_block:
        transaction.on_commit(forget)
