import re

import pytest

from tests.builders import make_clinic

pytestmark = pytest.mark.django_db

CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


@pytest.fixture
def pair():
    return make_clinic("Beta Clinic", slug="beta"), make_clinic("Alpha Clinic", slug="alpha")


def test_a_comparison_has_one_address_whatever_the_order_or_zip(client, pair):
    first = client.get("/clinics/compare/?clinic=beta&clinic=alpha&near=78701").text
    second = client.get("/clinics/compare/?clinic=alpha&clinic=beta").text
    expected = "http://testserver/clinics/compare/?clinic=alpha&amp;clinic=beta"
    assert CANONICAL.findall(first) == CANONICAL.findall(second) == [expected]
    assert "noindex" not in first and "noindex" not in second


@pytest.mark.parametrize("query", ["", "clinic=alpha", "clinic=alpha&clinic=gone"])
def test_fewer_than_two_clinics_is_kept_out_of_search(client, pair, query):
    text = client.get(f"/clinics/compare/?{query}").text
    assert '<meta name="robots" content="noindex">' in text
    assert not CANONICAL.search(text)


def test_robots_let_crawlers_reach_comparisons(client):
    robots = client.get("/robots.txt").text
    assert "Disallow: /admin/" in robots and "compare" not in robots


def test_a_slug_no_clinic_could_have_is_dropped_with_a_note(client, pair):
    # PostgreSQL refuses text with a NUL byte outright; that was a 500.
    response = client.get("/clinics/compare/", {"clinic": ["alpha", "be\x00ta", "beta"]})
    assert response.status_code == 200
    assert 'data-clinic="alpha"' in response.text and 'data-clinic="beta"' in response.text
    assert "not listed any more" in response.text


def test_series_cost_says_whether_it_is_an_estimate_or_a_package(client):
    make_clinic(slug="estimate", offerings={"iv": (400, 450)})
    make_clinic(
        slug="package",
        offerings={"iv": {"price_min": 450, "price_max": 450, "series_price": 2400}},
    )
    text = client.get("/clinics/compare/?clinic=estimate&clinic=package").text
    assert "6-session series ≈ $2,400–<wbr>$2,700" in text
    assert "6-session package: $2,400" in text
