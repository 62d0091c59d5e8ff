"""Saving a listing edit: refuse stale edits, record what changed, put changes back."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from clinics.models import AcceptedPayer, Clinic, Offering, Route
from listings import snapshots
from listings.models import ListingChange


class EditConflict(Exception):
    """The listing changed since the version the edit started from."""

    def __init__(self, parts, broken=""):
        super().__init__(parts)
        # Which parts of the listing both edits changed, differently, or
        # whose changes together would leave it as no form allows.
        self.parts = parts
        # Then why, said of both changes ("would leave the listing with no
        # treatment", from "it would leave ..."), else "".
        self.broken = broken.removeprefix("it ")


@transaction.atomic
def save_listing(clinic, user, values, version=None, started=None, reverts=None):
    """
    Write `values` (a partial snapshot) to the clinic and record the change.

    For an edit made in a form: `started` is the edit_version the form was
    loaded at, `version` the latest one whose changes its user has been shown
    (the same, unless a conflict was shown). Only the parts the user changed
    since `started` are written, so other people's changes to the rest are
    kept; ticks (insurance, conditions) are merged one by one. If someone
    else changed one of those same parts after `version`, EditConflict is
    raised and nothing is written. Returns the ListingChange,
    or None when nothing changed.
    """
    # The UPDATE also locks the row until the transaction ends, so two saves
    # of the same listing queue up instead of interleaving.
    Clinic.objects.filter(pk=clinic.pk).update(edit_version=F("edit_version") + 1)
    before = snapshots.take(clinic)
    values = {key: values[key] for key in values if key in before}
    if version is not None:
        values = _own_changes(clinic, before, values, version, started)
    changes = snapshots.diff(before, values)
    if not changes:
        # Nothing to record: give the version back so open forms stay valid.
        Clinic.objects.filter(pk=clinic.pk).update(edit_version=F("edit_version") - 1)
        return None
    snapshots.apply(clinic, {key: new for key, (old, new) in changes.items()})
    clinic.edit_version = Clinic.objects.values_list("edit_version", flat=True).get(pk=clinic.pk)
    return ListingChange.objects.create(
        clinic=clinic,
        user=user,
        by_editor=is_editor(user),
        version=clinic.edit_version,
        changes=changes,
        reverts=reverts,
    )


def _own_changes(clinic, current, values, version, started):
    """
    The parts of `values` that differ from the listing as it was at `started`,
    or EditConflict if someone changed one of them after `version` too.
    """
    started = version if started is None else min(started, version)
    since = list(changes_since(clinic, started))
    loaded = as_it_was(current, since)
    own = {part: value for part, value in values.items() if value != loaded.get(part)}
    for part in own.keys() & snapshots.TICK_PARTS:
        own[part] = merged_ticks(current[part], own[part], loaded[part])
    unseen = {part for change in since if change.version > version for part in change.changes}
    merged = set()
    for part in own.keys() & unseen & set(OFFERING_PARTS):
        if (row := merged_offering(part, current[part], own[part], loaded[part])) is not None:
            own[part] = row
            merged.add(part)
    clashing = {
        part
        for part in (own.keys() & unseen) - snapshots.TICK_PARTS - merged
        if own[part] != current[part]
    }
    broken = _left_broken_by_the_merge(current, own, unseen)
    if clashing or broken:
        # Only the merge's own trouble, said as such: the parts both changed
        # are said as they are.
        why = _left_broken_by_the_undo(current, current | own) if broken - clashing else ""
        raise EditConflict(clashing | broken, why)
    return own


def as_it_was(current, changes):
    """The listing `current` before `changes` (ListingChanges made since) were made."""
    loaded = dict(current)
    for change in sorted(changes, key=lambda change: -change.version):
        # Newest first, so the oldest "before" wins.
        for part, (old, _new) in change.changes.items():
            loaded[part] = old
    return loaded


def merged_ticks(current, mine, opened):
    """
    Ticks merge one by one: what this person ticked or unticked since `opened`
    is applied to the ticks stored now, so nobody else's are undone.
    """
    mine, opened = set(mine), set(opened)
    return sorted((set(current) | (mine - opened)) - (opened - mine))


def merged_offering(part, current, mine, opened):
    """
    One treatment's prices changed by two people, field by field: what this
    person changed since `opened` on top of the row stored now. None when
    that cannot be done (both changed one field differently, the treatment
    was added or removed, or the merged row is one no form would accept,
    like a lowest price above the highest): then the treatment clashes whole.
    """
    if not (current and mine and opened):
        return None
    row = dict(current)
    for field, value in mine.items():
        if value != opened.get(field):
            if current.get(field) not in (opened.get(field), value):
                return None
            row[field] = value
    offering = Offering(route=part.split(":", 1)[1], **row)
    try:
        offering.full_clean(exclude=["clinic"], validate_unique=False)
    except ValidationError:
        return None
    return row


def _left_broken_by_the_merge(current, own, unseen):
    """
    Parts to show as clashing when merging this edit with what others saved
    meanwhile (`unseen`) would leave the listing in a state neither form
    allowed: insurance ticked for a treatment it no longer has (one person
    removed the treatment, the other ticked insurance for it), or no priced
    treatment at all (each cleared a different one). Each form checks itself,
    but only against the listing it shows. What one person did alone (an
    editor deleting a price row in the admin) is theirs, as before.
    """

    after = current | own
    parts = set()
    for route in _orphan_routes(after) - _orphan_routes(current):
        part = f"offering:{route}"
        if part in unseen or "insurance" in unseen:
            parts.add("insurance" if part in own else part)
    if _priced(current) and not _priced(after):
        parts |= unseen & set(OFFERING_PARTS)
    return parts


OFFERING_PARTS = [f"offering:{route}" for route in Route.values]


def _orphan_routes(listing):
    """The routes a listing (a snapshot) takes insurance for but does not offer."""
    return {
        route
        for item in listing["insurance"]
        for route in [item.split(":", 1)[1]]
        if route and not listing[f"offering:{route}"]
    }


def _priced(listing):
    return any(listing[part] for part in OFFERING_PARTS)


def _left_broken_by_the_undo(current, after):
    """Why putting old values back (`after`) would leave a listing no form allows, or ""."""
    if _priced(current) and not _priced(after):
        return "it would leave the listing with no treatment"
    if routes := _orphan_routes(after) - _orphan_routes(current):
        names = ", ".join(Route(route).label for route in sorted(routes))
        return f"it would leave insurance ticked for {names}, which the listing would not offer"
    return ""


@transaction.atomic
def record_creation(clinic, user):
    """
    A new clinic's first history entry: every part it was created with, from
    nothing. Its version is the clinic's own (0): it is where edits start from,
    not an edit, so no form's "changed since" counts it.
    """
    changes = snapshots.diff(snapshots.blank(), snapshots.take(clinic))
    return ListingChange.objects.create(
        clinic=clinic,
        user=user,
        by_editor=is_editor(user),
        version=clinic.edit_version,
        changes=changes,
    )


@transaction.atomic
def record_vocabulary_deletion(user, *, payer=None, condition=None):
    """
    Record, in the history of each listing that uses it, a payer or condition
    about to be deleted (its rows on the listings go with it). Made for a
    widely used one: the same few queries for every listing that has it.
    """
    if payer is not None:
        part, rows = "insurance", AcceptedPayer.objects.filter(payer=payer)
    else:
        part, rows = "conditions", Clinic.conditions.through.objects.filter(condition=condition)
    clinic_ids = sorted(set(rows.values_list("clinic_id", flat=True)))
    if not clinic_ids:
        return
    clinics = Clinic.objects.filter(pk__in=clinic_ids)
    # As save_listing does: each listing's open forms see a change they were not shown.
    clinics.update(edit_version=F("edit_version") + 1)
    if payer is not None:
        values = AcceptedPayer.objects.filter(clinic__in=clinic_ids).values_list(
            "clinic_id", "payer__slug", "route"
        )
        listed = [(clinic, f"{slug}:{route}", slug == payer.slug) for clinic, slug, route in values]
    else:
        values = Clinic.conditions.through.objects.filter(clinic__in=clinic_ids).values_list(
            "clinic_id", "condition__slug"
        )
        listed = [(clinic, slug, slug == condition.slug) for clinic, slug in values]
    before = {pk: [] for pk in clinic_ids}
    after = {pk: [] for pk in clinic_ids}
    for clinic, value, goes in listed:
        before[clinic].append(value)
        if not goes:
            after[clinic].append(value)
    ListingChange.objects.bulk_create(
        ListingChange(
            clinic_id=pk,
            user=user,
            by_editor=is_editor(user),
            version=version,
            changes={part: [sorted(before[pk]), sorted(after[pk])]},
        )
        for pk, version in clinics.values_list("pk", "edit_version")
    )


@transaction.atomic
def revert(change, user):
    """
    Put back the old values of a change, as a new change that says so.
    Returns (the new change or None, the parts left alone because someone
    changed them again since: undoing those would silently throw that away,
    and why nothing was undone if the listing would be left in a state no
    form allows, or "").
    """
    if change.is_creation:
        # Putting back "before the listing existed" would blank it: hiding it is the undo.
        return None, [], ""
    Clinic.objects.select_for_update().filter(pk=change.clinic_id).exists()
    current = snapshots.take(change.clinic)
    old_values, changed_since = {}, []
    for key, (old, new) in change.changes.items():
        if current.get(key) == new:
            old_values[key] = old
        elif current.get(key) != old:
            changed_since.append(key)
    # Undoing "added at-home prices" after insurance was ticked for them, or
    # the last treatment's prices after the others were cleared.
    if refused := _left_broken_by_the_undo(current, current | old_values):
        return None, changed_since, refused
    undo = save_listing(change.clinic, user, old_values, reverts=change) if old_values else None
    return undo, changed_since, ""


def is_editor(user):
    """Whether a change's author is told to staff as "an editor" (anyone who may use the admin)."""
    return user is None or user.is_staff


def changes_since(clinic, version):
    return ListingChange.objects.filter(clinic=clinic, version__gt=version).select_related("user")
