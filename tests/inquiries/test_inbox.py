"""Clinic staff read, and delete, the inquiries sent to their own clinic only."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from inquiries.models import Inquiry
from tests.builders import make_clinic, make_inquiry, make_member, make_user

pytestmark = pytest.mark.django_db

INBOX = "/account/clinics/calm-harbor/inquiries/"


@pytest.fixture
def clinic():
    return make_clinic("Calm Harbor Ketamine", slug="calm-harbor")


@pytest.fixture
def staff(client, clinic):
    user = make_member(clinic, make_user("jo@calm-harbor.example"))
    client.force_login(user)
    return user


@pytest.fixture
def inquiry(clinic):
    return make_inquiry(
        clinic,
        name="Alex",
        email="alex@example.org",
        phone="(555) 010-2030",
        routes="iv,spravato",
        message="Is IV covered?\nI can come on Tuesdays.",
    )


def many(clinic, count):
    """`count` inquiries, one a minute apart, the last the newest."""
    start = timezone.now() - timedelta(days=1)
    for n in range(count):
        item = make_inquiry(clinic, name=f"Person {n:02}")
        Inquiry.objects.filter(pk=item.pk).update(created_at=start + timedelta(minutes=n))


def test_only_the_clinics_own_staff_can_read_its_inquiries(client, clinic, inquiry):
    detail = f"{INBOX}{inquiry.pk}/"
    delete = f"{detail}delete/"
    assert client.get(INBOX)["Location"] == f"/account/login/?next={INBOX}"
    assert client.get(detail)["Location"] == f"/account/login/?next={detail}"
    assert client.post(delete)["Location"].startswith("/account/login/")

    client.force_login(make_user())
    assert client.get(INBOX).status_code == 404
    assert client.get(detail).status_code == 404
    assert client.post(delete).status_code == 404

    # Staff of another clinic cannot reach it through their own clinic's address either.
    other = make_clinic("Quiet Pines", slug="quiet-pines")
    client.force_login(make_member(other))
    assert client.get(INBOX).status_code == 404
    assert client.get(f"/account/clinics/quiet-pines/inquiries/{inquiry.pk}/").status_code == 404
    client.post(f"/account/clinics/quiet-pines/inquiries/{inquiry.pk}/delete/")
    assert Inquiry.objects.filter(pk=inquiry.pk).exists()
    assert "Alex" not in client.get("/account/clinics/quiet-pines/inquiries/").content.decode()

    inquiry.refresh_from_db()
    assert inquiry.read_at is None


def test_the_inbox_lists_newest_first_with_unread_ones_marked(client, clinic, staff):
    many(clinic, 3)
    Inquiry.objects.filter(name="Person 00").update(read_at=timezone.now())
    response = client.get(INBOX)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    page = response.content.decode()
    assert page.index("Person 02") < page.index("Person 01") < page.index("Person 00")
    assert page.count("inquiry-unread") == 2
    assert page.count(">New</span>") == 2  # said in words, not only by colour


def test_an_empty_inbox_says_what_will_happen(client, staff):
    page = client.get(INBOX).content.decode()
    assert "No inquiries yet" in page and "we email you" in page


def test_reading_an_inquiry_marks_it_read(client, inquiry, staff):
    response = client.get(f"{INBOX}{inquiry.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    page = response.content.decode()
    assert "Is IV covered?<br>I can come on Tuesdays." in page
    assert 'href="mailto:alex@example.org?subject=Your%20message%20to%20Calm%20Harbor' in page
    assert "(555) 010-2030" in page
    assert "IV ketamine infusion, Spravato (esketamine) nasal spray" in page
    inquiry.refresh_from_db()
    first_read = inquiry.read_at
    assert first_read is not None
    assert "inquiry-unread" not in client.get(INBOX).content.decode()
    client.get(f"{INBOX}{inquiry.pk}/")
    inquiry.refresh_from_db()
    assert inquiry.read_at == first_read  # when it was first read


def test_an_address_with_mailto_fields_in_it_cannot_add_them_to_the_reply(client, clinic, staff):
    # A valid address to Django, and to a mail server: "?", "&" and "=" may be
    # in the part before the @. Unescaped in a mailto: link they would add a
    # Cc and a body of the sender's choosing to the clinic's reply.
    sly = "x?cc=spy@evil.example&body=Pay&@mail.example"
    inquiry = make_inquiry(clinic, email=sly)
    page = client.get(f"{INBOX}{inquiry.pk}/").content.decode()
    links = re.findall(r'href="(mailto:[^"]*)"', page)
    assert len(links) == 2
    for link in links:
        assert link.startswith(
            "mailto:x%3Fcc%3Dspy%40evil.example%26body%3DPay%26@mail.example?subject="
        )
        assert link.count("?") == 1 and "&amp;" not in link


def test_an_unknown_inquiry_is_not_found(client, staff):
    assert client.get(f"{INBOX}999/").status_code == 404
    assert client.get(f"{INBOX}abc/").status_code == 404


def test_staff_delete_an_inquiry_with_a_post_only(client, inquiry, staff):
    url = f"{INBOX}{inquiry.pk}/delete/"
    assert client.get(url).status_code == 200  # asks first (see below)
    assert client.put(url).status_code == 405
    assert Inquiry.objects.filter(pk=inquiry.pk).exists()
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(INBOX, 302)]
    assert "The inquiry was deleted." in response.content.decode()
    assert not Inquiry.objects.filter(pk=inquiry.pk).exists()
    # A second click finds it gone: back to the inbox, not an error.
    assert client.post(url)["Location"] == INBOX


def test_deleting_an_inquiry_asks_first_naming_it_by_first_name_and_time(client, clinic, staff):
    inquiry = make_inquiry(
        clinic,
        name="Alex Rivera",
        email="alex@example.org",
        phone="(555) 010-2030",
        message="Is IV covered?",
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(
        created_at=datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
    )
    detail = f"{INBOX}{inquiry.pk}/"
    url = f"{detail}delete/"
    # The inquiry's page links to the question; a link, so a click deletes nothing.
    assert f'href="{url}"' in client.get(detail).text
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    page = response.text
    assert "Delete the inquiry from Alex?" in page
    assert "Dec. 3, 2026, 9:05 a.m. EST" in page
    assert "can't be undone" in page
    for private in ("Rivera", "alex@example.org", "010-2030", "Is IV covered?"):
        assert private not in page, private
    assert '<form method="post"' in page and f'href="{detail}"' in page  # or keep it
    assert Inquiry.objects.filter(pk=inquiry.pk).exists(), "a GET deletes nothing"
    assert client.head(url).status_code == 200 and Inquiry.objects.filter(pk=inquiry.pk).exists()
    assert client.post(url)["Location"] == INBOX
    assert not Inquiry.objects.filter(pk=inquiry.pk).exists()
    assert client.get(url).status_code == 404  # nothing left to ask about


def test_an_inquiry_without_a_name_is_asked_about_without_one(client, clinic, staff):
    inquiry = make_inquiry(clinic, name="")
    page = client.get(f"{INBOX}{inquiry.pk}/delete/").text
    assert "Delete the inquiry from someone who gave no name?" in page


def test_only_the_clinics_own_staff_are_asked_about_deleting_its_inquiries(client, clinic, inquiry):
    url = f"{INBOX}{inquiry.pk}/delete/"
    assert client.get(url)["Location"] == f"/account/login/?next={url}"
    other = make_clinic("Quiet Pines", slug="quiet-pines")
    client.force_login(make_member(other))
    assert client.get(url).status_code == 404
    assert (
        client.get(f"/account/clinics/quiet-pines/inquiries/{inquiry.pk}/delete/").status_code
        == 404
    )
    assert client.post(url).status_code == 404
    assert Inquiry.objects.filter(pk=inquiry.pk).exists()


def test_the_inbox_pages_through_many_inquiries(client, clinic, staff):
    many(clinic, 30)
    first = client.get(INBOX).content.decode()
    assert first.count("data-inquiry=") == 25
    assert "Person 29" in first and "Person 04" not in first
    assert 'href="?page=2"' in first and "Page 1 of 2" in first
    second = client.get(INBOX + "?page=2").content.decode()
    assert second.count("data-inquiry=") == 5
    assert "Person 04" in second and "Person 05" not in second
    for odd in ["zzz", "0", "99", "-1"]:
        assert client.get(f"{INBOX}?page={odd}").status_code == 200


def test_the_inbox_query_count_does_not_grow_with_inquiries(
    client, clinic, staff, django_assert_max_num_queries
):
    many(clinic, 1)
    # Session, user, clinic (membership checked), count, the page, sample-data notice.
    with django_assert_max_num_queries(6):
        client.get(INBOX)
    many(clinic, 40)
    with django_assert_max_num_queries(6):
        client.get(INBOX)
    with django_assert_max_num_queries(6):
        client.get(INBOX + "?page=2")


def test_your_clinics_shows_each_clinics_unread_inquiries(client, clinic, staff):
    other = make_clinic("Quiet Pines", slug="quiet-pines")
    make_member(other, staff)
    make_inquiry(clinic)
    make_inquiry(clinic)
    make_inquiry(clinic, read_at=timezone.now())
    make_inquiry(other, read_at=timezone.now())
    make_inquiry(make_clinic())  # someone else's

    page = client.get("/account/").content.decode()
    assert f'href="{INBOX}"' in page and "(2 unread)" in page
    assert 'href="/account/clinics/quiet-pines/inquiries/"' in page
    assert page.count("unread)") == 1

    # The counts come with the clinics, in one query however many clinics there are.
    before = _queries(client, "/account/")
    make_member(make_clinic(), staff)
    make_member(make_clinic(), staff)
    client.get("/account/")  # the sample-data notice's flag was dropped by the new clinics
    assert _queries(client, "/account/") == before


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_times_name_their_time_zone(client, clinic, staff, inquiry):
    # Staff may be anywhere; the site's clock is Eastern. Without the zone,
    # 9:05 reads as their own 9:05.
    arrived = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)  # 9:05 a.m. in New York (EST)
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=arrived)
    for url in (INBOX, f"{INBOX}{inquiry.pk}/"):
        page = client.get(url).text
        assert (
            '<time datetime="2026-12-03T09:05:00-05:00">Dec. 3, 2026, 9:05 a.m. EST</time>' in page
        ), url
    # And in summer time, the zone that applied then.
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=arrived.replace(month=7))
    assert "July 3, 2026, 10:05 a.m. EDT" in client.get(INBOX).text


@pytest.mark.parametrize("page", ["inquiries/", "inquiries/{pk}/", "", "history/", "leave/"])
def test_someone_no_longer_on_staff_is_told_why_the_page_is_gone(client, clinic, inquiry, page):
    # An inquiry's email links here: someone who has left, or was removed,
    # follows it and must learn why, without a word of the inquiry or a hint
    # whether the clinic has staff pages at all.
    user = make_member(clinic, make_user("former@calm-harbor.example"))
    client.force_login(user)
    user.clinic_memberships.all().delete()
    response = client.get(f"/account/clinics/calm-harbor/{page.format(pk=inquiry.pk)}")
    assert response.status_code == 404
    text = response.text
    assert "This page is for a clinic’s own staff" in text
    assert "former@calm-harbor.example" in text
    assert 'href="/account/"' in text  # their clinics
    for private in ("Alex", "alex@example.org", "Tuesdays", "Calm Harbor"):
        assert private not in text
    # A clinic that does not exist reads the same.
    missing = client.get(f"/account/clinics/no-such-clinic/{page.format(pk=inquiry.pk)}")
    assert missing.status_code == 404
    assert "This page is for a clinic’s own staff" in missing.text


def test_a_missing_inquiry_of_ones_own_clinic_is_a_plain_404(client, staff):
    response = client.get(f"{INBOX}999/")
    assert response.status_code == 404
    assert "This page is for a clinic’s own staff" not in response.text
