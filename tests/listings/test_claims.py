import re
from urllib.parse import urlencode

import pytest
from django.core import mail, signing

from clinics.models import Clinic
from listings.models import Claim, Membership
from tests.builders import make_clinic, make_editor, make_user
from tests.pages import error_summary, title

pytestmark = pytest.mark.django_db

WEBSITE = "https://www.calm-harbor.example"
PASSWORD = "a long test password"  # tests.builders.make_user's


@pytest.fixture
def clinic():
    return make_clinic("Calm Harbor Ketamine", slug="calm-harbor", website=WEBSITE)


@pytest.fixture
def person(client):
    user = make_user("jo@gmail.example")
    client.force_login(user)
    return user


def claim(client, email, **fields):
    data = {"work_email": email, "job_title": "Practice manager", "message": ""} | fields
    return client.post("/account/claim/calm-harbor/", data)


def emailed_link():
    body = mail.outbox[-1].body
    return re.search(r"http://testserver(/account/claim/confirm/\S+/)", body).group(1)


def test_the_clinic_page_offers_to_claim_it(client, clinic):
    page = client.get("/clinics/calm-harbor/").content.decode()
    assert 'href="/account/claim/calm-harbor/"' in page
    assert "Claim this listing" in page


def test_claiming_needs_an_account_and_comes_back_after_signing_up(client, clinic):
    response = client.get("/account/claim/calm-harbor/")
    assert response["Location"] == "/account/login/?next=/account/claim/calm-harbor/"


def test_a_work_email_on_the_clinic_domain_gets_a_link_that_verifies(client, clinic, person):
    response = claim(client, "Jo@Calm-Harbor.example")
    assert response["Location"] == "/account/"
    assert mail.outbox[0].to == ["jo@calm-harbor.example"]
    assert Claim.objects.get().status == Claim.Status.EMAIL_SENT

    link = emailed_link()
    # Opening the link asks to confirm; a mail scanner's GET changes nothing.
    opened = client.get(link, follow=True)
    assert opened.status_code == 200 and "Confirm you work at Calm Harbor Ketamine" in opened.text
    assert not Membership.objects.exists()
    response = client.post(opened.redirect_chain[-1][0])
    assert response["Location"] == "/account/clinics/calm-harbor/"
    assert Membership.objects.filter(user=person, clinic=clinic).exists()
    assert Claim.objects.get().status == Claim.Status.APPROVED
    clinic.refresh_from_db()
    assert clinic.is_verified
    assert "Verified" in client.get("/clinics/calm-harbor/").content.decode()


def test_a_link_opened_again_once_confirmed_goes_to_the_listing(client, clinic, person):
    claim(client, "jo@calm-harbor.example")
    link = emailed_link()
    opened = client.get(link, follow=True)
    client.post(opened.redirect_chain[-1][0])
    again = client.get(link, follow=True)
    assert again.status_code == 200
    assert again.redirect_chain[-1][0] == "/account/clinics/calm-harbor/"
    said = [str(message) for message in again.context["messages"]]
    assert "You manage Calm Harbor Ketamine already: that link has been used." in said


def test_a_subdomain_of_the_clinic_website_counts(client, clinic, person):
    claim(client, "jo@mail.calm-harbor.example")
    assert Claim.objects.get().status == Claim.Status.EMAIL_SENT


@pytest.mark.parametrize(
    "email", ["jo@gmail.example", "jo@calm-harbor.example.evil.test", "jo@notcalm-harbor.example"]
)
def test_any_other_email_goes_to_an_editor(client, clinic, person, email, settings):
    settings.MANAGERS = ["editors@site.example"]
    claim(client, email, message="I am the medical director; call the front desk.")
    saved = Claim.objects.get()
    assert saved.status == Claim.Status.IN_REVIEW
    assert [message.to for message in mail.outbox] == [["editors@site.example"]]
    assert f"/admin/listings/claim/{saved.pk}/change/" in mail.outbox[0].body
    assert not Membership.objects.exists()


def test_the_link_only_works_for_the_account_that_claimed(client, clinic, person):
    claim(client, "jo@calm-harbor.example")
    link = emailed_link()
    client.force_login(make_user())
    for response in (client.get(link, follow=True), client.post(link, follow=True)):
        assert "This link is for another account" in response.text
        assert not Membership.objects.exists()
    assert client.post("/account/claim-confirm/").status_code == 200
    assert not Membership.objects.exists()


def test_a_link_opened_as_another_account_explains_and_leads_on_as_the_right_one(
    client, clinic, person
):
    claim(client, "jo@calm-harbor.example")
    link = emailed_link()
    client.force_login(make_user("sam@gmail.example"))  # a colleague's browser, say

    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.text
    assert "This link is for another account" in page
    assert "the claim of Calm Harbor Ketamine made by j…@gmail.example" in page
    # Enough of the claimant's address to recognise, not all: whoever holds the
    # link need not be the claimant.
    assert "jo@gmail.example" not in page and "jo@calm-harbor.example" not in page
    assert "You're signed in as sam@gmail.example" in page

    # Signing out from there leads to signing in as the claimant, then back to the link.
    assert 'action="/account/logout/"' in page
    on = "/account/login/?" + urlencode({"next": link}, safe="/")
    assert f'name="next" value="{on}"' in page.replace("&amp;", "&")
    assert client.post("/account/logout/", {"next": on})["Location"] == on
    signed_in = client.post(on, {"username": "jo@gmail.example", "password": PASSWORD})
    assert signed_in["Location"] == link
    confirm = client.get(link, follow=True)
    assert "Confirm you work at Calm Harbor Ketamine" in confirm.text
    assert client.post(confirm.redirect_chain[-1][0]).status_code == 302
    assert Membership.objects.filter(user=person, clinic=clinic).exists()


def test_a_tampered_or_expired_link_is_explained(client, clinic, person, monkeypatch):
    claim(client, "jo@calm-harbor.example")
    link = emailed_link()
    response = client.post(link[:-3] + "xx/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()

    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: "1")
    token = signing.dumps(Claim.objects.get().pk, salt="listings.claim-link")
    response = client.post(f"/account/claim/confirm/{token}/")
    assert "expired" in response.content.decode()
    assert not Membership.objects.exists()


def test_one_open_claim_at_a_time_and_the_link_can_be_sent_again(
    client, clinic, person, monkeypatch
):
    claim(client, "jo@calm-harbor.example")
    page = client.get("/account/claim/calm-harbor/").content.decode()
    assert "Waiting for the emailed link" in page
    claim(client, "other@calm-harbor.example")
    assert Claim.objects.count() == 1

    client.post("/account/claim/calm-harbor/", {"action": "resend"})
    assert len(mail.outbox) == 1  # too soon
    monkeypatch.setattr("listings.claims.RESEND_AFTER", 0)
    client.post("/account/claim/calm-harbor/", {"action": "resend"})
    assert len(mail.outbox) == 2


def test_a_claim_form_with_mistakes_keeps_what_was_typed(client, clinic, person):
    response = client.post(
        "/account/claim/calm-harbor/",
        {"work_email": "not-an-email", "job_title": "", "message": "Front desk lead"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "Please say what you do at the clinic, like practice manager or nurse." in page
    assert "This field is required" not in page
    assert "Front desk lead" in page
    assert not Claim.objects.exists()


def test_a_claim_too_long_says_how_long_it_may_be_in_plain_words(client, clinic, person):
    response = claim(client, "jo@calm-harbor.example", job_title="Manager " * 20)
    assert "Keep this under 100 characters (it has 159)." in response.text
    assert "Ensure this value" not in response.text
    assert "Manager Manager" in response.text
    assert not Claim.objects.exists()


def test_a_claim_form_with_mistakes_says_so_first(client, clinic, person):
    response = claim(client, "not-an-email")
    assert title(response.text) == "Error: Claim Calm Harbor Ketamine · Ketamine Clinic Guide"
    summary = error_summary(response.text)
    assert 'role="alert"' in summary and "autofocus" in summary
    assert "Your claim has not been sent yet." in summary
    assert '<a href="#id_work_email">Your work email: Enter a valid email address.</a>' in summary


def test_hidden_and_unknown_clinics_cannot_be_claimed(client, person):
    make_clinic(slug="hidden-one", status=Clinic.Status.HIDDEN)
    assert client.get("/account/claim/hidden-one/").status_code == 404
    assert client.get("/account/claim/nowhere/").status_code == 404


def test_editors_approve_a_claim_in_the_admin(client, clinic, person):
    claim(client, "jo@gmail.example")
    pending = Claim.objects.get()
    editor = sign_in_editor(client)
    response = client.post(
        "/admin/listings/claim/",
        {"action": "approve", "_selected_action": [pending.pk]},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Claim.Status.APPROVED
    assert pending.decided_by == editor
    assert Membership.objects.filter(user=person, clinic=clinic).exists()
    assert mail.outbox[-1].to == ["jo@gmail.example"]
    assert "approved" in mail.outbox[-1].subject


def test_a_claim_from_a_closed_account_is_not_approved(client, clinic, person):
    claim(client, "jo@gmail.example")
    pending = Claim.objects.get()
    person.is_active = False
    person.save()
    sign_in_editor(client)
    listed = client.get("/admin/listings/claim/?status=in_review").text
    assert "(account closed)" in listed
    response = client.post(
        "/admin/listings/claim/",
        {"action": "approve", "_selected_action": [pending.pk]},
        follow=True,
    )
    assert "Not approved: Calm Harbor Ketamine" in response.text
    response = client.post(
        f"/admin/listings/claim/{pending.pk}/change/", {"status": "approved", "decision_note": ""}
    )
    assert response.status_code == 200
    assert "account is closed" in response.text
    pending.refresh_from_db()
    assert pending.status != Claim.Status.APPROVED
    assert not Membership.objects.exists()
    assert not Clinic.objects.get(pk=clinic.pk).is_verified


def test_editors_reject_with_a_reason_the_claimant_reads(client, clinic, person):
    claim(client, "jo@gmail.example")
    pending = Claim.objects.get()
    sign_in_editor(client)
    response = client.post(
        f"/admin/listings/claim/{pending.pk}/change/",
        {"status": "rejected", "decision_note": "The clinic told us you don't work there."},
    )
    assert response.status_code == 302
    assert not Membership.objects.exists()
    assert "don't work there" in mail.outbox[-1].body
    client.force_login(person)
    page = client.get("/account/").content.decode()
    assert "Not approved" in page
    assert "don&#x27;t work there" in page


def test_your_clinics_lists_what_you_manage_and_your_open_claims(client, clinic, person):
    other = make_clinic("Quiet Pines", slug="quiet-pines")
    Membership.objects.create(user=person, clinic=other)
    claim(client, "jo@gmail.example")
    page = client.get("/account/").content.decode()
    assert 'href="/account/clinics/quiet-pines/"' in page
    assert "Calm Harbor Ketamine" in page
    assert "Waiting for an editor" in page


def sign_in_editor(client):
    editor = make_editor()
    client.force_login(editor)
    return editor


def test_the_link_carries_no_email_address(client, clinic, person, caplog):
    # Signed is not encrypted, and the path of every request is logged.
    claim(client, "jo@calm-harbor.example")
    link = emailed_link()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert "calm-harbor" not in signing.b64_decode(token.split(":")[0].encode()).decode()
    with caplog.at_level("INFO", logger="ketamine_directory.requests"):
        client.post(link)
    assert "/account/claim/confirm/" in caplog.text
    assert "calm-harbor.example" not in caplog.text


def test_a_claim_with_a_mistyped_email_can_be_withdrawn_and_made_again(client, clinic, person):
    claim(client, "jo@calm-harbr.example")  # a typo: goes to an editor
    page = client.get("/account/claim/calm-harbor/").text
    assert "Withdraw this claim" in page
    response = client.post("/account/claim/calm-harbor/", {"action": "withdraw"}, follow=True)
    assert "Your claim of Calm Harbor Ketamine is withdrawn" in response.text
    assert not Claim.objects.exists()
    claim(client, "jo@calm-harbor.example")
    assert Claim.objects.get().status == Claim.Status.EMAIL_SENT


def test_withdrawing_and_claiming_again_cannot_flood_the_editors(client, clinic, person, settings):
    # Each claim emails the editors (or a work address); withdrawing it allows another.
    settings.MANAGERS = ["editors@site.example"]
    for _ in range(5):
        claim(client, "jo@calm-harbr.example")
        client.post("/account/claim/calm-harbor/", {"action": "withdraw"})
    assert len(mail.outbox) == 5
    response = claim(client, "jo@calm-harbr.example", message="I run the front desk.")
    assert response.status_code == 429
    assert "You have sent several claims in the last hour" in response.text
    assert "I run the front desk." in response.text  # what was typed is kept
    assert len(mail.outbox) == 5
    assert not Claim.objects.exists()
    # Another person's claim is not held up.
    client.force_login(make_user("sam@gmail.example"))
    assert claim(client, "sam@calm-harbor.example").status_code == 302


def test_a_link_sent_before_the_clinics_website_changed_no_longer_verifies(client, clinic, person):
    claim(client, "jo@calm-harbor.example")
    link = emailed_link()
    # An editor corrects the website: that domain was never the clinic's.
    Clinic.objects.filter(pk=clinic.pk).update(website="https://calmharborketamine.example")
    response = client.post(link)
    assert response.status_code == 400
    assert "The clinic&#x27;s website has changed since this link was sent" in response.text
    assert not Membership.objects.exists()
    assert Claim.objects.get().status == Claim.Status.EMAIL_SENT


def test_the_link_of_a_withdrawn_claim_says_it_was_withdrawn(client, clinic, person):
    claim(client, "jo@calm-harbor.example")
    link = emailed_link()
    client.post("/account/claim/calm-harbor/", {"action": "withdraw"})
    response = client.post(link)
    assert response.status_code == 400
    assert "This claim was withdrawn, so its link no longer works" in response.text
    assert "another account" not in response.text


def test_confirming_says_what_each_change_records(client, clinic, person):
    claim(client, "jo@calm-harbor.example")
    page = client.get(emailed_link(), follow=True).text.replace("&#x27;", "'")
    assert "Confirm you work at Calm Harbor Ketamine" in page
    assert "recorded with your name" not in page
    assert "with your account's email address (jo@gmail.example) and the time" in page


def test_a_note_typed_when_approving_is_kept_and_emailed(client, clinic, person):
    claim(client, "jo@gmail.example")
    pending = Claim.objects.get()
    sign_in_editor(client)
    response = client.post(
        f"/admin/listings/claim/{pending.pk}/change/",
        {"status": "approved", "decision_note": "Welcome! Please check the Spravato price."},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Claim.Status.APPROVED
    assert pending.decision_note == "Welcome! Please check the Spravato price."
    assert "Please check the Spravato price." in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("action", "status"), [("reject", Claim.Status.REJECTED), ("approve", Claim.Status.APPROVED)]
)
def test_the_admin_actions_take_a_note_for_the_claimants(client, clinic, person, action, status):
    claim(client, "jo@gmail.example")
    pending = Claim.objects.get()
    sign_in_editor(client)
    page = client.get("/admin/listings/claim/?status__exact=in-review")
    assert 'name="decision_note"' in page.text
    response = client.post(
        "/admin/listings/claim/",
        {
            "action": action,
            "_selected_action": [pending.pk],
            "decision_note": "We called the clinic's front desk.",
        },
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == status
    assert pending.decision_note == "We called the clinic's front desk."
    assert "We called the clinic's front desk." in mail.outbox[-1].body


def test_an_action_on_a_claim_decided_already_says_it_was_left_alone(client, clinic, person):
    claim(client, "jo@gmail.example")
    decided = Claim.objects.get()
    sign_in_editor(client)
    client.post("/admin/listings/claim/", {"action": "approve", "_selected_action": [decided.pk]})
    sent = len(mail.outbox)
    response = client.post(
        "/admin/listings/claim/",
        {"action": "reject", "_selected_action": [decided.pk]},
        follow=True,
    )
    said = [str(message) for message in response.context["messages"]]
    assert (
        f"Left alone, decided already: Calm Harbor Ketamine (claim #{decided.pk}, approved)."
        in said
    )
    assert not any(message.startswith("Rejected 0") for message in said)
    decided.refresh_from_db()
    assert decided.status == Claim.Status.APPROVED and len(mail.outbox) == sent


def test_the_decision_email_can_be_answered_by_the_editors(client, clinic, person, settings):
    settings.EDITORS_EMAIL = "editors@site.example"
    claim(client, "jo@gmail.example")
    sign_in_editor(client)
    client.post(
        "/admin/listings/claim/", {"action": "reject", "_selected_action": [Claim.objects.get().pk]}
    )
    assert mail.outbox[-1].reply_to == ["editors@site.example"]
    assert "reply to this email" in mail.outbox[-1].body


def test_without_an_editors_address_the_email_does_not_ask_for_a_reply(
    client, clinic, person, settings
):
    settings.EDITORS_EMAIL, settings.MANAGERS = "", []
    claim(client, "jo@gmail.example")
    sign_in_editor(client)
    client.post(
        "/admin/listings/claim/", {"action": "reject", "_selected_action": [Claim.objects.get().pk]}
    )
    assert not mail.outbox[-1].reply_to
    assert "reply to this email" not in mail.outbox[-1].body


@pytest.mark.parametrize("new_listing", [False, True])
def test_the_approval_email_links_to_the_account_page(client, clinic, person, new_listing):
    if new_listing:
        Clinic.objects.filter(pk=clinic.pk).update(status=Clinic.Status.PROPOSED)
        Claim.objects.create(clinic=clinic, user=person, work_email="jo@gmail.example")
    else:
        claim(client, "jo@gmail.example")
    sign_in_editor(client)
    client.post(
        "/admin/listings/claim/",
        {"action": "approve", "_selected_action": [Claim.objects.get().pk]},
    )
    body = mail.outbox[-1].body
    assert "from your account page" in body
    assert "http://testserver/account/\n" in body


def test_a_claim_link_is_sent_again_at_most_3_times_a_day(client, clinic, person, monkeypatch):
    # Otherwise one account could have a link sent to an address it chose every minute.
    monkeypatch.setattr("listings.claims.RESEND_AFTER", 0)
    claim(client, "jo@calm-harbor.example")
    for _ in range(3):
        client.post("/account/claim/calm-harbor/", {"action": "resend"})
    assert len(mail.outbox) == 4
    response = client.post("/account/claim/calm-harbor/", {"action": "resend"}, follow=True)
    assert len(mail.outbox) == 4
    assert "sent you 3 new links today" in response.text


def test_links_sent_again_count_toward_the_claims_an_hour(client, clinic, person, monkeypatch):
    monkeypatch.setattr("listings.claims.RESEND_AFTER", 0)
    claim(client, "jo@calm-harbor.example")
    for _ in range(3):
        client.post("/account/claim/calm-harbor/", {"action": "resend"})
    client.post("/account/claim/calm-harbor/", {"action": "withdraw"})
    claim(client, "jo@calm-harbor.example")  # the fifth email this hour
    client.post("/account/claim/calm-harbor/", {"action": "withdraw"})
    response = claim(client, "jo@calm-harbor.example")
    assert response.status_code == 429
    assert "several claims in the last hour" in response.text
    assert len(mail.outbox) == 5
