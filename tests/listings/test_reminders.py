"""Staff are asked, now and then, to confirm prices nobody has confirmed for months."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from clinics.models import Clinic
from tests.builders import make_clinic, make_member, make_user

pytestmark = pytest.mark.django_db


def priced(name, days_ago, **fields):
    clinic = make_clinic(name, slug=name.lower().replace(" ", "-"), **fields)
    confirmed = None if days_ago is None else timezone.now() - timedelta(days=days_ago)
    Clinic.objects.filter(pk=clinic.pk).update(prices_updated_at=confirmed)
    return clinic


def remind(*args):
    out = io.StringIO()
    call_command("remind_stale_prices", *args, stdout=out)
    return out.getvalue()


def test_staff_are_asked_about_old_prices_only(settings):
    settings.SITE_URL = "https://clinics.example"
    jo = make_user("jo@calm-harbor.example")
    make_member(priced("Calm Harbor", 120), jo)
    make_member(priced("Bright Path", None), jo)  # never confirmed
    make_member(priced("Fresh Start", 10), jo)
    make_member(priced("Hidden One", 200, status=Clinic.Status.HIDDEN), jo)
    priced("Nobody Manages", 300)
    make_member(priced("Quiet Pines", 150), make_user("sam@quiet-pines.example"))
    make_member(priced("Gone Away", 150), make_user("old@example.org", is_active=False))

    remind()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "jo@calm-harbor.example",
        "sam@quiet-pines.example",
    ]
    to_jo = next(m for m in mail.outbox if m.to == ["jo@calm-harbor.example"])
    assert to_jo.subject == "Are your clinics' prices still right?"
    assert "https://clinics.example/account/clinics/bright-path/" in to_jo.body
    assert "https://clinics.example/account/clinics/calm-harbor/" in to_jo.body
    assert "never confirmed" in to_jo.body
    for quiet in ("fresh-start", "hidden-one", "nobody-manages", "quiet-pines"):
        assert quiet not in to_jo.body


def test_asked_at_most_once_a_month_and_not_after_confirming(client):
    clinic = priced("Calm Harbor", 120)
    make_member(clinic, make_user("jo@calm-harbor.example"))
    remind()
    remind()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Are Calm Harbor's prices still right?"

    Clinic.objects.filter(pk=clinic.pk).update(
        prices_reminder_sent_at=timezone.now() - timedelta(days=31)
    )
    clinic.mark_prices_updated()  # "These prices are correct today"
    remind()
    assert len(mail.outbox) == 1

    Clinic.objects.filter(pk=clinic.pk).update(
        prices_updated_at=timezone.now() - timedelta(days=91)
    )
    remind()
    assert len(mail.outbox) == 2


def test_a_dry_run_counts_and_sends_nothing():
    make_member(priced("Calm Harbor", 120))
    assert "Would email 1 staff about 1 clinics" in remind("--dry-run")
    assert not mail.outbox
    assert Clinic.objects.get().prices_reminder_sent_at is None


def test_a_reminder_the_mail_server_refuses_is_asked_again_next_run(settings, caplog):
    settings.MAILERS = {
        "default": {"BACKEND": "tests.ketamine_directory.test_outgoing_mail.RefusingBackend"}
    }
    make_member(priced("Calm Harbor", 120), make_user("jo@bad.example"))
    assert "Emailed 0 staff about 0 clinics" in remind()
    assert Clinic.objects.get().prices_reminder_sent_at is None
    assert "bad.example" not in "\n".join(record.getMessage() for record in caplog.records)
