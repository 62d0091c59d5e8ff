"""
Browser tests: Debian's Chromium driven by Playwright (sync API) against
pytest-django's live server.

Every test in this directory is marked `browser` and is skipped, with one
reason, when Chromium is not installed. Playwright never downloads a browser
here: it launches the system Chromium.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; without this,
# Django refuses ORM calls made from that thread (fixtures, assertions).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
CHROMIUM = next(
    (
        path
        for path in ("/usr/bin/chromium", shutil.which("chromium"))
        if path and Path(path).exists()
    ),
    None,
)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
NO_CHROMIUM = "Chromium not installed: apt-get install -y chromium"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

# Milliseconds. Generous for a slow CI box, short enough to fail fast.
TIMEOUT = 10_000


def pytest_collection_modifyitems(config, items):
    """Mark every test collected from this directory as a browser test."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium():
    # Session-scoped and autouse, so it runs before the live server and the
    # database are set up, and every test reports the same single skip reason.
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="session", autouse=True)
def _serialized_database(playwright, django_db_setup, django_db_blocker):
    """
    What the migrations put in the test database, for serialized rollback.

    Django keeps it on the connection, and connections belong to a context:
    Playwright's event loop is a new one, so when other tests set the database
    up before Playwright started (the whole suite), browser tests saw a fresh
    connection without it. Nothing was then restored after each flush; the
    sample data loader recreated payers and conditions, but the Editors group
    was gone. Serialized here, in Playwright's context, before any browser
    test flushes; until then the database holds only what migrations made.
    """
    from django.db import connection

    if not hasattr(connection, "_test_serialized_contents"):
        with django_db_blocker.unblock():
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def directory_data(live_server, transactional_db, django_db_serialized_rollback):
    """
    The fictional sample clinics and guides, visible to the live server.

    The live server runs in another thread, so the data has to be committed:
    `transactional_db` (the tables are flushed after each test) rather than
    `db`. The flush after each test also empties what data migrations put in
    (payers, conditions, the Editors group); `django_db_serialized_rollback`
    restores it before the next test, so every test starts from the migrated
    database, as the site does in production (about 3 s for the whole suite).
    """
    cache.clear()
    call_command("load_sample_data", verbosity=0)
    cache.clear()
    yield
    cache.clear()


def served(page):
    """
    Wait until the live server has finished the page, before reading the database.

    On SQLite the live server thread shares the test's in-memory connection,
    and one sqlite3 connection used by two threads at once fails ("bad
    parameter or other API misuse"). A click returns once the next page has
    started to arrive, while the server may still be rendering it.
    """
    page.wait_for_load_state()


def _watch(page):
    """Record what the browser complains about, on lists attached to the page."""
    page.console_errors = []
    page.page_errors = []
    page.csp_violations = []

    def on_console(message):
        if message.type != "error":
            return
        text = message.text
        page.console_errors.append(text)
        if "Content Security Policy" in text:
            page.csp_violations.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    page.set_default_timeout(TIMEOUT)
    page.set_default_navigation_timeout(TIMEOUT)
    return page


@pytest.fixture
def new_page(browser, live_server, directory_data):
    """
    Factory: `new_page(**context_options)` opens a page in a fresh browser
    context (viewport 1280x900 unless given) whose base URL is the live server.
    """
    contexts = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=live_server.url, **options)
        contexts.append(context)
        return _watch(context.new_page())

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page; see `page.console_errors`, `.page_errors`, `.csp_violations`."""
    return new_page()
