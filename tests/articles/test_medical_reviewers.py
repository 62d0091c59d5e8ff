"""Only people marked as medical reviewers (licensed clinicians) can be named as a guide's."""

import importlib

import pytest
from django.apps import apps
from django.test import Client

from articles.models import Guide, Person
from tests.articles.admin_pages import change_url, said
from tests.articles.builders import make_guide, make_person, make_reviewer, new_guide_data
from tests.pages import form_data

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/guide/add/"
LIST = "/admin/articles/guide/"
NOT_A_REVIEWER = "may not be named as the medical reviewer: they are not marked"


def person_url(person):
    return f"/admin/articles/person/{person.pk}/change/"


def save_with(client, url, form_id, **changes):
    """Open the admin page and save it with these fields changed."""
    data = form_data(client.get(url).text, form_id)
    return client.post(url, data | changes, follow=True)


@pytest.fixture
def writer():
    return make_person("Dana Whitfield", credentials="MA, health writer")


@pytest.fixture
def clinician():
    return make_reviewer("Samuel Okafor", credentials="MD, board-certified psychiatrist")


def offered(client, field_name, term=""):
    """The names the guide form's autocomplete offers for this field."""
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "guide",
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    return {result["text"] for result in response.json()["results"]}


def test_the_guide_form_offers_only_marked_people_as_medical_reviewer(
    client, editor, writer, clinician
):
    assert offered(client, "medical_reviewer") == {str(clinician)}
    assert offered(client, "medical_reviewer", "Dana") == set()
    # Anyone may be the author.
    assert offered(client, "author") == {str(writer), str(clinician)}
    field = client.get(ADD).context["adminform"].form.fields["medical_reviewer"]
    assert list(field.queryset) == [clinician]


def test_a_new_guide_naming_a_non_clinician_as_reviewer_is_refused(
    client, editor, writer, clinician
):
    author = make_person("Sam Writer", credentials="Health writer")
    response = client.post(ADD, new_guide_data(author, writer))
    assert response.status_code == 200
    assert (
        "Dana Whitfield, MA, health writer may not be named as the medical reviewer"
    ) in response.text
    assert not Guide.objects.exists()
    assert client.post(ADD, new_guide_data(author, clinician)).status_code == 302
    assert Guide.objects.get().medical_reviewer == clinician


def test_a_guide_whose_reviewer_is_not_marked_cannot_be_published_from_its_form(
    client, editor, writer
):
    guide = make_guide("In review", status=Guide.Status.IN_REVIEW, published_at=None)
    guide.medical_reviewer = writer  # as the model allowed before, or un-marked since
    guide.save()
    # The form still shows who is named (not dropped unseen), and says why they can't stay.
    page = client.get(change_url(guide))
    assert str(writer) in page.text
    response = save_with(client, change_url(guide), "guide_form", status="published")
    assert NOT_A_REVIEWER in response.text
    assert Guide.objects.get(pk=guide.pk).status == Guide.Status.IN_REVIEW


def test_publish_now_refuses_a_guide_whose_reviewer_is_not_marked(client, editor, writer):
    guide = make_guide("In review", status=Guide.Status.IN_REVIEW, published_at=None)
    Guide.objects.filter(pk=guide.pk).update(medical_reviewer=writer)
    response = client.post(
        LIST, {"action": "publish_now", "_selected_action": [guide.pk]}, follow=True
    )
    text = said(response)
    assert "Published 0 guides." in text
    assert f"Not published: “In review”: Dana Whitfield, MA, health writer {NOT_A_REVIEWER}" in (
        text
    )
    assert Guide.objects.get(pk=guide.pk).status == Guide.Status.IN_REVIEW
    assert Client().get(guide.get_absolute_url()).status_code == 404


def test_a_draft_whose_reviewer_is_not_marked_is_not_sent_to_review(client, editor, writer):
    named = make_guide("Named", status=Guide.Status.DRAFT, published_at=None)
    Guide.objects.filter(pk=named.pk).update(medical_reviewer=writer)
    fine = make_guide("Fine", status=Guide.Status.DRAFT, published_at=None)
    response = client.post(
        LIST,
        {"action": "send_to_review", "_selected_action": [named.pk, fine.pk]},
        follow=True,
    )
    text = said(response)
    assert "Sent 1 draft to medical review." in text
    assert (
        f"Not sent to medical review: “Named”: Dana Whitfield, MA, health writer {NOT_A_REVIEWER}"
        in (text)
    )
    statuses = dict(Guide.objects.values_list("title", "status"))
    assert statuses == {"Named": "draft", "Fine": "review"}


def test_the_reviewer_of_a_published_guide_cannot_be_unmarked(client, editor, clinician):
    make_guide("Live", medical_reviewer=clinician)
    make_guide("Draft", status=Guide.Status.DRAFT, published_at=None, medical_reviewer=clinician)
    data = form_data(client.get(person_url(clinician)).text, "person_form")
    data.pop("reviews_medically", None)  # the box unticked
    response = client.post(person_url(clinician), data)
    assert response.status_code == 200
    assert (
        "Samuel Okafor is the medical reviewer of 1 published guide (“Live”), whose page "
        "says “Medically reviewed by Samuel Okafor”. Name another medical reviewer"
    ) in response.text
    assert Person.objects.get(pk=clinician.pk).reviews_medically


def test_the_reviewer_of_guides_not_yet_published_can_be_unmarked_with_a_warning(
    client, editor, clinician
):
    draft = make_guide(
        "Draft", status=Guide.Status.DRAFT, published_at=None, medical_reviewer=clinician
    )
    data = form_data(client.get(person_url(clinician)).text, "person_form")
    data.pop("reviews_medically", None)
    response = client.post(person_url(clinician), data, follow=True)
    assert "was changed successfully" in said(response)
    assert "Samuel Okafor is still named as the medical reviewer of “Draft”" in said(response)
    assert not Person.objects.get(pk=clinician.pk).reviews_medically
    # The draft is then refused until another reviewer is named.
    response = save_with(client, change_url(draft), "guide_form", dek="New summary.")
    assert NOT_A_REVIEWER in response.text


def test_the_person_list_shows_and_filters_who_may_review(client, editor, writer, clinician):
    page = client.get("/admin/articles/person/").text
    assert "May medically review guides" in page
    filtered = client.get("/admin/articles/person/", {"reviews_medically__exact": "1"})
    assert list(filtered.context["cl"].result_list) == [clinician]
    form = client.get(person_url(writer)).text
    assert "Only for a licensed clinician" in form


def test_the_sample_guides_reviewers_are_marked_and_their_writer_is_not(sample_data):
    guides = Guide.objects.select_related("medical_reviewer")
    assert guides.exists()
    for guide in guides:
        assert guide.medical_reviewer.reviews_medically, guide.slug
        guide.full_clean()  # as the admin would check it
    assert not Person.objects.get(slug="dana-whitfield").reviews_medically
    assert set(Person.objects.filter(reviews_medically=True).values_list("slug", flat=True)) == {
        "samuel-okafor",
        "lena-marsh",
    }


def test_the_migration_marks_the_people_who_already_review_guides(writer):
    reviewer = make_person("Old Reviewer")
    make_guide("Live", author=writer, medical_reviewer=reviewer)
    make_guide("Draft", status=Guide.Status.DRAFT, published_at=None, medical_reviewer=None)
    Person.objects.update(reviews_medically=False)  # as the field is added
    migration = importlib.import_module("articles.migrations.0010_people_who_may_review")
    migration.mark_existing_reviewers(apps, None)
    assert set(Person.objects.filter(reviews_medically=True)) == {reviewer}
