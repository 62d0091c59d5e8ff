"""
A listing as plain data, for recording what an edit changed and putting it back.

A snapshot maps each part of a listing to a JSON-friendly value:
the clinic's name, status and place, the editable text fields and
telehealth, "conditions" (sorted slugs),
"offering:<route>" (that route's prices, or None when not offered) and
"insurance" (sorted "payer-slug:route" pairs; route empty for every route).
"""

from django.db import transaction
from django.utils.text import capfirst

from clinics import stats
from clinics.models import AcceptedPayer, Clinic, Condition, Offering, Payer, Route
from clinics.templatetags.directory import dollars, price_range

# Who and where the clinic is, and whether it is listed: set by editors in
# the admin (the staff form leaves them out), recorded and undone like the rest.
IDENTITY_FIELDS = ["name", "status", "street_address", "city", "state", "zip_code"]
TEXT_FIELDS = ["description", "phone", "website", "email", "hours", "providers"]
FIELDS = [*IDENTITY_FIELDS, *TEXT_FIELDS, "telehealth"]
OFFERING_FIELDS = ["price_min", "price_max", "series_sessions", "series_price", "notes"]
# Parts that are sets of ticks, merged tick by tick (see editing.save_listing).
TICK_PARTS = {"conditions", "insurance"}
PART_ORDER = [
    *IDENTITY_FIELDS,
    *(f"offering:{route}" for route in Route.values),
    "insurance",
    *TEXT_FIELDS,
    "telehealth",
    "conditions",
]


def take(clinic):
    """The listing as stored now (read afresh from the database)."""
    stored = Clinic.objects.values(*FIELDS).get(pk=clinic.pk)
    snapshot = dict(stored)
    snapshot["conditions"] = sorted(clinic.conditions.values_list("slug", flat=True))
    offerings = {o["route"]: o for o in clinic.offerings.values("route", *OFFERING_FIELDS)}
    for route in Route.values:
        offering = offerings.get(route)
        snapshot[f"offering:{route}"] = (
            {field: offering[field] for field in OFFERING_FIELDS} if offering else None
        )
    snapshot["insurance"] = sorted(
        f"{slug}:{route}"
        for slug, route in clinic.accepted_payers.values_list("payer__slug", "route")
    )
    return snapshot


def blank():
    """A listing with nothing in it: what a new clinic's first history entry starts from."""
    snapshot = dict.fromkeys(FIELDS, "") | {"telehealth": False}
    snapshot |= {f"offering:{route}": None for route in Route.values}
    return snapshot | {"conditions": [], "insurance": []}


def diff(before, after):
    """{part: [old, new]} for each part that differs."""
    return {key: [before[key], after[key]] for key in after if before.get(key) != after[key]}


@transaction.atomic
def apply(clinic, values):
    """Write the parts in `values` (a partial snapshot) to the listing."""
    fields = [name for name in FIELDS if name in values]
    if fields:
        for name in fields:
            setattr(clinic, name, values[name])
        clinic.save(update_fields=[*fields, "updated_at"])
    if "conditions" in values:
        clinic.conditions.set(Condition.objects.filter(slug__in=values["conditions"]))
    for route in Route.values:
        key = f"offering:{route}"
        if key not in values:
            continue
        if values[key] is None:
            # One by one, so the signals keep the lowest price and price date right.
            for offering in clinic.offerings.filter(route=route):
                offering.delete()
        else:
            Offering.objects.update_or_create(clinic=clinic, route=route, defaults=values[key])
    if "insurance" in values:
        _set_insurance(clinic, set(values["insurance"]))


def _set_insurance(clinic, wanted):
    current = {
        f"{accepted.payer.slug}:{accepted.route}": accepted
        for accepted in clinic.accepted_payers.select_related("payer")
    }
    for key in current.keys() - wanted:
        current[key].delete()
    added = [key.split(":", 1) for key in wanted - current.keys()]
    payers = Payer.objects.in_bulk([slug for slug, _ in added], field_name="slug")
    for slug, route in added:
        if slug in payers:
            AcceptedPayer.objects.create(clinic=clinic, payer=payers[slug], route=route)


def describe(key, value, names):
    """A part's value as a person reads it in a listing's history."""
    if key.startswith("offering:"):
        if value is None:
            return "not offered"
        text = f"{price_range(value['price_min'], value['price_max'])} per session"
        sessions = value.get("series_sessions")
        if value.get("series_price"):
            count = sessions or Route(key.split(":", 1)[1]).default_series_sessions
            text += f"; {count}-session package {dollars(value['series_price'])}"
        elif sessions:
            text += f"; series of {sessions}"
        if value.get("notes"):
            text += f" ({value['notes']})"
        return text
    if key == "telehealth":
        return "yes" if value else "no"
    if key in ("status", "state"):
        # "Published → Hidden", "Texas → Colorado": the words the admin's menus use.
        return dict(Clinic._meta.get_field(key).choices).get(value, value) or "(empty)"
    if key == "conditions":
        return ", ".join(names["conditions"].get(slug, slug) for slug in value) or "none"
    if key == "insurance":
        routes = {route.value: route.short_label for route in Route}
        parts = []
        for item in value:
            slug, route = item.split(":", 1)
            name = names["payers"].get(slug, slug)
            parts.append(f"{name} (for {routes.get(route, route)})" if route else name)
        return ", ".join(parts) or "none"
    return value or "(empty)"


def described(change):
    """[(label, old, new)] for a ListingChange, in the listing's own order."""
    return described_changes(change.changes)


def described_changes(changes):
    """[(label, old, new)] for {part: [old, new]}, as `diff()` gives, in the listing's order."""
    # The directory's cached menus name the payers and conditions.
    words = stats.vocabulary()
    names = {"conditions": dict(words["conditions"]), "payers": dict(words["payers"])}
    order = {key: position for position, key in enumerate(PART_ORDER)}
    rows = []
    for key, (old, new) in sorted(changes.items(), key=lambda item: order.get(item[0], len(order))):
        if key == "insurance":
            # Long lists: what went and what came is what a reader wants.
            removed, added = sorted(set(old) - set(new)), sorted(set(new) - set(old))
            rows.append(
                (
                    "Insurance",
                    f"removed: {describe(key, removed, names)}" if removed else "",
                    f"added: {describe(key, added, names)}" if added else "",
                )
            )
        else:
            rows.append((label(key), describe(key, old, names), describe(key, new, names)))
    return rows


def described_conflict(changes, clashing):
    """
    Other people's changes an edit was refused over, as two lists of
    (change, label, what they saved): those to the `clashing` parts, which the
    edit changes too, and the rest, which saving the edit keeps.
    """
    order = {key: position for position, key in enumerate(PART_ORDER)}
    overlapping, kept = [], []
    for change in changes:
        for part in sorted(change.changes, key=lambda key: order.get(key, len(order))):
            [(name, old, new)] = described_changes({part: change.changes[part]})
            if part == "insurance":  # "removed: …", "added: …" or both
                new = "; ".join(text for text in (old, new) if text)
            (overlapping if part in clashing else kept).append((change, name, new))
    return {"overlapping": overlapping, "kept": kept}


def label(key):
    if key.startswith("offering:"):
        return Route(key.split(":", 1)[1]).label
    if key in ("conditions", "insurance"):
        return key.capitalize()
    # capfirst, not capitalize: "ZIP code", not "Zip code".
    return capfirst(Clinic._meta.get_field(key).verbose_name)
