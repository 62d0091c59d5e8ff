"""Ask clinic staff to check prices nobody has confirmed for a while."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clinics.models import Clinic
from ketamine_directory.outgoing_mail import send_email
from listings.models import Membership

# However old the prices, the same staff are asked at most this often.
REMIND_EVERY = timedelta(days=30)


def stale_clinics(now, days):
    """Published clinics with staff, prices older than `days`, not asked about lately."""
    old_prices = Q(prices_updated_at__isnull=True) | Q(prices_updated_at__lt=now - timedelta(days))
    not_asked = Q(prices_reminder_sent_at__isnull=True) | Q(
        prices_reminder_sent_at__lt=now - REMIND_EVERY
    )
    return (
        Clinic.objects.published()
        .filter(old_prices, not_asked, memberships__isnull=False)
        .distinct()
        .order_by("name", "pk")
    )


def send_reminders(days=None, dry_run=False):
    """
    One email per staff member, naming each of their clinics with old prices.

    Returns (people emailed, clinics named); with `dry_run`, what it would be.
    An email the mail server does not take is logged (without its address)
    and left out of both.
    """
    now = timezone.now()
    days = settings.STALE_PRICE_DAYS if days is None else days
    clinics = {clinic.pk: clinic for clinic in stale_clinics(now, days)}
    theirs = defaultdict(list)
    staff = Membership.objects.filter(clinic__in=clinics, user__is_active=True).exclude(
        user__email=""
    )
    for clinic_id, email in staff.values_list("clinic_id", "user__email"):
        theirs[email].append(clinics[clinic_id])
    if dry_run:
        return len(theirs), len(clinics)
    emailed, reminded = 0, set()
    for email, listed in sorted(theirs.items()):
        if _remind(email, sorted(listed, key=lambda clinic: clinic.name), days):
            emailed += 1
            reminded.update(clinic.pk for clinic in listed)
    # A clinic none of whose staff could be emailed is asked about on the next run.
    Clinic.objects.filter(pk__in=reminded).update(prices_reminder_sent_at=now)
    return emailed, len(reminded)


def _remind(email, clinics, days):
    subject = (
        f"Are {clinics[0].name}'s prices still right?"
        if len(clinics) == 1
        else "Are your clinics' prices still right?"
    )
    links = [(c, settings.SITE_URL + reverse("listings:edit", args=[c.slug])) for c in clinics]
    body = render_to_string("listings/email/stale_prices.txt", {"clinics": links, "days": days})
    return send_email("a stale-prices reminder", subject, body, [email])
