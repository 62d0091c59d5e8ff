"""
A token that changes whenever any guide content does.

Pages that show guides are cached by this token (see ketamine_directory.page_cache),
so an editor's save is visible on the next request.
"""

import uuid

from django.core.cache import cache
from django.db import connection, transaction

VERSION_KEY = "articles:version"


def guides_version():
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, None)


def forget_guides():
    _new_version()
    if connection.in_atomic_block:
        # Until the change commits (every admin save is in a transaction), other
        # requests still read the old rows and would store what they render
        # under the new version: change it again once committed.
        transaction.on_commit(_new_version)


def _new_version():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
