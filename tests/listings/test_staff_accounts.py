"""A staff account closed or opened again shows on the clinic's cached pages at once."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clinics.models import Clinic
from tests.builders import make_clinic, make_member, make_user

pytestmark = pytest.mark.django_db

URL = "/clinics/calm-harbor/"
CONTACT = 'href="/clinics/calm-harbor/contact/"'


@pytest.fixture
def clinic():
    return make_clinic("Calm Harbor Ketamine", slug="calm-harbor", is_verified=True)


@pytest.fixture
def staff(clinic):
    return make_member(clinic)


@pytest.fixture
def root():
    """A superuser in a browser of their own (editors don't manage accounts)."""
    browser = Client()
    browser.force_login(make_user("root@site.example", is_staff=True, is_superuser=True))
    return browser


def set_active_in_the_admin(browser, user, active):
    url = f"/admin/auth/user/{user.pk}/change/"
    form = browser.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif hasattr(value, "strftime"):  # a date and a time box
            data[f"{name}_0"], data[f"{name}_1"] = f"{value:%Y-%m-%d}", f"{value:%H:%M:%S}"
            continue
        elif isinstance(value, list | tuple):
            value = [getattr(item, "pk", item) for item in value]
        data[name] = value
    data["is_active"] = "on" if active else ""
    response = browser.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_active is active


def served_from_the_cache(client, url):
    """The page, asked for twice so that the second answer comes from the page cache."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).text
    assert not queries, "not cached"
    return page


def verified_in_the_directory(client):
    page = client.get("/clinics/").text
    card = page[page.index('data-clinic="calm-harbor"') :]
    return "badge-verified" in card[: card.index("</li>")]


def test_closing_the_last_staff_account_in_the_admin_shows_on_cached_pages_at_once(
    client, clinic, staff, root
):
    assert CONTACT in served_from_the_cache(client, URL)
    served_from_the_cache(client, "/clinics/")
    assert verified_in_the_directory(client)

    set_active_in_the_admin(root, staff, False)
    page = client.get(URL).text
    assert CONTACT not in page
    assert "Not verified" in page
    assert not verified_in_the_directory(client)


def test_opening_a_staff_account_again_brings_the_message_form_back_at_once(
    client, clinic, staff, root
):
    set_active_in_the_admin(root, staff, False)
    assert CONTACT not in served_from_the_cache(client, URL)

    set_active_in_the_admin(root, staff, True)
    page = client.get(URL).text
    assert CONTACT in page
    # Verified again only when an editor has checked the listing again.
    assert "Not verified" in page
    assert client.get("/clinics/calm-harbor/contact/").status_code == 200


def test_a_page_cached_while_the_deactivation_commits_is_not_served_after_it(
    client, clinic, staff, django_capture_on_commit_callbacks
):
    served_from_the_cache(client, URL)
    with django_capture_on_commit_callbacks(execute=True):
        staff.is_active = False  # as the admin saves it, in a transaction
        staff.save()
        # A visitor answered before the save commits, from the rows as they
        # were then (in another worker, or another database connection).
        client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(URL).text
    assert queries, "served the page cached before the deactivation was committed"
    assert CONTACT not in page


def test_saving_an_account_without_opening_or_closing_it_keeps_the_cached_pages(
    client, clinic, staff
):
    served_from_the_cache(client, URL)
    staff.first_name = "Jo"
    staff.save()
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    assert not queries, "nothing on the page changed, yet it was rendered again"
    assert Clinic.objects.get(pk=clinic.pk).is_verified
