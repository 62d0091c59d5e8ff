"""Patients send a clinic a message; its staff are told without being sent its contents."""

import logging

import pytest
from django.core import mail

from clinics.models import Clinic
from inquiries.models import Inquiry
from inquiries.views import SENT as LIMIT
from tests.builders import make_clinic, make_member, make_user
from tests.pages import title

pytestmark = pytest.mark.django_db

URL = "/clinics/calm-harbor/contact/"
SENT = "/clinics/calm-harbor/contact/sent/"
MESSAGE = "I have tried three antidepressants. Is IV ketamine covered by Aetna here?"


@pytest.fixture
def clinic():
    return make_clinic(
        "Calm Harbor Ketamine",
        slug="calm-harbor",
        offerings={"spravato": (600, 900), "iv": (400, 450)},
        phone="(512) 555-0100",
    )


@pytest.fixture
def staff(clinic):
    return [
        make_member(clinic, make_user("jo@calm-harbor.example")),
        make_member(clinic, make_user("sam@calm-harbor.example")),
    ]


def form(**changes):
    data = {
        "name": "Alex",
        "email": "alex@example.org",
        "phone": "(555) 010-2030",
        "routes": ["spravato", "iv"],
        "message": MESSAGE,
        "consent": "on",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_message_is_stored_staff_are_told_without_its_contents_and_thanked(client, staff):
    response = client.post(URL, form())
    assert response.status_code == 302
    assert response["Location"] == SENT

    inquiry = Inquiry.objects.get()
    assert (inquiry.name, inquiry.email, inquiry.phone) == (
        "Alex",
        "alex@example.org",
        "(555) 010-2030",
    )
    assert inquiry.message == MESSAGE
    assert inquiry.routes == "iv,spravato"  # in the routes' own order
    assert inquiry.read_at is None

    assert sorted(email.to[0] for email in mail.outbox) == [
        "jo@calm-harbor.example",
        "sam@calm-harbor.example",
    ]
    for email in mail.outbox:
        assert len(email.to) == 1  # staff don't see each other's addresses
        assert "Calm Harbor Ketamine" in email.subject
        assert "http://testserver/account/clinics/calm-harbor/inquiries/" in email.body
        text = email.subject + email.body
        for private in ["Alex", "alex@example.org", "555", "Aetna", "antidepressants"]:
            assert private not in text

    thanks = client.get(SENT)
    assert thanks.status_code == 200
    page = thanks.content.decode()
    assert "What happens next" in page and "988" in page
    assert MESSAGE not in page and "alex@example.org" not in page


def test_the_form_is_labelled_with_a_crisis_note_and_a_hidden_trap(client, staff):
    response = client.get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    page = response.content.decode()
    for field in ["name", "email", "phone", "message", "consent"]:
        assert f'for="id_{field}"' in page
    assert "988" in page and "911" in page
    assert "not to emergency services" in page
    assert '<div class="honeypot" aria-hidden="true">' in page
    assert 'tabindex="-1"' in page and 'autocomplete="off"' in page
    assert "style=" not in page  # the CSP allows no inline styles
    # Only the treatments the clinic offers are offered.
    assert 'value="spravato"' in page and 'value="kap"' not in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "alex-at-example"}, "Please check the email address"),
        ({"email": ""}, "Please give an email address"),
        ({"message": "   "}, "Please write a message"),
        ({"message": "x" * 2001}, "Please shorten your message to 2000 characters"),
        ({"phone": "call me"}, "Please enter a phone number"),
        ({"routes": ["lsd"]}, "Select a valid choice"),
        ({"message": "Hello\x00there"}, "Null characters are not allowed"),
    ],
)
def test_mistakes_are_explained_and_everything_typed_is_kept(client, staff, changes, message):
    data = form(**changes)
    response = client.post(URL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Your message has not been sent yet" in page
    summary = page.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert message in summary and '<a href="#id_' in summary, "each error is listed, linked"
    assert 'value="Alex"' in page
    for key in ("email", "phone"):
        if key not in changes:
            assert f'value="{data[key]}"' in page
    if "message" not in changes:
        assert MESSAGE in page
    assert 'value="iv" id="id_routes_0" checked' in page or "routes" in changes
    assert not Inquiry.objects.exists()
    assert mail.outbox == []


def test_a_message_with_mistakes_says_so_in_the_title(client, staff):
    assert not title(client.get(URL).text).startswith("Error")
    response = client.post(URL, form(email="alex-at-example"))
    assert (
        title(response.text)
        == "Error: Send a message to Calm Harbor Ketamine · Ketamine Clinic Guide"
    )


def test_consent_is_required(client, staff):
    response = client.post(URL, form(consent=None))
    assert response.status_code == 400
    assert "Please tick this box to send your message." in response.content.decode()
    assert MESSAGE in response.content.decode()
    assert not Inquiry.objects.exists()
    # The summary at the top reads as a sentence, not "…read it.: Please tick…".
    assert ".: " not in response.content.decode()


def test_a_line_break_counts_as_one_character_as_in_the_browser(client, staff):
    typed = "abc\r\n" * 450  # 2,250 characters as sent, 1,800 as the browser counts them
    assert client.post(URL, form(message=typed)).status_code == 302
    assert Inquiry.objects.get().message == ("abc\n" * 450).strip()


def test_what_a_bot_fills_into_the_hidden_field_is_silently_discarded(client, staff):
    response = client.post(URL, form(website="https://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == SENT
    assert not Inquiry.objects.exists()
    assert mail.outbox == []


def test_too_many_messages_from_one_address_are_paused_and_the_text_kept(client, staff):
    from django.core.cache import cache

    assert LIMIT.limit == 10  # four clinics compared, with room to spare
    for n in range(LIMIT.limit):
        response = client.post(URL, form(message=f"Question {n}"), REMOTE_ADDR="203.0.113.5")
        assert response.status_code == 302
    response = client.post(URL, form(), REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    page = response.content.decode()
    assert "try again in an hour" in page and "(512) 555-0100" in page
    assert MESSAGE in page and 'value="alex@example.org"' in page
    assert Inquiry.objects.count() == LIMIT.limit
    # Someone else is not affected.
    assert client.post(URL, form(), REMOTE_ADDR="198.51.100.7").status_code == 302
    # Only a keyed hash of the address is kept, and only in the cache.
    assert not any("203.0.113.5" in str(key) for key in cache._cache)


def test_behind_the_proxy_the_limit_counts_each_visitor_apart(client, staff, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(LIMIT.limit):
        forwarded = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5"}
        assert client.post(URL, form(message=f"Q {n}"), **proxy, **forwarded).status_code == 302
    # The last address is the one the proxy added; what the client made up is ignored.
    spoofed = {"HTTP_X_FORWARDED_FOR": "9.9.9.9, 203.0.113.5"}
    assert client.post(URL, form(), **proxy, **spoofed).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client.post(URL, form(), **proxy, **other).status_code == 302


def test_mistakes_do_not_count_towards_the_limit(client, staff):
    for _ in range(LIMIT.limit + 1):
        assert client.post(URL, form(email="nope")).status_code == 400
    assert client.post(URL, form()).status_code == 302


def test_a_sample_clinic_says_it_is_fictional_not_that_its_staff_left(client):
    from tests.builders import make_clinic

    make_clinic(slug="sample", is_sample=True, is_verified=True, phone="(512) 555-0100")
    page = client.get("/clinics/sample/contact/").text
    assert "fictional sample listing" in page
    assert "Nobody from" not in page and "(512) 555-0100" not in page
    # No form on the page, so no "this form" to warn about; 988 all the same.
    assert "This form is not for emergencies" not in page
    assert 'href="tel:988"' in page


def test_a_clinic_without_staff_says_so_and_accepts_no_message(client, clinic):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "hasn't claimed its listing" in page and "would read a message" in page
    assert "(512) 555-0100" in page
    assert "<form" not in page

    response = client.post(URL, form())
    assert response.status_code == 409
    assert "Your message was not sent" in response.content.decode()
    assert MESSAGE in response.content.decode()  # given back to copy
    assert not Inquiry.objects.exists()
    assert mail.outbox == []
    # Nothing could have been sent, so there is no thank-you either.
    assert client.get(SENT)["Location"] == URL


def test_staff_whose_accounts_are_deactivated_read_no_messages(client, clinic, staff):
    # Deactivated, they can't sign in to the inbox and are not emailed: the
    # clinic is as good as unmanaged, and a patient's message would reach no one.
    for user in staff:
        user.is_active = False
        user.save()
    assert "hasn't claimed its listing" in client.get(URL).text
    assert client.post(URL, form()).status_code == 409
    assert not Inquiry.objects.exists()
    assert URL not in client.get("/clinics/calm-harbor/").text


def test_hidden_and_unknown_clinics_are_not_found(client, clinic, staff):
    Clinic.objects.filter(pk=clinic.pk).update(status=Clinic.Status.HIDDEN)
    for url in [URL, SENT, "/clinics/nowhere/contact/", "/clinics/nowhere/contact/sent/"]:
        assert client.get(url).status_code == 404
    assert client.post(URL, form()).status_code == 404
    assert not Inquiry.objects.exists()


def test_the_clinic_page_links_to_the_form_only_when_someone_will_read_it(client, clinic):
    page = client.get("/clinics/calm-harbor/").content.decode()
    assert URL not in page
    assert "hasn't claimed its listing on this site yet" in page
    make_member(clinic)  # the cached page must not outlive this
    page = client.get("/clinics/calm-harbor/").content.decode()
    assert f'href="{URL}"' in page
    assert "hasn't claimed its listing on this site yet" not in page


def test_the_clinic_page_has_no_form_and_stays_cached(
    client, clinic, staff, django_assert_num_queries
):
    first = client.get("/clinics/calm-harbor/")
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert "csrftoken" not in first.cookies
    with django_assert_num_queries(0):
        client.get("/clinics/calm-harbor/")


def test_the_request_log_has_no_word_of_the_message(client, staff, caplog):
    with caplog.at_level(logging.DEBUG):
        client.post(URL, form())
        client.post(URL, form(email="not-an-email"))
    lines = [r.getMessage() for r in caplog.records if r.name == "ketamine_directory.requests"]
    assert len(lines) == 2
    assert lines[0].startswith(f"POST {URL} 302 ")
    assert lines[1].startswith(f"POST {URL} 400 ")
    everything = "\n".join(r.getMessage() for r in caplog.records)
    for private in ["Alex", "alex@example.org", "not-an-email", "antidepressants", "010-2030"]:
        assert private not in everything


def test_the_message_box_has_no_maxlength_that_would_cut_a_paste_silently(client, staff):
    # The form's own check says how long the message is and keeps it all.
    assert "maxlength" not in client.get(URL).text
