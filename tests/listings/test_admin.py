import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.test import Client

from clinics.models import Clinic, Condition, Offering
from listings.editing import save_listing
from listings.models import Claim, ListingChange, Membership
from tests.builders import make_clinic, make_editor, make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    return make_clinic("Calm Harbor Ketamine", slug="calm-harbor", offerings={"iv": (400, 450)})


def admin_form_data(response):
    """The admin change form's current values, as the browser would post them back."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            if form.fields[name].show_hidden_initial:
                # The hidden copy of the value the page was opened with.
                data |= _hidden_initial(form[name])
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [getattr(item, "pk", item) for item in value]
            data[form[name].html_name] = value
    return data


def _hidden_initial(field):
    name = field.html_initial_name
    if name in field.form.data:  # a page shown again passes on what it was opened with
        return {name: field.form.data[name]}
    value = field.field.hidden_widget().format_value(field.value())
    return {name: "" if value is None else value}


def test_an_editors_admin_edit_is_in_the_listing_history(client, editor, clinic):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url))
    data |= {"offerings-0-price_max": "475", "phone": "(512) 555-0142"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = ListingChange.objects.get()
    assert change.user == editor
    assert set(change.changes) == {"offering:iv", "phone"}
    clinic.refresh_from_db()
    assert clinic.edit_version == change.version == 1
    # ...and on the clinic's admin page.
    assert "$400 to $475 per session" in client.get(url).content.decode()


def test_editors_undo_a_staff_change(client, editor, clinic):
    from listings.editing import save_listing

    staff = make_member(clinic)
    change = save_listing(
        clinic,
        staff,
        {"offering:iv": None, "description": "Cheapest in town!!!", "insurance": ["aetna:"]},
    )
    assert not clinic.offerings.exists()

    response = client.post(
        "/admin/listings/listingchange/", {"action": "undo", "_selected_action": [change.pk]}
    )
    assert response.status_code == 302
    iv = Offering.objects.get(clinic=clinic, route="iv")
    assert (iv.price_min, iv.price_max) == (400, 450)
    clinic.refresh_from_db()
    assert clinic.description == ""
    assert not clinic.accepted_payers.exists()
    assert clinic.lowest_price == 400
    undo = ListingChange.objects.get(reverts=change)
    assert undo.user == editor
    page = client.get("/admin/listings/listingchange/").content.decode()
    assert "Cheapest in town" in page


def test_staff_see_the_undo_in_their_history(client, clinic):
    from listings.editing import revert, save_listing

    staff = make_member(clinic)
    change = save_listing(clinic, staff, {"phone": "(512) 555-0100"})
    revert(change, make_user(is_staff=True))
    client.force_login(staff)
    page = client.get("/account/clinics/calm-harbor/history/").content.decode()
    assert "undoing the change of" in page


def test_editors_see_claims_and_staff_but_cannot_make_up_history(client, editor, clinic):
    assert client.get("/admin/listings/claim/?status=in-review").status_code == 200
    assert client.get("/admin/listings/membership/").status_code == 200
    assert client.get("/admin/listings/listingchange/").status_code == 200
    assert client.get("/admin/listings/listingchange/add/").status_code == 403
    assert client.get("/admin/listings/claim/add/").status_code == 403


def test_an_admin_save_from_a_stale_page_is_refused_then_deliberate(client, editor, clinic):
    from listings.editing import save_listing

    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {"phone": "(512) 555-0001"}
    save_listing(clinic, make_member(clinic), {"phone": "(512) 555-0999"})

    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone saved this listing after you opened it" in page
    assert "(512) 555-0999" in page
    clinic.refresh_from_db()
    assert clinic.phone == "(512) 555-0999"

    again = data | {"seen_version": response.context["adminform"].form["seen_version"].value()}
    assert client.post(url, again).status_code == 302
    clinic.refresh_from_db()
    assert clinic.phone == "(512) 555-0001"


def test_editors_add_staff_by_their_account_email(client, editor, clinic):
    person = make_user("jo@calm-harbor.example")
    page = client.get("/admin/listings/membership/add/")
    assert page.status_code == 200 and "Account email" in page.text
    response = client.post(
        "/admin/listings/membership/add/",
        {"account": "JO@calm-harbor.example", "clinic": clinic.pk},
    )
    assert response.status_code == 302, response.text[:2000]
    assert Membership.objects.filter(user=person, clinic=clinic).exists()
    unknown = client.post(
        "/admin/listings/membership/add/", {"account": "nobody@example.org", "clinic": clinic.pk}
    )
    assert "No account uses this address" in unknown.text


def test_adding_someone_already_on_the_staff_says_so(client, editor, clinic):
    person = make_member(clinic, make_user("jo@calm-harbor.example"))
    response = client.post(
        "/admin/listings/membership/add/",
        {"account": "jo@calm-harbor.example", "clinic": clinic.pk},
    )
    assert response.status_code == 200
    assert "already on this clinic&#x27;s staff" in response.text
    assert Membership.objects.filter(user=person).count() == 1


def _with_staff_rows(data, *emails):
    """The clinic page's form data with new staff rows for `emails`."""
    first = int(data["memberships-TOTAL_FORMS"])
    data = data | {"memberships-TOTAL_FORMS": str(first + len(emails))}
    for number, email in enumerate(emails, start=first):
        data[f"memberships-{number}-account"] = email
    return data


def test_the_clinic_page_refuses_a_second_row_for_the_same_person(client, editor, clinic):
    make_member(clinic, make_user("jo@calm-harbor.example"))
    make_user("sam@calm-harbor.example")
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url))

    again = client.post(url, _with_staff_rows(data, "jo@calm-harbor.example"))
    assert again.status_code == 200
    assert "already on this clinic&#x27;s staff" in again.text
    twice = client.post(
        url, _with_staff_rows(data, "sam@calm-harbor.example", "SAM@calm-harbor.example")
    )
    assert twice.status_code == 200
    assert "already in another row" in twice.text
    assert sorted(clinic.memberships.values_list("user__email", flat=True)) == [
        "jo@calm-harbor.example"
    ]


def test_editors_cannot_add_staff_whose_address_was_never_confirmed(client, editor, clinic):
    # Anyone can sign up with someone else's address; staff read patients' inquiries.
    person = make_user("drsmith@calm-harbor.example", confirmed=False)
    response = client.post(
        "/admin/listings/membership/add/",
        {"account": "drsmith@calm-harbor.example", "clinic": clinic.pk},
    )
    assert response.status_code == 200
    assert "has not confirmed its email address" in response.text
    assert not Membership.objects.filter(user=person).exists()


def test_a_decided_claim_cannot_be_reopened(client, editor, clinic):
    claim = Claim.objects.create(
        clinic=clinic,
        user=make_user(),
        work_email="x@calm-harbor.example",
        job_title="Nurse",
        status=Claim.Status.APPROVED,
    )
    page = client.get(f"/admin/listings/claim/{claim.pk}/change/").text
    assert 'name="status"' not in page
    client.post(f"/admin/listings/claim/{claim.pk}/change/", {"status": "in-review"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED


def test_an_open_claim_is_decided_not_sent_a_link_by_the_editors(client, editor):
    # A claim an editor must check, from an address off the clinic's domain. Set to
    # "waiting for the emailed link", its claimant could send that address a link
    # ("Send the link again") and verify the claim themselves.
    clinic = make_clinic(slug="calm-harbor", website="https://calm-harbor.example")
    claimant = make_user("jo@gmail.example")
    claim = Claim.objects.create(
        clinic=clinic, user=claimant, work_email="jo@gmail.example", job_title="Nurse"
    )
    page = client.get(f"/admin/listings/claim/{claim.pk}/change/").text
    assert 'value="email-sent"' not in page
    assert 'value="approved"' in page and 'value="rejected"' in page
    client.post(f"/admin/listings/claim/{claim.pk}/change/", {"status": "email-sent"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW

    client.force_login(claimant)
    client.post("/account/claim/calm-harbor/", {"action": "resend"})
    assert not mail.outbox


def test_undo_leaves_alone_what_was_changed_again_since(client, editor, clinic):
    from listings.editing import save_listing

    staff = make_member(clinic)
    first = save_listing(clinic, staff, {"description": "One", "phone": "(512) 555-0101"})
    save_listing(clinic, staff, {"description": "Two"})
    response = client.post(
        "/admin/listings/listingchange/",
        {"action": "undo", "_selected_action": [first.pk]},
        follow=True,
    )
    clinic.refresh_from_db()
    assert clinic.description == "Two"  # the later edit is kept
    assert clinic.phone == ""  # the rest of the change is undone
    assert "Left as they are, because they were changed again since: Description" in response.text


def _undo(client, *changes):
    return client.post(
        "/admin/listings/listingchange/",
        {"action": "undo", "_selected_action": [change.pk for change in changes]},
        follow=True,
    )


def test_an_undo_that_would_leave_insurance_for_a_treatment_not_offered_is_refused(
    client, editor, clinic
):
    from listings.editing import save_listing

    staff = make_member(clinic)
    at_home = {"price_min": 150, "price_max": 200, "series_sessions": None, "series_price": None}
    added = save_listing(clinic, staff, {"offering:at-home": at_home | {"notes": ""}})
    ticked = save_listing(clinic, staff, {"insurance": ["cigna:at-home"]})

    response = _undo(client, added)
    assert "Not undone" in response.text
    assert "insurance ticked for At-home sublingual/oral ketamine" in response.text
    assert clinic.offerings.filter(route="at-home").exists()
    assert not ListingChange.objects.filter(reverts=added).exists()
    # Undone newest first, together, the listing is never left that way.
    response = _undo(client, added, ticked)
    assert "Undid 2 change(s)" in response.text
    assert list(clinic.offerings.values_list("route", flat=True)) == ["iv"]
    assert not clinic.accepted_payers.exists()


def test_an_undo_that_would_leave_no_treatment_is_refused(client, editor, clinic):
    from listings.editing import save_listing

    staff = make_member(clinic)
    spravato = {"price_min": 700, "price_max": 800, "series_sessions": None, "series_price": None}
    added = save_listing(clinic, staff, {"offering:spravato": spravato | {"notes": ""}})
    save_listing(clinic, staff, {"offering:iv": None})

    response = _undo(client, added)
    assert "it would leave the listing with no treatment" in response.text
    assert clinic.offerings.filter(route="spravato").exists()


def test_an_impossible_price_in_the_admin_is_explained_in_words(client, editor, clinic):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {"offerings-0-price_min": "500"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The highest price can&#x27;t be below the lowest." in response.text
    assert "is violated" not in response.text


def test_a_stale_admin_save_of_other_parts_keeps_their_changes(client, editor, clinic):
    from listings.editing import save_listing

    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {
        "phone": "(512) 555-0001",
        "street_address": "1 Harbor Way",
    }
    iv = {"price_min": 400, "price_max": 475, "series_sessions": None, "series_price": None}
    save_listing(
        clinic,
        make_member(clinic),
        {
            "offering:iv": iv | {"notes": ""},
            "insurance": ["aetna:"],
            "conditions": ["ptsd"],
            "description": "Open on Saturdays.",
        },
    )

    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    clinic.refresh_from_db()
    assert clinic.phone == "(512) 555-0001"
    assert clinic.street_address == "1 Harbor Way"
    # What the staff saved meanwhile, which the editor's page still showed the old values of.
    assert Offering.objects.get(clinic=clinic, route="iv").price_max == 475
    assert clinic.description == "Open on Saturdays."
    assert list(clinic.accepted_payers.values_list("payer__slug", flat=True)) == ["aetna"]
    assert list(clinic.conditions.values_list("slug", flat=True)) == ["ptsd"]
    assert ListingChange.objects.get(user=editor).changes == {
        "phone": ["", "(512) 555-0001"],
        "street_address": ["", "1 Harbor Way"],
    }


def test_a_conflict_names_only_what_both_changed_and_shows_the_rest_as_saved(
    client, editor, clinic
):
    # Staff changed the description and the hours; the editor only the hours.
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {"hours": "Mon-Fri 9-5"}
    save_listing(
        clinic,
        make_member(clinic, make_user("staff@calm-harbor.example")),
        {"description": "Now open on Saturdays.", "hours": "Mon-Sat 8-6", "conditions": ["ptsd"]},
    )

    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.non_field_errors()) == [
        "Someone saved this listing after you opened it, changing some of what you changed: "
        "Hours: Mon-Sat 8-6 (by staff@calm-harbor.example). Your edits are below, not saved. "
        "Save again to put yours in place of theirs. What else they saved stays: "
        "Description: Now open on Saturdays. (by staff@calm-harbor.example); "
        "Conditions: PTSD (by staff@calm-harbor.example)."
    ]
    # What only they changed shows their words; what the editor typed is kept.
    again = admin_form_data(response)
    assert again["description"] == "Now open on Saturdays."
    assert again["hours"] == "Mon-Fri 9-5"
    assert again["conditions"] == [str(Condition.objects.get(slug="ptsd").pk)]

    assert client.post(url, again).status_code == 302
    clinic.refresh_from_db()
    assert (clinic.description, clinic.hours) == ("Now open on Saturdays.", "Mon-Fri 9-5")
    assert list(clinic.conditions.values_list("slug", flat=True)) == ["ptsd"]
    assert ListingChange.objects.filter(user=editor).get().changes == {
        "hours": ["Mon-Sat 8-6", "Mon-Fri 9-5"]
    }


def test_a_stale_admin_save_of_prices_and_insurance_keeps_their_phone(client, editor, clinic):
    from clinics.models import Payer
    from listings.editing import save_listing

    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {
        "offerings-0-price_max": "475",
        "accepted_payers-TOTAL_FORMS": "1",
        "accepted_payers-0-payer": Payer.objects.get(slug="aetna").pk,
        "accepted_payers-0-route": "",
    }
    save_listing(clinic, make_member(clinic), {"phone": "(512) 555-0999"})

    assert client.post(url, data).status_code == 302
    clinic.refresh_from_db()
    assert clinic.phone == "(512) 555-0999"
    assert Offering.objects.get(clinic=clinic, route="iv").price_max == 475
    assert set(ListingChange.objects.get(user=editor).changes) == {"offering:iv", "insurance"}


def test_an_overlapping_admin_save_warns_then_writes_only_the_editors_parts(client, editor, clinic):
    from listings.editing import save_listing

    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {
        "offerings-0-price_max": "500",
        "description": "Calm rooms.",
    }
    iv = {"price_min": 400, "price_max": 475, "series_sessions": None, "series_price": None}
    save_listing(
        clinic, make_member(clinic), {"offering:iv": iv | {"notes": ""}, "phone": "(512) 555-0999"}
    )

    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone saved this listing after you opened it" in response.text
    assert "$400 to $475 per session" in response.text  # what they saved
    assert 'value="500"' in response.text  # what the editor typed, kept
    assert Offering.objects.get(clinic=clinic, route="iv").price_max == 475
    assert ListingChange.objects.count() == 1

    again = data | {"seen_version": response.context["adminform"].form["seen_version"].value()}
    assert client.post(url, again).status_code == 302
    clinic.refresh_from_db()
    assert Offering.objects.get(clinic=clinic, route="iv").price_max == 500
    assert clinic.description == "Calm rooms."
    # Their phone number, which the editor's page still held empty, stays.
    assert clinic.phone == "(512) 555-0999"
    assert set(ListingChange.objects.get(user=editor).changes) == {"offering:iv", "description"}
    # The page shown with the warning still says where the editor started from.
    assert response.context["adminform"].form["started"].value() == str(data["started"])


def test_a_stale_admin_save_keeps_the_rows_they_deleted(client, editor, clinic):
    from listings.editing import save_listing

    staff = make_member(clinic)
    save_listing(clinic, staff, {"insurance": ["aetna:"]})
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {"phone": "(512) 555-0001"}
    # The editor's page still has rows (with their ids) for the IV prices and Aetna.
    save_listing(clinic, staff, {"offering:iv": None, "insurance": []})

    response = client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    clinic.refresh_from_db()
    assert clinic.phone == "(512) 555-0001"
    assert not clinic.offerings.exists()
    assert not clinic.accepted_payers.exists()
    assert ListingChange.objects.get(user=editor).changes == {"phone": ["", "(512) 555-0001"]}


def test_editing_a_row_they_deleted_warns_then_puts_it_back(client, editor, clinic):
    from listings.editing import save_listing

    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {"offerings-0-price_max": "500"}
    save_listing(clinic, make_member(clinic), {"offering:iv": None})

    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone saved this listing after you opened it" in response.text
    assert "not offered" in response.text
    assert not clinic.offerings.exists()

    again = data | {"seen_version": response.context["adminform"].form["seen_version"].value()}
    assert client.post(url, again).status_code == 302
    iv = Offering.objects.get(clinic=clinic, route="iv")
    assert (iv.price_min, iv.price_max) == (400, 500)


def test_a_page_shown_again_keeps_every_row_the_editor_sent(client, editor, clinic):
    from listings.editing import save_listing

    Offering.objects.create(clinic=clinic, route="im", price_min=300, price_max=350)
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    opened = client.get(url)
    routes = [form.form["route"].value() for form in opened.context["inline_admin_formsets"][0]][:2]
    iv = routes.index("iv")
    data = admin_form_data(opened) | {
        f"offerings-{iv}-price_max": "500",
        f"offerings-{1 - iv}-price_max": "375",
    }
    # Someone deletes the IV row after the page was opened.
    save_listing(clinic, make_member(clinic), {"offering:iv": None})

    response = client.post(url, data)
    assert response.status_code == 200
    inline = response.context["inline_admin_formsets"][0]
    shown = [form.form["route"].value() for form in inline]
    assert shown[:2] == routes, "a row the editor sent is missing from the page"
    assert f'name="offerings-{iv}-price_max" value="500"' in response.text
    assert f'name="offerings-{1 - iv}-price_max" value="375"' in response.text


@pytest.fixture
def colleague():
    """A second editor, in a browser of their own."""
    browser = Client()
    browser.force_login(make_editor("colleague@site.example"))
    return browser


def test_a_stale_admin_save_keeps_the_name_place_and_status_they_changed(
    client, editor, colleague, clinic
):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {"phone": "(512) 555-0001"}
    moved = admin_form_data(colleague.get(url)) | {
        "name": "Calm Harbour Ketamine",
        "street_address": "2 Pier Road",
        "city": "Dallas",
        "zip_code": "75201",
        "status": "hidden",
    }
    assert colleague.post(url, moved).status_code == 302
    theirs = Clinic.objects.get(pk=clinic.pk)
    assert round(theirs.latitude, 2) == 32.79  # found again for the new ZIP code

    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    clinic.refresh_from_db()
    assert clinic.phone == "(512) 555-0001"
    # The editor's page still showed the old name, address, place and status.
    assert (clinic.name, clinic.street_address, clinic.city, clinic.zip_code, clinic.status) == (
        "Calm Harbour Ketamine",
        "2 Pier Road",
        "Dallas",
        "75201",
        "hidden",
    )
    assert (clinic.latitude, clinic.longitude, clinic.city_slug) == (
        theirs.latitude,
        theirs.longitude,
        "dallas",
    )
    # The admin's own log says what this editor changed, not what they only sent back.
    logged = LogEntry.objects.filter(user=editor).get().get_change_message()
    assert "Phone" in logged and "Name" not in logged and "Status" not in logged


def test_a_stale_admin_save_does_not_verify_again_a_listing_nobody_manages(client, editor, clinic):
    staff = make_member(clinic)
    Clinic.objects.filter(pk=clinic.pk).update(is_verified=True)
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {"description": "Calm rooms."}
    data["is_verified"] = "on"  # as a page with the old box ticked would send it
    staff.is_active = False  # closing the only staff account unverifies the listing
    staff.save()

    assert client.post(url, data).status_code == 302
    clinic.refresh_from_db()
    assert clinic.description == "Calm rooms."
    assert not clinic.is_verified
    assert "Not verified" in Client().get("/clinics/calm-harbor/").text


def test_a_field_both_changed_shows_both_values_then_saving_again_keeps_the_editors(
    client, editor, colleague, clinic
):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {
        "name": "Calm Harbor Ketamine & Wellness",
        "zip_code": "78702",
        "phone": "(512) 555-0001",
    }
    renamed = admin_form_data(colleague.get(url)) | {
        "name": "Calm Harbour Ketamine",
        "status": "hidden",
    }
    assert colleague.post(url, renamed).status_code == 302

    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.non_field_errors()) == [
        "Someone saved this listing after you opened it, changing some of what you changed: "
        "Name: Calm Harbour Ketamine (by colleague@site.example). Your edits are below, "
        "not saved. Save again to put yours in place of theirs. What else they saved "
        "stays: Status: Hidden (by colleague@site.example)."
    ]
    assert 'value="Calm Harbor Ketamine &amp; Wellness"' in response.text  # typed, kept
    clinic.refresh_from_db()
    assert (clinic.name, clinic.zip_code, clinic.phone) == ("Calm Harbour Ketamine", "78701", "")

    # Sent again as the page now stands: the status only they changed shows their value.
    again = admin_form_data(response)
    assert again["status"] == "hidden"
    assert again["name"] == "Calm Harbor Ketamine & Wellness"
    assert client.post(url, again).status_code == 302
    clinic.refresh_from_db()
    assert (clinic.name, clinic.zip_code, clinic.phone, clinic.status) == (
        "Calm Harbor Ketamine & Wellness",
        "78702",
        "(512) 555-0001",
        "hidden",
    )
    mine = ListingChange.objects.filter(user=editor).get()
    assert mine.changes["name"] == ["Calm Harbour Ketamine", "Calm Harbor Ketamine & Wellness"]
    assert "status" not in mine.changes


def test_name_place_website_and_status_changes_are_in_the_history_and_undone(
    client, editor, clinic
):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {
        "name": "Calm Harbour Ketamine",
        "street_address": "2 Pier Road",
        "city": "Denver",
        "state": "CO",
        "zip_code": "80202",
        "website": "https://calm-harbour.example",
        "status": "hidden",
    }
    assert client.post(url, data).status_code == 302
    change = ListingChange.objects.get()
    assert change.changes == {
        "name": ["Calm Harbor Ketamine", "Calm Harbour Ketamine"],
        "street_address": ["", "2 Pier Road"],
        "city": ["Austin", "Denver"],
        "state": ["TX", "CO"],
        "zip_code": ["78701", "80202"],
        "website": ["", "https://calm-harbour.example"],
        "status": ["published", "hidden"],
    }
    moved = Clinic.objects.get(pk=clinic.pk)
    assert (moved.city_slug, round(moved.latitude, 1)) == ("denver", 39.7)
    page = client.get(f"/admin/listings/listingchange/?clinic__id__exact={clinic.pk}").text
    for row in (
        "Name: Calm Harbor Ketamine → Calm Harbour Ketamine",
        "Status: Published → Hidden",
        "State: Texas → Colorado",
        "ZIP code: 78701 → 80202",
        "Street address: (empty) → 2 Pier Road",
    ):
        assert row in page

    response = client.post(
        "/admin/listings/listingchange/", {"action": "undo", "_selected_action": [change.pk]}
    )
    assert response.status_code == 302
    back = Clinic.objects.get(pk=clinic.pk)
    assert (back.name, back.street_address, back.city, back.state, back.zip_code) == (
        "Calm Harbor Ketamine",
        "",
        "Austin",
        "TX",
        "78701",
    )
    assert (back.website, back.status, back.city_slug) == ("", "published", "austin")
    assert round(back.latitude, 1) == 30.3  # Austin's again, not Denver's
    assert ListingChange.objects.get(reverts=change).user == editor


def test_staff_edits_record_only_what_staff_change_not_the_name_or_place(client, clinic):
    staff = make_member(clinic)
    client.force_login(staff)
    from tests.listings.test_editing import form_data

    data = form_data(client) | {"phone": "(512) 555-0100"}
    response = client.post("/account/clinics/calm-harbor/", data)
    assert response.status_code == 302
    assert ListingChange.objects.get().changes == {"phone": ["", "(512) 555-0100"]}


def test_a_listing_whose_staff_include_a_deactivated_account_can_still_be_saved(
    client, editor, clinic
):
    staff = make_member(clinic)
    staff.is_active = False
    staff.save()
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {"description": "Calm rooms."}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][2].formset.errors
    assert Clinic.objects.get(pk=clinic.pk).description == "Calm rooms."
    # Their membership stays (an editor removes it, or the account comes back).
    assert Membership.objects.filter(clinic=clinic, user=staff).exists()


def test_rows_both_added_are_merged_by_route_and_payer_not_refused(client, editor, clinic):
    from clinics.models import Payer
    from listings.editing import save_listing

    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {
        "offerings-TOTAL_FORMS": "2",
        "offerings-1-route": "spravato",
        "offerings-1-price_min": "650",
        "offerings-1-price_max": "850",
        "accepted_payers-TOTAL_FORMS": "1",
        "accepted_payers-0-payer": Payer.objects.get(slug="aetna").pk,
        "accepted_payers-0-route": "",
    }
    spravato = {"price_min": 600, "price_max": 900, "series_sessions": None, "series_price": None}
    save_listing(
        clinic,
        make_member(clinic),
        {"offering:spravato": spravato | {"notes": ""}, "insurance": ["aetna:"]},
    )

    response = client.post(url, data)
    assert response.status_code == 200
    assert "already exists" not in response.text
    assert "Someone saved this listing after you opened it" in response.text
    assert "$600 to $900 per session" in response.text  # what they saved
    assert 'value="650"' in response.text  # what the editor typed, kept
    assert Offering.objects.get(clinic=clinic, route="spravato").price_min == 600

    again = data | {"seen_version": response.context["adminform"].form["seen_version"].value()}
    response = client.post(url, again)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    offered = Offering.objects.get(clinic=clinic, route="spravato")
    assert (offered.price_min, offered.price_max) == (650, 850)
    # The same insurer added by both is one row.
    assert list(clinic.accepted_payers.values_list("payer__slug", "route")) == [("aetna", "")]


def test_the_same_route_twice_on_one_page_is_still_refused(client, editor, clinic):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {
        "offerings-TOTAL_FORMS": "2",
        "offerings-1-route": "iv",
        "offerings-1-price_min": "300",
        "offerings-1-price_max": "350",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for route" in response.text
    assert Offering.objects.get(clinic=clinic, route="iv").price_max == 450


def test_prices_are_changed_on_the_clinics_page_not_in_the_offering_list(client, editor, clinic):
    # A change there would be in no listing's history, and a stale clinic page
    # would put the old price back without a word.
    offering = Offering.objects.get(clinic=clinic)
    url = f"/admin/clinics/offering/{offering.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="price_max"' not in page.text
    response = client.post(
        url, {"clinic": clinic.pk, "route": "iv", "price_min": 1, "price_max": 2}
    )
    assert response.status_code == 403
    assert client.get("/admin/clinics/offering/add/").status_code == 403
    assert (
        client.post(f"/admin/clinics/offering/{offering.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Offering.objects.get(pk=offering.pk).price_max == 450
    assert client.get("/admin/clinics/offering/").status_code == 200


def _many_changes(clinic, staff, count):
    long_text = " ".join(f"word{n}" for n in range(150))
    ListingChange.objects.bulk_create(
        ListingChange(
            clinic=clinic,
            user=staff,
            version=version,
            changes={"description": [long_text, long_text.replace("word75", f"edit{version}")]},
        )
        for version in range(1, count + 1)
    )


def test_the_clinic_page_does_not_grow_with_its_history(
    client, editor, clinic, django_assert_max_num_queries
):
    staff = make_member(clinic)
    _many_changes(clinic, staff, 200)
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    # 416 before: two per row of the whole history.
    with django_assert_max_num_queries(18):
        page = client.get(url)
    assert page.status_code == 200
    assert len(page.content) < 90_000  # it was 318 KB after 200 saves
    # The latest changes only, and a way to all of them.
    assert "edit200" in page.text and "edit150" not in page.text
    assert f'href="/admin/listings/listingchange/?clinic__id__exact={clinic.pk}"' in page.text
    listed = client.get(f"/admin/listings/listingchange/?clinic__id__exact={clinic.pk}")
    assert listed.status_code == 200 and "200 listing changes" in listed.text


def test_what_changed_shows_the_changed_words_not_both_whole_texts(client, editor, clinic):
    staff = make_member(clinic)
    before = "We offer IV ketamine. " * 20 + "Parking is free. " + "Call us to book. " * 20
    after = before.replace("Parking is free.", "Parking is <b>$5</b>.")
    ListingChange.objects.create(
        clinic=clinic, user=staff, version=1, changes={"description": [before, after]}
    )
    for url in (f"/admin/clinics/clinic/{clinic.pk}/change/", "/admin/listings/listingchange/"):
        page = client.get(url).text
        assert "<del>free.</del>" in page and "<ins>&lt;b&gt;$5&lt;/b&gt;.</ins>" in page
        assert page.count("We offer IV ketamine.") < 5
        assert "<b>$5</b>" not in page


def test_the_claims_queue_opens_on_those_waiting_for_an_editor_oldest_first(client, editor):
    clinic = make_clinic("Calm Harbor Ketamine", website="https://www.calm-harbor.example")
    first, second = make_user("first@gmail.example"), make_user("second@calm-harbor.example")
    for person in (first, second):
        Claim.objects.create(clinic=clinic, user=person, work_email=person.email, job_title="Nurse")
    Claim.objects.create(
        clinic=clinic,
        user=make_user("done@example.org"),
        work_email="done@example.org",
        job_title="Nurse",
        status=Claim.Status.APPROVED,
    )
    opened = client.get("/admin/listings/claim/")
    assert opened.status_code == 302
    assert opened["Location"].endswith("?status=in-review")
    page = client.get(opened["Location"]).text
    assert "done@example.org" not in page
    assert page.index("first@gmail.example") < page.index("second@calm-harbor.example")
    assert "https://www.calm-harbor.example" in page
    assert "Email on its website" in page
    assert page.count('alt="True"') == 1  # the address on calm-harbor.example


def test_claim_and_history_name_people_without_links_editors_cannot_open(client, editor, clinic):
    from listings.editing import save_listing

    person = make_user("jo@gmail.example")
    claim = Claim.objects.create(
        clinic=clinic, user=person, work_email="jo@gmail.example", job_title="Nurse"
    )
    save_listing(clinic, person, {"phone": "(512) 555-0100"})
    for url in (
        f"/admin/listings/claim/{claim.pk}/change/",
        f"/admin/clinics/clinic/{clinic.pk}/change/",
        f"/admin/listings/listingchange/{ListingChange.objects.get().pk}/change/",
    ):
        page = client.get(url).text
        assert "jo@gmail.example" in page
        assert "/admin/auth/user/" not in page


@pytest.mark.parametrize("website", ["https://calm-harbor.example", "http://calm-harbor.example"])
def test_editors_change_the_website_in_the_admin(client, editor, clinic, website):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url)) | {"website": website})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Clinic.objects.get(pk=clinic.pk).website == website


def test_the_admin_refuses_a_website_that_is_not_a_web_address(client, editor, clinic):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    response = client.post(
        url, admin_form_data(client.get(url)) | {"website": "javascript:alert(1)"}
    )
    assert response.status_code == 200
    assert "Enter a valid URL" in response.text
    assert Clinic.objects.get(pk=clinic.pk).website == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"offerings-0-price_min": "1"}, "$1 a session is outside what IV ketamine infusion"),
        ({"offerings-0-price_max": "9999"}, "$9,999 a session is outside"),
        ({"offerings-0-series_sessions": "60"}, "60 sessions is more than a first series"),
        ({"offerings-0-series_price": "600000"}, "$600,000 for 6 sessions of IV"),
    ],
)
def test_the_admin_refuses_an_implausible_price_as_the_staff_form_does(
    client, editor, clinic, changes, message
):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url)) | changes)
    assert response.status_code == 200
    assert message in response.text
    assert "ask the site&#x27;s developers to widen the range" in response.text
    offering = Offering.objects.get(clinic=clinic)
    assert (offering.price_min, offering.price_max, offering.series_sessions) == (400, 450, None)
    assert not ListingChange.objects.exists()


def test_the_admin_refuses_a_package_priced_like_one_session_as_the_staff_form_does(
    client, editor, clinic
):
    # IV at $400-$450, 6 sessions: $1,100 for the series is a session's price slipped in.
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    response = client.post(
        url, admin_form_data(client.get(url)) | {"offerings-0-series_price": "1100"}
    )
    assert response.status_code == 200
    assert "less than half the price of 6 sessions at the lowest price ($400 each)" in response.text
    assert "widen the range" not in response.text
    assert Offering.objects.get(clinic=clinic).series_price is None
    ok = client.post(url, admin_form_data(client.get(url)) | {"offerings-0-series_price": "1200"})
    assert ok.status_code == 302


def test_the_listing_changes_list_does_not_grow_with_its_undos(
    client, editor, clinic, django_assert_max_num_queries
):
    staff = make_member(clinic)
    _many_changes(clinic, staff, 10)
    ListingChange.objects.bulk_create(
        ListingChange(clinic=clinic, user=editor, version=100 + n, changes={}, reverts=change)
        for n, change in enumerate(ListingChange.objects.all())
    )
    # 21 before: each undo's row read the clinic of the change it undid.
    with django_assert_max_num_queries(12):
        page = client.get("/admin/listings/listingchange/")
    assert page.status_code == 200
    assert page.text.count(f"Change to {clinic}") >= 20  # the changes and the ones they undo


def test_all_claims_can_be_browsed_not_only_one_status_at_a_time(client, editor, clinic):
    for email, status in [
        ("waiting@example.org", Claim.Status.IN_REVIEW),
        ("approved@example.org", Claim.Status.APPROVED),
        ("rejected@example.org", Claim.Status.REJECTED),
    ]:
        Claim.objects.create(
            clinic=clinic, user=make_user(email), work_email=email, job_title="Nurse", status=status
        )
    queue = client.get(client.get("/admin/listings/claim/")["Location"])
    assert "approved@example.org" not in queue.text
    # The filter's "All" link has a value of its own, so it is not sent back to the queue.
    all_link = '<a href="?status=all">All</a>'
    assert all_link in queue.text
    everything = client.get("/admin/listings/claim/?status=all")
    assert everything.status_code == 200
    for email in ("waiting@example.org", "approved@example.org", "rejected@example.org"):
        assert email in everything.text
    decided = client.get("/admin/listings/claim/?status=approved")
    assert "approved@example.org" in decided.text and "rejected@example.org" not in decided.text
    # An old bookmark of the queue still filters.
    old = client.get("/admin/listings/claim/?status__exact=in-review")
    assert old.status_code == 200 and "approved@example.org" not in old.text


def test_editors_cannot_tick_verified_on_a_listing_nobody_claimed(client, editor, clinic):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    page = client.get(url)
    assert 'name="is_verified"' not in page.text
    assert "approves a claim" in page.text  # how a listing becomes verified
    data = admin_form_data(page) | {"is_verified": "on", "description": "Calm rooms."}
    assert client.post(url, data).status_code == 302
    clinic.refresh_from_db()
    assert clinic.description == "Calm rooms."
    assert not clinic.is_verified
    added = client.post("/admin/clinics/clinic/add/", _new_clinic_data() | {"is_verified": "on"})
    assert added.status_code == 302, added.context["adminform"].form.errors
    assert not Clinic.objects.get(slug="new-harbor").is_verified


def test_approving_a_claim_still_verifies_the_listing(client, editor, clinic):
    claim = Claim.objects.create(
        clinic=clinic, user=make_user(), work_email="jo@gmail.example", job_title="Nurse"
    )
    client.post("/admin/listings/claim/", {"action": "approve", "_selected_action": [claim.pk]})
    clinic.refresh_from_db()
    assert clinic.is_verified


def test_approving_a_claim_on_a_hidden_listing_warns_the_editor(client, editor, clinic):
    clinic.status = Clinic.Status.HIDDEN
    clinic.save()
    claim = Claim.objects.create(
        clinic=clinic, user=make_user(), work_email="jo@gmail.example", job_title="Nurse"
    )
    response = client.post(
        "/admin/listings/claim/",
        {"action": "approve", "_selected_action": [claim.pk]},
        follow=True,
    )
    said = " ".join(str(message) for message in response.context["messages"])
    assert "Calm Harbor Ketamine is hidden: its new staff can keep it up to date" in said


def _new_clinic_data(**fields):
    """What the admin's add page sends for a new clinic with one IV price."""
    return {
        "name": "New Harbor Ketamine",
        "slug": "new-harbor",
        "status": "published",
        "city": "Austin",
        "state": "TX",
        "zip_code": "78701",
        "offerings-TOTAL_FORMS": "1",
        "offerings-INITIAL_FORMS": "0",
        "offerings-0-route": "iv",
        "offerings-0-price_min": "400",
        "offerings-0-price_max": "450",
        "accepted_payers-TOTAL_FORMS": "0",
        "accepted_payers-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
    } | fields


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "12"}, "phone", "a US number with its area code"),
        ({"phone": "abc"}, "phone", "a US number with its area code"),
        (
            {"description": "x" * 5001},
            "description",
            "Keep this under 5,000 characters (it has 5,001).",
        ),
        ({"hours": "x" * 501}, "hours", "Keep this under 500 characters (it has 501)."),
        (
            {"providers": "x" * 2001},
            "providers",
            "Keep this under 2,000 characters (it has 2,001).",
        ),
        ({"zip_code": "00000"}, "zip_code", "would drop out of every near-ZIP search"),
    ],
)
def test_the_clinic_admin_refuses_what_the_staff_form_refuses(
    client, editor, clinic, changes, field, message
):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url)) | changes)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors.get(field, []))
    assert message in errors
    for name, value in changes.items():  # what was typed is kept
        assert response.context["adminform"].form[name].value() == value
    stored = Clinic.objects.get(pk=clinic.pk)
    assert (stored.phone, stored.zip_code, stored.description) == ("", "78701", "")
    assert not ListingChange.objects.exists()


def test_a_zip_code_the_table_lacks_is_taken_with_coordinates_typed(client, editor, clinic):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {
        "zip_code": "00000",
        "latitude": "30.5",
        "longitude": "-97.5",
        "phone": "(512) 555-0100 ext. 12",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Clinic.objects.get(pk=clinic.pk)
    assert (stored.zip_code, stored.latitude, stored.longitude) == ("00000", 30.5, -97.5)


def test_an_unknown_zip_already_stored_does_not_stop_other_edits(client, editor, clinic):
    Clinic.objects.filter(pk=clinic.pk).update(zip_code="00000")
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {"description": "Calm rooms."}
    assert client.post(url, data).status_code == 302
    assert Clinic.objects.get(pk=clinic.pk).description == "Calm rooms."


def test_a_new_clinic_in_the_admin_needs_a_zip_code_the_table_knows(client, editor):
    response = client.post("/admin/clinics/clinic/add/", _new_clinic_data(zip_code="00000"))
    assert response.status_code == 200
    assert "would drop out of every near-ZIP search" in response.text
    assert not Clinic.objects.filter(slug="new-harbor").exists()


def test_a_clinic_created_in_the_admin_starts_its_history(client, editor):
    response = client.post("/admin/clinics/clinic/add/", _new_clinic_data(phone="(512) 555-0100"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    clinic = Clinic.objects.get(slug="new-harbor")
    created = ListingChange.objects.get()
    assert (created.clinic, created.user, created.version) == (clinic, editor, 0)
    assert created.changes["name"] == ["", "New Harbor Ketamine"]
    assert created.changes["phone"] == ["", "(512) 555-0100"]
    assert created.changes["offering:iv"][0] is None
    assert "telehealth" not in created.changes  # only what the new listing has
    page = client.get(f"/admin/clinics/clinic/{clinic.pk}/change/").text
    assert "Name: (empty) → New Harbor Ketamine" in page

    # Its creation is not undone (that would blank the listing): hiding it is.
    response = client.post(
        "/admin/listings/listingchange/",
        {"action": "undo", "_selected_action": [created.pk]},
        follow=True,
    )
    assert "its creation, which can&#x27;t be undone" in response.text
    clinic.refresh_from_db()
    assert clinic.name == "New Harbor Ketamine"
    assert ListingChange.objects.count() == 1
    # Later edits count from it as before.
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    assert (
        client.post(url, admin_form_data(client.get(url)) | {"hours": "Mon 9-5"}).status_code == 302
    )
    assert ListingChange.objects.get(version=1).changes == {"hours": ["", "Mon 9-5"]}


def _row_of(data, prefix, route):
    """The form prefix ('offerings-1') of the inline row for `route`."""
    for key, value in data.items():
        if key.startswith(prefix) and key.endswith("-route") and value == route:
            return key.rsplit("-", 1)[0]
    raise AssertionError(f"no {prefix} row for {route}")


def test_an_editor_deleting_a_price_row_takes_its_insurance_with_it(client, editor):
    # No conflict (nobody else saved), and no insurance left for a treatment
    # the listing no longer offers: the page would list "Medicare (for Spravato)".
    clinic = make_clinic(
        offerings={"iv": (400, 450), "spravato": (600, 900)},
        payers=[("medicare", "spravato"), "aetna"],
    )
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url))
    data[f"{_row_of(data, 'offerings-', 'spravato')}-DELETE"] = "on"
    response = client.post(url, data, follow=True)
    assert response.redirect_chain
    assert not clinic.offerings.filter(route="spravato").exists()
    assert list(clinic.accepted_payers.values_list("payer__slug", "route")) == [("aetna", "")]
    said = [str(message) for message in response.context["messages"]]
    assert "Removed with the treatment it was for: Medicare (for Spravato)." in said
    assert ListingChange.objects.get(user=editor).changes["insurance"] == [
        ["aetna:", "medicare:spravato"],
        ["aetna:"],
    ]


def test_insurance_added_for_a_treatment_not_offered_is_refused(client, editor):
    clinic = make_clinic(offerings={"iv": (400, 450)})
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url))
    row = "accepted_payers-0"  # the first empty row: the clinic has no insurance yet
    from clinics.models import Payer

    data |= {
        "accepted_payers-TOTAL_FORMS": "1",
        f"{row}-payer": Payer.objects.get(slug="aetna").pk,
        f"{row}-route": "spravato",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.non_field_errors()) == [
        "Not saved: insurance for Spravato, which this listing does not offer: Aetna (for "
        "Spravato). Add Spravato’s prices too, or leave the insurance’s route empty (all routes)."
    ]
    assert not clinic.accepted_payers.exists()


def test_a_published_listing_keeps_a_treatment_unless_it_is_hidden(client, editor):
    clinic = make_clinic(offerings={"iv": (400, 450)})
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url))
    data[f"{_row_of(data, 'offerings-', 'iv')}-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.non_field_errors()) == [
        "Not saved: a published listing shows its prices, and this would leave it with none. "
        "Keep at least one treatment, or set the status to Hidden."
    ]
    assert clinic.offerings.exists()
    assert client.post(url, data | {"status": "hidden"}).status_code == 302
    assert not clinic.offerings.exists()


def test_a_conflict_over_insurance_for_a_deleted_treatment_clears_on_saving_again(client, editor):
    clinic = make_clinic(
        offerings={"iv": (400, 450), "spravato": (600, 900)}, payers=[("medicare", "spravato")]
    )
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url))
    data[f"{_row_of(data, 'offerings-', 'spravato')}-DELETE"] = "on"
    data[f"{_row_of(data, 'accepted_payers-', 'spravato')}-DELETE"] = "on"
    save_listing(
        clinic, make_member(clinic), {"insurance": ["medicare:spravato", "tricare:spravato"]}
    )
    refused = client.post(url, data)
    assert refused.status_code == 200
    [said] = refused.context["adminform"].form.non_field_errors()
    assert said.startswith(
        "Someone saved this listing after you opened it. Together with their changes, yours "
        "would leave insurance ticked for Spravato (esketamine) nasal spray, which the listing "
        "would not offer. They saved: Insurance: added: Tricare (for Spravato)"
    ), said
    again = data | {"seen_version": refused.context["adminform"].form["seen_version"].value()}
    assert client.post(url, again).status_code == 302


def test_a_change_is_named_in_the_sites_time(clinic):
    from datetime import UTC, datetime

    from listings.editing import save_listing

    change = save_listing(clinic, make_member(clinic), {"phone": "(512) 555-0100"})
    change.created_at = datetime(2026, 12, 2, 6, 33, tzinfo=UTC)
    # 06:33 UTC is 01:33 in New York, as the list's date column says.
    assert str(change) == "Change to Calm Harbor Ketamine on 2026-12-02 01:33"


def test_a_payer_deleted_while_an_editor_has_the_listing_open_is_dropped_and_said(client, editor):
    from clinics.models import Payer

    clinic = make_clinic(offerings={"spravato": (700, 800)}, payers=[("humana", "spravato")])
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {"hours": "Mon–Fri 9–5"}
    Payer.objects.get(slug="humana").delete()  # a superuser, meanwhile
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    clinic.refresh_from_db()
    assert clinic.hours == "Mon–Fri 9–5"
    assert not clinic.accepted_payers.exists()
    said = " ".join(str(message) for message in response.context["messages"])
    assert "was taken off the site since you opened this page" in said


def test_an_insurance_change_reads_without_an_arrow_to_or_from_nothing(client, editor, clinic):
    save_listing(clinic, editor, {"insurance": ["aetna:iv"]})
    page = client.get(f"/admin/listings/listingchange/?clinic__id__exact={clinic.pk}").text
    assert "Insurance: added: Aetna (for IV infusion)" in page
    assert "→ added" not in page and "Insurance:  →" not in page
