"""Two editors on one guide: a save from a page opened earlier never silently undoes theirs."""

import re
from html import unescape

import pytest
from django.test import Client

from articles.models import FAQ, Guide
from tests.articles.admin_pages import said
from tests.articles.builders import make_guide, make_reviewer
from tests.builders import make_editor
from tests.pages import form_data

pytestmark = pytest.mark.django_db

BODY = "Intro.\n\n## First part\n\nText [ref:1].\n\n## Second part\n\nMore."


@pytest.fixture
def guide():
    return make_guide(
        "Guide thirteen",
        body=BODY,
        faqs=[("Does it hurt?", "Rarely."), ("How long?", "An hour.")],
        references=2,
    )


def editor(email):
    client = Client()
    client.force_login(make_editor(email))
    return client


@pytest.fixture
def editor1():
    return editor("editor1@site.example")


@pytest.fixture
def editor2():
    return editor("editor2@site.example")


def url(guide):
    return f"/admin/articles/guide/{guide.pk}/change/"


def open_page(client, guide):
    """What the change form sends back if saved as it is."""
    return form_data(client.get(url(guide)).text, "guide_form")


def faq_index(data, question):
    """The row number of the FAQ with this question on a page's form."""
    for key, values in data.items():
        match = re.fullmatch(r"faqs-(\d+)-question", key)
        if match and values == [question]:
            return match.group(1)
    raise AssertionError(f"no FAQ row “{question}”")


def text_of(response):
    return unescape(re.sub(r"<[^>]+>", " ", response.text))


def test_a_stale_save_keeps_what_the_other_editor_saved(guide, editor1, editor2):
    page1, page2 = open_page(editor1, guide), open_page(editor2, guide)
    body = BODY + "\n\nA paragraph editor1 added."
    assert editor1.post(url(guide), page1 | {"body": body}).status_code == 302

    response = editor2.post(url(guide), page2 | {"dek": "A new summary."}, follow=True)
    assert "was changed successfully" in said(response)
    guide.refresh_from_db()
    assert guide.dek == "A new summary."
    assert "A paragraph editor1 added." in guide.body, "editor2's save wiped editor1's paragraph"
    assert "A paragraph editor1 added." in guide.body_html
    # editor2 is told that the page had changed, by whom, and what was kept.
    assert "editor1@site.example" in said(response) and "Body" in said(response)


def test_the_same_field_changed_by_both_is_refused_once_then_saved_deliberately(
    guide, editor1, editor2
):
    page1, page2 = open_page(editor1, guide), open_page(editor2, guide)
    assert editor1.post(url(guide), page1 | {"dek": "Editor one's summary."}).status_code == 302

    response = editor2.post(url(guide), page2 | {"dek": "Editor two's summary."})
    assert response.status_code == 200
    text = text_of(response)
    assert "Someone saved this guide after you opened it" in text
    assert "editor1@site.example" in text
    assert "Editor one's summary." in text  # what they saved, shown
    again = form_data(response.text, "guide_form")
    assert again["dek"] == ["Editor two's summary."]  # what editor2 typed, kept
    assert Guide.objects.get(pk=guide.pk).dek == "Editor one's summary."

    # Having read theirs, saving again puts editor2's in place: a choice.
    response = editor2.post(url(guide), again, follow=True)
    assert "was changed successfully" in said(response)
    assert Guide.objects.get(pk=guide.pk).dek == "Editor two's summary."


def test_both_changing_the_body_shows_their_change_to_merge_by_hand(guide, editor1, editor2):
    page1, page2 = open_page(editor1, guide), open_page(editor2, guide)
    theirs = BODY.replace("More.", "More, and a sentence editor1 wrote.")
    assert editor1.post(url(guide), page1 | {"body": theirs}).status_code == 302

    mine = BODY.replace("Intro.", "A better intro.")
    response = editor2.post(url(guide), page2 | {"body": mine})
    assert response.status_code == 200
    text = text_of(response)
    assert "+ More, and a sentence editor1 wrote." in text
    assert "- More." in text
    again = form_data(response.text, "guide_form")
    assert again["body"][0].replace("\r\n", "\n") == mine
    # editor2 merges the two by hand and saves.
    merged = mine.replace("More.", "More, and a sentence editor1 wrote.")
    assert editor2.post(url(guide), again | {"body": merged}).status_code == 302
    assert Guide.objects.get(pk=guide.pk).body == merged


def test_a_faq_deleted_while_someone_edits_it_is_a_visible_choice(guide, editor1, editor2):
    page1, page2 = open_page(editor1, guide), open_page(editor2, guide)
    row1 = faq_index(page1, "Does it hurt?")
    assert editor1.post(url(guide), page1 | {f"faqs-{row1}-DELETE": "on"}).status_code == 302
    assert not FAQ.objects.filter(question="Does it hurt?").exists()

    row2 = faq_index(page2, "Does it hurt?")
    typed = {f"faqs-{row2}-answer": "Rarely; a pinch when the line goes in."}
    response = editor2.post(url(guide), page2 | typed)
    assert response.status_code == 200
    text = text_of(response)
    assert "Someone deleted this FAQ after you opened the page" in text
    assert "a pinch when the line goes in" in response.text  # what editor2 typed, on the page
    again = form_data(response.text, "guide_form")
    assert again[f"faqs-{row2}-answer"] == ["Rarely; a pinch when the line goes in."]
    assert again["faqs-TOTAL_FORMS"] == page2["faqs-TOTAL_FORMS"], "a row went missing"

    # Saving again puts it back, with editor2's words.
    assert editor2.post(url(guide), again).status_code == 302
    restored = FAQ.objects.get(guide=guide, question="Does it hurt?")
    assert restored.answer == "Rarely; a pinch when the line goes in."
    assert guide.faqs.count() == 2


def test_a_faq_deleted_while_someone_edits_it_can_be_let_go(guide, editor1, editor2):
    page1, page2 = open_page(editor1, guide), open_page(editor2, guide)
    assert editor1.post(url(guide), page1 | {"faqs-0-DELETE": "on"}).status_code == 302
    response = editor2.post(url(guide), page2 | {"faqs-0-answer": "Changed."})
    again = form_data(response.text, "guide_form") | {"faqs-0-DELETE": "on"}
    assert editor2.post(url(guide), again).status_code == 302
    assert guide.faqs.count() == 1


def test_a_faq_deleted_meanwhile_and_left_alone_stays_deleted(guide, editor1, editor2):
    page1, page2 = open_page(editor1, guide), open_page(editor2, guide)
    row = faq_index(page1, "How long?")
    assert editor1.post(url(guide), page1 | {f"faqs-{row}-DELETE": "on"}).status_code == 302

    response = editor2.post(url(guide), page2 | {"dek": "New summary."}, follow=True)
    assert "was changed successfully" in said(response)
    assert list(guide.faqs.values_list("question", flat=True)) == ["Does it hurt?"]
    assert "How long?" in said(response)  # named among what editor1 changed


def test_a_faq_someone_else_added_meanwhile_stays(guide, editor1, editor2):
    page1, page2 = open_page(editor1, guide), open_page(editor2, guide)
    added = {
        "faqs-TOTAL_FORMS": "3",
        "faqs-2-order": "3",
        "faqs-2-question": "Is it covered?",
        "faqs-2-answer": "Sometimes.",
    }
    assert editor1.post(url(guide), page1 | added).status_code == 302
    response = editor2.post(url(guide), page2 | {"dek": "New summary."}, follow=True)
    assert "was changed successfully" in said(response)
    assert guide.faqs.count() == 3
    assert "Is it covered?" in said(response)


def test_a_faq_answer_changed_by_both_is_refused_with_theirs_shown(guide, editor1, editor2):
    page1, page2 = open_page(editor1, guide), open_page(editor2, guide)
    row = faq_index(page1, "Does it hurt?")
    assert editor1.post(url(guide), page1 | {f"faqs-{row}-answer": "Theirs."}).status_code == 302
    response = editor2.post(url(guide), page2 | {f"faqs-{row}-answer": "Mine."})
    assert response.status_code == 200
    assert re.search(r'<ul class="errorlist[^"]*"[^>]*>.*?Theirs\.', response.text, re.S)
    again = form_data(response.text, "guide_form")
    assert again[f"faqs-{row}-answer"] == ["Mine."]
    assert editor2.post(url(guide), again).status_code == 302
    assert FAQ.objects.get(guide=guide, question="Does it hurt?").answer == "Mine."


def test_a_faq_answer_changed_by_them_alone_is_kept(guide, editor1, editor2):
    page1, page2 = open_page(editor1, guide), open_page(editor2, guide)
    row = faq_index(page1, "Does it hurt?")
    assert editor1.post(url(guide), page1 | {f"faqs-{row}-answer": "Theirs."}).status_code == 302
    assert editor2.post(url(guide), page2 | {"dek": "New summary."}).status_code == 302
    assert FAQ.objects.get(guide=guide, question="Does it hurt?").answer == "Theirs."


def test_a_reference_deleted_while_someone_edits_it_is_a_visible_choice(guide, editor1, editor2):
    page1, page2 = open_page(editor1, guide), open_page(editor2, guide)
    assert editor1.post(url(guide), page1 | {"references-1-DELETE": "on"}).status_code == 302
    response = editor2.post(url(guide), page2 | {"references-1-title": "Study 2, corrected"})
    assert response.status_code == 200
    assert "Someone deleted this reference after you opened the page" in text_of(response)
    assert "Study 2, corrected" in response.text


def test_saving_and_continuing_then_saving_again_is_not_a_conflict(guide, editor1):
    response = editor1.post(
        url(guide), open_page(editor1, guide) | {"dek": "First.", "_continue": "1"}, follow=True
    )
    page = form_data(response.text, "guide_form")  # the page shown again, opened anew
    assert page["dek"] == ["First."]
    response = editor1.post(url(guide), page | {"dek": "Second."}, follow=True)
    assert "was changed successfully" in said(response)
    assert "after you opened" not in said(response)
    assert Guide.objects.get(pk=guide.pk).dek == "Second."


def test_a_change_survives_a_page_shown_again_for_another_error(guide, editor1):
    page = open_page(editor1, guide)
    changes = {
        "published_at_0": "2026-11-02",
        "published_at_1": "10:00",
        "author": str(guide.medical_reviewer.pk),  # refused: the reviewer wrote it
        "dek": "A changed summary.",
    }
    response = editor1.post(url(guide), page | changes)
    assert response.status_code == 200
    again = form_data(response.text, "guide_form") | {"author": str(guide.author.pk)}
    assert editor1.post(url(guide), again).status_code == 302
    guide.refresh_from_db()
    assert guide.dek == "A changed summary."
    assert guide.published_at.date().isoformat() == "2026-11-02"


def test_a_page_that_does_not_say_what_it_was_opened_with_is_not_saved_blindly(guide, editor1):
    page = {key: value for key, value in open_page(editor1, guide).items() if key != "opened"}
    response = editor1.post(url(guide), page | {"dek": "Blind."})
    assert response.status_code == 200
    assert "could not tell what this page showed when it was opened" in text_of(response)
    assert Guide.objects.get(pk=guide.pk).dek != "Blind."
    again = form_data(response.text, "guide_form")
    assert editor1.post(url(guide), again).status_code == 302
    assert Guide.objects.get(pk=guide.pk).dek == "Blind."


def test_conditions_and_reviewer_merge_too(guide, editor1, editor2):
    from clinics.models import Condition

    page1, page2 = open_page(editor1, guide), open_page(editor2, guide)
    ptsd = Condition.objects.get(slug="ptsd")
    assert editor1.post(url(guide), page1 | {"conditions": [str(ptsd.pk)]}).status_code == 302
    other = make_reviewer("Other Reviewer")
    assert editor2.post(url(guide), page2 | {"medical_reviewer": str(other.pk)}).status_code == 302
    guide.refresh_from_db()
    assert list(guide.conditions.all()) == [ptsd]
    assert guide.medical_reviewer == other


def test_a_treatment_link_both_added_is_explained_not_a_bare_already_exists(
    guide, editor1, editor2
):
    page1, page2 = open_page(editor1, guide), open_page(editor2, guide)
    added = {"route_links-TOTAL_FORMS": "1", "route_links-0-route": "iv"}
    assert editor1.post(url(guide), page1 | added).status_code == 302
    response = editor2.post(url(guide), page2 | added)
    assert "someone may have added it after you opened the page" in response.text
    assert "Guide route with this Guide and Route already exists" not in response.text
