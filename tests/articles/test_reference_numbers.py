"""
Citations are numbers in the text, [ref:2], and references are numbered by
their place in the list: taking one out or moving one must not leave the
text citing other works than it did.
"""

import re

import pytest

from articles.models import Guide
from tests.articles.admin_pages import said
from tests.articles.builders import make_guide
from tests.pages import form_data

pytestmark = pytest.mark.django_db

BODY = "Intro [ref:1].\n\n## Results\n\nMost respond [ref:3] and some remit [ref:1, 4]."


@pytest.fixture
def guide():
    guide = make_guide("Cited guide", body=BODY, references=4, faqs=[("Why?", "Because [ref:4].")])
    for number, reference in enumerate(guide.references.order_by("order"), start=1):
        reference.title = f"Study {number}"
        reference.save()
    return guide


def url(guide):
    return f"/admin/articles/guide/{guide.pk}/change/"


def row(data, title):
    for key, values in data.items():
        if (match := re.fullmatch(r"references-(\d+)-title", key)) and values == [title]:
            return match.group(1)
    raise AssertionError(title)


def cited_titles(guide):
    """Each citation in the text and FAQs, as the title of the work it points to."""
    guide = Guide.objects.get(pk=guide.pk)
    titles = list(guide.references.order_by("order", "pk").values_list("title", flat=True))
    texts = [guide.body, *guide.faqs.values_list("answer", flat=True)]
    return [
        [titles[int(n) - 1] for n in re.findall(r"\d+", group)]
        for text in texts
        for group in re.findall(r"\[ref:([\d, ]+)\]", text)
    ]


def test_taking_out_an_uncited_reference_renumbers_the_citations_after_it(client, editor, guide):
    before = cited_titles(guide)
    data = form_data(client.get(url(guide)).text, "guide_form")
    data[f"references-{row(data, 'Study 2')}-DELETE"] = ["on"]
    response = client.post(url(guide), data, follow=True)
    assert response.status_code == 200
    assert cited_titles(guide) == before
    guide.refresh_from_db()
    assert (
        guide.body
        == "Intro [ref:1].\n\n## Results\n\nMost respond [ref:2] and some remit [ref:1, 3]."
    )
    assert 'href="#ref-2"' in guide.body_html
    assert "The citations were renumbered to follow their references" in said(response)


def test_moving_references_renumbers_the_citations(client, editor, guide):
    before = cited_titles(guide)
    data = form_data(client.get(url(guide)).text, "guide_form")
    data[f"references-{row(data, 'Study 1')}-order"] = ["9"]
    client.post(url(guide), data)
    assert cited_titles(guide) == before


def test_a_cited_reference_cannot_be_taken_out_without_its_citations(client, editor, guide):
    data = form_data(client.get(url(guide)).text, "guide_form")
    data[f"references-{row(data, 'Study 3')}-DELETE"] = ["on"]
    response = client.post(url(guide), data)
    assert response.status_code == 200  # shown again, not saved
    assert "Reference 3, “Study 3”, is cited in the guide ([ref:3])" in response.text
    assert Guide.objects.get(pk=guide.pk).references.count() == 4


def test_when_the_text_changes_too_the_editor_s_numbers_are_kept(client, editor, guide):
    # Taking out reference 2 and renumbering by hand in the same save.
    data = form_data(client.get(url(guide)).text, "guide_form")
    data[f"references-{row(data, 'Study 2')}-DELETE"] = ["on"]
    data["body"] = ["Intro [ref:1].\n\nMost respond [ref:2] and some remit [ref:1, 3]."]
    faq = next(k for k, v in data.items() if k.endswith("-answer") and v == ["Because [ref:4]."])
    data[faq] = ["Because [ref:3]."]
    client.post(url(guide), data)
    assert cited_titles(guide) == [["Study 1"], ["Study 3"], ["Study 1", "Study 4"], ["Study 4"]]


def test_an_faq_edited_in_the_same_save_keeps_its_numbers_and_the_rest_follow(
    client, editor, guide
):
    data = form_data(client.get(url(guide)).text, "guide_form")
    data[f"references-{row(data, 'Study 2')}-DELETE"] = ["on"]
    faq = next(k for k, v in data.items() if k.endswith("-answer") and v == ["Because [ref:4]."])
    data[faq] = ["Because, as typed, [ref:3]."]
    client.post(url(guide), data)
    # The body, unchanged, follows its references; the FAQ keeps what was typed.
    assert cited_titles(guide) == [["Study 1"], ["Study 3"], ["Study 1", "Study 4"], ["Study 4"]]
