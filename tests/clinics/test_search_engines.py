"""What the directory's pages tell search engines: one address per search, and no empty pages."""

import re

import pytest
from django.test import override_settings

from tests.builders import make_clinic

pytestmark = pytest.mark.django_db


def head(client, url):
    return re.search(r"<head>(.*)</head>", client.get(url).text, re.S).group(1)


def canonical(client, url):
    return re.findall(r'<link rel="canonical" href="([^"]*)">', head(client, url))


@pytest.fixture
def clinics():
    for number in range(3):
        make_clinic(f"Clinic {number}", offerings={"iv": (400, 450), "spravato": (700, 800)})


def test_a_search_names_one_address_whatever_order_or_extras_it_came_with(client, clinics):
    assert canonical(client, "/clinics/?utm_source=mail&sort=name&clinic=clinic-0&route=iv") == [
        "http://testserver/clinics/?route=iv&amp;sort=name"
    ]
    assert canonical(client, "/clinics/") == ["http://testserver/clinics/"]


def test_each_page_of_results_is_its_own_address(client, clinics):
    with override_settings(CLINICS_PER_PAGE=2):
        assert canonical(client, "/clinics/?page=2") == ["http://testserver/clinics/?page=2"]
        # An old link past the end shows the last page, and names it.
        assert canonical(client, "/clinics/?page=9") == ["http://testserver/clinics/?page=2"]


def test_place_pages_are_their_own_address(client, clinics):
    assert canonical(client, "/clinics/in/tx/austin/") == [
        "http://testserver/clinics/in/tx/austin/"
    ]


def test_a_search_that_finds_nothing_is_kept_out_of_search_engines(client, clinics):
    assert '<meta name="robots" content="noindex">' in head(client, "/clinics/?max_price=100")
    assert "noindex" not in head(client, "/clinics/?max_price=500")
