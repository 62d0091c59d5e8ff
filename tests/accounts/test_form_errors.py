"""A form sent back with mistakes says so first: in the title, and in a summary that takes focus."""

import re

import pytest
from django.core import mail

from tests.builders import make_user
from tests.pages import error_summary, title

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"  # tests.builders.make_user's


def assert_summarised(response, intro, *links):
    """The title begins "Error: "; the summary leads with `intro`, links each (id, message)."""
    assert response.status_code == 200
    page = response.text
    assert title(page).startswith("Error: ")
    summary = error_summary(page)
    assert 'role="alert"' in summary and "autofocus" in summary and 'tabindex="-1"' in summary
    # The alert is inside the focused box: on one element, some readers say it twice.
    focused = summary.split(">", 1)[0]
    assert "autofocus" in focused and "role=" not in focused
    assert intro in summary
    for field_id, message in links:
        assert re.search(rf'<a href="#{field_id}">[^<]*{re.escape(message)}', summary), (
            field_id,
            message,
            summary,
        )
    # It comes before the form's fields, so it is read (and focused) first.
    assert page.index('id="form-errors"') < page.index('class="field')


def test_a_form_without_mistakes_has_no_summary_and_a_plain_title(client):
    page = client.get("/account/signup/").text
    assert 'id="form-errors"' not in page
    assert title(page) == "Create an account for clinic staff · Ketamine Clinic Guide"


def test_sign_up_with_passwords_that_differ(client):
    response = client.post(
        "/account/signup/",
        {"email": "jo@clinic.example", "password1": PASSWORD, "password2": "something else"},
    )
    assert_summarised(response, "Your account has not been created yet.", ("id_password2", "match"))
    assert "type the passwords again" in error_summary(response.text)
    assert "Everything you typed is still here" not in response.text  # passwords are not


def test_sign_in_with_a_wrong_password(client):
    make_user("staff@clinic.example")
    response = client.post(
        "/account/login/", {"username": "staff@clinic.example", "password": "wrong"}
    )
    assert_summarised(response, "You are not signed in yet.")
    assert "don&#x27;t match an account" in error_summary(response.text)
    assert response.text.count("don&#x27;t match an account") == 1, "said once, in the summary"


def test_change_password_with_a_wrong_old_password(client):
    client.force_login(make_user("staff@clinic.example"))
    new = "another long password 42"
    response = client.post(
        "/account/password/",
        {"old_password": "nope", "new_password1": new, "new_password2": new},
    )
    assert_summarised(
        response, "Your password has not been changed yet.", ("id_old_password", "incorrect")
    )


def test_password_reset_with_no_email(client):
    response = client.post("/account/password-reset/", {"email": "not an email"})
    assert_summarised(response, "No link was sent yet.", ("id_email", "valid email"))


def test_a_new_password_that_differs_from_its_repeat(client):
    make_user("staff@clinic.example")
    client.post("/account/password-reset/", {"email": "staff@clinic.example"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    form = client.get(link.split("testserver", 1)[1], follow=True).redirect_chain[-1][0]
    response = client.post(
        form, {"new_password1": "a new and long password", "new_password2": "another"}
    )
    assert_summarised(
        response, "Your new password has not been saved yet.", ("id_new_password2", "match")
    )


@pytest.mark.parametrize("url", ["/account/signup/", "/account/login/", "/account/password-reset/"])
def test_no_email_box_cuts_a_pasted_address_silently(client, url):
    # Cut at maxlength, a long address could still look valid and be wrong.
    assert "maxlength" not in client.get(url).text


def test_an_over_long_address_is_refused_with_everything_kept(client):
    address = "a" * 150 + "@example.org"
    response = client.post(
        "/account/signup/", {"email": address, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert_summarised(response, "", ("id_email", "Keep this under 150 characters (it has 162)"))
    assert f'value="{address}"' in response.text
    assert not mail.outbox


def test_a_box_left_empty_is_named_in_plain_words(client):
    response = client.post("/account/login/", {"username": "", "password": ""})
    assert_summarised(
        response,
        "You are not signed in yet.",
        ("id_username", "Please fill this in."),
        ("id_password", "Please fill this in."),
    )
    assert "This field is required" not in response.text
