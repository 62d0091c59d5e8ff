import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Guide
from clinics.models import Offering
from tests.articles.builders import make_guide
from tests.builders import make_clinic

pytestmark = pytest.mark.django_db


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_published_guide_shows_review_box_toc_faqs_and_references(client):
    guide = make_guide("How it works", faqs=[("Does it hurt?", "Usually *not*.")], references=2)
    response = client.get(guide.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert "Medically reviewed by Alex Reviewer, MD, psychiatrist" in text
    assert 'datetime="2026-11-01"' in text
    assert '<a href="#first-part">First part</a>' in text
    assert '<h2 id="first-part">' in text
    assert re.search(r'<sup class="cite"><a href="#ref-1"[^>]*>\[1\]</a></sup>', text)
    assert 'id="ref-2"' in text
    assert "<em>not</em>" in text
    assert "988" in text


def test_drafts_in_review_and_future_guides_are_hidden_from_visitors(client, admin_client):
    draft = make_guide("Draft", status=Guide.Status.DRAFT, published_at=None)
    review = make_guide("Review", status=Guide.Status.IN_REVIEW)
    future = make_guide("Future", published_at=timezone.now() + timedelta(days=3))
    for guide, says in [
        (draft, "this guide is a draft."),
        (review, "this guide is in medical review."),
        (future, "this guide is scheduled to publish on "),
    ]:
        assert client.get(guide.get_absolute_url()).status_code == 404
        preview = admin_client.get(guide.get_absolute_url())
        assert preview.status_code == 200
        assert "Only staff can see it" in preview.text and says in preview.text
    listing = client.get("/guides/").text
    assert "Draft" not in listing and "Future" not in listing
    assert "Future" not in client.get("/guides/feed/").text
    assert "/guides/future/" not in client.get("/sitemap.xml").text


def test_scheduled_guide_appears_when_its_time_comes(client):
    guide = make_guide("Soon", published_at=timezone.now() + timedelta(hours=1))
    assert client.get(guide.get_absolute_url()).status_code == 404
    Guide.objects.filter(pk=guide.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(guide.get_absolute_url()).status_code == 200


def test_changing_a_slug_redirects_the_old_url_permanently(client):
    guide = make_guide("Old name", slug="old-name")
    guide.slug = "new-name"
    guide.save()
    response = client.get("/guides/old-name/")
    assert response.status_code == 301
    assert response["Location"] == "/guides/new-name/"
    guide.slug = "newest-name"
    guide.save()
    assert client.get("/guides/old-name/")["Location"] == "/guides/newest-name/"
    # Reusing an old slug for the guide itself makes it live again, not a loop.
    guide.slug = "old-name"
    guide.save()
    assert client.get("/guides/old-name/").status_code == 200


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    "<svg><script>alert(1)</script></svg>",
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div onclick="alert(1)">x</div>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    "<object data='x'></object><embed src='x'>",
    '<form action="https://evil.example"><input></form>',
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_is_sanitised_whoever_wrote_it(client, payload):
    guide = make_guide("Unsafe", body=f"Text.\n\n{payload}\n\nMore.", faqs=[("Q?", payload)])
    html = guide.body_html + guide.faqs.get().answer_html
    lowered = html.lower()
    for bad in ("<script", "onerror", "onload", "onclick", "javascript:", "<iframe", "style=",
                "<object", "<embed", "<form", "<svg"):  # fmt: skip
        assert bad not in lowered, (bad, html)
    page = client.get(guide.get_absolute_url()).text.lower()
    assert "alert(1)</script>" not in page and "onerror=" not in page


def test_a_table_scrolls_on_its_own_and_a_keyboard_can_reach_it(client):
    body = (
        'Intro.\n\n| Route | Price <em>now</em> " |\n| --- | --- |\n| IV | $400 |\n\n'
        '<table onclick="alert(1)"><tr><td>raw</td></tr></table>'
    )
    guide = make_guide("Tables", body=body)
    page = client.get(guide.get_absolute_url()).text
    wrapper = (
        '<div class="table-scroll" role="region" tabindex="0" '
        'aria-label="Table: Route, Price now &quot;">\n<table>'
    )
    assert wrapper in page
    # A table written as HTML is wrapped too, once it has been cleaned.
    assert '<div class="table-scroll" role="region" tabindex="0" aria-label="Table">' in page
    assert "onclick" not in page
    assert page.count("</table>\n</div>") == 2


def test_a_tables_column_alignment_survives_without_a_style_attribute(client):
    body = (
        "| Route | Price | Note |\n| :--- | ---: | :---: |\n| IV | $400 | x |\n\n"
        '<table><tr><td align="evil">raw</td></tr></table>'
    )
    html = make_guide("Aligned", body=body).body_html
    assert '<th class="align-left">Route</th>' in html
    assert '<td class="align-right">$400</td>' in html
    assert '<td class="align-center">x</td>' in html
    assert "style=" not in html and "evil" not in html


def test_saving_only_the_text_renders_it_again(client):
    # update_or_create (as load_sample_data uses) saves just the fields it is given.
    guide = make_guide("Renders", body="Old words.\n\n## Part\n\nText [ref:1].")
    Guide.objects.update_or_create(
        slug=guide.slug,
        defaults={
            "body": "New words, " + "many " * 400 + "\n\n## Fresh part\n\nA.\n\n## Last part"
        },
    )
    page = client.get(guide.get_absolute_url()).text
    assert "New words" in page and "Old words" not in page
    assert 'href="#fresh-part"' in page, "the table of contents is stale"
    assert Guide.objects.get(pk=guide.pk).reading_minutes == 2


def test_live_blocks_render_current_directory_figures(client):
    clinic = make_clinic("Live Clinic", offerings={"iv": (400, 500)})
    make_clinic(offerings={"iv": (420, 520)})
    guide = make_guide(
        "Cost",
        body="IV costs [[price iv]] per session; a series [[series iv]]. [[count iv]] listed.\n\n"
        "[[clinics iv state=tx limit=1]]\n\n[[price laser]]",
    )
    text = client.get(guide.get_absolute_url()).text
    assert "IV costs $410–$510 per session" in text
    assert "a series $2,460–$3,060" in text
    assert "2 clinics listed" in text
    assert 'class="live-clinics"' in text and "Live Clinic" in text
    assert "/clinics/?route=iv&amp;state=tx" in text
    assert "See and compare all clinics offering IV ketamine infusion in Texas" in text
    assert "[[price laser]]" in text  # unknown routes are shown as written, not dropped

    offering = Offering.objects.get(clinic=clinic)
    offering.price_min, offering.price_max = 300, 380
    offering.save()
    assert "IV costs $360–$450 per session" in client.get(guide.get_absolute_url()).text


def test_route_guides_end_with_clinics_offering_it_and_clinic_pages_link_back(client):
    clinic = make_clinic("Spravato Place", offerings={"spravato": (600, 800)})
    guide = make_guide("Spravato guide", routes=["spravato"])
    make_guide("Unrelated guide", routes=["kap"])
    text = client.get(guide.get_absolute_url()).text
    assert 'href="/clinics/?route=spravato"' in text
    assert "1 clinic listed" in text
    clinic_page = client.get(clinic.get_absolute_url()).text
    assert "Spravato guide" in clinic_page and "Unrelated guide" not in clinic_page


def test_json_ld_is_valid_with_the_expected_types(client):
    guide = make_guide("Faq guide", faqs=[("One?", "Yes."), ("Two?", "No.")])
    data = json_ld(client.get(guide.get_absolute_url()).text)
    types = [item["@type"] for item in data]
    assert types == ["MedicalWebPage", "FAQPage"]
    assert data[0]["lastReviewed"] == "2026-11-01"
    assert data[0]["reviewedBy"]["name"] == "Alex Reviewer"
    assert [q["name"] for q in data[1]["mainEntity"]] == ["One?", "Two?"]
    no_faq = make_guide("Plain guide")
    assert [i["@type"] for i in json_ld(client.get(no_faq.get_absolute_url()).text)] == [
        "MedicalWebPage"
    ]


def test_clinic_page_json_ld_is_a_medical_clinic(client):
    clinic = make_clinic("Json Clinic", offerings={"iv": (400, 450)})
    data = json_ld(client.get(clinic.get_absolute_url()).text)
    assert data[0]["@type"] == "MedicalClinic"
    assert data[0]["address"]["postalCode"] == "78701"


def test_index_groups_by_category_and_filters(client):
    make_guide("Basics one", category="basics")
    make_guide("Safety one", category="safety", body="Blood pressure can rise.")
    text = client.get("/guides/").text
    assert "<h2>Basics</h2>" in text and "<h2>Safety</h2>" in text
    only_safety = client.get("/guides/?category=safety").text
    assert "Safety one" in only_safety and "Basics one" not in only_safety
    fragment = client.get("/guides/?category=safety", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "Safety one" in fragment.text
    assert "HX-Request" in fragment["Vary"]


def test_search_finds_words_in_title_and_body(client):
    make_guide("Paying for treatment", body="Insurance and superbills explained.")
    make_guide("Side effects", body="Nausea and dizziness.")
    found = client.get("/guides/?q=superbills").text
    assert "Paying for treatment" in found and "Side effects" not in found
    assert "No guide matches" in client.get("/guides/?q=zzyzx").text
    assert client.get("/guides/?q=" + "x" * 500).status_code == 200
    assert client.get("/guides/?category=bogus").status_code == 200


def test_sitemap_robots_and_feed(client):
    clinic = make_clinic(
        "Mapped Clinic", slug="mapped", city="Denver", state="CO", zip_code="80202"
    )
    guide = make_guide("Mapped guide")
    sitemap = client.get("/sitemap.xml").text
    for path in (
        "/clinics/mapped/",
        "/clinics/in/co/",
        "/clinics/in/co/denver/",
        "/guides/mapped-guide/",
    ):
        assert f"http://testserver{path}</loc>" in sitemap
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.text
    feed = client.get("/guides/feed/")
    assert feed.status_code == 200 and guide.title in feed.text
    assert clinic.name not in feed.text


def test_query_counts_do_not_grow_with_content(client, django_assert_max_num_queries):
    for number in range(12):
        make_guide(f"Guide {number}", faqs=[("Q?", "A.")] * 3, references=4, routes=["iv"])
    make_clinic()
    client.get("/")  # warm the cached directory figures
    with django_assert_max_num_queries(2):
        client.get("/guides/")
    with django_assert_max_num_queries(8):
        client.get("/guides/guide-3/")


def test_a_search_too_long_to_run_says_so_in_plain_words(client):
    make_guide("Costs")
    text = client.get("/guides/", {"q": "ketamine " * 30}).text
    assert "That is more than 200 characters. Try a few words of it." in text
    assert "Ensure this value" not in text


def test_json_ld_is_about_the_guides_conditions(client):
    from clinics.models import Condition

    guide = make_guide("About PTSD")
    guide.conditions.set(Condition.objects.filter(slug__in=["ptsd", "anxiety"]))
    about = json_ld(client.get(guide.get_absolute_url()).text)[0]["about"]
    assert sorted(item["name"] for item in about) == ["Anxiety", "PTSD"]
    assert {item["@type"] for item in about} == {"MedicalCondition"}
    # A guide about no condition in particular is about depression, the site's subject.
    plain = make_guide("Plain")
    assert json_ld(client.get(plain.get_absolute_url()).text)[0]["about"] == [
        {"@type": "MedicalCondition", "name": "Depression"}
    ]
