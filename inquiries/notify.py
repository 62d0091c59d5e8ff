"""Tell a clinic's staff that an inquiry arrived, without a word of what it says."""

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from inquiries.models import retention_days
from listings.models import Membership

logger = logging.getLogger(__name__)


def staff_of(clinic):
    emails = Membership.objects.filter(clinic=clinic, user__is_active=True).values_list(
        "user__email", flat=True
    )
    return sorted({email for email in emails if email})


def tell_staff(request, inquiry):
    """One email per staff member (they need not see each other's addresses)."""
    clinic = inquiry.clinic
    url = request.build_absolute_uri(reverse("inquiries:inbox", args=[clinic.slug]))
    body = render_to_string(
        "inquiries/email/new_inquiry.txt",
        {"clinic": clinic, "url": url, "retention_days": retention_days()},
    )
    for email in staff_of(clinic):
        try:
            send_mail(f"New inquiry for {clinic.name}", body, None, [email])
        except Exception as error:  # the inquiry is saved; staff see it in the inbox
            # The inquiry's number and the error's kind only: nothing the patient wrote.
            logger.warning(
                "Could not email staff about inquiry #%s: %s", inquiry.pk, type(error).__name__
            )
