"""Tell a clinic's staff that an inquiry arrived, without a word of what it says."""

from django.template.loader import render_to_string
from django.urls import reverse

from inquiries.models import retention_days
from ketamine_directory.outgoing_mail import send_email
from listings.models import Membership


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
        # Not sent, the inquiry is still saved, and staff see it in the inbox.
        send_email(
            f"staff the notice of inquiry #{inquiry.pk}",
            f"New inquiry for {clinic.name}",
            body,
            [email],
        )
