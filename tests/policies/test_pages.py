"""The About / editorial policy and Privacy pages: what they promise matches what the site does."""

import re

import pytest
from django.conf import settings
from django.test import Client

from inquiries.models import Inquiry
from listings.models import ListingReport
from tests.articles.builders import make_guide, make_person
from tests.builders import make_clinic, make_member, make_user

pytestmark = pytest.mark.django_db

PAGES = ["/about/", "/privacy/"]


def text_of(html):
    """The page's words, without tags, with spaces made single."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("path", PAGES)
def test_each_page_has_a_stable_address_and_the_site_layout(client, path):
    response = client.get(path)
    assert response.status_code == 200
    # The crisis line is on every page, this one too.
    assert 'class="crisis-bar"' in response.text
    assert "<h1>" in response.text
    assert client.post(path).status_code == 405


def test_the_footer_links_to_both_pages(client):
    footer = client.get("/").text.split('<footer class="site-footer">')[1]
    assert 'href="/about/"' in footer
    assert 'href="/privacy/"' in footer


@pytest.mark.parametrize("path", PAGES)
def test_each_page_gives_the_editors_address_from_the_settings(client, settings, path):
    settings.EDITORS_EMAIL = "editors@clinics.example"
    page = client.get(path).text
    assert 'href="mailto:editors@clinics.example"' in page
    assert "editors@clinics.example</a>" in page


def test_both_pages_are_in_the_sitemap(client):
    sitemap = client.get("/sitemap.xml").text
    assert "<loc>http://testserver/about/</loc>" in sitemap
    assert "<loc>http://testserver/privacy/</loc>" in sitemap


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_cached_for_visitors_like_the_other_public_pages(
    client, path, django_assert_num_queries
):
    make_clinic()
    first = client.get(path)
    with django_assert_num_queries(0):
        again = client.get(path)
    assert again.status_code == 200
    nonce = re.compile(r'nonce="[^"]+"')
    assert nonce.sub("", again.text) == nonce.sub("", first.text)


def test_about_says_the_clinics_are_fictional_only_while_the_sample_is_listed(client):
    make_clinic("Real Place")
    page = text_of(client.get("/about/").text)
    assert "fictional" not in page
    make_clinic("Sample Place", is_sample=True)
    page = text_of(client.get("/about/").text)
    assert "every clinic listed here is fictional sample data" in page


def test_about_says_when_the_guides_reviewers_are_sample_staff(client):
    make_guide("Real guide")
    assert "fictional sample staff" not in text_of(client.get("/about/").text)
    make_guide(
        "Sample guide",
        author=make_person("Pat Sample", is_sample=True),
        medical_reviewer=make_person("Ray Sample", is_sample=True),
    )
    assert "fictional sample staff" in text_of(client.get("/about/").text)


def test_about_explains_verification_prices_guides_and_reports(client, settings):
    settings.STALE_PRICE_DAYS = 60
    settings.REPORT_RETENTION_DAYS = 45
    page = text_of(client.get("/about/").text)
    for promise in [
        # How a listing is verified.
        "work email on the clinic's own website domain",
        "an editor checks the claim",
        # How prices are dated.
        "Prices updated",
        "older than 60 days",
        "rounded",
        # How guides are written and reviewed.
        "a named clinician who did not write it",
        "reviewer's name and the date of the last review",
        "cites a reference",
        # No trackers, no ads, no paid places.
        "no ads",
        "no trackers",
        # Reporting a wrong listing.
        "Something wrong? Tell us",
        "45 days",
    ]:
        assert promise in page, promise
    html = client.get("/about/").text
    assert 'href="/privacy/"' in html
    assert 'href="/privacy/#reports"' in html


# Every column an inquiry keeps, and how the privacy page names it. A new
# column fails this test until the page says that it is kept.
INQUIRY_FIELDS = {
    "id": None,
    "clinic": "which clinic it is for",
    "name": "the name you give",
    "email": "your email address",
    "phone": "your phone number",
    "routes": "the treatments you tick",
    "message": "your message",
    "created_at": "when it arrived",
    "read_at": "when the clinic's staff first opened it",
}
REPORT_FIELDS = {
    "id": None,
    "clinic": "which listing",
    "problem": "what is wrong",
    "details": "the details you add",
    "created_at": "when you sent it",
    "resolved_at": "when an editor dealt with it",
    "resolved_by": "which editor",
    "editor_note": "their note on what they did",
}


@pytest.mark.parametrize(
    "model, fields", [(Inquiry, INQUIRY_FIELDS), (ListingReport, REPORT_FIELDS)]
)
def test_privacy_names_everything_kept_with_a_message_or_a_report(client, model, fields):
    assert {field.name for field in model._meta.concrete_fields} == set(fields)
    page = text_of(client.get("/privacy/").text)
    for words in filter(None, fields.values()):
        assert words in page, words


def test_privacy_says_who_reads_a_message_and_what_is_never_kept(client):
    page = text_of(client.get("/privacy/").text)
    for promise in [
        "Only the staff of the clinic you write to, and this site's editors",
        "without a word of what you wrote",
        "not your IP address",
        "never the query string",
        "no trackers",
    ]:
        assert promise in page, promise


def test_privacy_shows_the_retention_periods_configured(client, settings):
    settings.INQUIRY_RETENTION_DAYS = 30
    settings.REPORT_RETENTION_DAYS = 45
    page = text_of(client.get("/privacy/").text)
    assert "deleted 30 days after it arrives" in page
    assert "deleted 45 days after an editor has dealt with it" in page


def test_the_form_cookie_lasts_only_until_the_browser_closes():
    # A health site has no reason to leave a year-long cookie behind a message form.
    cookie = Client().get("/account/signup/").cookies[settings.CSRF_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]


def test_privacy_names_exactly_the_cookies_the_site_sets(client):
    """Browsing sets none; a form sets the CSRF cookie; only signing in sets the session."""
    clinic = make_clinic()
    make_member(clinic)
    guide = make_guide("Cookies guide")
    browsing = [
        "/",
        "/clinics/",
        "/clinics/?route=iv&near=78701",
        clinic.get_absolute_url(),
        f"/clinics/compare/?clinic={clinic.slug}",
        "/clinics/in/tx/",
        "/guides/",
        guide.get_absolute_url(),
        "/about/",
        "/privacy/",
    ]
    forms = [
        f"/clinics/{clinic.slug}/contact/",
        f"/clinics/{clinic.slug}/report/",
        "/account/login/",
        "/account/signup/",
    ]
    for path in browsing:
        assert not Client().get(path).cookies, f"{path} sets a cookie"
    for path in forms:
        assert set(Client().get(path).cookies) == {settings.CSRF_COOKIE_NAME}, path
    signed_in = Client()
    signed_in.post(
        "/account/login/",
        {"username": make_user("jo@x.example").email, "password": "a long test password"},
    )
    assert settings.SESSION_COOKIE_NAME in signed_in.cookies

    page = text_of(client.get("/privacy/").text)
    assert "Reading guides and searching the directory sets no cookies" in page
    assert f"{settings.CSRF_COOKIE_NAME}" in page
    assert f"{settings.SESSION_COOKIE_NAME}" in page
    assert "lasts until you close your browser unless you clear it" in page  # CSRF_COOKIE_AGE
    assert "two weeks" in page  # SESSION_COOKIE_AGE


def test_privacy_says_how_to_ask_for_deletion(client, settings):
    settings.EDITORS_EMAIL = "editors@clinics.example"
    html = client.get("/privacy/").text
    section = html.split('id="deletion"')[1]
    assert 'href="mailto:editors@clinics.example"' in section


def test_the_message_and_report_forms_link_to_what_is_kept(client):
    clinic = make_clinic()
    make_member(clinic)
    assert 'href="/privacy/#inquiries"' in client.get(f"/clinics/{clinic.slug}/contact/").text
    assert 'href="/privacy/#reports"' in client.get(f"/clinics/{clinic.slug}/report/").text


def test_about_says_how_many_sessions_the_series_estimate_counts(client):
    text = client.get("/about/").text
    assert "(6 for most treatments, 8 for Spravato's first four weeks)" in text.replace(
        "&#x27;", "'"
    )
