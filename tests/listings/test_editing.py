import re
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.test import Client

from clinics.models import AcceptedPayer, Clinic, Offering, Payer
from listings.models import ListingChange
from tests.builders import make_clinic, make_member, make_user
from tests.pages import title

pytestmark = pytest.mark.django_db

URL = "/account/clinics/calm-harbor/"


@pytest.fixture
def clinic():
    return make_clinic(
        "Calm Harbor Ketamine",
        slug="calm-harbor",
        offerings={"iv": (400, 450), "spravato": (600, 900)},
        payers=["aetna", ("medicare", "spravato"), "payment-plans"],
        conditions=["ptsd"],
        phone="(512) 555-0100",
        description="A quiet clinic.",
    )


@pytest.fixture
def staff(client, clinic):
    user = make_member(clinic, make_user("jo@calm-harbor.example"))
    client.force_login(user)
    return user


def form_data(client):
    """What the edit page's form would send back unchanged, as a mutable dict."""
    response = client.get(URL)
    assert response.status_code == 200
    return sent_back(response)


def sent_back(response):
    """What the edit form on this page would send, unchanged."""
    forms = response.context["forms"]
    data = {}
    for form in [forms.details, *forms.offerings]:
        for field in form:
            value = field.value()
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = value
    data["accepted"] = forms.insurance["accepted"].value()
    data.pop("confirm_prices", None)
    return data


def test_the_phone_box_brings_up_a_phone_keypad(client, staff):
    text = client.get(URL).text
    box = re.search(r'<input[^>]*name="phone"[^>]*>', text).group(0)
    assert 'type="tel"' in box and 'autocomplete="tel"' in box


def test_only_the_clinics_own_staff_can_edit_it(client, clinic):
    assert client.get(URL)["Location"] == f"/account/login/?next={URL}"
    client.force_login(make_user())
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"description": "Hijacked"}).status_code == 404
    assert client.get(URL + "history/").status_code == 404
    clinic.refresh_from_db()
    assert clinic.description == "A quiet clinic."


def test_the_form_starts_from_the_listing(client, staff):
    data = form_data(client)
    assert data["iv-price_min"] == 400
    assert data["spravato-price_max"] == 900
    assert "im-price_min" not in data
    assert sorted(data["accepted"]) == ["aetna:", "medicare:spravato", "payment-plans:"]
    assert data["conditions"] == ["ptsd"]


def test_staff_change_prices_routes_insurance_and_the_site_shows_it(client, clinic, staff):
    client.get("/clinics/calm-harbor/")  # a cached copy that must not outlive the edit
    data = form_data(client)
    data |= {
        "iv-price_min": "350",
        "iv-price_max": "500",
        "spravato-price_min": "",
        "spravato-price_max": "",
        "kap-price_min": "700",
        "kap-price_max": "900",
        "kap-series_sessions": "6",
        "kap-notes": "Includes integration sessions",
        "telehealth": "on",
    }
    data["accepted"] = ["cigna:", "medicare:iv"]
    response = client.post(URL, data)
    assert response.status_code == 302

    offerings = {o.route: (o.price_min, o.price_max) for o in clinic.offerings.all()}
    assert offerings == {"iv": (350, 500), "kap": (700, 900)}
    clinic.refresh_from_db()
    assert clinic.telehealth
    assert clinic.lowest_price == 350
    assert clinic.prices_updated_at is not None

    client.logout()
    page = client.get("/clinics/calm-harbor/").content.decode()
    assert 'data-route="kap" data-price-min="700" data-price-max="900"' in page
    assert 'data-route="spravato"' not in page
    assert "Cigna" in page and "Aetna" not in page
    listed = client.get("/clinics/?route=kap").content.decode()
    assert 'data-clinic="calm-harbor"' in listed


def test_each_save_is_recorded_with_who_and_what(client, clinic, staff):
    data = form_data(client) | {"iv-price_max": "475", "phone": "(512) 555-0199"}
    client.post(URL, data)
    change = ListingChange.objects.get()
    assert change.user == staff
    assert change.changes["phone"] == ["(512) 555-0100", "(512) 555-0199"]
    assert change.changes["offering:iv"][0]["price_max"] == 450
    assert change.changes["offering:iv"][1]["price_max"] == 475
    assert set(change.changes) == {"phone", "offering:iv"}

    page = client.get(URL + "history/").content.decode()
    assert "jo@calm-harbor.example" in page
    assert "$400 to $450 per session" in page and "$400 to $475 per session" in page


def test_history_reads_plainly(client, clinic, staff):
    data = form_data(client) | {
        "iv-price_min": "450",
        "iv-price_max": "450",
        "iv-series_price": "2400",
        "accepted": ["aetna:", "payment-plans:", "cigna:spravato"],
    }
    assert client.post(URL, data).status_code == 302
    page = client.get(URL + "history/").text
    assert "$450 per session; 6-session package $2,400" in page
    assert "<td>removed: Medicare (for Spravato)</td><td>added: Cigna (for Spravato)</td>" in page


def test_history_names_colleagues_but_not_the_editors_addresses(client, clinic, staff):
    from listings.editing import save_listing

    save_listing(clinic, make_member(clinic, make_user("sam@calm-harbor.example")), {"phone": "1"})
    editor = make_user("pat.private@gmail.example", is_staff=True)
    save_listing(clinic, editor, {"phone": "2"})
    page = client.get(URL + "history/").text
    assert "by sam@calm-harbor.example" in page
    assert "pat.private" not in page
    assert "by an editor" in page

    # Nor when an editor's change is shown beside mine in a conflict.
    mine = form_data(client) | {"phone": "(512) 555-0188"}
    save_listing(clinic, editor, {"phone": "(512) 555-0177"})
    response = client.post(URL, mine)
    assert response.status_code == 409
    assert "pat.private" not in response.text and "by an editor" in response.text


def test_an_editor_stays_an_editor_in_the_history_after_leaving_the_editors(client, clinic, staff):
    from django.core.management import call_command

    from listings.editing import revert, save_listing
    from tests.builders import make_editor

    editor = make_editor("pat.private@gmail.example")
    change = save_listing(clinic, editor, {"phone": "(512) 555-0177"})
    revert(change, editor)
    call_command("make_editor", "pat.private@gmail.example", "--remove", verbosity=0)
    page = client.get(URL + "history/").text
    assert "pat.private" not in page and page.count("by an editor") == 2
    # And a colleague who becomes an editor later is still named for what they did before.
    sam = make_member(clinic, make_user("sam@calm-harbor.example"))
    save_listing(clinic, sam, {"phone": "(512) 555-0199"})
    call_command("make_editor", "sam@calm-harbor.example", verbosity=0)
    assert "by sam@calm-harbor.example" in client.get(URL + "history/").text


def test_saving_without_changes_records_nothing(client, staff):
    client.post(URL, form_data(client))
    assert not ListingChange.objects.exists()


def test_confirming_prices_refreshes_their_date_without_a_change(client, clinic, staff):
    Clinic.objects.filter(pk=clinic.pk).update(prices_updated_at=None)
    client.post(URL, form_data(client) | {"confirm_prices": "on"})
    clinic.refresh_from_db()
    assert clinic.prices_updated_at is not None
    assert not ListingChange.objects.exists()


def test_no_prices_cannot_be_confirmed_and_the_box_says_why(client, staff):
    # A new listing goes live before its staff add any treatment.
    empty = make_clinic("New Clinic", slug="new-clinic", offerings={})
    Clinic.objects.filter(pk=empty.pk).update(prices_updated_at=None)
    make_member(empty, staff)
    url = "/account/clinics/new-clinic/"
    data = sent_back(client.get(url)) | {"confirm_prices": "on"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "There are no prices to confirm yet: add a treatment and its prices first." in (
        response.text
    )
    empty.refresh_from_db()
    assert empty.prices_updated_at is None


def test_confirmed_prices_show_to_visitors_at_once(client, clinic, staff):
    Clinic.objects.filter(pk=clinic.pk).update(prices_updated_at=None)
    visitor = Client()
    assert "Prices not yet confirmed" in visitor.get("/clinics/calm-harbor/").text  # now cached
    client.post(URL, form_data(client) | {"confirm_prices": "on"})
    assert "Prices updated today" in visitor.get("/clinics/calm-harbor/").text


def test_prices_are_read_as_people_type_them(client, clinic, staff):
    page = client.get(URL).text
    # Not a number box: with "1,000" typed, a browser's sends nothing.
    assert 'type="number"' not in page
    assert re.search(r'<input type="text" name="iv-price_min"[^>]*inputmode="numeric"', page)
    data = form_data(client) | {
        "iv-price_min": "1,000",
        "iv-price_max": "$ 1,200",
        "iv-series_price": "$6,600",
    }
    assert client.post(URL, data).status_code == 302
    iv = clinic.offerings.get(route="iv")
    assert (iv.price_min, iv.price_max, iv.series_price) == (1000, 1200, 6600)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"iv-price_min": "500", "iv-price_max": "400"}, "can&#x27;t be below the lowest"),
        ({"iv-price_min": "-5"}, "$0 or more"),
        ({"iv-price_max": "45000"}, "look like a typing mistake"),
        ({"iv-price_max": "4.50"}, "whole number of dollars"),
        ({"iv-price_max": ""}, "Enter both the lowest and the highest price"),
        ({"im-notes": "Call us"}, "Add the price per session"),
        ({"accepted": ["aetna:laser"]}, "Select a valid choice"),
        ({"iv-price_min": "0", "iv-price_max": "0"}, "$0 would read as free treatment"),
        ({"iv-series_price": "1"}, "less than half the price of 6 sessions"),
        (
            {"iv-price_min": "1", "iv-price_max": "1"},
            "$1 a session is outside what IV ketamine infusion costs ($100 to $3,000 a session)",
        ),
        ({"iv-price_min": "0", "iv-price_max": "9999"}, "$0 a session is outside"),
        ({"iv-price_min": "0", "iv-price_max": "9999"}, "$9,999 a session is outside"),
        (
            {"spravato-price_min": "5", "spravato-price_max": "10000"},
            "Spravato (esketamine) nasal spray costs ($10 to $3,000 a session)",
        ),
        (
            {"at-home-price_min": "9000", "at-home-price_max": "9500"},
            "at-home sublingual/oral ketamine costs ($25 to $1,000 a session)",
        ),
        ({"iv-series_sessions": "0"}, "Enter at least 1 session, or leave it empty"),
        ({"iv-series_sessions": "61"}, "Enter at most 60 sessions in the first series."),
        (
            {"iv-series_sessions": "60", "iv-series_price": "600000"},
            "60 sessions is more than a first series of IV ketamine infusion usually has",
        ),
        (
            {"iv-series_price": "20000"},
            "$20,000 for 6 sessions of IV ketamine infusion is outside what that many "
            "sessions cost ($600 to $18,000)",
        ),
        (
            {"iv-series_price": "15000"},
            "$15,000 for 6 sessions is more than they cost one by one at the highest price "
            "(6 × $450 = $2,700)",
        ),
        ({"iv-price_min": "1", "iv-price_max": "1"}, "email the editors at editors@"),
        ({"phone": "<script>alert(1)</script>"}, "Enter a phone number"),
        ({"phone": "12"}, "Enter a phone number"),
        ({"phone": "111111111111111"}, "Enter a phone number"),
        ({"phone": "555-0100"}, "Enter a phone number"),
        ({"phone": "(012) 555-0100"}, "Enter a phone number"),
        ({"phone": "+44 20 7946 0018"}, "Enter a phone number"),
        ({"providers": "x" * 2001}, "Keep this under 2,000 characters (it has 2,001)."),
        ({"iv-notes": "x" * 301}, "Keep this under 300 characters (it has 301)."),
        ({"accepted": ["aetna:at-home"]}, "Aetna for At-home, which you don&#x27;t list"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_kept(
    client, clinic, staff, changes, message
):
    data = form_data(client) | changes | {"description": "My new description, not lost"}
    response = client.post(URL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "My new description, not lost" in page
    assert "Nothing was saved" in page
    summary = page.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert message in summary and '<a href="#' in summary, "each error is listed, linked"
    assert list(clinic.offerings.values_list("price_min", "price_max").order_by("route")) == [
        (400, 450),
        (600, 900),
    ]
    assert not ListingChange.objects.exists()


def test_a_refused_edit_says_so_in_the_title(client, clinic, staff):
    assert title(client.get(URL).text) == "Edit Calm Harbor Ketamine · Ketamine Clinic Guide"
    response = client.post(URL, form_data(client) | {"phone": "12"})
    assert title(response.text) == "Error: Edit Calm Harbor Ketamine · Ketamine Clinic Guide"


def test_a_clash_with_ones_own_save_in_another_tab_is_not_blamed_on_someone_else(
    client, clinic, staff
):
    first_tab = form_data(client) | {"iv-price_max": "480"}
    second_tab = form_data(client) | {"iv-price_max": "520"}
    assert client.post(URL, second_tab).status_code == 302

    page = client.post(URL, first_tab).text
    assert "You saved this listing again, in another tab or window" in page
    assert "Someone else" not in page


def test_two_people_editing_at_once_cannot_overwrite_each_other(client, clinic, staff):
    mine = form_data(client) | {"iv-price_max": "480"}

    colleague = make_member(clinic)
    from django.test import Client

    other = Client()
    other.force_login(colleague)
    theirs = form_data(other) | {"iv-price_max": "520", "phone": "(512) 555-0111"}
    assert other.post(URL, theirs).status_code == 302

    response = client.post(URL, mine)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this listing after you opened it" in page
    assert "$400 to $520 per session" in page  # what they saved
    assert 'value="480"' in page  # what I typed, kept
    assert Offering.objects.get(clinic=clinic, route="iv").price_max == 520

    # Saving again, having seen their change, is deliberate and goes through.
    rebased = response.context["forms"].details["version"].value()
    # The page starts again from the listing as it is now, my edits on top.
    assert response.context["forms"].details["started"].value() == rebased
    assert client.post(URL, mine | {"version": rebased}).status_code == 302
    assert Offering.objects.get(clinic=clinic, route="iv").price_max == 480
    # Their phone number, which my form still held the old value of, stays.
    assert Clinic.objects.get(pk=clinic.pk).phone == "(512) 555-0111"
    assert ListingChange.objects.count() == 2


def test_their_price_and_my_note_for_the_same_treatment_are_both_kept(client, clinic, staff):
    # Found by an exploratory review: the whole treatment clashed, and saving
    # again put the price back to the one my form had opened with.
    mine = form_data(client) | {"iv-notes": "Includes the consultation."}
    other = Client()
    other.force_login(make_member(clinic))
    assert other.post(URL, form_data(other) | {"iv-price_max": "520"}).status_code == 302

    assert client.post(URL, mine).status_code == 302
    iv = Offering.objects.get(clinic=clinic, route="iv")
    assert (iv.price_min, iv.price_max, iv.notes) == (400, 520, "Includes the consultation.")
    before, after = ListingChange.objects.get(user=staff).changes["offering:iv"]
    assert {k for k in after if after[k] != before[k]} == {"notes"}


def test_their_lowest_and_my_highest_price_that_cannot_both_be_right_clash(client, clinic, staff):
    mine = form_data(client) | {"iv-price_max": "420"}
    other = Client()
    other.force_login(make_member(clinic))
    assert other.post(URL, form_data(other) | {"iv-price_min": "440"}).status_code == 302

    assert client.post(URL, mine).status_code == 409
    iv = Offering.objects.get(clinic=clinic, route="iv")
    assert (iv.price_min, iv.price_max) == (440, 450)


def test_after_a_conflict_the_form_shows_their_changes_to_what_i_left_alone(client, clinic, staff):
    mine = form_data(client) | {"phone": "(512) 555-0199"}
    other = Client()
    other.force_login(make_member(clinic))
    theirs = form_data(other) | {
        "phone": "(512) 555-0111",
        "description": "Their new description.",
        "spravato-notes": "Their note.",
    }
    assert other.post(URL, theirs).status_code == 302

    refused = client.post(URL, mine)
    assert refused.status_code == 409
    again = sent_back(refused)
    # What I typed is kept; what I left alone is now what they saved, so an
    # edit of it starts from their words, not from the copy I opened.
    assert again["phone"] == "(512) 555-0199"
    assert again["description"] == "Their new description."
    assert again["spravato-notes"] == "Their note."
    again["description"] += " Parking at rear."
    again["spravato-price_max"] = "950"
    assert client.post(URL, again).status_code == 302
    clinic.refresh_from_db()
    assert clinic.description == "Their new description. Parking at rear."
    assert clinic.phone == "(512) 555-0199"
    spravato = Offering.objects.get(clinic=clinic, route="spravato")
    assert (spravato.notes, spravato.price_max) == ("Their note.", 950)


def test_insurance_ticked_for_a_treatment_someone_else_removed_is_a_conflict(client, clinic, staff):
    mine = form_data(client)
    mine["accepted"] = [*mine["accepted"], "aetna:spravato", "tricare:spravato"]
    other = Client()
    other.force_login(make_member(clinic))
    theirs = form_data(other) | {"spravato-price_min": "", "spravato-price_max": ""}
    theirs["accepted"] = [item for item in theirs["accepted"] if not item.endswith(":spravato")]
    assert other.post(URL, theirs).status_code == 302

    refused = client.post(URL, mine)
    assert refused.status_code == 409
    notice = refused.text.split('id="conflict"', 1)[1].split("Their other changes", 1)[0]
    assert "Spravato (esketamine) nasal spray: not offered" in notice
    # Not "they changed these, and so did you": I never touched Spravato's prices.
    assert "and so did you" not in notice
    assert (
        "Together with their changes, yours would leave insurance ticked for Spravato "
        "(esketamine) nasal spray, which the listing would not offer."
    ) in notice
    assert not AcceptedPayer.objects.filter(clinic=clinic, route="spravato").exists()
    # Saving the page again as it stands is refused with the usual explanation.
    again = client.post(URL, sent_back(refused))
    assert again.status_code == 400
    assert "You ticked Tricare for Spravato, which you don&#x27;t list." in again.text


def test_two_people_clearing_a_treatment_each_are_told_why_it_cannot_be_merged(
    client, clinic, staff
):
    mine = form_data(client) | {"spravato-price_min": "", "spravato-price_max": ""}
    mine["accepted"] = [item for item in mine["accepted"] if not item.endswith(":spravato")]
    other = Client()
    other.force_login(make_member(clinic))
    assert (
        other.post(URL, form_data(other) | {"iv-price_min": "", "iv-price_max": ""}).status_code
        == 302
    )

    refused = client.post(URL, mine)
    assert refused.status_code == 409
    notice = refused.text.split('id="conflict"', 1)[1].split("</div></div>", 1)[0]
    assert "Together with their changes, yours would leave the listing with no treatment." in (
        notice
    )
    assert "and so did you" not in notice
    assert "IV ketamine infusion: not offered" in notice


def test_removing_a_treatment_someone_else_just_ticked_insurance_for_is_a_conflict(
    client, clinic, staff
):
    mine = form_data(client) | {"spravato-price_min": "", "spravato-price_max": ""}
    mine["accepted"] = [item for item in mine["accepted"] if not item.endswith(":spravato")]
    other = Client()
    other.force_login(make_member(clinic))
    theirs = form_data(other)
    theirs["accepted"] = [*theirs["accepted"], "tricare:spravato"]
    assert other.post(URL, theirs).status_code == 302

    refused = client.post(URL, mine)
    assert refused.status_code == 409
    assert Offering.objects.filter(clinic=clinic, route="spravato").exists()
    assert AcceptedPayer.objects.filter(clinic=clinic, route="spravato", payer__slug="tricare")


def test_ticks_two_people_add_at_once_are_both_kept(client, clinic, staff):
    mine = form_data(client)
    mine |= {"accepted": [*mine["accepted"], "tricare:"], "conditions": ["ptsd", "ocd"]}

    other = Client()
    other.force_login(make_member(clinic))
    theirs = form_data(other)
    theirs |= {
        "accepted": [item for item in theirs["accepted"] if item != "payment-plans:"] + ["kaiser:"],
        "conditions": ["ptsd", "anxiety"],
    }
    assert other.post(URL, theirs).status_code == 302

    # Ticks are merged one by one: nothing here was changed by both.
    assert client.post(URL, mine).status_code == 302
    accepted = {(row.payer.slug, row.route) for row in AcceptedPayer.objects.filter(clinic=clinic)}
    assert {("tricare", ""), ("kaiser", "")} <= accepted
    assert ("payment-plans", "") not in accepted, "their unticking was undone"
    assert sorted(clinic.conditions.values_list("slug", flat=True)) == ["anxiety", "ocd", "ptsd"]
    before, after = ListingChange.objects.get(user=staff).changes["insurance"]
    assert (set(after) - set(before), set(before) - set(after)) == ({"tricare:"}, set())


def test_a_conflict_says_which_of_their_changes_clash_with_yours_and_takes_focus(
    client, clinic, staff
):
    mine = form_data(client) | {"iv-price_max": "480", "description": "Mine."}
    other = Client()
    other.force_login(make_member(clinic))
    theirs = form_data(other) | {"iv-price_max": "520", "phone": "(512) 555-0111"}
    assert other.post(URL, theirs).status_code == 302

    response = client.post(URL, mine)
    assert response.status_code == 409
    assert title(response.text).startswith("Error: ")
    notice = response.text.split('id="conflict"', 1)[1].split("</div>", 1)[0]
    assert 'tabindex="-1" autofocus' in notice.split(">", 1)[0]
    clashing, kept = notice.split("Their other changes stay", 1)
    assert "IV ketamine infusion: $400 to $520 per session" in clashing
    assert "(512) 555-0111" not in clashing, "a field I never touched is no clash"
    assert "Phone: (512) 555-0111" in kept
    assert "$400 to $520" not in kept


def test_a_conflict_with_nothing_else_changed_lists_no_kept_changes(client, clinic, staff):
    mine = form_data(client) | {"iv-price_max": "480"}
    theirs = form_data(client) | {"iv-price_max": "520"}
    assert client.post(URL, theirs).status_code == 302
    notice = client.post(URL, mine).text.split('id="conflict"', 1)[1].split("</div>", 1)[0]
    assert "$400 to $520 per session" in notice
    assert "Their other changes" not in notice


def test_an_admin_edit_also_counts_as_a_newer_version(client, clinic, staff):
    mine = form_data(client) | {"iv-price_max": "480"}
    from listings.editing import save_listing

    save_listing(clinic, make_user(is_staff=True), {"iv": None, "offering:iv": None})
    assert client.post(URL, mine).status_code == 409


def test_edits_to_different_parts_at_once_are_both_kept(client, clinic, staff):
    mine = form_data(client) | {"iv-price_max": "480"}
    from listings.editing import save_listing

    save_listing(clinic, make_user(is_staff=True), {"phone": "(512) 555-0123"})
    assert client.post(URL, mine).status_code == 302
    clinic.refresh_from_db()
    assert clinic.phone == "(512) 555-0123"
    assert Offering.objects.get(clinic=clinic, route="iv").price_max == 480
    assert ListingChange.objects.count() == 2


def test_leaving_a_clinic_asks_first(client, clinic, staff):
    assert 'href="/account/clinics/calm-harbor/leave/"' in client.get(URL).text
    page = client.get(URL + "leave/")
    assert page.status_code == 200
    assert "Stop managing Calm Harbor Ketamine?" in page.text
    assert "no longer show as verified" in page.text
    assert clinic.memberships.filter(user=staff).exists()


def test_leaving_a_clinic_ends_access(client, clinic, staff):
    response = client.post(URL + "leave/")
    assert response["Location"] == "/account/"
    assert client.get(URL).status_code == 404


def test_a_listing_nobody_manages_is_no_longer_verified(client, clinic, staff):
    colleague = make_member(clinic)
    Clinic.objects.filter(pk=clinic.pk).update(is_verified=True)

    client.post(URL + "leave/")
    assert Clinic.objects.get(pk=clinic.pk).is_verified, "a colleague still manages it"

    colleague.delete()  # an account closed, or an editor removing the membership
    assert not Clinic.objects.get(pk=clinic.pk).is_verified
    page = client.get("/clinics/calm-harbor/")
    assert "Not verified" in page.text


def test_the_last_active_member_leaving_unverifies_despite_a_closed_account(client, clinic, staff):
    closed = make_member(clinic, make_user("gone@calm-harbor.example", is_active=False))
    Clinic.objects.filter(pk=clinic.pk).update(is_verified=True)
    # The closed account can't keep the listing up to date: the leaver is the last.
    assert "no longer show as verified" in client.get(URL + "leave/").text
    client.post(URL + "leave/")
    assert not Clinic.objects.get(pk=clinic.pk).is_verified
    assert clinic.memberships.filter(user=closed).exists()


def test_moving_the_only_staff_row_to_another_clinic_unverifies_the_first(clinic, staff):
    other = make_clinic("Quiet Pines", slug="quiet-pines")
    Clinic.objects.filter(pk=clinic.pk).update(is_verified=True)
    membership = clinic.memberships.get(user=staff)
    membership.clinic = other  # as an editor may, on the membership's admin page
    membership.save()
    assert not Clinic.objects.get(pk=clinic.pk).is_verified


def test_a_listing_whose_staff_are_all_deactivated_is_no_longer_verified(client, clinic, staff):
    colleague = make_member(clinic)
    Clinic.objects.filter(pk=clinic.pk).update(is_verified=True)
    visitor = Client()
    assert "Not verified" not in visitor.get("/clinics/calm-harbor/").text  # and cached
    colleague.is_active = False
    colleague.save()
    assert Clinic.objects.get(pk=clinic.pk).is_verified, "a colleague still manages it"

    staff.is_active = False  # as a superuser does in the admin, closing the account
    staff.save()
    assert not Clinic.objects.get(pk=clinic.pk).is_verified
    page = visitor.get("/clinics/calm-harbor/")  # not the page cached before
    assert "Not verified" in page.text
    assert "/clinics/calm-harbor/contact/" not in page.text


def test_edit_and_history_pages_use_few_queries(
    client, clinic, staff, django_assert_max_num_queries
):
    for n in range(3):
        client.post(URL, form_data(client) | {"iv-price_max": str(460 + n)})
    cache.clear()
    # Session, user, clinic and its conditions, the listing's four parts, the
    # payers and conditions to choose from, the sample-data notice, the session.
    with django_assert_max_num_queries(14):
        client.get(URL)
    # However many changes there are.
    with django_assert_max_num_queries(8):
        client.get(URL + "history/")


def test_history_pages_through_many_changes(client, clinic, staff):
    from listings.editing import save_listing

    for n in range(55):
        save_listing(clinic, staff, {"phone": f"(512) 555-{n:04}"})
    first = client.get(URL + "history/").content.decode()
    assert "(512) 555-0054" in first and "(512) 555-0003" not in first
    assert 'href="?page=2"' in first
    second = client.get(URL + "history/?page=2").content.decode()
    assert "(512) 555-0003" in second
    assert client.get(URL + "history/?page=zzz").status_code == 200


def test_line_breaks_as_browsers_send_them_are_not_a_change(client, clinic, staff):
    Clinic.objects.filter(pk=clinic.pk).update(hours="Mon-Fri 9-5\nSat 10-2")
    data = form_data(client)
    data["hours"] = "Mon-Fri 9-5\r\nSat 10-2"
    response = client.post(URL, data, follow=True)
    assert "Nothing had changed, so nothing was saved." in response.text
    assert not ListingChange.objects.exists()


def test_an_edit_sent_after_signing_out_elsewhere_gives_back_what_was_written(client, staff):
    data = form_data(client) | {"description": "We now offer evening infusions on Thursdays."}
    client.logout()  # as signing out in another tab does
    response = client.post(URL, data, HTTP_REFERER=f"http://testserver{URL}")
    assert response.status_code == 403
    assert "You were signed out" in response.text and "Nothing was saved" in response.text
    assert "We now offer evening infusions on Thursdays." in response.text
    assert f'href="/account/login/?next={URL.replace("/", "%2F")}"' in response.text
    assert "no-store" in response["Cache-Control"]
    assert Clinic.objects.get(slug="calm-harbor").description == "A quiet clinic."
    # Reading the page while signed out still leads to signing in.
    assert client.get(URL)["Location"] == f"/account/login/?next={URL}"


@pytest.mark.parametrize("refused_for", ["signed out", "its token"])
def test_an_edit_that_cannot_be_saved_gives_back_every_box_with_its_label(
    client, clinic, staff, refused_for
):
    # Prices and short words too, each named: a list of bare texts could not
    # be put back, and "700" alone means nothing.
    data = form_data(client) | {"iv-price_max": "700", "hours": "Mon-Fri"}
    if refused_for == "signed out":
        client.logout()
    else:
        client = Client(enforce_csrf_checks=True)
        client.force_login(staff)
    response = client.post(URL, data, HTTP_REFERER=f"http://testserver{URL}")
    assert response.status_code == 403
    typed = re.search(r'<section class="typed".*?</section>', response.text, re.S).group(0)
    assert "<dt>IV ketamine infusion: highest price per session, in dollars</dt><dd>700</dd>" in (
        typed
    )
    assert "<dt>Hours</dt><dd>Mon-Fri</dd>" in typed
    assert Offering.objects.get(clinic=clinic, route="iv").price_max == 450


UNKNOWN_VERSION = "This page didn't say which version of the listing it was opened at"


def notice(page):
    return page.split('id="form-errors"', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize(
    "versions",
    [
        {"version": None, "started": None},
        {"version": None},
        {"started": None},
        {"version": "abc"},
        {"version": "-1", "started": "-1"},
        {"version": "9" * 30, "started": "9" * 30},
        {"version": "5", "started": "5"},  # later than the listing's own
        {"started": "1"},  # opened after the version it says it was last shown
    ],
    ids=[
        "both-missing",
        "missing",
        "started-missing",
        "text",
        "negative",
        "huge",
        "future",
        "late",
    ],
)
def test_a_missing_or_changed_version_field_is_explained_and_keeps_what_was_typed(
    client, clinic, staff, versions
):
    data = form_data(client) | {"description": "Evening infusions on Thursdays, not lost"}
    for name, value in versions.items():
        if value is None:
            data.pop(name)
        else:
            data[name] = value
    response = client.post(URL, data)
    assert response.status_code == 400
    page = response.text
    assert UNKNOWN_VERSION in notice(page)
    assert "Please correct" not in page, "nothing the person could correct is listed"
    assert "Evening infusions on Thursdays, not lost" in page
    assert Clinic.objects.get(pk=clinic.pk).description == "A quiet clinic."
    assert not ListingChange.objects.exists()

    # The page now carries the listing's version: saving it again goes through.
    forms = response.context["forms"]
    again = data | {
        "version": forms.details["version"].value(),
        "started": forms.details["started"].value(),
    }
    assert again["version"] == again["started"] == "0"
    assert client.post(URL, again).status_code == 302
    assert (
        Clinic.objects.get(pk=clinic.pk).description == "Evening infusions on Thursdays, not lost"
    )


def test_without_its_version_the_page_shows_what_saving_it_again_would_change(
    client, clinic, staff
):
    mine = form_data(client) | {"iv-price_max": "480"}
    from listings.editing import save_listing

    save_listing(clinic, make_user(is_staff=True), {"phone": "(512) 555-0111"})
    del mine["version"]
    page = client.post(URL, mine).text
    listed = notice(page)
    # My price, and the phone number my page still holds, which would undo the editor's.
    assert "$400 to $480 per session" in listed and "$400 to $450 per session" in listed
    assert "(512) 555-0100" in listed and "(512) 555-0111" in listed
    assert Clinic.objects.get(pk=clinic.pk).phone == "(512) 555-0111"


def test_a_missing_version_and_bad_input_are_both_explained(client, clinic, staff):
    data = form_data(client) | {"iv-price_min": "500", "iv-price_max": "400"}
    del data["version"]
    page = client.post(URL, data).text
    listed = notice(page)
    assert UNKNOWN_VERSION in listed
    assert (
        "Please correct" in listed and "The highest price can&#x27;t be below the lowest." in listed
    )
    assert 'value="500"' in page


def test_times_of_changes_name_their_time_zone(client, clinic, staff):
    mine = form_data(client) | {"iv-price_max": "480"}
    theirs = form_data(client) | {"iv-price_max": "520"}
    assert client.post(URL, theirs).status_code == 302
    ListingChange.objects.update(created_at=datetime(2026, 12, 3, 14, 5, tzinfo=UTC))
    assert "Dec. 3, 2026, 9:05 a.m. EST" in client.get(URL + "history/").text
    # The conflict notice too, with the day: "9:05" alone could be any day.
    page = client.post(URL, mine).text
    assert "Dec. 3, 2026, 9:05 a.m. EST" in page.split('id="conflict"', 1)[1].split("</div>")[0]


def insurance_choices(page):
    """The insurance boxes shown (a treatment the clinic doesn't list has its column hidden)."""
    return set(
        re.findall(
            r'<li data-route="[^"]*"><label><input type="checkbox" name="accepted" value="([^"]*)"',
            page,
        )
    )


def test_insurance_is_offered_only_for_the_treatments_the_clinic_lists(client, staff):
    offered = insurance_choices(client.get(URL).text)
    routes = {value.split(":", 1)[1] for value in offered}
    # Ticking another route was refused on save: it isn't offered at all now.
    assert routes == {"", "iv", "spravato"}
    assert {"aetna:", "aetna:iv", "aetna:spravato"} <= offered


def test_insurance_already_recorded_for_an_unlisted_treatment_can_be_unticked(
    client, clinic, staff
):
    # An editor's record, say, from before the clinic stopped offering KAP.
    AcceptedPayer.objects.create(clinic=clinic, payer=Payer.objects.get(slug="cigna"), route="kap")
    page = client.get(URL).text
    assert "cigna:kap" in insurance_choices(page)
    assert re.search(r'value="cigna:kap" checked', page)
    data = form_data(client)
    data["accepted"] = [item for item in data["accepted"] if item != "cigna:kap"]
    assert client.post(URL, data).status_code == 302
    assert not clinic.accepted_payers.filter(route="kap").exists()


def test_a_treatment_added_in_a_save_can_take_insurance_in_the_same_save(client, clinic, staff):
    data = form_data(client) | {"kap-price_min": "700", "kap-price_max": "900"}
    data["accepted"] = [*data["accepted"], "cigna:kap"]
    assert client.post(URL, data).status_code == 302
    assert clinic.accepted_payers.filter(payer__slug="cigna", route="kap").exists()
    assert "aetna:kap" in insurance_choices(client.get(URL).text)


def test_a_treatment_added_shows_its_insurance_column_when_the_page_comes_back(
    client, clinic, staff
):
    # Refused for something else: the new treatment's column is there to tick.
    data = form_data(client) | {"kap-price_min": "700", "kap-price_max": "900", "phone": "12"}
    page = client.post(URL, data).text
    assert "aetna:kap" in insurance_choices(page)
    assert "aetna:im" not in insurance_choices(page)


def test_the_insurance_grid_says_how_to_add_insurance_for_a_new_treatment(client, staff):
    page = client.get(URL).text
    assert "add its prices above" in page
    # Hidden, for listing_edit.js to show as its prices are typed.
    assert re.search(r'<li data-route="kap" hidden><label><input [^>]*value="aetna:kap"', page)


def test_a_treatment_removed_with_insurance_ticked_is_explained_and_nothing_is_lost(
    client, clinic, staff
):
    data = form_data(client) | {"spravato-price_min": "", "spravato-price_max": ""}
    data |= {"description": "New words, kept"}
    response = client.post(URL, data)
    assert response.status_code == 400
    page = response.text
    assert "You ticked Medicare for Spravato, whose prices you cleared" in page
    # The column stays, with the tick, so it can be unticked here.
    assert re.search(r'value="medicare:spravato" checked', page)
    assert "New words, kept" in page
    assert clinic.offerings.filter(route="spravato").exists()


def test_the_page_says_what_each_save_records(client, staff):
    # Accounts have no name, only an email address.
    page = client.get(URL).text
    assert "recorded with your name" not in page
    assert "recorded with your account's email address (jo@calm-harbor.example) and the time" in (
        page.replace("&#x27;", "'")
    )


def test_a_refused_phone_number_says_what_to_type_and_keeps_it(client, clinic, staff):
    response = client.post(URL, form_data(client) | {"phone": "111111111111111"})
    assert response.status_code == 400
    assert "a US number with its area code, like (512) 555-0100" in response.text
    assert 'value="111111111111111"' in response.text
    assert Clinic.objects.get(pk=clinic.pk).phone == "(512) 555-0100"


@pytest.mark.parametrize(
    "phone",
    ["(512) 555-0199", "512-555-0199", "512.555.0199", "+1 512 555 0199", "1 (512) 555-0199",
     "(512) 555-0199 ext. 12", "512-555-0199 x3", "",
     # Copied from a web page or a word processor: a non-breaking hyphen,
     # en dashes, a comma before the extension.
     "(512) 555\u20110199", "512\u2013555\u20130199", "(512) 555-0199, ext. 12"],
)  # fmt: skip
def test_us_phone_numbers_are_accepted(client, clinic, staff, phone):
    response = client.post(URL, form_data(client) | {"phone": phone})
    assert response.status_code == 302
    assert Clinic.objects.get(pk=clinic.pk).phone == phone


def test_staff_cannot_change_the_website_and_are_told_who_can(client, clinic, staff):
    # The website's domain decides whose work email verifies a claim by itself.
    Clinic.objects.filter(pk=clinic.pk).update(website="https://calm-harbor.example")
    page = client.get(URL).text
    assert 'name="website"' not in page
    assert "https://calm-harbor.example" in page
    assert "To change the name, address or website," in page
    data = form_data(client) | {"website": "https://gmail.com", "description": "New words"}
    assert client.post(URL, data).status_code == 302
    clinic.refresh_from_db()
    assert clinic.website == "https://calm-harbor.example"
    assert clinic.description == "New words"
    assert "website" not in ListingChange.objects.get().changes


def test_prices_at_the_edges_of_a_routes_range_are_taken(client, clinic, staff):
    data = form_data(client) | {
        "iv-price_min": "100",
        "iv-price_max": "3000",
        "spravato-price_min": "10",
        "spravato-price_max": "3000",
        "at-home-price_min": "25",
        "at-home-price_max": "1000",
        "kap-price_min": "400",
        "kap-price_max": "1250",
        "kap-series_sessions": "24",
        "kap-series_price": "9600",
    }
    assert client.post(URL, data).status_code == 302
    prices = dict(clinic.offerings.values_list("route", "price_min"))
    assert prices == {"iv": 100, "spravato": 10, "at-home": 25, "kap": 400}


def test_the_page_says_where_to_write_about_an_unusual_price(client, staff, settings):
    settings.EDITORS_EMAIL = "editors@clinics.example"
    page = client.get(URL).text
    assert 'unusual for the treatment, <a href="mailto:editors@clinics.example">' in page


def test_no_text_box_has_a_maxlength_that_would_cut_a_paste_silently(client, clinic, staff):
    # A browser cuts pasted text at maxlength without a word; the form's own
    # check says how long it is and keeps it all (the test above).
    page = client.get(URL).text
    assert "maxlength" not in page
    assert "maxlength" not in client.get("/account/add-clinic/").text
    assert "maxlength" not in client.get("/clinics/calm-harbor/report/").text


def test_a_rows_own_error_describes_the_rows_group(client, clinic, staff):
    data = form_data(client) | {"iv-price_max": ""}
    page = client.post(URL, data).text
    fieldset = page.split('id="route-iv"', 1)[1].split(">", 1)[0]
    assert 'aria-describedby="route-iv-error"' in fieldset
    error = page.split('id="route-iv-error"', 1)[1].split("</div>", 1)[0]
    assert "Enter both the lowest and the highest price" in error
    assert 'aria-describedby="route-spravato-error"' not in page


def test_every_treatment_cleared_is_refused_with_a_way_on(client, clinic, staff):
    data = form_data(client)
    for route in ("iv", "spravato"):
        data |= {f"{route}-price_min": "", f"{route}-price_max": "", f"{route}-notes": ""}
        data |= {f"{route}-series_sessions": "", f"{route}-series_price": ""}
    data["accepted"] = [item for item in data["accepted"] if item.endswith(":")]
    response = client.post(URL, data)
    assert response.status_code == 400
    summary = response.text.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert "Keep at least one treatment with its prices" in summary
    assert clinic.offerings.count() == 2


def test_a_listing_without_prices_yet_saves_its_other_details(client, clinic, staff):
    clinic.offerings.all().delete()
    data = form_data(client) | {"description": "New here."}
    data["accepted"] = [item for item in data["accepted"] if item.endswith(":")]
    assert client.post(URL, data).status_code == 302
    clinic.refresh_from_db()
    assert clinic.description == "New here."


def test_two_people_clearing_a_treatment_each_cannot_leave_none(client, clinic, staff):
    mine = form_data(client) | {"iv-price_min": "", "iv-price_max": ""}
    other = Client()
    other.force_login(make_member(clinic))
    theirs = form_data(other) | {"spravato-price_min": "", "spravato-price_max": ""}
    theirs["accepted"] = [item for item in theirs["accepted"] if not item.endswith(":spravato")]
    assert other.post(URL, theirs).status_code == 302

    refused = client.post(URL, mine)
    assert refused.status_code == 409
    assert list(clinic.offerings.values_list("route", flat=True)) == ["iv"]
    # The page again, as it stands, gets the usual explanation.
    again = client.post(URL, sent_back(refused))
    assert again.status_code == 400
    assert "Keep at least one treatment with its prices" in again.text


def test_the_price_labels_are_read_in_words(client, staff):
    # "($)" is read as bare punctuation by a screen reader.
    text = client.get(URL).text
    assert "Lowest price per session, in dollars" in text
    assert "($)" not in text


def test_someone_removed_while_editing_gets_back_what_they_typed(client, clinic, staff):
    data = form_data(client)
    data["description"] = "Evening infusions on Thursdays.\nFree parking behind the building."
    data["iv-notes"] = "Booster sessions at $375."
    staff.clinic_memberships.all().delete()  # a colleague removes them meanwhile
    response = client.post(URL, data)
    assert response.status_code == 404
    text = response.text
    assert "This page is for a clinic’s own staff" in text
    assert "What you typed was not saved" in text
    assert "Evening infusions on Thursdays.<br>Free parking behind the building." in text
    assert "<dt>IV ketamine infusion: notes</dt><dd>Booster sessions at $375.</dd>" in text
    assert "<dt>IV ketamine infusion: lowest price per session, in dollars</dt><dd>400</dd>" in text
    # Hidden bookkeeping is not "typed".
    assert "<dt>Started</dt>" not in text and "<dt>Version</dt>" not in text
    # Just looking at the page again shows nothing of it.
    assert "What you typed" not in client.get(URL).text


def test_what_was_typed_is_shown_as_text_not_markup(client, clinic, staff):
    data = form_data(client)
    data["description"] = "<script>alert(1)</script>"
    staff.clinic_memberships.all().delete()
    text = client.post(URL, data).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert" not in text


def test_a_payer_deleted_while_staff_have_the_page_open_is_dropped_and_said(client, staff):
    from clinics.models import Payer

    data = form_data(client) | {"description": "A calm clinic."}
    Payer.objects.get(slug="medicare").delete()  # a superuser, meanwhile
    response = client.post(URL, data, follow=True)
    assert response.status_code == 200
    said = " ".join(str(message) for message in response.context["messages"])
    assert "Saved." in said
    assert "An insurance or payment option you had ticked was taken off the site" in said
    assert "not one of the available choices" not in response.text
    clinic = staff.clinic_memberships.get().clinic
    assert clinic.description == "A calm clinic."
    assert sorted(clinic.accepted_payers.values_list("payer__slug", flat=True)) == [
        "aetna",
        "payment-plans",
    ]


def test_staff_of_a_hidden_listing_are_told_patients_do_not_see_it(client, staff, clinic):
    clinic.status = Clinic.Status.HIDDEN
    clinic.save()
    dashboard = client.get("/account/").text
    assert "hidden from the site" in dashboard
    assert f'href="{clinic.get_absolute_url()}">See it as patients do' not in dashboard
    page = client.get(URL).text
    assert "hidden from the site: patients can't see it" in page
    assert ">See the listing</a>" not in page
    response = client.post(URL, form_data(client) | {"description": "Quieter."}, follow=True)
    said = " ".join(str(message) for message in response.context["messages"])
    assert "The listing shows your changes now" not in said
    assert "Saved. Patients will see your changes once the editors list it again." in said
