"""
Every {{ variable }} a page prints is one its view gives: a misspelt or
missing one prints nothing, silently (the About page once said "( for most
treatments, for Spravato's first four weeks)").
"""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.template import engines

from articles.models import Guide
from clinics.models import Clinic
from tests.builders import make_inquiry, make_member, make_user

pytestmark = pytest.mark.django_db

MARK = "@@missing[%s]@@"


@pytest.fixture
def marked_missing(settings):
    call_command("load_sample_data", verbosity=0)
    engine = engines["django"].engine
    engine.string_if_invalid, before = MARK, engine.string_if_invalid
    cache.clear()
    yield
    engine.string_if_invalid = before
    cache.clear()


def missing(response):
    return set(re.findall(r"@@missing\[(.*?)\]@@", response.content.decode()))


def test_public_pages_print_no_missing_variable(client, marked_missing):
    clinic = Clinic.objects.published().order_by("name").first()
    slugs = Clinic.objects.published().order_by("name").values_list("slug", flat=True)[:3]
    urls = [
        "/",
        "/clinics/",
        "/clinics/?route=iv&max_price=400&insurance=aetna",
        "/clinics/?near=78701&sort=distance&page=2",
        "/clinics/?condition=depression-with-suicidal-ideation&insurance=self-pay",
        "/clinics/?state=wy",
        "/clinics/?near=00000",
        "/clinics/in/tx/",
        "/clinics/in/tx/austin/",
        clinic.get_absolute_url(),
        f"{clinic.get_absolute_url()}report/",
        "/clinics/compare/?" + "&".join(f"clinic={slug}" for slug in slugs),
        "/clinics/compare/?find=denver",
        "/guides/",
        "/guides/?q=cost",
        "/about/",
        "/privacy/",
        "/account/login/",
        "/account/signup/",
        "/account/password-reset/",
        "/no-such-page/",
        *(guide.get_absolute_url() for guide in Guide.objects.visible()),
    ]
    found = {url: missing(client.get(url)) for url in urls}
    assert {url: names for url, names in found.items() if names} == {}
    htmx = client.get("/clinics/?route=iv", headers={"HX-Request": "true"})
    assert missing(htmx) == set()


def test_staff_pages_print_no_missing_variable(client, marked_missing):
    clinic = Clinic.objects.published().order_by("name").first()
    user = make_member(clinic, make_user("staff@clinic.example"))
    inquiry = make_inquiry(clinic)
    client.force_login(user)
    base = f"/account/clinics/{clinic.slug}/"
    urls = [
        "/account/",
        base,
        f"{base}history/",
        f"{base}inquiries/",
        f"{base}inquiries/{inquiry.pk}/",
        f"{base}inquiries/{inquiry.pk}/delete/",
        f"{base}leave/",
        "/account/add-clinic/",
        "/account/password/",
        f"/account/claim/{Clinic.objects.published().exclude(pk=clinic.pk).first().slug}/",
        f"{clinic.get_absolute_url()}contact/",
    ]
    found = {url: missing(client.get(url)) for url in urls}
    assert {url: names for url, names in found.items() if names} == {}
