"""Visitors tell the editors that a listing looks wrong."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from clinics.models import Clinic
from listings.models import ListingReport
from tests.builders import make_clinic, make_editor, make_user
from tests.pages import error_summary, title

pytestmark = pytest.mark.django_db

URL = "/clinics/calm-harbor/report/"


@pytest.fixture
def clinic(settings):
    settings.MANAGERS = ["editors@site.example"]
    return make_clinic("Calm Harbor Ketamine", slug="calm-harbor")


def test_the_clinic_page_links_to_the_report_form(client, clinic):
    assert f'href="{URL}"' in client.get("/clinics/calm-harbor/").text
    page = client.get(URL)
    assert page.status_code == 200
    assert "A price is wrong" in page.text


def test_a_report_is_kept_for_the_editors_who_are_told_without_its_words(client, clinic):
    details = "They quoted me $650 for IV on the phone last week."
    response = client.post(URL, {"problem": "price", "details": details})
    assert response["Location"] == "/clinics/calm-harbor/report/sent/"
    assert client.get(response["Location"]).status_code == 200
    report = ListingReport.objects.get()
    assert (report.clinic, report.problem, report.details) == (clinic, "price", details)
    assert [message.to for message in mail.outbox] == [["editors@site.example"]]
    assert "A price is wrong on Calm Harbor Ketamine" in mail.outbox[0].body
    assert f"/admin/listings/listingreport/{report.pk}/change/" in mail.outbox[0].body
    assert "$650" not in mail.outbox[0].body


def test_mistakes_are_explained_and_what_was_typed_kept(client, clinic):
    response = client.post(URL, {"details": "Closed since June"})
    assert response.status_code == 200
    assert "Please choose what is wrong." in response.text
    assert "Closed since June" in response.text
    response = client.post(URL, {"problem": "other", "details": "x" * 1001})
    assert "Please keep it to 1000 characters (it has 1001)." in response.text
    assert not ListingReport.objects.exists() and not mail.outbox


def test_a_report_with_mistakes_says_so_first(client, clinic):
    response = client.post(URL, {"details": "Closed since June"})
    assert title(response.text).startswith("Error: Report a problem with the listing of")
    summary = error_summary(response.text)
    assert 'role="alert"' in summary and "autofocus" in summary
    assert "Your report has not been sent yet." in summary
    assert '<a href="#id_problem_0">' in summary and "Please choose what is wrong." in summary
    assert not title(client.get(URL).text).startswith("Error")


def test_a_few_reports_an_hour_from_one_address(client, clinic):
    for _ in range(5):
        client.post(URL, {"problem": "other", "details": "Wrong"})
    response = client.post(URL, {"problem": "closed", "details": "Still wrong"})
    assert response.status_code == 429
    assert "Still wrong" in response.text
    assert ListingReport.objects.count() == 5


def test_hidden_and_unknown_clinics_have_no_report_page(client):
    make_clinic(slug="hidden-one", status=Clinic.Status.HIDDEN)
    assert client.get("/clinics/hidden-one/report/").status_code == 404
    assert client.post("/clinics/nowhere/report/", {"problem": "price"}).status_code == 404


def test_editors_read_reports_and_mark_them_dealt_with(client, clinic):
    client.post(URL, {"problem": "contact", "details": "The phone number is disconnected."})
    report = ListingReport.objects.get()
    client.force_login(make_editor())
    # The queue opens on the reports still waiting.
    assert client.get("/admin/listings/listingreport/")["Location"].endswith("?resolved=no")
    listing = client.get("/admin/listings/listingreport/?resolved=no")
    assert "Calm Harbor Ketamine" in listing.text
    assert "disconnected" in client.get(f"/admin/listings/listingreport/{report.pk}/change/").text
    client.post(
        "/admin/listings/listingreport/",
        {"action": "mark_resolved", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert report.resolved_at is not None
    assert "Calm Harbor" not in client.get("/admin/listings/listingreport/?resolved=no").text
    everything = client.get("/admin/listings/listingreport/?resolved=all").text
    assert "Calm Harbor" in everything and 'href="?resolved=all"' in everything


def test_reports_dealt_with_long_ago_are_deleted_and_waiting_ones_kept(clinic, settings, capsys):
    settings.REPORT_RETENTION_DAYS = 30
    now = timezone.now()

    def report(resolved_days_ago=None):
        resolved = now - timedelta(days=resolved_days_ago) if resolved_days_ago else None
        return ListingReport.objects.create(clinic=clinic, problem="price", resolved_at=resolved)

    report(31)
    recent = report(29)
    waiting = report()
    ListingReport.objects.filter(pk=waiting.pk).update(created_at=now - timedelta(days=400))
    call_command("purge_reports")
    assert set(ListingReport.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert "Deleted 1 listing reports dealt with more than 30 days ago." in capsys.readouterr().out


# The editors' work page for a report.

ADMIN = "/admin/listings/listingreport/"


def change_url(report):
    return f"{ADMIN}{report.pk}/change/"


@pytest.fixture
def listed(settings):
    """A clinic with prices, insurance and contact details, and a report about its price."""
    settings.MANAGERS = ["editors@site.example"]
    clinic = make_clinic(
        "Calm Harbor Ketamine",
        slug="calm-harbor",
        offerings={"iv": (400, 450), "spravato": (600, 850)},
        payers=[("aetna", "spravato"), "payment-plans"],
        phone="(512) 555-0142",
        website="https://calm-harbor.example",
        street_address="12 Lake Road",
        hours="Mon-Fri 9-5",
    )
    return clinic


def report_on(clinic, problem="price", details="They quoted me $650 for IV last week.", **fields):
    return ListingReport.objects.create(clinic=clinic, problem=problem, details=details, **fields)


def post_report(client, report, **data):
    """The change form as a browser posts it: the hidden copy says what the page was opened with."""
    data.setdefault("editor_note", report.editor_note)
    data.setdefault("initial-dealt_with", str(report.resolved_at is not None))
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(change_url(report), data)


def test_the_visitors_report_is_read_only_and_labelled_for_editors(client, editor, listed):
    report = report_on(listed, details="They quoted me $650 for IV last week.\n<b>Really</b>")
    page = client.get(change_url(report))
    assert page.status_code == 200
    text = page.text
    assert "They quoted me $650 for IV last week.<br>&lt;b&gt;Really&lt;/b&gt;" in text
    for label in ["Reported problem", "What the visitor wrote", "Reported on"]:
        assert label in text, label
    # The visitor's help text is for the visitor's form, not the editors.
    assert "Please leave out your name" not in text
    assert "What you found" not in text
    form = page.context["adminform"].form
    assert set(form.fields) == {"dealt_with", "editor_note"}
    assert 'name="details"' not in text and 'name="problem"' not in text

    # Posting the visitor's fields changes nothing of what they sent.
    response = post_report(client, report, details="Rewritten", problem="other", clinic="")
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.problem, report.details[:7]) == ("price", "They qu")


def test_a_report_with_no_details_says_so(client, editor, listed):
    report = report_on(listed, details="")
    assert "The visitor added no details." in client.get(change_url(report)).text


def test_marking_dealt_with_records_who_and_when_and_unmarking_clears_both(client, editor, listed):
    report = report_on(listed)
    before = timezone.now()
    response = post_report(client, report, dealt_with="on", editor_note="Phoned: now $650.")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.resolved_by == editor
    assert before <= report.resolved_at <= timezone.now()
    assert report.editor_note == "Phoned: now $650."
    page = client.get(change_url(report)).text
    # (The admin's header names the signed-in editor too: look in the field.)
    assert '<div class="readonly">editor@site.example</div>' in page
    assert 'value="Phoned: now $650."' in page
    assert (
        '<td class="field-dealt_with_by">editor@site.example</td>'
        in client.get(f"{ADMIN}?resolved=yes").text
    )

    # Saving the note again keeps who and when.
    when = report.resolved_at
    post_report(client, report, dealt_with="on", editor_note="Phoned twice.")
    report.refresh_from_db()
    assert (report.resolved_at, report.resolved_by, report.editor_note) == (
        when,
        editor,
        "Phoned twice.",
    )

    # Unticked, the report is waiting again, with nobody named.
    post_report(client, report, dealt_with=None)
    report.refresh_from_db()
    assert (report.resolved_at, report.resolved_by) == (None, None)
    assert report.editor_note == "Phoned twice."
    assert "Calm Harbor" in client.get(f"{ADMIN}?resolved=no").text


def test_a_page_opened_before_another_editor_dealt_with_it_does_not_reopen_it(
    client, editor, listed
):
    report = report_on(listed)
    client.get(change_url(report))  # opened while waiting...
    other = make_editor("other@site.example")
    ListingReport.objects.filter(pk=report.pk).update(resolved_at=timezone.now(), resolved_by=other)
    # ...and saved with a note, the box left as it was when the page was opened.
    response = post_report(client, report, editor_note="Checked the website.")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.resolved_by == other and report.resolved_at is not None
    assert report.editor_note == "Checked the website."


def test_the_bulk_action_records_who_dealt_with_the_reports(client, editor, listed):
    waiting = report_on(listed)
    other = make_editor("other@site.example")
    earlier = timezone.now() - timedelta(days=2)
    done = report_on(listed, problem="contact", resolved_at=earlier, resolved_by=other)
    client.post(ADMIN, {"action": "mark_resolved", "_selected_action": [waiting.pk, done.pk]})
    waiting.refresh_from_db()
    done.refresh_from_db()
    assert waiting.resolved_by == editor and waiting.resolved_at is not None
    # One already dealt with keeps who did it and when.
    assert (done.resolved_by, done.resolved_at) == (other, earlier)
    listing = client.get(f"{ADMIN}?resolved=yes").text
    for email in ["editor@site.example", "other@site.example"]:
        assert f'<td class="field-dealt_with_by">{email}</td>' in listing, email


def test_a_deleted_editor_leaves_the_report_dealt_with(client, editor, listed):
    other = make_editor("other@site.example")
    report = report_on(listed, resolved_at=timezone.now(), resolved_by=other)
    other.delete()
    report.refresh_from_db()
    assert report.resolved_by is None and report.resolved_at is not None
    assert '<div class="readonly">a deleted account</div>' in client.get(change_url(report)).text


def test_all_reports_list_the_waiting_ones_first(client, editor, listed):
    now = timezone.now()
    old_waiting = report_on(listed, problem="closed")
    done = report_on(listed, problem="contact", resolved_at=now, resolved_by=editor)
    new_waiting = report_on(listed, problem="insurance")
    ListingReport.objects.filter(pk=old_waiting.pk).update(created_at=now - timedelta(days=9))
    ListingReport.objects.filter(pk=done.pk).update(created_at=now - timedelta(days=1))
    page = client.get(f"{ADMIN}?resolved=all")
    listed_in_order = list(page.context["cl"].result_list)
    assert listed_in_order == [new_waiting, old_waiting, done]


@pytest.mark.parametrize(
    "problem, shown, not_shown",
    [
        ("price", ["$400 to $450", "$600 to $850", "IV ketamine infusion"], ["(512) 555-0142"]),
        ("insurance", ["Aetna", "Spravato", "Payment plans"], ["(512) 555-0142"]),
        (
            "contact",
            ["(512) 555-0142", "https://calm-harbor.example", "12 Lake Road", "Mon-Fri 9-5"],
            ["$400 to $450"],
        ),
        ("closed", ["Published", "12 Lake Road", "(512) 555-0142"], ["$400 to $450"]),
        ("other", ["$400 to $450", "Aetna", "(512) 555-0142", "12 Lake Road"], []),
    ],
)
def test_the_listing_as_it_is_now_is_shown_beside_the_report(
    client, editor, listed, problem, shown, not_shown
):
    report = report_on(listed, problem=problem)
    page = client.get(change_url(report))
    section = page.text.split('id="listing-now"')[1].split("</fieldset>")[0]
    for words in shown:
        assert words in section, words
    for words in not_shown:
        assert words not in section, words
    assert f'href="/admin/clinics/clinic/{listed.pk}/change/"' in section
    assert 'href="/clinics/calm-harbor/"' in section


def test_a_hidden_clinic_has_no_public_page_to_link_to(client, editor, listed):
    listed.status = Clinic.Status.HIDDEN
    listed.save()
    section = client.get(change_url(report_on(listed, problem="closed"))).text
    section = section.split('id="listing-now"')[1].split("</fieldset>")[0]
    assert 'href="/clinics/calm-harbor/"' not in section
    assert "not on the public site" in section


def test_the_report_pages_do_not_grow_with_the_listing_or_the_queue(
    client, editor, listed, django_assert_max_num_queries
):
    # Session, user, permissions, the report with its clinic and editor,
    # offerings, payers: 7 whatever the listing holds.
    report = report_on(listed, problem="other")
    busy = make_clinic(
        offerings=dict.fromkeys(["iv", "im", "spravato", "at-home", "kap"], (300, 500)),
        payers=["aetna", "cigna", ("medicare", "spravato"), "payment-plans", "fsa-hsa"],
    )
    busy_report = report_on(busy, problem="other", resolved_at=timezone.now(), resolved_by=editor)
    for shown in [report, busy_report]:
        with django_assert_max_num_queries(7):
            assert client.get(change_url(shown)).status_code == 200

    for number in range(20):
        by = make_editor(f"e{number}@x.example")
        report_on(make_clinic(), resolved_at=timezone.now(), resolved_by=by)
    with django_assert_max_num_queries(7):
        page = client.get(f"{ADMIN}?resolved=all")
    assert '<td class="field-dealt_with_by">e19@x.example</td>' in page.text


def test_only_editors_open_reports_in_the_admin(client, listed):
    report = report_on(listed)
    client.force_login(make_user(is_staff=True))
    assert client.get(f"{ADMIN}?resolved=all").status_code == 403
    assert client.get(change_url(report)).status_code == 403


def test_the_admin_history_of_a_report_keeps_neither_its_words_nor_the_note(client, editor, listed):
    from django.contrib.admin.models import LogEntry

    report = report_on(listed)
    post_report(client, report, dealt_with="on", editor_note="Phoned the clinic.")
    entry = LogEntry.objects.get()
    logged = f"{entry.object_repr} {entry.get_change_message()}"
    assert "$650" not in logged and "Phoned" not in logged


def test_someone_who_may_only_read_reports_sees_the_page_without_the_form(client, listed):
    from django.contrib.auth.models import Permission

    reader = make_user(is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_listingreport"))
    client.force_login(reader)
    report = report_on(listed, resolved_at=timezone.now(), resolved_by=make_editor())
    page = client.get(change_url(report))
    assert page.status_code == 200
    assert 'name="dealt_with"' not in page.text
    assert '<div class="readonly">editor@site.example</div>' in page.text


def test_addresses_in_one_ipv6_64_block_are_one_visitor(client, clinic):
    # One connection's /64 gives it 2^64 addresses: counted apart, no limit at all.
    for n in range(1, 6):
        client.post(URL, {"problem": "other", "details": "Wrong"}, REMOTE_ADDR=f"2001:db8::{n}")
    for n in range(6, 9):
        response = client.post(
            URL, {"problem": "closed", "details": "Still wrong"}, REMOTE_ADDR=f"2001:db8::{n}"
        )
        assert response.status_code == 429
        assert "Still wrong" in response.text
    assert ListingReport.objects.count() == 5
    # The next /64 is someone else.
    other = client.post(URL, {"problem": "other"}, REMOTE_ADDR="2001:db8:0:1::1")
    assert other.status_code == 302


def test_an_ipv4_address_written_as_ipv6_is_that_ipv4_address(client, clinic):
    for _ in range(5):
        client.post(URL, {"problem": "other"}, REMOTE_ADDR="203.0.113.9")
    response = client.post(URL, {"problem": "other"}, REMOTE_ADDR="::ffff:203.0.113.9")
    assert response.status_code == 429
    # IPv4 addresses stay whole: a neighbour is not held up.
    assert client.post(URL, {"problem": "other"}, REMOTE_ADDR="203.0.113.10").status_code == 302
