"""Your clinics: what staff see of their listings, in the words the public pages use."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinics.models import Clinic
from listings.models import Claim
from tests.builders import make_clinic, make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    return make_clinic("Calm Harbor Ketamine", slug="calm-harbor")


@pytest.fixture
def staff(client, clinic):
    user = make_member(clinic, make_user("jo@calm-harbor.example"))
    client.force_login(user)
    return user


def card(client):
    page = client.get("/account/").text
    return page.split('data-clinic="calm-harbor"', 1)[1].split("</li>", 1)[0]


@pytest.mark.parametrize(
    ("ago", "words"),
    [
        (timedelta(0), "prices updated today"),
        (timedelta(days=1), "prices updated yesterday"),
        (timedelta(days=5), "prices updated 5 days ago"),
    ],
)
def test_price_dates_read_as_on_the_public_pages(client, clinic, staff, ago, words):
    Clinic.objects.filter(pk=clinic.pk).update(prices_updated_at=timezone.now() - ago)
    shown = card(client)
    assert words in shown
    assert "minutes ago" not in shown and "0\xa0minutes" not in shown
    # The date itself too, as the clinic's page gives it.
    assert '<time datetime="' in shown


def test_a_claim_waiting_says_when_it_was_sent_in_the_same_words(client, clinic):
    person = make_user("sam@gmail.example")
    client.force_login(person)
    Claim.objects.create(
        clinic=clinic, user=person, work_email="sam@gmail.example", status=Claim.Status.IN_REVIEW
    )
    Claim.objects.update(created_at=timezone.now() - timedelta(days=3))
    page = client.get("/account/claim/calm-harbor/").text
    assert "sent 3 days ago" in page


def test_past_twenty_claims_the_dashboard_says_it_shows_the_newest(client):
    person = make_user("sam@gmail.example")
    client.force_login(person)
    for n in range(21):
        made = Claim.objects.create(
            clinic=make_clinic(f"Clinic {n:02}", slug=f"clinic-{n:02}"),
            user=person,
            work_email="sam@gmail.example",
            status=Claim.Status.REJECTED,
        )
        Claim.objects.filter(pk=made.pk).update(
            created_at=timezone.now() - timedelta(minutes=21 - n)
        )
    page = client.get("/account/").text
    assert page.count("<strong>Not approved</strong>") == 20
    assert "Clinic 20" in page and "Clinic 00" not in page  # the newest first
    assert "The 20 most recent of your 21 claims" in page


def test_twenty_claims_or_fewer_are_all_shown_without_a_note(client):
    person = make_user("sam@gmail.example")
    client.force_login(person)
    Claim.objects.create(
        clinic=make_clinic("Clinic", slug="clinic"),
        user=person,
        work_email="sam@gmail.example",
        status=Claim.Status.REJECTED,
    )
    page = client.get("/account/").text
    assert "<strong>Not approved</strong>" in page and "most recent" not in page
