import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from articles.models import Guide
from clinics.models import Clinic
from tests.articles.builders import make_person, make_reviewer, new_guide_data
from tests.builders import make_clinic
from tests.pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    editor = User.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    assert not editor.is_superuser
    client.force_login(editor)
    return client


def test_editors_group_is_created_by_migration():
    group = Group.objects.get(name="Editors")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_guide", "change_guide", "add_faq", "add_reference", "change_clinic"} <= codenames
    assert "delete_user" not in codenames


def test_editor_can_create_and_publish_a_guide_through_the_admin(editor_client):
    visitor = Client()
    author = make_person("Writer Person", credentials="Writer")
    reviewer = make_reviewer("Doctor Person", credentials="MD")
    assert editor_client.get("/admin/articles/guide/add/").status_code == 200
    data = new_guide_data(author, reviewer, status="review")
    response = editor_client.post("/admin/articles/guide/add/", data)
    assert response.status_code == 302, response.text[:3000]
    guide = Guide.objects.get(slug="editors-guide")
    assert guide.routes == ["iv"] and guide.faqs.count() == 1 and guide.references.count() == 1
    assert visitor.get("/guides/editors-guide/").status_code == 404  # still in review

    response = editor_client.post(
        "/admin/articles/guide/",
        {"action": "publish_now", "_selected_action": [guide.pk]},
    )
    assert response.status_code == 302
    assert visitor.get("/guides/editors-guide/").status_code == 200


def test_editor_can_edit_clinics_but_not_users(editor_client):
    clinic = make_clinic()
    assert editor_client.get(f"/admin/clinics/clinic/{clinic.pk}/change/").status_code == 200
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert Clinic.objects.count() == 1


def publish_from_its_form(client, **dates):
    """Add a guide in medical review, then publish it from its change form."""
    data = new_guide_data(make_person("W"), make_reviewer("D"), status="review")
    assert client.post("/admin/articles/guide/add/", data).status_code == 302
    guide = Guide.objects.get(slug="editors-guide")
    url = f"/admin/articles/guide/{guide.pk}/change/"
    data = form_data(client.get(url).text, "guide_form") | {"status": "published", **dates}
    response = client.post(url, data)
    assert response.status_code == 302, response.text[:3000]
    return guide


def test_publishing_without_a_date_publishes_now(editor_client):
    publish_from_its_form(editor_client)
    assert Client().get("/guides/editors-guide/").status_code == 200


def test_a_scheduled_guide_is_listed_so_and_publish_now_publishes_it_now(editor_client):
    guide = publish_from_its_form(
        editor_client, published_at_0="2099-01-01", published_at_1="09:00"
    )
    assert Client().get("/guides/editors-guide/").status_code == 404  # scheduled
    assert "Scheduled" in editor_client.get("/admin/articles/guide/").text
    response = editor_client.post(
        "/admin/articles/guide/",
        {"action": "publish_now", "_selected_action": [guide.pk]},
        follow=True,
    )
    assert "Published 1 guide." in response.text
    assert Client().get("/guides/editors-guide/").status_code == 200
    response = editor_client.post(
        "/admin/articles/guide/",
        {"action": "send_to_review", "_selected_action": [guide.pk]},
        follow=True,
    )
    # Published, it stays live: review is for drafts (test_review_workflow.py).
    assert "Sent no guide to medical review" in response.text
    assert Client().get("/guides/editors-guide/").status_code == 200


def test_who_may_only_read_guides_cannot_publish_or_unpublish_them(client):
    from django.contrib.auth.models import Permission

    from tests.articles.builders import make_guide

    reader = User.objects.create_user("reader", password="a-long-reader-password", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_guide"))
    client.force_login(reader)
    draft = make_guide("A draft", status=Guide.Status.DRAFT)
    live = make_guide("Live")
    for action, guide in [("publish_now", draft), ("send_to_review", live)]:
        client.post("/admin/articles/guide/", {"action": action, "_selected_action": [guide.pk]})
    assert Guide.objects.get(pk=draft.pk).status == Guide.Status.DRAFT
    assert Guide.objects.get(pk=live.pk).status == Guide.Status.PUBLISHED
    assert 'value="publish_now"' not in client.get("/admin/articles/guide/").text


def test_the_author_cannot_be_the_medical_reviewer(editor_client):
    writer = make_reviewer("W")  # a clinician, but the author all the same
    response = editor_client.post("/admin/articles/guide/add/", new_guide_data(writer, writer))
    assert response.status_code == 200
    assert "The medical reviewer must be someone other than the author." in response.text


def test_the_guide_list_heads_its_status_column_status(editor_client):
    editor_client.post(
        "/admin/articles/guide/add/", new_guide_data(make_person("W"), make_reviewer("D"))
    )
    page = editor_client.get("/admin/articles/guide/").text
    assert re.search(r'<th scope="col" class="sortable column-state">.*?>Status</a>', page, re.S)


PREVIEW = "/admin/articles/guide/preview/"


def test_an_edit_to_a_published_guide_can_be_read_before_it_is_saved(editor_client):
    from tests.articles.builders import make_guide

    guide = make_guide("Live guide", faqs=[("Saved question?", "Saved answer.")])
    form = editor_client.get(f"/admin/articles/guide/{guide.pk}/change/").text
    assert f'formaction="{PREVIEW}?guide={guide.pk}" formtarget="_blank"' in form

    data = new_guide_data(
        guide.author,
        guide.medical_reviewer,
        title="Live guide, rewritten",
        slug=guide.slug,
        status="published",
        body="New wording.\n\n## A new part\n\n<script>alert(1)</script>Text.",
    )
    response = editor_client.post(f"{PREVIEW}?guide={guide.pk}", data)

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert "Preview of unsaved changes" in response.text
    assert "Live guide, rewritten" in response.text and "New wording." in response.text
    assert 'id="a-new-part"' in response.text
    assert "<script>alert(1)" not in response.text
    assert "Saved question?" in response.text  # FAQs as last saved
    guide.refresh_from_db()
    assert guide.title == "Live guide" and "New wording" not in guide.body
    visitor = Client().get(guide.get_absolute_url()).text
    assert "New wording" not in visitor and "Preview" not in visitor


def test_a_guide_not_yet_saved_can_be_previewed_even_half_written(editor_client):
    assert f'formaction="{PREVIEW}"' in editor_client.get("/admin/articles/guide/add/").text
    response = editor_client.post(PREVIEW, {"title": "Half a guide", "body": "Only *this* so far."})
    assert response.status_code == 200
    assert "Half a guide" in response.text and "Only <em>this</em> so far." in response.text
    assert not Guide.objects.exists()


def test_only_editors_can_preview(client):
    assert client.post(PREVIEW, {"body": "x"}).status_code == 302  # to the admin's sign-in
    clerk = User.objects.create_user("clerk", password="a-long-clerk-password", is_staff=True)
    client.force_login(clerk)
    assert client.post(PREVIEW, {"body": "x"}).status_code == 403


def test_opening_the_preview_address_leads_back_to_the_guides(editor_client):
    response = editor_client.get(PREVIEW)
    assert response.status_code == 302 and response["Location"] == "/admin/articles/guide/"


def test_a_preview_of_a_guide_deleted_meanwhile_is_not_found(editor_client):
    for guide in ["999999", "not-a-number"]:
        response = editor_client.post(f"{PREVIEW}?guide={guide}", {"title": "Lost", "body": "x"})
        assert response.status_code == 404


@pytest.mark.parametrize("junk", ["\x00", "a" * 100_000, "[ref:999]", "[[price nowhere]]", ""])
def test_a_preview_of_anything_typed_is_a_page_not_a_server_error(editor_client, junk):
    data = {"title": junk, "slug": junk, "body": junk, "status": junk, "author": junk}
    assert editor_client.post(PREVIEW, data).status_code == 200


def test_a_half_written_preview_leaves_out_what_is_not_there_yet(editor_client):
    page = editor_client.post(PREVIEW, {"title": "Half", "body": "Words."}).text
    assert "By ·" not in page and "By  ·" not in page
    assert "Medically reviewed by ," not in page and "Medically reviewed by <" not in page
    assert "Last reviewed ." not in page and "Last reviewed <time" not in page
    assert "min read" in page
    # Without a reviewer, the preview says what publishing will need.
    assert "Not medically reviewed yet" in page


def test_a_reviewer_without_credentials_is_named_without_a_dangling_comma(editor_client):
    reviewer = make_reviewer("Dana Doctor", credentials="")
    page = editor_client.post(PREVIEW, {"title": "T", "body": "B", "medical_reviewer": reviewer.pk})
    assert "Medically reviewed by Dana Doctor</strong>" in page.text


def test_the_scheduled_preview_ends_its_sentence_once(editor_client):
    from datetime import datetime

    from django.utils import timezone

    from tests.articles.builders import make_guide

    when = timezone.make_aware(datetime(2099, 1, 1, 9, 0))
    page = editor_client.get(make_guide("Later", published_at=when).get_absolute_url()).text
    assert "scheduled to publish on Jan. 1, 2099, at 9 a.m. Only staff" in page
    noon = timezone.make_aware(datetime(2099, 1, 1, 12, 0))
    page = editor_client.get(make_guide("Noon", published_at=noon).get_absolute_url()).text
    assert "at noon. Only staff" in page


def test_the_guide_list_filters_scheduled_guides(editor_client):
    from datetime import timedelta

    from django.utils import timezone

    from tests.articles.builders import make_guide

    make_guide("Live one")
    make_guide("Later one", published_at=timezone.now() + timedelta(days=2))
    make_guide("Draft one", status=Guide.Status.DRAFT, published_at=None)
    page = editor_client.get("/admin/articles/guide/").text
    assert re.search(r'<a href="\?status=scheduled"[^>]*>Scheduled</a>', page)
    listed = editor_client.get("/admin/articles/guide/", {"status": "scheduled"}).text
    assert "Later one" in listed and "Live one" not in listed and "Draft one" not in listed
    listed = editor_client.get("/admin/articles/guide/", {"status": "published"}).text
    assert "Live one" in listed and "Later one" not in listed and "Draft one" not in listed
    listed = editor_client.get("/admin/articles/guide/", {"status": "draft"}).text
    assert "Draft one" in listed and "Live one" not in listed


def test_the_form_says_what_the_summary_and_meta_description_are(editor_client):
    page = editor_client.get("/admin/articles/guide/add/").text
    assert re.search(r'<label[^>]*for="id_dek"[^>]*>Summary under the title', page)
    assert "about 155 characters" in page
    assert re.search(r'name="dek"', page) and re.search(r'name="meta_description"', page)


def open_and_save(client, guide, **changes):
    """Open the guide's admin page and save it with these fields changed."""
    url = f"/admin/articles/guide/{guide.pk}/change/"
    return client.post(url, form_data(client.get(url).text, "guide_form") | changes)


def renamed(title, old, new):
    from tests.articles.builders import make_guide

    guide = make_guide(title, slug=old)
    guide.slug = new
    guide.save()
    return guide


def test_a_guide_cannot_take_another_guides_old_address_unawares(editor_client):
    from articles.models import GuideRedirect
    from tests.articles.builders import make_guide

    moved = renamed("Moved guide", "cost", "ketamine-cost")
    other = make_guide("Other guide", slug="other")
    response = open_and_save(editor_client, other, slug="cost", title="Other guide, renamed")
    assert response.status_code == 200
    assert "“cost” is the old address of the guide “Moved guide”" in response.text
    # Nothing typed is lost, and nothing is saved: the old address still leads to its guide.
    assert 'value="Other guide, renamed"' in response.text and 'value="cost"' in response.text
    assert Guide.objects.get(pk=other.pk).slug == "other"
    assert GuideRedirect.objects.get(old_slug="cost").guide == moved
    assert Client().get("/guides/cost/")["Location"] == "/guides/ketamine-cost/"
    # A new guide may not take it either; the guide itself may take its own old address back.
    response = editor_client.post(
        "/admin/articles/guide/add/",
        new_guide_data(make_person("W"), make_reviewer("D"), slug="cost"),
    )
    assert "“cost” is the old address of the guide “Moved guide”" in response.text
    assert open_and_save(editor_client, moved, slug="cost").status_code == 302
    assert Client().get("/guides/cost/").status_code == 200


def test_a_redirect_from_a_guides_current_address_is_refused(editor_client):
    from articles.models import GuideRedirect
    from tests.articles.builders import make_guide

    live = make_guide("Live guide", slug="live")
    target = make_guide("Target guide", slug="target")
    add = "/admin/articles/guideredirect/add/"
    response = editor_client.post(add, {"old_slug": "live", "guide": target.pk})
    assert response.status_code == 200
    assert "“live” is the current address of the guide “Live guide”" in response.text
    assert not GuideRedirect.objects.exists()
    assert editor_client.post(add, {"old_slug": "gone", "guide": target.pk}).status_code == 302
    assert Client().get("/guides/gone/")["Location"] == "/guides/target/"
    assert Client().get(live.get_absolute_url()).status_code == 200
