"""Clinic staff add a clinic the directory doesn't list; editors approve it."""

import pytest
from django.core import mail

from clinics.models import Clinic
from listings.models import Claim, Membership
from tests.builders import make_clinic, make_editor, make_user
from tests.pages import error_summary, title

pytestmark = pytest.mark.django_db

URL = "/account/add-clinic/"


@pytest.fixture
def person(client, settings):
    settings.MANAGERS = ["editors@site.example"]
    user = make_user("jo@gmail.example")
    client.force_login(user)
    return user


def add(client, **fields):
    data = {
        "clinic-name": "Willow Creek Ketamine",
        "clinic-street_address": "12 Main St",
        "clinic-city": "Boise",
        "clinic-state": "id",
        "clinic-zip_code": "83702",
        "clinic-phone": "(208) 555-0100",
        "clinic-website": "https://willow-creek.example",
        "clinic-email": "",
        "clinic-description": "A small clinic.",
        "claim-work_email": "jo@willow-creek.example",
        "claim-job_title": "Owner",
        "claim-message": "",
    }
    return client.post(URL, data | fields)


def test_adding_needs_an_account_and_the_dashboard_points_to_it(client):
    assert client.get(URL)["Location"] == f"/account/login/?next={URL}"
    client.force_login(make_user())
    assert f'href="{URL}"' in client.get("/account/").text


def test_a_new_clinic_waits_hidden_for_an_editor(
    client, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = add(client)
    assert response["Location"] == "/account/"
    clinic = Clinic.objects.get()
    assert clinic.status == Clinic.Status.PROPOSED
    assert (clinic.slug, clinic.state, clinic.is_verified) == (
        "willow-creek-ketamine-boise",
        "ID",
        False,
    )
    claim = Claim.objects.get()
    assert (claim.user, claim.clinic, claim.status) == (person, clinic, Claim.Status.IN_REVIEW)
    # Editors check every new clinic, whatever the email: anyone can type a website.
    assert [message.to for message in mail.outbox] == [["editors@site.example"]]
    assert (
        mail.outbox[0].subject
        == "[Ketamine Clinic Guide] New clinic to review: Willow Creek Ketamine"
    )
    assert f"/admin/listings/claim/{claim.pk}/change/" in mail.outbox[0].body

    assert client.get("/clinics/willow-creek-ketamine-boise/").status_code == 404
    assert "Willow Creek" not in client.get("/clinics/?state=id").text
    assert client.get("/account/claim/willow-creek-ketamine-boise/").status_code == 404
    dashboard = client.get("/account/").text
    assert "Willow Creek Ketamine (a new listing)" in dashboard
    assert "Waiting for an editor" in dashboard
    assert client.get("/account/clinics/willow-creek-ketamine-boise/").status_code == 404


def test_a_new_clinic_never_takes_a_renamed_clinic_s_old_address(client, person):
    # Renamed by an editor; its old address (in bookmarks, search results and
    # emails to its staff) keeps leading to it, whatever is added later.
    renamed = make_clinic("Willow Creek Ketamine", slug="willow-creek-ketamine-boise")
    renamed.name, renamed.slug = "Willow Wellness", "willow-wellness-boise"
    renamed.save()
    add(client)
    added = Clinic.objects.get(status=Clinic.Status.PROPOSED)
    assert added.slug == "willow-creek-ketamine-boise-2"
    old = client.get("/clinics/willow-creek-ketamine-boise/")
    assert (old.status_code, old["Location"]) == (301, "/clinics/willow-wellness-boise/")


def test_a_new_clinic_named_with_its_city_has_it_once_in_its_address(client, person):
    add(client, **{"clinic-name": "Willow Creek Ketamine Boise"})
    assert Clinic.objects.get().slug == "willow-creek-ketamine-boise"


def test_approving_the_claim_publishes_the_clinic_for_its_staff_to_fill_in(client, person):
    add(client)
    client.force_login(make_editor())
    client.post(
        "/admin/listings/claim/",
        {"action": "approve", "_selected_action": [Claim.objects.get().pk]},
    )
    clinic = Clinic.objects.get()
    assert (clinic.status, clinic.is_verified) == (Clinic.Status.PUBLISHED, True)
    assert Membership.objects.filter(user=person, clinic=clinic).exists()
    assert client.get(clinic.get_absolute_url()).status_code == 200
    assert mail.outbox[-1].subject == "Willow Creek Ketamine is listed now"
    assert "add its treatments, prices and insurance" in mail.outbox[-1].body
    client.force_login(person)
    assert client.get("/account/clinics/willow-creek-ketamine-boise/").status_code == 200


def test_a_new_clinics_history_starts_with_its_staff_and_records_the_decision(client, person):
    from listings.models import ListingChange

    add(client)
    clinic = Clinic.objects.get()
    created = ListingChange.objects.get()
    assert (created.user, created.version, created.is_creation) == (person, 0, True)
    assert created.changes["name"] == ["", "Willow Creek Ketamine"]
    editor = make_editor()
    client.force_login(editor)
    response = client.post(
        "/admin/listings/claim/",
        {"action": "approve", "_selected_action": [Claim.objects.get().pk]},
        follow=True,
    )
    said = [str(message) for message in response.context["messages"]]
    assert "Willow Creek Ketamine is live now: a new listing, published by the approval." in said
    decided = ListingChange.objects.exclude(pk=created.pk).get()
    assert decided.user == editor
    assert decided.changes == {"status": ["proposed", "published"]}
    clinic.refresh_from_db()
    assert clinic.edit_version == decided.version


def test_rejecting_a_new_clinic_is_in_its_history_and_said(client, person):
    from listings.models import ListingChange

    add(client)
    editor = make_editor()
    client.force_login(editor)
    response = client.post(
        "/admin/listings/claim/",
        {"action": "reject", "_selected_action": [Claim.objects.get().pk]},
        follow=True,
    )
    said = [str(message) for message in response.context["messages"]]
    assert (
        "Willow Creek Ketamine stays off the site: a new listing, hidden by the rejection." in said
    )
    decided = ListingChange.objects.filter(user=editor).get()
    assert decided.changes == {"status": ["proposed", "hidden"]}


def test_rejecting_the_claim_keeps_the_clinic_hidden(client, person):
    add(client)
    client.force_login(make_editor())
    claim = Claim.objects.get()
    client.post(
        f"/admin/listings/claim/{claim.pk}/change/",
        {"status": "rejected", "decision_note": "We could not reach the clinic."},
    )
    assert Clinic.objects.get().status == Clinic.Status.HIDDEN
    assert mail.outbox[-1].subject == "We could not list Willow Creek Ketamine"
    assert "We could not reach the clinic." in mail.outbox[-1].body
    assert not Membership.objects.exists()
    # The person may try again, with better evidence.
    client.force_login(person)
    assert add(client)["Location"] == "/account/"


def test_mistakes_are_explained_and_nothing_typed_is_lost(client, person):
    response = add(
        client, **{"clinic-zip_code": "00000", "clinic-city": "", "claim-message": "Ask Dr Lee"}
    )
    assert response.status_code == 200
    page = response.text
    assert "We don&#x27;t know ZIP 00000. Check the number." in page
    assert "search by city" not in page
    assert "Please give the city the clinic is in." in page
    assert "This field is required" not in page
    assert 'value="Willow Creek Ketamine"' in page and "Ask Dr Lee" in page
    assert not Clinic.objects.exists() and not mail.outbox


def test_mistakes_in_both_parts_are_summarised_once_first(client, person):
    response = add(client, **{"clinic-city": "", "claim-work_email": "not-an-email"})
    assert title(response.text) == "Error: Add your clinic · Ketamine Clinic Guide"
    summary = error_summary(response.text)  # one, for both forms on the page
    assert 'role="alert"' in summary and "autofocus" in summary
    assert "Your clinic has not been sent for review yet." in summary
    assert '<a href="#id_clinic-city">' in summary
    assert '<a href="#id_claim-work_email">' in summary
    assert response.text.index('id="form-errors"') < response.text.index("<form")


def test_a_zip_code_in_another_state_is_caught(client, person):
    page = add(client, **{"clinic-state": "WA"}).text
    assert "ZIP 83702 is in ID, not WA." in page
    assert not Clinic.objects.exists()


def test_a_clinic_already_listed_is_claimed_instead(client, person):
    make_clinic("Willow Creek Ketamine", slug="willow", city="Boise", state="ID", zip_code="83702")
    response = add(client, **{"clinic-name": "willow creek ketamine"})
    page = response.text
    assert "is in the directory already" in page
    assert 'href="/account/claim/willow/"' in page
    assert Clinic.objects.count() == 1
    # Someone else's new clinic, still waiting, is not added twice either.
    add(client, **{"clinic-name": "Birch Ketamine"})
    client.force_login(make_user())
    assert "waiting for an editor" in add(client, **{"clinic-name": "Birch Ketamine"}).text
    assert Clinic.objects.count() == 2


def test_a_few_new_clinics_may_wait_at_once(client, person):
    for n in range(3):
        add(client, **{"clinic-name": f"Clinic {n}"})
    assert Clinic.objects.count() == 3
    page = client.get(URL).text
    assert "3 clinics waiting for an editor already" in page
    add(client, **{"clinic-name": "One too many"})
    assert Clinic.objects.count() == 3


def test_two_clinics_given_the_same_address_at_once_is_explained(client, person, monkeypatch):
    make_clinic(slug="taken")
    monkeypatch.setattr("listings.new_clinics.unique_slug", lambda name, city: "taken")
    response = add(client)
    assert response.status_code == 200
    assert "Please send it again." in response.text
    assert 'value="Willow Creek Ketamine"' in response.text
    assert Clinic.objects.count() == 1 and not Claim.objects.exists()


@pytest.mark.parametrize("field", ["clinic-name", "clinic-street_address", "clinic-city"])
def test_a_line_break_in_a_one_line_field_is_refused_not_a_server_error(client, person, field):
    # No browser sends one from a text box; a crafted form would have broken
    # every email whose subject names the clinic.
    response = add(client, **{field: "Evil Clinic\r\nBcc: victim@else.example"})
    assert response.status_code == 200
    assert "Keep this on one line." in response.text
    assert not Clinic.objects.exists() and not mail.outbox


def test_a_phone_number_that_is_not_a_us_number_is_refused_and_kept(client, person):
    response = add(client, **{"clinic-phone": "111111111111111"})
    assert response.status_code == 200
    assert "a US number with its area code, like (512) 555-0100" in response.text
    assert 'value="111111111111111"' in response.text
    assert not Clinic.objects.exists()
