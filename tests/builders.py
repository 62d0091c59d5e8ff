"""Small builders for test data: a clinic with its offerings and payers in one call."""

import itertools

from clinics.models import AcceptedPayer, Clinic, Condition, Offering, Payer

_numbers = itertools.count(1)


def make_clinic(
    name=None,
    *,
    offerings=None,
    payers=(),
    conditions=(),
    city="Austin",
    state="TX",
    zip_code="78701",
    **fields,
):
    """
    Create a published clinic. `offerings` maps route -> (min, max) or a dict of
    Offering fields (default: IV at $400-$450); `payers` is a list of payer slugs
    or (slug, route) pairs; `conditions` a list of condition slugs.
    """
    number = next(_numbers)
    name = name or f"Test Clinic {number}"
    fields.setdefault("slug", f"test-clinic-{number}")
    clinic = Clinic.objects.create(name=name, city=city, state=state, zip_code=zip_code, **fields)
    for route, price in (offerings if offerings is not None else {"iv": (400, 450)}).items():
        if not isinstance(price, dict):
            price = {"price_min": price[0], "price_max": price[1]}
        Offering.objects.create(clinic=clinic, route=route, **price)
    for payer in payers:
        slug, route = payer if isinstance(payer, tuple) else (payer, "")
        AcceptedPayer.objects.create(clinic=clinic, payer=Payer.objects.get(slug=slug), route=route)
    if conditions:
        clinic.conditions.set(Condition.objects.filter(slug__in=conditions))
    return clinic


def make_user(email=None, password="a long test password", confirmed=True, **fields):
    """An account; its email address confirmed (as if the emailed link was opened) unless told."""
    from django.contrib.auth import get_user_model

    from accounts.confirmation import mark_confirmed

    email = email or f"person{next(_numbers)}@example.org"
    user = get_user_model().objects.create_user(
        username=email, email=email, password=password, **fields
    )
    if confirmed:
        mark_confirmed(user)
    return user


def make_editor(email="editor@site.example"):
    """A staff user in the Editors group (not a superuser)."""
    from django.contrib.auth.models import Group

    editor = make_user(email, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    return editor


def make_member(clinic, user=None):
    """A user on the clinic's staff (as if their claim had been approved)."""
    from listings.models import Membership

    user = user or make_user()
    Membership.objects.create(clinic=clinic, user=user)
    return user


def make_inquiry(clinic, **fields):
    """A patient's inquiry to the clinic (unread unless read_at is given)."""
    from inquiries.models import Inquiry

    fields.setdefault("email", f"patient{next(_numbers)}@example.org")
    fields.setdefault("message", "Do you take Aetna for Spravato?")
    return Inquiry.objects.create(clinic=clinic, **fields)
