import json
import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Guide, GuideRedirect
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
    # Said as "Reference 1" by a screen reader, not "link, 1".
    assert (
        '<sup class="cite"><a href="#ref-1"><span class="visually-hidden">Reference </span>'
        "[1]</a></sup>" in text
    )
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


def test_a_slug_change_that_fails_to_save_leaves_no_redirect(client):
    guide = make_guide("Old name", slug="old-name")
    guide.slug = "new-name"
    guide.medical_reviewer = None  # a published guide must name one: the save fails
    with pytest.raises(IntegrityError):
        guide.save()
    assert not GuideRedirect.objects.exists()
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
        'aria-label="Table: Route, Price now &quot;">\n<table class="stacked-table" role="table">'
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
    assert '<th class="align-left" scope="col" role="columnheader">Route</th>' in html
    assert '<th class="align-left" scope="row" role="rowheader">IV</th>' in html
    label = '<span class="cell-label" aria-hidden="true">'
    assert f'<td class="align-right" role="cell">{label}Price: </span>$400</td>' in html
    assert f'<td class="align-center" role="cell">{label}Note: </span>x</td>' in html
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


def test_a_guide_page_cached_while_a_save_commits_is_not_served_after_it(
    client, django_capture_on_commit_callbacks
):
    guide = make_guide("Timely")
    client.get(guide.get_absolute_url())  # cached
    with django_capture_on_commit_callbacks(execute=True):
        guide.title = "Timely, revised"
        guide.save()
        # A visitor answered before the save commits, from the rows as they
        # were then (in another worker, or another database connection).
        client.get(guide.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(guide.get_absolute_url())
    assert queries, "served the page cached before the save was committed"


def test_live_blocks_render_current_directory_figures(client):
    clinic = make_clinic("Live Clinic", offerings={"iv": (400, 500)})
    make_clinic(offerings={"iv": (420, 520)})
    guide = make_guide(
        "Cost",
        body="IV costs [[price iv]] per session; a series [[series iv]]. [[count iv]] listed.\n\n"
        "[[clinics iv state=tx limit=1]]\n\n[[price laser]]",
    )
    text = client.get(guide.get_absolute_url()).text
    # Quartiles $405 to $515 and $2,430 to $3,090, rounded as estimates (clinics.stats).
    assert "IV costs $400 to $525 per session" in text
    assert "a series $2,400 to $3,100" in text
    assert "2 clinics listed" in text
    assert 'class="live-clinics"' in text and "Live Clinic" in text
    assert "/clinics/?route=iv&amp;state=tx" in text
    assert "See and compare all clinics offering IV ketamine infusion in Texas" in text
    assert "[[price laser]]" in text  # unknown routes are shown as written, not dropped

    offering = Offering.objects.get(clinic=clinic)
    offering.price_min, offering.price_max = 300, 380
    offering.save()
    assert "IV costs $325 to $475 per session" in client.get(guide.get_absolute_url()).text


def test_a_series_figure_brought_down_by_packages_says_so(client):
    guide = make_guide("Cost", body="A series of IV costs about [[series iv]].")
    for _ in range(2):
        make_clinic(offerings={"iv": (450, 575)})
    # Six sessions at the typical price, as the reader would work it out.
    assert "about $2,700 to $3,500.</p>" in client.get(guide.get_absolute_url()).text
    make_clinic(offerings={"iv": {"price_min": 450, "price_max": 575, "series_price": 2200}})
    make_clinic(offerings={"iv": {"price_min": 450, "price_max": 575, "series_price": 2400}})
    text = client.get(guide.get_absolute_url()).text
    assert "(some clinics charge less for the series as a package)" in text


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


def test_json_ld_dates_are_the_ones_the_page_shows(client):
    # Not the time the row was last saved (loading the sample guides again,
    # say): a later "modified" than the review would claim edits nobody reviewed.
    from datetime import UTC, date, datetime

    guide = make_guide("Dated", published_at=datetime(2026, 11, 16, 9, tzinfo=UTC))
    page = json_ld(client.get(guide.get_absolute_url()).text)[0]
    assert (page["datePublished"][:10], page["dateModified"]) == ("2026-11-16", "2026-11-16")
    guide.updated_on = date(2026, 11, 20)
    guide.save()
    page = json_ld(client.get(guide.get_absolute_url()).text)[0]
    assert page["dateModified"] == "2026-11-20"


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


def test_the_title_names_the_search_and_topic_also_when_htmx_fetches_it(client):
    make_guide("What ketamine costs", category=Guide.Category.COST_INSURANCE)

    def title(text):
        return re.search(r"<title>(.*?)</title>", text, re.S).group(1)

    assert title(client.get("/guides/").text) == (
        "Guides to ketamine treatment for depression · Ketamine Clinic Guide"
    )
    cases = {
        "q=cost": "Guides matching “cost” · Ketamine Clinic Guide",
        "category=cost-insurance": "Cost and insurance guides · Ketamine Clinic Guide",
        "q=cost&category=cost-insurance": (
            "Guides matching “cost” in Cost and insurance · Ketamine Clinic Guide"
        ),
        "q=cost&category=": "Guides matching “cost” · Ketamine Clinic Guide",
    }
    for query, expected in cases.items():
        assert title(client.get(f"/guides/?{query}").text) == expected, query
        fragment = client.get(f"/guides/?{query}", headers={"HX-Request": "true"}).text
        assert title(fragment) == expected, query


def test_the_address_htmx_pushes_leaves_out_empty_fields(client):
    response = client.get("/guides/?q=cost&category=", headers={"HX-Request": "true"})
    assert response["HX-Push-Url"] == "/guides/?q=cost"
    response = client.get("/guides/?q=&category=", headers={"HX-Request": "true"})
    assert response["HX-Push-Url"] == "/guides/"


def test_search_finds_words_in_title_and_body(client):
    make_guide("Paying for treatment", body="Insurance and superbills explained.")
    make_guide("Side effects", body="Nausea and dizziness.")
    found = client.get("/guides/?q=superbills").text
    assert "Paying for treatment" in found and "Side effects" not in found
    assert "No guide matches" in client.get("/guides/?q=zzyzx").text
    assert client.get("/guides/?q=" + "x" * 500).status_code == 200
    assert client.get("/guides/?category=bogus").status_code == 200


def test_search_puts_guides_with_the_words_in_their_title_first(client):
    # Named so that alphabetical order is the reverse of the right one.
    make_guide("A body mention", body="Spravato is given in a clinic.")
    make_guide("B summary", dek="How Spravato compares.", body="Text.")
    make_guide("C Spravato basics", body="Text.")
    found = client.get("/guides/?q=spravato").text
    titles = [t for t in ("C Spravato basics", "B summary", "A body mention") if t in found]
    assert sorted(titles, key=found.index) == ["C Spravato basics", "B summary", "A body mention"]


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


def test_a_clinic_list_in_a_guide_says_it_is_examples_and_how_they_were_chosen(client):
    make_clinic("Zed Clinic", offerings={"iv": (400, 500)}, is_verified=True)
    make_clinic("Able Clinic", offerings={"iv": (400, 500)})
    make_clinic("Texas Only", offerings={"iv": (400, 500)}, state="TX")
    guide = make_guide(
        "Listed", body="Some clinics:\n\n[[clinics iv limit=2]]\n\n[[clinics iv state=tx]]"
    )
    page = client.get(guide.get_absolute_url()).text
    blocks = page.split('class="live-clinics"')[1:]
    assert len(blocks) == 2
    for block in blocks:
        assert "Examples from the directory, not recommendations" in block
        assert "verified listings first, then in alphabetical order" in block
    assert "The first 2 listed clinics offering it, from anywhere in the country" in blocks[0]
    assert blocks[0].index("Zed Clinic") < blocks[0].index("Able Clinic")
    assert "listed clinics offering it in Texas" in blocks[1]


def test_a_clinic_list_limit_too_long_to_read_is_no_error(client):
    # int() refuses more than 4,300 digits: the guide was a server error on every visit.
    make_clinic("Able Clinic", offerings={"iv": (400, 500)})
    guide = make_guide("Listed", body="Some clinics:\n\n[[clinics iv limit=" + "9" * 4301 + "]]")
    response = client.get(guide.get_absolute_url())
    assert response.status_code == 200
    assert "Able Clinic" in response.text.split('class="live-clinics"')[1]


def test_a_new_topic_or_search_is_announced_as_a_short_summary(client):
    # The whole result list in a live region was read out on every change.
    make_guide("Paying for it", category=Guide.Category.COST_INSURANCE)
    make_guide("Insurance appeals", category=Guide.Category.COST_INSURANCE)
    make_guide("Side effects", category=Guide.Category.SAFETY)
    page = client.get("/guides/").text
    results_tag = page.split('<section id="guide-results"')[1].split(">")[0]
    assert "aria-live" not in results_tag
    # An empty region the page starts with, outside what htmx swaps.
    assert '<p id="guide-summary" class="visually-hidden" aria-live="polite"></p>' in page

    def summary(query):
        fragment = client.get(f"/guides/?{query}", headers={"hx-request": "true"}).text
        return fragment.split('<p id="guide-summary" hx-swap-oob="innerHTML">')[1].split("</p>")[0]

    assert summary("category=cost-insurance") == "2 guides about cost and insurance."
    assert summary("category=safety") == "1 guide about safety."
    assert summary("category=") == "All 3 guides."
    assert summary("q=appeals") == "1 guide found."
    assert summary("q=zebrafish") == "No guide matches that search."


def test_a_guide_table_carries_its_column_names_into_each_row_for_a_phone(client):
    # On a phone each row stacks into a block (.stacked-table in site.css),
    # each figure with its column's name, so no column is hidden off screen.
    guide = make_guide(
        "Table guide",
        body="## At a glance\n\n| Route | Typical price | Who usually pays |\n"
        "| --- | ---: | --- |\n| IV infusion | [[price iv]] | You [ref:1] |\n"
        "| Spravato | $600 | |\n",
    )
    make_clinic(offerings={"iv": (400, 500)})
    html = client.get(guide.get_absolute_url()).text
    assert '<table class="stacked-table" role="table">' in html
    assert '<thead role="rowgroup">' in html and '<tbody role="rowgroup">' in html
    assert '<th scope="col" role="columnheader">Route</th>' in html
    assert '<th scope="row" role="rowheader">IV infusion</th>' in html
    assert (
        '<td class="align-right" role="cell"><span class="cell-label" aria-hidden="true">'
        "Typical price: </span>$400 to $500</td>"
    ) in html
    assert '<span class="cell-label" aria-hidden="true">Who usually pays: </span>You <sup' in html
    # An empty cell gets no label of its own to dangle.
    assert '<td role="cell" class="empty-cell"></td>' in html
    # Still in its own scrolling region for wider tables on wider screens.
    assert 'class="table-scroll" role="region" tabindex="0"' in html


def test_guides_saved_before_stacked_tables_are_rendered_again_by_a_migration():
    import importlib

    from django.apps import apps

    guide = make_guide("Old table", body="| A | B |\n| --- | --- |\n| 1 | 2 |\n")
    Guide.objects.filter(pk=guide.pk).update(body_html="<table><tr><td>1</td></tr></table>")
    migration = importlib.import_module("articles.migrations.0004_render_tables_stacked")
    migration.render_again(apps, None)
    assert 'class="stacked-table"' in Guide.objects.get(pk=guide.pk).body_html


def test_a_search_of_only_common_words_finds_nothing_and_says_why(client):
    # PostgreSQL's full-text search drops stop words; a query of nothing else
    # is no search at all, and must not list every guide as if it matched
    # (nor, on SQLite, every guide that has "the" somewhere in it).
    make_guide("The cost of ketamine", body="The price and the cost of it.")
    make_guide("Side effects", body="Some of the effects and the risks.")
    for words in ("the and of", "The AND of", '"of the"', "-the"):
        response = client.get("/guides/", {"q": words})
        text = response.text
        assert response.status_code == 200
        assert "The cost of ketamine" not in text and "Side effects" not in text, words
        assert "too common to search for" in text, words
        fragment = client.get("/guides/", {"q": words}, headers={"HX-Request": "true"}).text
        assert "The cost of ketamine" not in fragment and "too common to search for" in fragment
    # With a word that means something, the common ones are left out on both databases.
    found = client.get("/guides/", {"q": "the cost of"}).text
    assert "The cost of ketamine" in found and "Side effects" not in found
    assert "too common to search for" not in found


def test_an_faq_answer_shows_live_figures_and_its_structured_data_says_the_same(client):
    make_clinic(offerings={"iv": (400, 500)})
    guide = make_guide(
        "Faq figures",
        faqs=[("What does IV cost?", "Usually [[price iv]] a session, at [[count iv]].")],
    )
    page = client.get(guide.get_absolute_url()).text
    faqs = page[page.index('<section class="faqs"') :]
    assert "Usually $400 to $500 a session, at 1 clinic." in faqs
    answer = json_ld(page)[1]["mainEntity"][0]["acceptedAnswer"]["text"]
    assert answer == "Usually $400 to $500 a session, at 1 clinic."


def test_a_clinic_list_in_an_faq_answer_is_left_out(client):
    make_clinic("Listed Clinic", offerings={"iv": (400, 500)})
    guide = make_guide("Faq list", faqs=[("Where?", "Near you.\n\n[[clinics iv]]\n\nOr further.")])
    page = client.get(guide.get_absolute_url()).text
    assert 'class="live-clinics"' not in page and "[[clinics" not in page
    assert "<p>Near you.</p>\n\n<p>Or further.</p>" in page
    assert "[[clinics" not in json.dumps(json_ld(page))


def test_a_heading_with_a_live_figure_reads_with_the_figure_in_the_contents(client):
    make_clinic(offerings={"iv": (400, 500)})
    guide = make_guide(
        "Toc figure",
        body="Intro.\n\n## Cost: [[price iv]] a session\n\nText.\n\n"
        "## Clinics [[clinics iv]]\n\nMore.",
    )
    page = client.get(guide.get_absolute_url()).text
    toc = page[
        page.index('<nav class="toc"') : page.index("</nav>", page.index('<nav class="toc"'))
    ]
    assert '<a href="#cost-price-iv-a-session">Cost: $400 to $500 a session</a>' in toc
    assert '<a href="#clinics-clinics-iv">Clinics</a>' in toc
    assert "[[" not in toc
