"""A live guide leaves the site only on purpose, and its addresses then say so plainly."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Guide
from tests.articles.admin_pages import change_url, said, save_with
from tests.articles.builders import make_guide
from tests.pages import form_data

pytestmark = pytest.mark.django_db

CONFIRM = "Take this guide off the site"


def status_of(guide):
    return Guide.objects.get(pk=guide.pk).status


@pytest.mark.parametrize("status", [Guide.Status.DRAFT, Guide.Status.IN_REVIEW])
def test_a_live_guide_set_back_from_published_is_refused_until_confirmed(client, editor, status):
    guide = make_guide("Live", slug="live")
    opened = client.get(change_url(guide)).text
    assert 'type="hidden" name="take_off_site"' in opened  # no box while it stays published
    refused = save_with(client, guide, status=status)
    assert "was changed successfully" not in said(refused)
    assert "This guide is on the site now" in refused.text
    assert "/guides/live/" in refused.text
    assert 'type="checkbox" name="take_off_site"' in refused.text and CONFIRM in refused.text
    assert status_of(guide) == Guide.Status.PUBLISHED
    assert Client().get("/guides/live/").status_code == 200

    # The refused page, ticked and saved again, takes it off, and says so.
    data = form_data(refused.text, "guide_form") | {"take_off_site": "on"}
    response = client.post(change_url(guide), data, follow=True)
    text = said(response)
    assert "was changed successfully" in text
    assert "“Live” is no longer on the site: readers at /guides/live/" in text
    assert status_of(guide) == status
    assert Client().get("/guides/live/").status_code == 404


def test_moving_a_live_guides_publish_time_to_later_needs_the_same_confirmation(client, editor):
    guide = make_guide("Live", slug="live")
    later = (timezone.localdate() + timedelta(days=3)).isoformat()
    refused = save_with(client, guide, published_at_0=later)
    assert "a publish time still to come takes it off" in refused.text
    assert Guide.objects.get(pk=guide.pk).is_visible
    data = form_data(refused.text, "guide_form") | {"take_off_site": "on"}
    assert "no longer on the site" in said(client.post(change_url(guide), data, follow=True))
    assert not Guide.objects.get(pk=guide.pk).is_visible


def test_guides_not_on_the_site_change_status_without_confirming(client, editor):
    draft = make_guide("Draft", status=Guide.Status.DRAFT, published_at=None)
    scheduled = make_guide("Scheduled", published_at=timezone.now() + timedelta(days=3))
    for guide, status in [(draft, Guide.Status.IN_REVIEW), (scheduled, Guide.Status.DRAFT)]:
        response = save_with(client, guide, status=status)
        assert "was changed successfully" in said(response)
        assert "no longer on the site" not in said(response)
        assert status_of(guide) == status
    # Nor does a live guide's save that keeps it live.
    live = make_guide("Live")
    response = save_with(client, live, dek="A new summary.")
    assert "was changed successfully" in said(response)
    assert "on the site now" not in response.text


def test_the_old_address_of_a_guide_taken_off_the_site_is_not_found_not_a_redirect(
    client, admin_client
):
    guide = make_guide("Old name", slug="old-name")
    guide.slug = "new-name"
    guide.save()
    assert Client().get("/guides/old-name/").status_code == 301
    guide.status = Guide.Status.DRAFT
    guide.save()
    for address in ["/guides/old-name/", "/guides/new-name/"]:
        response = Client().get(address)
        assert response.status_code == 404
        assert 'href="/guides/"' in response.text  # the way on to the guides
    # Staff following an old link still reach the preview.
    assert admin_client.get("/guides/old-name/")["Location"] == "/guides/new-name/"


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (Guide.Status.DRAFT, "Draft — not published"),
        (Guide.Status.IN_REVIEW, "In medical review — not published"),
    ],
)
def test_the_preview_of_a_guide_once_published_says_it_is_not_published(admin_client, status, says):
    guide = make_guide("Withdrawn", slug="withdrawn")  # published yesterday
    Guide.objects.filter(pk=guide.pk).update(status=status)
    page = admin_client.get("/guides/withdrawn/").text
    assert says in page
    assert "Published <time" not in page


def test_the_preview_of_a_scheduled_guide_gives_its_date_to_come(admin_client):
    make_guide("Soon", slug="soon", published_at=timezone.now() + timedelta(days=3))
    page = admin_client.get("/guides/soon/").text
    assert "To be published <time" in page and "Published <time" not in page
    # A live guide's page is unchanged.
    make_guide("Live", slug="live")
    assert "Published <time" in Client().get("/guides/live/").text
