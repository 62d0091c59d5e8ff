"""A guide's way from draft through medical review to published, as an editor walks it."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from articles.models import Guide
from tests.articles.admin_pages import said, save_with
from tests.articles.builders import make_guide, make_person, make_reviewer, new_guide_data
from tests.builders import make_editor
from tests.pages import form_data

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/guide/add/"
LIST = "/admin/articles/guide/"


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


@pytest.fixture
def people():
    return make_person("Sam Writer", credentials="Health writer"), make_reviewer("Alex Reviewer")


def test_a_review_date_in_the_future_is_refused(editor_client, people):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = new_guide_data(*people, last_reviewed=tomorrow.isoformat())
    response = editor_client.post(ADD, data)
    assert response.status_code == 200
    assert "The last review cannot be in the future" in response.text
    assert not Guide.objects.exists()
    data["last_reviewed"] = timezone.localdate().isoformat()
    assert editor_client.post(ADD, data).status_code == 302


def test_an_update_date_in_the_future_is_refused(editor_client, people):
    later = timezone.localdate() + timedelta(days=30)
    data = new_guide_data(*people, updated_on=later.isoformat())
    response = editor_client.post(ADD, data)
    assert response.status_code == 200
    assert "“Updated on” cannot be after the day the guide goes live" in response.text
    assert not Guide.objects.exists()
    # A guide scheduled for that day may say it was updated then.
    scheduled = data | {"published_at_0": later.isoformat(), "published_at_1": "09:00"}
    assert editor_client.post(ADD, scheduled).status_code == 302


def test_a_draft_needs_no_reviewer_or_review_date_yet(editor_client, people):
    data = new_guide_data(people[0], people[1], medical_reviewer="", last_reviewed="")
    response = editor_client.post(ADD, data)
    assert response.status_code == 302, response.text[:3000]
    guide = Guide.objects.get(slug="editors-guide")
    assert guide.medical_reviewer is None and guide.last_reviewed is None
    # Staff can read it as it stands; it names no reviewer it does not have.
    page = editor_client.get(guide.get_absolute_url()).text
    assert "Not medically reviewed yet" in page and "Medically reviewed by" not in page


def test_a_new_guide_cannot_skip_medical_review(editor_client, people):
    response = editor_client.post(ADD, new_guide_data(*people, status="published"))
    assert response.status_code == 200
    assert "A guide is published after its medical review" in response.text
    assert not Guide.objects.exists()


def test_a_draft_cannot_be_published_from_its_form(editor_client):
    draft = make_guide("Draft", status=Guide.Status.DRAFT, published_at=None)
    response = save_with(editor_client, draft, status="published")
    assert "A guide is published after its medical review" in response.text
    assert Guide.objects.get(pk=draft.pk).status == Guide.Status.DRAFT


def test_publishing_after_review_needs_the_reviewer_and_date(editor_client):
    guide = make_guide(
        "Reviewed",
        status=Guide.Status.IN_REVIEW,
        published_at=None,
        medical_reviewer=None,
        last_reviewed=None,
    )
    response = save_with(editor_client, guide, status="published")
    assert "Name the medical reviewer before publishing" in response.text
    assert "Enter the date of the medical review before publishing" in response.text
    assert Guide.objects.get(pk=guide.pk).status == Guide.Status.IN_REVIEW

    reviewer = make_reviewer("Rae Reviewer")
    response = save_with(
        editor_client,
        guide,
        status="published",
        medical_reviewer=str(reviewer.pk),
        last_reviewed=timezone.localdate().isoformat(),
    )
    assert "was changed successfully" in said(response)
    page = Client().get(guide.get_absolute_url()).text
    assert "Medically reviewed by Rae Reviewer, MD, psychiatrist" in page


def test_publish_now_checks_what_the_form_checks(editor_client):
    draft = make_guide("A draft", status=Guide.Status.DRAFT, published_at=None)
    unreviewed = make_guide(
        "Unreviewed", status=Guide.Status.IN_REVIEW, published_at=None, last_reviewed=None
    )
    reviewed = make_guide("Reviewed", status=Guide.Status.IN_REVIEW, published_at=None)
    response = editor_client.post(
        LIST,
        {"action": "publish_now", "_selected_action": [draft.pk, unreviewed.pk, reviewed.pk]},
        follow=True,
    )
    text = said(response)
    assert "Published 1 guide." in text
    assert "Not published: “A draft”: A guide is published after its medical review" in text
    assert "“Unreviewed”: Enter the date of the medical review before publishing" in text
    statuses = dict(Guide.objects.values_list("title", "status"))
    assert statuses == {"A draft": "draft", "Unreviewed": "review", "Reviewed": "published"}


def test_no_published_guide_can_lack_its_reviewer_or_review_date():
    for missing in [{"medical_reviewer": None}, {"last_reviewed": None}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            make_guide("Unreviewed", **missing)


def test_a_publish_date_long_ago_is_warned_about(editor_client):
    guide = make_guide("Live")
    response = save_with(editor_client, guide, published_at_0="2020-03-01", published_at_1="09:00")
    assert "The publish date, March 1, 2020, is more than a week ago" in said(response)
    assert Guide.objects.get(pk=guide.pk).published_at.year == 2020
    # Saving again without touching the date says nothing more about it.
    assert "publish date" not in said(save_with(editor_client, guide, dek="New summary."))


def test_a_publish_date_of_yesterday_is_not_backdating(editor_client):
    guide = make_guide("Live")
    yesterday = timezone.localdate() - timedelta(days=1)
    response = save_with(editor_client, guide, published_at_0=yesterday.isoformat())
    assert "was changed successfully" in said(response)
    assert "publish date" not in said(response)


def test_the_review_fields_say_when_they_are_needed(editor_client):
    page = editor_client.get(ADD).text
    assert "Needed to publish" in page
    data = form_data(page, "guide_form")  # opened without a reviewer or review date
    assert not data.get("last_reviewed", [""])[0]


def test_only_drafts_are_sent_to_medical_review_and_published_guides_stay_live(editor_client):
    draft = make_guide("A draft", status=Guide.Status.DRAFT, published_at=None)
    in_review = make_guide("In review", status=Guide.Status.IN_REVIEW, published_at=None)
    live = make_guide("Live")
    scheduled = make_guide("Scheduled", published_at=timezone.now() + timedelta(days=3))
    response = editor_client.post(
        LIST,
        {
            "action": "send_to_review",
            "_selected_action": [draft.pk, in_review.pk, live.pk, scheduled.pk],
        },
        follow=True,
    )
    text = said(response)
    assert "Sent 1 draft to medical review." in text
    assert "“In review” was in medical review already." in text
    assert "Left 2 published guides as they were (“Live”, “Scheduled”)" in text
    statuses = dict(Guide.objects.values_list("title", "status"))
    assert statuses == {
        "A draft": "review",
        "In review": "review",
        "Live": "published",
        "Scheduled": "published",
    }
    assert Client().get(live.get_absolute_url()).status_code == 200


def test_changing_a_published_guides_text_says_its_review_date_is_older(editor_client):
    guide = make_guide("Live")  # reviewed on November 1, 2026
    response = save_with(editor_client, guide, body="Rewritten [ref:1].\n\n## Part\n\nNew.")
    text = said(response)
    assert "was changed successfully" in text
    assert "The text of this published guide has changed since its last medical review" in text
    assert "on Nov. 1, 2026" in text  # as the page shows it
    assert Guide.objects.get(pk=guide.pk).body.startswith("Rewritten")
    # Not for other fields, nor with a new review date, nor for a draft.
    assert "since its last medical review" not in said(save_with(editor_client, guide, dek="New."))
    today = timezone.localdate().isoformat()
    response = save_with(editor_client, guide, body="Again [ref:1].", last_reviewed=today)
    assert "since its last medical review" not in said(response)
    draft = make_guide("Draft", status=Guide.Status.DRAFT, published_at=None)
    assert "since its last medical review" not in said(save_with(editor_client, draft, body="X."))
