"""The directory's "Related guides" block: guides about the condition or treatment searched."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Guide
from clinics.models import Condition
from tests.articles.builders import make_guide
from tests.builders import make_clinic
from tests.pages import slugs

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def about(guide, *conditions):
    guide.conditions.set(Condition.objects.filter(slug__in=conditions))
    return guide


def guide_block(html):
    """The titles the block links to, in order; None when there is no block."""
    found = re.search(r'<section class="search-guides".*?</section>', html, re.S)
    if not found:
        return None
    return re.findall(r'<a href="/guides/[^"]+/">([^<]+)</a>', found.group())


@pytest.fixture
def directory():
    make_clinic("PTSD Infusions", slug="ptsd-iv", conditions=["ptsd"])
    make_clinic("Spravato Centre", slug="spravato", offerings={"spravato": (700, 900)})


def test_a_search_by_condition_shows_its_guides_first_then_the_routes(client, directory):
    about(make_guide("Ketamine for PTSD", dek="What the trials found.", routes=["kap"]), "ptsd")
    about(make_guide("Trauma and ketamine"), "ptsd", "anxiety")
    make_guide("IV infusions explained", routes=["iv"])
    make_guide("Spravato explained", routes=["spravato"])
    about(make_guide("Anxiety"), "anxiety")

    text = client.get("/clinics/?condition=ptsd&route=iv").text
    assert guide_block(text) == [
        "Ketamine for PTSD",
        "Trauma and ketamine",
        "IV infusions explained",
    ]
    assert '<a href="/guides/ketamine-for-ptsd/">Ketamine for PTSD</a>' in text
    assert "What the trials found." in text
    assert guide_block(client.get("/clinics/?route=spravato&route=iv").text) == [
        "IV infusions explained",
        "Spravato explained",
    ]
    assert guide_block(client.get("/clinics/?condition=anxiety").text) == [
        "Anxiety",
        "Trauma and ketamine",
    ]


def test_within_a_group_the_basics_come_before_the_rest(client, directory):
    about(make_guide("At-home programs", category=Guide.Category.TREATMENT_OPTIONS), "ptsd")
    about(
        make_guide(
            "Ketamine for PTSD, an overview", slug="ptsd-overview", category=Guide.Category.BASICS
        ),
        "ptsd",
    )
    assert guide_block(client.get("/clinics/?condition=ptsd").text) == [
        "Ketamine for PTSD, an overview",
        "At-home programs",
    ]


def test_no_block_without_a_condition_or_route_or_without_guides(client, directory):
    make_guide("IV infusions explained", routes=["iv"])
    assert guide_block(client.get("/clinics/").text) is None
    assert guide_block(client.get("/clinics/?state=tx&sort=name").text) is None
    assert guide_block(client.get("/clinics/?condition=ocd").text) is None
    # An unknown condition is explained, not searched for.
    assert guide_block(client.get("/clinics/?condition=flu").text) is None


def test_only_visible_guides_are_shown(client, directory):
    make_guide("Published", routes=["iv"])
    make_guide("Draft", routes=["iv"], status=Guide.Status.DRAFT, published_at=None)
    make_guide("In review", routes=["iv"], status=Guide.Status.IN_REVIEW)
    make_guide("Scheduled", routes=["iv"], published_at=timezone.now() + timedelta(days=2))
    assert guide_block(client.get("/clinics/?route=iv").text) == ["Published"]


def test_the_block_is_below_the_results_with_the_introduction(client, directory):
    # On a phone the results come first; the guides must not push them down.
    about(make_guide("Ketamine for PTSD"), "ptsd")
    text = client.get("/clinics/?condition=ptsd").text
    assert slugs(text) == ["ptsd-iv"]
    block = text.index('<section class="search-guides"')
    assert text.index('data-clinic="ptsd-iv"') < block
    assert text.index('class="clinic-list"') < block
    assert 'aria-labelledby="search-guides-heading"' in text
    assert '<h2 id="search-guides-heading">Related guides</h2>' in text


def test_the_htmx_fragment_carries_the_block_only_for_such_a_search(client, directory):
    about(make_guide("Ketamine for PTSD"), "ptsd")
    make_guide("Spravato explained", routes=["spravato"])
    fragment = client.get("/clinics/?condition=ptsd", headers=HTMX).text
    assert "<html" not in fragment
    # It lives inside #results, which the fragment replaces: a change of filter
    # never leaves the guides of the previous search on the page.
    assert guide_block(fragment) == ["Ketamine for PTSD"]
    assert guide_block(client.get("/clinics/?route=spravato", headers=HTMX).text) == [
        "Spravato explained"
    ]
    plain = client.get("/clinics/?state=tx", headers=HTMX).text
    assert guide_block(plain) is None and "search-guides" not in plain
    # The full page's results are the fragment's.
    full = client.get("/clinics/?condition=ptsd").text
    results = full.split('<section id="results"')[1]
    assert guide_block(results) == guide_block(fragment)


def test_publishing_and_unpublishing_a_guide_reaches_the_directory(client, directory):
    guide = make_guide("Ketamine for PTSD", status=Guide.Status.IN_REVIEW)
    about(guide, "ptsd")
    for headers in ({}, HTMX):
        assert guide_block(client.get("/clinics/?condition=ptsd", headers=headers).text) is None
    guide.status = Guide.Status.PUBLISHED
    guide.save()
    for headers in ({}, HTMX):
        assert guide_block(client.get("/clinics/?condition=ptsd", headers=headers).text) == [
            "Ketamine for PTSD"
        ]
    guide.status = Guide.Status.DRAFT
    guide.save()
    for headers in ({}, HTMX):
        assert guide_block(client.get("/clinics/?condition=ptsd", headers=headers).text) is None


def test_a_guide_given_a_condition_or_route_reaches_the_directory(client, directory):
    guide = make_guide("Ketamine for PTSD")
    assert guide_block(client.get("/clinics/?condition=ptsd").text) is None
    about(guide, "ptsd")
    assert guide_block(client.get("/clinics/?condition=ptsd").text) == ["Ketamine for PTSD"]
    assert guide_block(client.get("/clinics/?route=kap").text) is None
    guide.route_links.create(route="kap")
    assert guide_block(client.get("/clinics/?route=kap").text) == ["Ketamine for PTSD"]


def test_the_guides_cost_one_query_per_search_not_per_result(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    for _ in range(30):
        make_clinic(offerings={"iv": (400, 450)}, conditions=["ptsd"])
    for number in range(6):
        about(make_guide(f"Guide {number}", routes=["iv"]), "ptsd")
    client.get("/clinics/")  # warm the cached vocabulary and directory figures
    with django_assert_max_num_queries(4):
        first = client.get("/clinics/?condition=ptsd&route=iv").text
    assert len(slugs(first)) == 20 and len(guide_block(first)) == 3
    # Another search: the guides of every search were read with the first.
    with django_assert_max_num_queries(3):
        other = client.get("/clinics/?route=iv&near=78701").text
    assert len(guide_block(other)) == 3
    # The next page, another order, the fragment: the guides are already known.
    with django_assert_num_queries(2):
        client.get("/clinics/?condition=ptsd&route=iv&sort=price")
    with django_assert_max_num_queries(2):
        second = client.get("/clinics/?condition=ptsd&route=iv&page=2", headers=HTMX).text
    assert len(slugs(second)) == 10 and len(guide_block(second)) == 3


def test_a_page_rendered_before_a_publish_commits_is_not_kept(
    client, directory, django_capture_on_commit_callbacks
):
    # Admin saves run in a transaction: a visitor's request in the meantime
    # reads the old rows, and its page must not be kept as the new version's.
    guide = about(make_guide("Ketamine for PTSD", status=Guide.Status.IN_REVIEW), "ptsd")
    with django_capture_on_commit_callbacks(execute=True):
        guide.status = Guide.Status.PUBLISHED
        guide.save()
        # What another connection still sees until the commit.
        Guide.objects.filter(pk=guide.pk).update(status=Guide.Status.IN_REVIEW)
        assert guide_block(client.get("/clinics/?condition=ptsd").text) is None
        Guide.objects.filter(pk=guide.pk).update(status=Guide.Status.PUBLISHED)
    assert guide_block(client.get("/clinics/?condition=ptsd").text) == ["Ketamine for PTSD"]
