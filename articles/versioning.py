"""
A token that changes whenever any guide content does.

Pages that show guides are cached by this token (see ketamine_directory.page_cache),
so an editor's save is visible on the next request.
"""

from ketamine_directory import cache_versions

VERSION_KEY = "articles:version"


def guides_version():
    return cache_versions.current(VERSION_KEY)


def forget_guides():
    cache_versions.now_and_after_commit(lambda: cache_versions.renew(VERSION_KEY))
