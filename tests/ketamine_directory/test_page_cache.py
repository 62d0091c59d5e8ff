"""Whole pages are cached for anonymous visitors, each with its own CSP nonce."""

import gzip
import re

import pytest

from articles.models import Guide
from clinics.models import Offering
from tests.articles.builders import make_guide
from tests.builders import make_clinic

pytestmark = pytest.mark.django_db

NONCE_ATTR = re.compile(r'nonce="([^"]+)"')


def nonces(response):
    in_page = set(NONCE_ATTR.findall(response.text))
    in_header = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    return in_page, in_header.group(1)


@pytest.mark.parametrize("path", ["/", "/clinics/?route=iv", "/guides/"])
def test_every_response_gets_its_own_nonce_in_page_and_header(client, path):
    make_clinic()
    seen = set()
    for _ in range(3):
        in_page, in_header = nonces(client.get(path))
        assert in_page == {in_header}
        seen.add(in_header)
    assert len(seen) == 3


def test_a_repeated_page_is_served_without_touching_the_database(client, django_assert_num_queries):
    clinic = make_clinic()
    first = client.get(clinic.get_absolute_url())
    with django_assert_num_queries(0):
        again = client.get(clinic.get_absolute_url())
    assert NONCE_ATTR.sub("", again.text) == NONCE_ATTR.sub("", first.text)


def test_an_edited_price_shows_on_the_next_request(client):
    clinic = make_clinic(offerings={"iv": (400, 450)})
    assert 'data-price-min="400"' in client.get("/clinics/?route=iv").text
    assert "$400 to $450" in client.get(clinic.get_absolute_url()).text
    offering = Offering.objects.get(clinic=clinic)
    offering.price_min, offering.price_max = 380, 420
    offering.save()
    assert 'data-price-min="380"' in client.get("/clinics/?route=iv").text
    assert "$380 to $420" in client.get(clinic.get_absolute_url()).text


def test_an_edited_guide_shows_on_the_next_request(client):
    guide = make_guide("Costs explained")
    assert "Costs explained" in client.get("/guides/").text
    guide.title = "What ketamine costs"
    guide.save()
    assert "What ketamine costs" in client.get("/guides/").text
    assert "What ketamine costs" in client.get(guide.get_absolute_url()).text


def test_the_fragment_and_the_whole_page_are_cached_apart(client):
    make_clinic()
    fragment = client.get("/clinics/", headers={"hx-request": "true"})
    page = client.get("/clinics/")
    restore = client.get(
        "/clinics/", headers={"hx-request": "true", "hx-history-restore-request": "true"}
    )
    assert "<html" not in fragment.text
    assert "<html" in page.text and "<html" in restore.text
    assert (
        page.headers["Vary"]
        == fragment.headers["Vary"]
        == "HX-Request, X-Place-Page, Accept-Encoding"
    )


def test_a_staff_preview_is_never_served_to_visitors(client, admin_client):
    draft = make_guide("Unreleased", status=Guide.Status.DRAFT, published_at=None)
    assert admin_client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Unreleased" not in client.get("/guides/").text


def test_pages_are_gzipped_for_browsers_that_ask_with_each_its_own_nonce(client):
    # The first response is stored, the second served from the store: both gzipped.
    make_clinic()
    plain = client.get("/clinics/?route=iv")
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    brotli_only = client.get("/clinics/?route=iv", headers={"Accept-Encoding": "br"})
    assert "Content-Encoding" not in brotli_only.headers
    packed = [client.get("/clinics/?route=iv", headers={"Accept-Encoding": "gzip, br"})]
    packed.append(client.get("/clinics/?route=iv", headers={"Accept-Encoding": "gzip"}))
    for response in packed:
        assert response.headers["Content-Encoding"] == "gzip"
        assert int(response.headers["Content-Length"]) < len(plain.content) / 2
        text = gzip.decompress(response.content).decode()
        in_page = set(NONCE_ATTR.findall(text))
        in_header = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
        assert in_page == {in_header.group(1)}
        assert NONCE_ATTR.sub("", text) == NONCE_ATTR.sub("", plain.text)


@pytest.mark.parametrize("path", ["/clinics/?route=iv&sort=name", "/clinics/in/tx/", "/guides/"])
def test_a_history_restore_request_gets_and_leaves_the_whole_page(client, path):
    # htmx asks for a page it has no copy of with both headers: it wants the
    # page, not the fragment's out-of-band pieces, and visitors after it too.
    make_clinic()
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    restored = client.get(path, headers=restore).text
    later = client.get(path).text
    for page in (restored, later):
        assert "hx-swap-oob" not in page
        assert page.count("<title>") == 1
