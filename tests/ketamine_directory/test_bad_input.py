"""
No 5xx for anything a browser (or a bot) can post: every form answers junk with
a page that explains, never a server error. PostgreSQL refuses NUL characters
in text, so the suite is worth running on both databases.
"""

import pytest
from django.test import Client

from tests.builders import make_clinic, make_inquiry, make_member, make_user

pytestmark = pytest.mark.django_db

# "9" * 4301: more digits than Python's int() agrees to read.
JUNK = [
    "\x00",
    "a" * 100_000,
    "9" * 4301,
    "<script>alert(1)</script>",
    "-1",
    "1e309",
    "NaN",
    "%00",
    "😀",
    "",
]


@pytest.fixture
def staff(client):
    clinic = make_clinic("Calm Harbor Ketamine", slug="calm-harbor", offerings={"iv": (400, 450)})
    user = make_member(clinic, make_user("jo@calm-harbor.example"))
    make_clinic("Quiet Pines", slug="quiet-pines")
    inquiry = make_inquiry(clinic)
    return user, inquiry


def form_posts(inquiry):
    """(signed in?, path, field names) for every form on the site."""
    account = "/account/clinics/calm-harbor/"
    return [
        (False, "/account/signup/", "email password1 password2"),
        (False, "/account/login/", "username password"),
        (False, "/account/password-reset/", "email"),
        (False, "/clinics/calm-harbor/contact/", "name email phone routes message consent website"),
        (False, "/clinics/calm-harbor/report/", "problem details"),
        (True, "/account/claim/quiet-pines/", "work_email job_title message action"),
        (
            True,
            "/account/add-clinic/",
            "clinic-name clinic-city clinic-state clinic-zip_code clinic-website claim-work_email",
        ),
        (
            True,
            account,
            "version description phone website conditions insurance "
            "iv-price_min iv-price_max iv-series_sessions",
        ),
        (True, f"{account}inquiries/{inquiry.pk}/delete/", "x"),
        (True, f"{account}leave/", "x"),  # last: it ends the membership
    ]


@pytest.mark.parametrize(
    "junk",
    JUNK,
    ids=[
        "nul",
        "huge",
        "long-number",
        "html",
        "negative",
        "overflow",
        "nan",
        "escaped-nul",
        "emoji",
        "empty",
    ],
)
def test_every_form_answers_junk_without_a_server_error(client, staff, junk):
    user, inquiry = staff
    for signed_in, path, names in form_posts(inquiry):
        fields = names.split()
        if signed_in:
            client.force_login(user)
        else:
            client.logout()
        response = client.post(path, dict.fromkeys(fields, junk))
        assert response.status_code < 500, (path, response.status_code)
        # The same field twice, as a tampered form might send it.
        response = client.post(path, {name: [junk, junk] for name in fields})
        assert response.status_code < 500, (path, response.status_code)


def test_a_form_refused_for_its_token_explains_and_gives_back_what_was_written():
    # The page was open while its person signed in again in another tab: the token
    # it carries is stale. Django's own page is bare and gives nothing back.
    clinic = make_clinic(slug="calm-harbor")
    make_member(clinic)
    client = Client(enforce_csrf_checks=True)
    message = "I have tried three antidepressants.\nIs IV ketamine covered by Aetna here?"
    response = client.post(
        "/clinics/calm-harbor/contact/",
        {"name": "Alex", "email": "alex@example.org", "message": message, "consent": "on"},
        HTTP_REFERER="http://testserver/clinics/calm-harbor/contact/",
    )
    assert response.status_code == 403
    assert "That form was not sent" in response.text
    assert "988" in response.text  # the site's own page, crisis line included
    assert "I have tried three antidepressants.<br>Is IV ketamine covered" in response.text
    assert 'href="http://testserver/clinics/calm-harbor/contact/"' in response.text
    assert "no-store" in response["Cache-Control"]
    refused = client.post(
        "/account/login/", {"username": "jo@clinic.example", "password": "my secret phrase"}
    )
    assert refused.status_code == 403
    assert "my secret phrase" not in refused.text


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_REFERER": "https://elsewhere.example/form/"},
        {},  # nothing says where it came from
    ],
    ids=["other-origin", "other-referer", "unknown"],
)
def test_a_forged_form_gets_no_words_shown_back(headers):
    # Shown back, text a page elsewhere chose would read as this site's own words.
    clinic = make_clinic(slug="calm-harbor")
    make_member(clinic)
    client = Client(enforce_csrf_checks=True)
    planted = "Call 555-0100 now for a free ketamine prescription, no questions asked."
    response = client.post("/clinics/calm-harbor/contact/", {"message": planted}, **headers)
    assert response.status_code == 403
    assert "That form was not sent" in response.text
    assert "free ketamine prescription" not in response.text


def test_a_form_of_ours_named_by_its_origin_gets_its_words_back():
    client = Client(enforce_csrf_checks=True)
    make_member(make_clinic(slug="calm-harbor"))
    response = client.post(
        "/clinics/calm-harbor/contact/",
        {"message": "Is IV ketamine covered by Aetna here?"},
        HTTP_ORIGIN="http://testserver",
    )
    assert "Is IV ketamine covered by Aetna here?" in response.text


def test_a_page_number_too_long_to_read_is_no_error(client, staff):
    user, _ = staff
    number = "9" * 4301
    assert client.get(f"/guides/?page={number}").status_code == 200
    client.force_login(user)
    for path in (
        "/account/clinics/calm-harbor/inquiries/",
        "/account/clinics/calm-harbor/history/",
    ):
        assert client.get(f"{path}?page={number}").status_code == 200, path


@pytest.mark.parametrize(
    "url",
    [
        "/admin/clinics/clinic/?status=a%00",
        "/admin/clinics/clinic/?q=a%00",
        "/admin/autocomplete/?app_label=listings&model_name=membership&field_name=clinic&term=a%00",
        "/admin/autocomplete/?app_label=articles&model_name=guide&field_name=medical_reviewer&term=a%00",
    ],
)
def test_a_nul_in_an_admin_address_is_a_bad_request_not_a_server_error(client, url):
    # PostgreSQL refuses NUL characters in text, and the admin's filters and
    # autocomplete hand the address's values to it as they are.
    from tests.builders import make_editor

    client.force_login(make_editor())
    response = client.get(url)
    assert response.status_code == 400
    assert "988" in response.text  # the site's own page
