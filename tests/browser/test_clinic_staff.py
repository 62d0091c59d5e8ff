"""Clinic staff in a real browser: sign in, edit the listing on a phone, accessibly."""

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.confirmation import send_link
from accounts.views import RESETS_ASKED
from clinics.models import Clinic, Offering
from listings.claims import link_token
from listings.domains import website_domain
from listings.editing import save_listing
from listings.models import Claim, ListingChange, Membership
from tests.browser.conftest import PHONE, served
from tests.browser.test_page_health import (
    AXE_SOURCE,
    assert_no_serious_violations,
    format_violations,
)
from tests.builders import make_member, make_user

PASSWORD = "a long test password"


@pytest.fixture
def staff_clinic(directory_data):
    clinic = Clinic.objects.filter(offerings__route="iv").order_by("name").first()
    make_member(clinic, make_user("staff@clinic.example", password=PASSWORD))
    return clinic


def assert_field_in_view_with_its_label(page, field_id):
    """After following an error summary's link: the label and error above the field show too."""
    box = page.evaluate(
        """id => {
            const field = document.getElementById(id);
            const group = field.closest(".field").getBoundingClientRect();
            return {top: group.top, bottom: field.getBoundingClientRect().bottom,
                    height: window.innerHeight};
        }""",
        field_id,
    )
    assert box["top"] >= 0 and box["bottom"] <= box["height"], box


def sign_in(page, email="staff@clinic.example"):
    page.goto("/account/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")


def test_staff_sign_in_and_change_a_price_on_a_phone(new_page, staff_clinic):
    page = new_page(viewport=PHONE)
    sign_in(page)
    page.get_by_role("link", name="Edit the listing").click()
    iv = page.locator("fieldset[data-route=iv]")
    iv.get_by_label("Highest price per session, in dollars").fill("999")
    iv.get_by_label("Lowest price per session, in dollars").fill("1200")
    page.get_by_role("button", name="Save the listing").click()

    # Refused, explained next to the field and in the summary, which has the
    # focus and links to the field; nothing typed is lost.
    message = "The highest price can't be below the lowest."
    assert iv.get_by_text(message).is_visible()
    summary = page.locator("#form-errors")
    assert page.evaluate("document.activeElement.id") == "form-errors"
    summary.get_by_role("link", name=message).click()
    assert page.evaluate("location.hash") == "#id_iv-price_max"
    assert_field_in_view_with_its_label(page, "id_iv-price_max")
    assert iv.get_by_label("Lowest price per session, in dollars").input_value() == "1200"
    assert not ListingChange.objects.exists()

    iv.get_by_label("Lowest price per session, in dollars").fill("300")
    page.get_by_role("button", name="Save the listing").click()
    assert page.get_by_text("Saved. The listing shows your changes now.").is_visible()
    served(page)
    offering = Offering.objects.get(clinic=staff_clinic, route="iv")
    assert (offering.price_min, offering.price_max) == (300, 999)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.csp_violations == [] and page.page_errors == []


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_staff_pages_have_no_serious_accessibility_violations(new_page, staff_clinic, viewport):
    page = new_page(viewport=viewport) if viewport else new_page()
    sign_in(page)
    for url in [
        "/account/",
        f"/account/clinics/{staff_clinic.slug}/",
        f"/account/clinics/{staff_clinic.slug}/history/",
        "/account/add-clinic/",
    ]:
        assert_no_serious_violations(page, url)


def test_sign_up_and_claim_pages_are_accessible(page, staff_clinic):
    assert_no_serious_violations(page, "/account/signup/")
    assert_no_serious_violations(page, "/account/login/")
    other = Clinic.objects.exclude(pk=staff_clinic.pk).first()
    sign_in(page)
    assert_no_serious_violations(page, f"/account/claim/{other.slug}/")


def test_an_account_waiting_to_confirm_its_email_is_told_accessibly(page, staff_clinic):
    make_user("new@clinic.example", password=PASSWORD, confirmed=False)
    sign_in(page, "new@clinic.example")
    assert page.get_by_text("Please confirm your email address.").is_visible()
    assert_no_serious_violations(page, "/account/")
    page.goto(f"/account/claim/{staff_clinic.slug}/")
    page.get_by_role("button", name="Send a new link").click()
    page.wait_for_url(f"**/account/claim/{staff_clinic.slug}/")
    assert page.get_by_text("We sent a new link to new@clinic.example.").is_visible()


def test_a_patient_writes_to_a_clinic_and_its_staff_read_it(new_page, staff_clinic):
    patient = new_page(viewport=PHONE)
    patient.goto(staff_clinic.get_absolute_url())
    patient.get_by_role("link", name="Send the clinic a message").click()
    patient.wait_for_url(f"**/clinics/{staff_clinic.slug}/contact/")
    assert_no_serious_violations(patient, f"/clinics/{staff_clinic.slug}/contact/")
    patient.get_by_label("Your email").fill("alex@example.org")
    patient.get_by_label("Your message").fill("Do you offer payment plans for IV?")
    patient.get_by_role("button", name="Send the message").click()
    # Consent is required: refused, explained at the top and at the box, and
    # the message kept.
    message = "Please tick this box to send your message."
    assert patient.locator("#form-errors").get_by_role("link", name=message).is_visible()
    assert patient.locator(".check-field").get_by_text(message).is_visible()
    assert (
        patient.get_by_label("Your message").input_value() == "Do you offer payment plans for IV?"
    )
    patient.get_by_label("I understand this message goes to the clinic's staff").check()
    patient.get_by_role("button", name="Send the message").click()
    patient.wait_for_url("**/contact/sent/")
    assert patient.csp_violations == [] and patient.page_errors == []

    staff = new_page()
    sign_in(staff)
    staff.get_by_role("link", name="Inquiries").click()
    assert_no_serious_violations(staff, f"/account/clinics/{staff_clinic.slug}/inquiries/")
    staff.locator(".inquiry a").first.click()
    assert staff.get_by_text("Do you offer payment plans for IV?").is_visible()

    # Deleting asks first, on a page of its own that works without JavaScript.
    staff.get_by_role("link", name="Delete this inquiry").click()
    staff.wait_for_url("**/delete/")
    heading = "Delete the inquiry from someone who gave no name?"
    assert staff.get_by_role("heading", name=heading).is_visible()
    assert_this_page_has_no_serious_violations(staff)
    staff.get_by_role("button", name="Delete the inquiry").click()
    assert staff.get_by_text("The inquiry was deleted.").is_visible()


def assert_this_page_has_no_serious_violations(page):
    """axe-core on the page as it is (after a form was sent), not a fresh load."""
    page.evaluate(AXE_SOURCE)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe-core found on {page.url}:\n{format_violations(serious)}"
    assert page.csp_violations == [] and page.page_errors == []


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_sign_up_with_mistakes_puts_focus_on_the_summary(new_page, javascript):
    page = new_page(viewport=PHONE, java_script_enabled=javascript)
    page.goto("/account/signup/")
    page.get_by_label("Email").fill("new@clinic.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill("something else")
    page.get_by_role("button", name="Create account").click()

    # Focus starts on the summary, so a screen reader reads what went wrong first.
    summary = page.locator("#form-errors")
    # autofocus lands once the page is parsed, which a click does not wait for.
    page.wait_for_function("() => document.activeElement.id === 'form-errors'", timeout=5000)
    assert page.title().startswith("Error: ")
    summary.get_by_role("link", name=re.compile("match")).click()
    assert page.evaluate("location.hash") == "#id_password2"
    assert_field_in_view_with_its_label(page, "id_password2")
    assert page.get_by_label("Email").input_value() == "new@clinic.example"
    if javascript:
        assert_this_page_has_no_serious_violations(page)


def test_a_conflict_notice_takes_focus_and_says_what_clashes(new_page, staff_clinic):
    page = new_page(viewport=PHONE)
    sign_in(page)
    page.goto(f"/account/clinics/{staff_clinic.slug}/")
    # Someone else saves the phone and the description while this page is open.
    save_listing(
        staff_clinic,
        make_user("colleague@clinic.example"),
        {"description": "Theirs.", "phone": "(512) 555-0111"},
    )
    page.get_by_label("Description").fill("Mine.")
    page.get_by_role("button", name="Save the listing").click()

    notice = page.locator("#conflict")
    # autofocus lands once the page is parsed, which a click does not wait for.
    page.wait_for_function("() => document.activeElement.id === 'conflict'", timeout=5000)
    assert notice.get_by_text("Description: Theirs.").is_visible()
    assert notice.get_by_text("Phone: (512) 555-0111").is_visible()
    assert page.get_by_label("Description").input_value() == "Mine."
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_this_page_has_no_serious_violations(page)


def test_an_edit_page_without_its_version_is_explained_on_a_phone(new_page, staff_clinic):
    page = new_page(viewport=PHONE)
    sign_in(page)
    page.goto(f"/account/clinics/{staff_clinic.slug}/")
    page.locator("input[name=version]").evaluate("input => input.remove()")
    page.get_by_label("Description").fill("Evening infusions on Thursdays.")
    page.get_by_role("button", name="Save the listing").click()

    summary = page.locator("#form-errors")
    assert summary.get_by_text("This page didn't say which version").is_visible()
    # autofocus lands once the page is parsed, which a click does not wait for.
    page.wait_for_function("() => document.activeElement.id === 'form-errors'", timeout=5000)
    assert summary.get_by_role("cell", name="Evening infusions on Thursdays.").is_visible()
    assert page.get_by_label("Description").input_value() == "Evening infusions on Thursdays."
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_this_page_has_no_serious_violations(page)

    page.get_by_role("button", name="Save the listing").click()
    assert page.get_by_text("Saved. The listing shows your changes now.").is_visible()
    served(page)
    staff_clinic.refresh_from_db()
    assert staff_clinic.description == "Evening infusions on Thursdays."


def test_a_confirmation_link_for_another_account_is_explained_accessibly(page, staff_clinic):
    new = make_user("new@clinic.example", password=PASSWORD, confirmed=False)
    request = SimpleNamespace(build_absolute_uri=lambda path: path)
    send_link(request, new)
    link = re.search(r"(/account/confirm-email/\S+/)", mail.outbox[-1].body)[1]
    sign_in(page)  # as staff@clinic.example
    assert_no_serious_violations(page, link)
    assert page.get_by_role("heading", name="This link is for another account").is_visible()
    page.get_by_role("button", name="Sign out and sign in as n…@clinic.example").click()
    page.wait_for_url("**/account/login/")
    page.get_by_label("Email").fill("new@clinic.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")
    assert page.get_by_text("Please confirm your email address.").count() == 0


def test_too_many_password_resets_are_refused_calmly_and_accessibly(page, staff_clinic):
    visitor = SimpleNamespace(META={"REMOTE_ADDR": "127.0.0.1"})
    for _ in range(RESETS_ASKED.limit):
        RESETS_ASKED.record(visitor)
    page.goto("/account/password-reset/")
    page.get_by_label("Email").fill("staff@clinic.example")
    page.get_by_role("button", name="Send the link").click()
    assert page.get_by_text("Many password resets were asked for from your network").is_visible()
    assert page.get_by_label("Email").input_value() == "staff@clinic.example"
    assert_this_page_has_no_serious_violations(page)


def watch_referers(page):
    """Every Referer the page's requests send (its stylesheet and icon included)."""
    sent = []
    page.on("request", lambda request: sent.append(request.headers.get("referer") or ""))
    return sent


def claim_by_email(clinic, user):
    """A claim waiting for its emailed link, and the link's path."""
    work_email = f"{user.email.partition('@')[0]}@{website_domain(clinic.website)}"
    claim = Claim.objects.create(
        clinic=clinic, user=user, work_email=work_email, status=Claim.Status.EMAIL_SENT
    )
    return claim, f"/account/claim/confirm/{link_token(claim)}/"


def test_link_tokens_never_reach_a_referer_and_the_forms_after_them_work(page, staff_clinic):
    referers = watch_referers(page)
    staff = Membership.objects.get(clinic=staff_clinic).user
    other = Clinic.objects.exclude(pk=staff_clinic.pk).exclude(website="").first()
    _claim, link = claim_by_email(other, staff)
    sign_in(page)
    page.goto(link)
    # The form is posted with its Origin: a no-referrer page would send "null",
    # which the CSRF check refuses.
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_text(f"Confirmed: you can now manage {other.name}.").is_visible()
    served(page)
    assert Membership.objects.filter(clinic=other, user=staff).exists()

    page.goto("/account/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/account/signed-out/")
    assert page.get_by_role("heading", name="You're signed out").is_visible()
    staff.refresh_from_db()  # the token depends on the last sign-in
    uid = urlsafe_base64_encode(force_bytes(staff.pk))
    reset_token = default_token_generator.make_token(staff)
    page.goto(f"/account/password-reset/{uid}/{reset_token}/")
    page.locator("input[name=new_password1]").fill("another long password 42")
    page.locator("input[name=new_password2]").fill("another long password 42")
    page.get_by_role("button", name="Save the new password").click()
    page.wait_for_url("**/account/password-reset/done/")

    claim_token = link.split("/")[-2]
    assert referers and not [r for r in referers if claim_token in r or reset_token in r]
    assert page.csp_violations == [] and page.page_errors == []


def test_a_claim_link_for_another_account_is_explained_and_leads_on_as_the_right_one(
    page, staff_clinic
):
    referers = watch_referers(page)
    other = Clinic.objects.exclude(pk=staff_clinic.pk).exclude(website="").first()
    claimant = make_user("new@clinic.example", password=PASSWORD)
    _claim, link = claim_by_email(other, claimant)
    sign_in(page)  # as staff@clinic.example: a colleague's browser, say
    page.goto(link)
    assert page.get_by_role("heading", name="This link is for another account").is_visible()
    assert page.get_by_text(f"the claim of {other.name} made by n…@clinic.example").is_visible()
    assert_this_page_has_no_serious_violations(page)

    page.get_by_role("button", name="Sign out and sign in as n…@clinic.example").click()
    page.wait_for_url("**/account/login/**")
    page.get_by_label("Email").fill("new@clinic.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_text(f"Confirmed: you can now manage {other.name}.").is_visible()
    served(page)
    assert Membership.objects.filter(clinic=other, user=claimant).exists()
    token = link.split("/")[-2]
    assert not [referer for referer in referers if token in referer]


def test_a_treatment_and_its_insurance_are_added_in_one_save(new_page, staff_clinic):
    offered = set(staff_clinic.offerings.values_list("route", flat=True))
    route = next(r for r in ("kap", "im", "at-home", "spravato") if r not in offered)
    page = new_page(viewport=PHONE)
    sign_in(page)
    page.goto(f"/account/clinics/{staff_clinic.slug}/")
    aetna = page.locator(f'input[name="accepted"][value="aetna:{route}"]')
    assert not aetna.is_visible()
    assert not page.locator(".columns-after-save").is_visible()  # "and save"

    fieldset = page.locator(f"fieldset[data-route={route}]")
    fieldset.get_by_label("Lowest price per session, in dollars").fill("400")
    assert aetna.is_visible()
    aetna.check()
    fieldset.get_by_label("Highest price per session, in dollars").fill("500")
    page.get_by_role("button", name="Save the listing").click()
    assert page.get_by_text("Saved. The listing shows your changes now.").is_visible()
    served(page)
    assert staff_clinic.accepted_payers.filter(payer__slug="aetna", route=route).exists()
    assert page.csp_violations == [] and page.page_errors == []


def test_an_insurance_column_goes_when_its_prices_are_cleared_unless_ticked(new_page, staff_clinic):
    offered = set(staff_clinic.offerings.values_list("route", flat=True))
    route = next(r for r in ("kap", "im", "at-home", "spravato") if r not in offered)
    page = new_page()
    sign_in(page)
    page.goto(f"/account/clinics/{staff_clinic.slug}/")
    lowest = page.locator(f"fieldset[data-route={route}]").get_by_label(
        "Lowest price per session, in dollars"
    )
    cigna = page.locator(f'input[name="accepted"][value="cigna:{route}"]')
    lowest.fill("400")
    assert cigna.is_visible()
    lowest.fill("")
    assert not cigna.is_visible()
    lowest.fill("400")
    cigna.check()
    lowest.fill("")
    assert cigna.is_visible()  # a tick is never hidden


def test_the_history_s_row_labels_fit_their_column_on_a_small_phone(new_page, staff_clinic):
    from listings.editing import save_listing

    staff = staff_clinic.memberships.get().user
    save_listing(staff_clinic, staff, {"description": "A new description.", "phone": "1"})
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in(page)
    page.goto(f"/account/clinics/{staff_clinic.slug}/history/")
    overflowing = page.locator(".history-table th:first-child").evaluate_all(
        "cells => cells.filter(c => c.scrollWidth > c.clientWidth).map(c => c.textContent)"
    )
    assert page.locator(".history-table th:first-child").count()
    assert overflowing == []
