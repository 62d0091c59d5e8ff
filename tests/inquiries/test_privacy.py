"""Inquiries are health data: kept no longer than needed, out of logs and admin history."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from inquiries.models import Inquiry
from tests.builders import make_clinic, make_inquiry, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    return make_clinic("Calm Harbor Ketamine", slug="calm-harbor")


def aged(inquiry, days):
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=timezone.now() - timedelta(days=days))
    return inquiry


def test_its_name_in_logs_and_admin_history_has_nothing_personal(clinic):
    inquiry = make_inquiry(
        clinic, name="Alex", email="alex@example.org", phone="555 010 2030", message="My history"
    )
    text = str(inquiry)
    assert text == f"Inquiry #{inquiry.pk} to Calm Harbor Ketamine"
    for private in ["Alex", "alex@example.org", "555", "My history"]:
        assert private not in text


def test_purge_deletes_inquiries_older_than_the_retention_period(clinic, capsys):
    old = aged(make_inquiry(clinic), 181)
    kept = aged(make_inquiry(clinic), 179)
    new = make_inquiry(clinic)
    call_command("purge_inquiries")
    assert set(Inquiry.objects.values_list("pk", flat=True)) == {kept.pk, new.pk}
    assert not Inquiry.objects.filter(pk=old.pk).exists()
    assert "Deleted 1 inquiries received more than 180 days ago." in capsys.readouterr().out


def test_the_retention_period_is_a_setting(clinic, settings):
    settings.INQUIRY_RETENTION_DAYS = 30
    aged(make_inquiry(clinic), 31)
    kept = aged(make_inquiry(clinic), 29)
    call_command("purge_inquiries", verbosity=0)
    assert list(Inquiry.objects.values_list("pk", flat=True)) == [kept.pk]


def test_editors_read_and_delete_inquiries_but_cannot_add_or_change_them(client, editor, clinic):
    inquiry = make_inquiry(clinic, name="Alex", message="Private question about my history")
    listing = client.get("/admin/inquiries/inquiry/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Calm Harbor Ketamine" in page
    assert "Private question" not in page and "Alex" not in page

    url = f"/admin/inquiries/inquiry/{inquiry.pk}/change/"
    assert "Private question about my history" in client.get(url).content.decode()
    assert client.post(url, {"message": "Edited"}).status_code == 403
    assert client.get("/admin/inquiries/inquiry/add/").status_code == 403

    response = client.post(f"/admin/inquiries/inquiry/{inquiry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Inquiry.objects.exists()
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.get().object_repr == f"Inquiry #{inquiry.pk} to Calm Harbor Ketamine"


def test_clinic_staff_who_are_not_editors_cannot_open_them_in_the_admin(client, clinic):
    make_inquiry(clinic)
    client.force_login(make_user(is_staff=True))
    assert client.get("/admin/inquiries/inquiry/").status_code == 403
