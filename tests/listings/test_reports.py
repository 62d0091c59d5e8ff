"""Visitors tell the editors that a listing looks wrong."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from clinics.models import Clinic
from listings.models import ListingReport
from tests.builders import make_clinic, make_editor
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
