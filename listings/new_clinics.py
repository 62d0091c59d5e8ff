"""Clinics their own staff add: hidden until an editor approves the claim that comes with them."""

from django.db import transaction
from django.utils.text import slugify

from clinics.models import Clinic, ClinicRedirect
from listings import claims
from listings.editing import record_creation
from listings.models import Claim

# A person may have this many new clinics waiting for review at once.
MAX_WAITING = 3


def waiting_count(user):
    return Claim.objects.filter(
        user=user, status__in=Claim.OPEN, clinic__status=Clinic.Status.PROPOSED
    ).count()


def unique_slug(name, city):
    # "Sunrise Ketamine Austin" in Austin: the city once, not ...-austin-austin.
    named, place = slugify(name), slugify(city)
    base = (named if place and named.endswith(place) else slugify(f"{name} {city}"))[:200]
    base = base or "clinic"
    slug, number = base, 1
    # Nor another clinic's old address, which leads to that clinic.
    while (
        Clinic.objects.filter(slug=slug).exists()
        or ClinicRedirect.objects.filter(old_slug=slug).exists()
    ):
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def add_clinic(request, clinic_form, claim_form):
    """Save the proposed clinic and its claim, and ask the editors to review both."""
    clinic = clinic_form.save(commit=False)
    clinic.status = Clinic.Status.PROPOSED
    clinic.slug = unique_slug(clinic.name, clinic.city)
    clinic.save()
    # Its history starts with what its staff sent (as an editor's creation does).
    record_creation(clinic, request.user)
    claim = claim_form.save(commit=False)
    claim.clinic, claim.user, claim.status = clinic, request.user, Claim.Status.IN_REVIEW
    claim.save()
    transaction.on_commit(lambda: claims.ask_editors(request, claim))
    return claim
