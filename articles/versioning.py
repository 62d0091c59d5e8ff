"""
A token that changes whenever any guide content does.

Pages that show guides are cached by this token (see ketamine_directory.page_cache),
so an editor's save is visible on the next request.
"""

import uuid

from django.core.cache import cache

VERSION_KEY = "articles:version"


def guides_version():
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, None)


def forget_guides():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
