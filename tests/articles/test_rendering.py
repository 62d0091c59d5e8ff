"""What a guide's Markdown becomes on the page, and what the editor is told about it."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages

from articles.models import FAQ, Guide
from tests.articles.builders import make_guide, make_person, make_reviewer, new_guide_data
from tests.builders import make_clinic, make_editor

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/articles/guide/preview/"
CUT_BODY = (
    "Intro [ref:1].\n\n"
    '![Chart of response rates by week](https://images.example/chart.png "Chart")\n\n'
    "Read [the dosing sheet](javascript:alert(1)) first.\n\n"
    "A study [ref:7] says so."
)


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_what_the_sanitiser_cuts_is_said_on_save_and_kept_where_it_can_be(editor_client, client):
    data = new_guide_data(make_person("W"), make_reviewer("D"), body=CUT_BODY)
    response = editor_client.post("/admin/articles/guide/add/", data, follow=True)
    assert response.status_code == 200
    said = " ".join(messages_of(response))
    assert "The image “Chart of response rates by week” (https://images.example/chart.png)" in said
    assert "Its description is kept as text." in said
    assert "The link “the dosing sheet” goes to “javascript:alert(1)”" in said
    assert "[ref:7] points to no reference: the guide has 1 reference" in said

    guide = Guide.objects.get(slug="editors-guide")
    # The alt text stays as words; the refused link is words, not a link going nowhere.
    assert "<p>Chart of response rates by week</p>" in guide.body_html
    assert "Read the dosing sheet first." in guide.body_html
    assert "<img" not in guide.body_html and "javascript" not in guide.body_html
    page = editor_client.get(guide.get_absolute_url()).text
    assert "Read the dosing sheet first." in page


def test_an_image_without_a_description_is_said_to_be_lost(editor_client):
    data = new_guide_data(make_person("W"), make_reviewer("D"), body="![](https://x.example/a.png)")
    said = " ".join(
        messages_of(editor_client.post("/admin/articles/guide/add/", data, follow=True))
    )
    assert "It had no description to keep: say in words what it showed." in said


def test_html_the_site_does_not_allow_is_named(editor_client):
    body = 'A <iframe src="https://video.example/x">clip</iframe> and <script>x()</script>.'
    data = new_guide_data(make_person("W"), make_reviewer("D"), body=body)
    said = " ".join(
        messages_of(editor_client.post("/admin/articles/guide/add/", data, follow=True))
    )
    assert "HTML <iframe> is not allowed in guides: its text is kept." in said
    assert "HTML <script> is not allowed in guides: it is left out with everything in it." in said


def test_a_clean_guide_is_saved_without_warnings(editor_client):
    data = new_guide_data(make_person("W"), make_reviewer("D"))
    said = messages_of(editor_client.post("/admin/articles/guide/add/", data, follow=True))
    assert len(said) == 1 and "was added successfully" in said[0]


def test_the_preview_says_what_the_page_leaves_out(editor_client):
    guide = make_guide("Live guide")  # one reference
    data = new_guide_data(guide.author, guide.medical_reviewer, slug=guide.slug, body=CUT_BODY)
    page = editor_client.post(f"{PREVIEW}?guide={guide.pk}", data).text
    notice = re.search(r'<div class="notice notice-warning" role="status">(.*?)</div>', page, re.S)
    assert notice, "no notice of what was left out"
    assert "Chart of response rates by week" in notice.group(1)
    assert "javascript:alert(1)" in notice.group(1)
    assert "[ref:7] points to no reference" in notice.group(1)


def test_the_preview_counts_the_references_in_the_form_not_only_those_saved(editor_client):
    guide = make_guide("Live guide")  # one reference saved
    data = new_guide_data(guide.author, guide.medical_reviewer, slug=guide.slug)
    data |= {
        "body": "Two studies [ref:1] [ref:2].",
        "references-TOTAL_FORMS": "2",
        "references-1-order": "2",
        "references-1-authors": "Roe R",
        "references-1-title": "Another study",
    }
    page = editor_client.post(f"{PREVIEW}?guide={guide.pk}", data).text
    assert "points to no reference" not in page
    data["references-1-DELETE"] = "on"
    assert "[ref:2] points to no reference" in editor_client.post(PREVIEW, data).text


def test_a_faq_answer_is_checked_too(editor_client):
    data = new_guide_data(
        make_person("W"),
        make_reviewer("D"),
        **{"faqs-0-answer": "See ![a map](http://m.example/)."},
    )
    said = " ".join(
        messages_of(editor_client.post("/admin/articles/guide/add/", data, follow=True))
    )
    assert "In the answer to “Why?”: The image “a map”" in said


@pytest.mark.parametrize("heading", ["References", "FAQ", "Main", "Ref 2"])
def test_a_body_heading_never_takes_an_id_the_page_uses(client, heading):
    guide = make_guide(
        "Ids", body=f"Intro.\n\n## {heading}\n\nText [ref:1].\n\n## Other", faqs=[("Q?", "A.")]
    )
    page = client.get(guide.get_absolute_url()).text
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    slug = re.sub(r"\W+", "-", heading.lower())
    assert f'<a href="#{slug}-section">{heading}</a>' in page


def test_a_body_heading_named_like_the_pages_own_section_is_pointed_out(editor_client):
    body = "Intro.\n\n## References\n\n1. Doe J. A study."
    data = new_guide_data(make_person("W"), make_reviewer("D"), body=body)
    said = " ".join(
        messages_of(editor_client.post("/admin/articles/guide/add/", data, follow=True))
    )
    assert "The heading “References” has the name of a section the page adds itself" in said


def test_live_blocks_inside_code_are_shown_as_written(client):
    make_clinic(offerings={"iv": (400, 500)})
    body = (
        "Write `[[price iv]]` to show [[price iv]].\n\n"
        "    [[clinics iv state=tx]]\n    [[count iv]]"
    )
    page = client.get(make_guide("Blocks", body=body).get_absolute_url()).text
    assert "Write <code>[[price iv]]</code> to show $400 to $500." in page
    assert "<pre><code>[[clinics iv state=tx]]\n[[count iv]]\n</code></pre>" in page
    assert 'class="live-clinics"' not in page


def test_reading_time_reads_prose_and_glances_at_tables(client):
    rows = "\n".join(
        f"| Clinic {n} | IV | $400 | $2,400 | Aetna, Cigna | yes |" for n in range(120)
    )
    table = (
        "| Clinic | Route | Price | Series | Insurance | Telehealth |\n|---|---|---|---|---|---|\n"
    )
    body = "Words " * 400 + "\n\n" + table + rows
    guide = make_guide("Tables", body=body)
    # 400 words at 200 a minute, and 121 rows at a glance each; not every cell and | as a word.
    assert guide.reading_minutes == 8
    assert "8 min read" in client.get(guide.get_absolute_url()).text


class _Titles(HTMLParser):
    """The title of every link, as a browser reads the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.titles = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("title"):
            self.titles.append(dict(attrs)["title"])


ATTRIBUTE_BLOCKS = (
    'A <a href="https://ok.test" title="[[clinics iv]]">titled link</a> and '
    '[tl](https://x.test "[[price iv]]"), costing [[price iv]].'
)


def test_a_live_block_inside_an_html_attribute_stays_as_written(client):
    make_clinic(offerings={"iv": (400, 500)})
    page = client.get(make_guide("Titles", body=ATTRIBUTE_BLOCKS).get_absolute_url()).text
    titles = _Titles()
    titles.feed(page)
    assert titles.titles.count("[[clinics iv]]") == 1
    assert titles.titles.count("[[price iv]]") == 1
    # No clinic list poured into the attribute; the marker in the text is filled in.
    assert 'class="live-clinics"' not in page
    assert ">titled link</a>" in page and ">tl</a>, costing $400 to $500." in page


def test_a_live_block_inside_an_html_attribute_is_pointed_out(editor_client):
    data = new_guide_data(make_person("W"), make_reviewer("D"), body=ATTRIBUTE_BLOCKS)
    said = " ".join(
        messages_of(editor_client.post("/admin/articles/guide/add/", data, follow=True))
    )
    assert "The live block “[[clinics iv]]” is inside an HTML tag" in said
    assert "The live block “[[price iv]]” is inside an HTML tag" in said
    assert said.count("is inside an HTML tag") == 2  # the one in the text is fine


def test_a_live_block_in_a_table_heading_leaves_no_marker_in_the_tables_name(client):
    make_clinic(offerings={"iv": (400, 500)})
    body = "| Route | Price [[price iv]] |\n|---|---|\n| IV | yes |"
    page = client.get(make_guide("Table", body=body).get_absolute_url()).text
    assert 'aria-label="Table: Route, Price"' in page
    assert ">Price $400 to $500</th>" in page


RAW_IDS = [
    '<h2 id="main">Main</h2>',
    '<a id="ref-1">a citation</a>',
    '<h3 id="first-part">Again</h3>',
    '<p>See <a href="#faq" id="toc-heading">the questions</a>.</p>',
]


@pytest.mark.parametrize("raw", RAW_IDS)
def test_an_id_written_in_html_never_clashes_with_the_pages_own(client, raw):
    guide = make_guide(
        "Raw ids",
        body=f"Intro.\n\n## First part\n\n{raw}\n\nText [ref:1].\n\n## Second part\n\nMore.",
        faqs=[("Q?", "## First part\n\nAn answer with a heading.")],
    )
    page = client.get(guide.get_absolute_url()).text
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    # The table of contents and the citations still lead somewhere.
    for target in re.findall(r'href="#([^"]+)"', page):
        assert target in ids, target
    assert '<a href="#first-part">First part</a>' in page


def test_an_id_written_in_html_is_pointed_out(editor_client):
    body = 'Intro.\n\n<h2 id="main">Main</h2>\n\n## Part\n\nText [ref:1].'
    data = new_guide_data(make_person("W"), make_reviewer("D"), body=body)
    said = " ".join(
        messages_of(editor_client.post("/admin/articles/guide/add/", data, follow=True))
    )
    assert "The id “main” on <h2> is left out" in said
    assert "“part”" not in said  # the id the heading gets from its words is no news


def test_guides_saved_with_written_ids_are_rendered_again_by_a_migration():
    import importlib

    from django.apps import apps

    guide = make_guide("Old ids", body='<h2 id="main">Main</h2>', faqs=[("Q?", "## Part")])
    Guide.objects.filter(pk=guide.pk).update(body_html='<h2 id="main">Main</h2>')
    FAQ.objects.filter(guide=guide).update(answer_html='<h2 id="part">Part</h2>')
    migration = importlib.import_module("articles.migrations.0009_render_again_without_written_ids")
    migration.render_again(apps, None)
    assert Guide.objects.get(pk=guide.pk).body_html == "<h2>Main</h2>"
    assert FAQ.objects.get(guide=guide).answer_html == "<h2>Part</h2>"


def test_a_clinic_list_in_an_faq_answer_is_pointed_out(editor_client):
    data = new_guide_data(
        make_person("W"),
        make_reviewer("D"),
        **{"faqs-0-answer": "Costs [[price iv]].\n\n[[clinics iv state=tx]]"},
    )
    said = " ".join(
        messages_of(editor_client.post("/admin/articles/guide/add/", data, follow=True))
    )
    assert "In the answer to “Why?”: The clinic list “[[clinics iv state=tx]]” is left out" in said
    assert "[[price iv]]" not in said  # a figure is fine in an answer


STRAY_LISTS = (
    "## Clinics [[clinics iv]]\n\n"
    "See [[clinics iv state=tx]] for some.\n\n"
    "- [[clinics im]]\n\n"
    "[[clinics kap]]\n"
)


def test_a_clinic_list_off_a_line_of_its_own_is_left_out_of_the_page(client):
    make_clinic(offerings={"iv": (400, 500), "im": (300, 400), "kap": (500, 700)})
    page = client.get(make_guide("Stray", body=STRAY_LISTS).get_absolute_url()).text
    body = page[page.index('<h2 id="clinics-clinics-iv"') :]
    # Neither a list inside a heading, a sentence or a list item (markup that
    # can't hold it), nor the marker itself for readers to puzzle over.
    assert '<h2 id="clinics-clinics-iv">Clinics </h2>' in body
    assert "<p>See  for some.</p>" in body
    assert "[[clinics" not in page
    # The one on a line of its own is the only list.
    assert page.count('class="live-clinics"') == 1
    assert 'aria-label="Examples of clinics offering ketamine-assisted psychotherapy' in page


def test_a_clinic_list_off_a_line_of_its_own_is_pointed_out(editor_client):
    data = new_guide_data(make_person("W"), make_reviewer("D"), body=STRAY_LISTS)
    said = " ".join(
        messages_of(editor_client.post("/admin/articles/guide/add/", data, follow=True))
    )
    for marker in ("[[clinics iv]]", "[[clinics iv state=tx]]", "[[clinics im]]"):
        assert f"The clinic list “{marker}” is not on a line of its own" in said
    assert "[[clinics kap]]" not in said


def test_citations_written_in_common_ways_are_read(client):
    body = "## Results\n\nMost respond [ref:1, 2] and some remit [Ref: 2] [ref:1,2]."
    page = client.get(make_guide("Cited", body=body, references=2).get_absolute_url()).text
    assert "[ref" not in page.lower()
    one, two = (
        '<a href="#ref-1"><span class="visually-hidden">Reference </span>[1]</a>',
        '<a href="#ref-2"><span class="visually-hidden">Reference </span>[2]</a>',
    )
    assert f'Most respond <sup class="cite">{one}{two}</sup> and some remit' in page
    assert f'remit <sup class="cite">{two}</sup>' in page


def test_text_that_looks_like_a_citation_but_is_not_one_is_pointed_out(editor_client):
    body = "Most respond [ref:one] and [ref:1000]; write `[ref:3]` to cite."
    data = new_guide_data(make_person("W"), make_reviewer("D"), body=body)
    said = " ".join(
        messages_of(editor_client.post("/admin/articles/guide/add/", data, follow=True))
    )
    assert "“[ref:one]” is not read as a citation" in said
    assert "“[ref:1000]” is not read as a citation" in said
    assert "[ref:3]" not in said  # in code: shown as written, as code is
    html = Guide.objects.get().body_html
    assert "<code>[ref:3]</code>" in html


def test_a_citation_in_a_heading_leaves_no_marker_in_the_contents(client):
    body = "## Response rates [ref:1]\n\nText.\n\n## Safety\n\nMore."
    page = client.get(make_guide("Heading cites", body=body).get_absolute_url()).text
    contents = re.search(r'<nav class="toc".*?</nav>', page, re.S)
    assert contents, "expected the table of contents"
    assert "[ref:1]" not in contents.group(0) and "Response rates" in contents.group(0)
    assert 'id="response-rates"' in page
