"""Saving a listing edit: refuse stale edits, record what changed, put changes back."""

from django.db import transaction
from django.db.models import F

from clinics.models import Clinic
from listings import snapshots
from listings.models import ListingChange


class EditConflict(Exception):
    """The listing changed since the version the edit started from."""


@transaction.atomic
def save_listing(clinic, user, values, version=None, reverts=None):
    """
    Write `values` (a partial snapshot) to the clinic and record the change.

    With `version`, the edit must start from the clinic's current edit_version
    or EditConflict is raised and nothing is written. Returns the ListingChange,
    or None when nothing changed.
    """
    bumped = Clinic.objects.filter(pk=clinic.pk)
    if version is not None:
        bumped = bumped.filter(edit_version=version)
    # The UPDATE also locks the row until the transaction ends, so two saves
    # of the same listing queue up instead of interleaving.
    if not bumped.update(edit_version=F("edit_version") + 1):
        raise EditConflict
    before = snapshots.take(clinic)
    changes = snapshots.diff(before, {key: values[key] for key in values if key in before})
    if not changes:
        # Nothing to record: give the version back so open forms stay valid.
        Clinic.objects.filter(pk=clinic.pk).update(edit_version=F("edit_version") - 1)
        return None
    snapshots.apply(clinic, {key: new for key, (old, new) in changes.items()})
    clinic.edit_version = Clinic.objects.values_list("edit_version", flat=True).get(pk=clinic.pk)
    return ListingChange.objects.create(
        clinic=clinic, user=user, version=clinic.edit_version, changes=changes, reverts=reverts
    )


@transaction.atomic
def record_change(clinic, user, before):
    """Record an edit made elsewhere (the admin) given the snapshot from before it."""
    changes = snapshots.diff(before, snapshots.take(clinic))
    if not changes:
        return None
    Clinic.objects.filter(pk=clinic.pk).update(edit_version=F("edit_version") + 1)
    clinic.edit_version = Clinic.objects.values_list("edit_version", flat=True).get(pk=clinic.pk)
    return ListingChange.objects.create(
        clinic=clinic, user=user, version=clinic.edit_version, changes=changes
    )


def revert(change, user):
    """Put back the old values of a change, as a new change that says so."""
    old_values = {key: old for key, (old, new) in change.changes.items()}
    return save_listing(change.clinic, user, old_values, reverts=change)


def changes_since(clinic, version):
    return ListingChange.objects.filter(clinic=clinic, version__gt=version).select_related("user")
