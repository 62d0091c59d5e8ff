"""What to suggest when a directory search finds no clinic."""

from django.urls import reverse

from clinics.forms import DEFAULT_RADIUS, MAX_RADIUS, RADIUS_CHOICES
from clinics.geo import locate_zip
from clinics.models import Route
from clinics.states import US_STATES
from clinics.stats import route_stats, states_with_clinics
from clinics.templatetags.directory import dollars

WIDEST_RADIUS = max(miles for miles, _ in RADIUS_CHOICES)


def suggestions(request, cleaned, place):
    """
    [(text, link text, url)] of ways to widen a search that found nothing,
    each built from the search itself (url "" for advice without a link).
    """

    def search(drop=(), **changes):
        # Always the directory's own address: a place page's state and city
        # become filters, which a suggestion may then drop or change.
        query = request.GET.copy()
        if place:
            query.setdefault("state", place["state"].lower())
            if place["city"]:
                query.setdefault("city", place["city"])
        for name in [*drop, *changes, "page"]:
            query.pop(name, None)
        for name, value in changes.items():
            query[name] = value
        directory = reverse("clinics:list")
        return f"{directory}?{query.urlencode()}" if query else directory

    tips = []
    near, state = cleaned.get("near"), cleaned.get("state")
    zip_state = locate_zip(near)[3] if near else None
    if near and state and zip_state and zip_state != state:
        tips.append(
            (
                f"ZIP {near} is in {US_STATES.get(zip_state, zip_state)}, but the state "
                f"chosen is {US_STATES[state]}.",
                "Search near the ZIP code in any state",
                search(drop=["state", "city"]),
            )
        )
    elif near and (cleaned.get("radius") or DEFAULT_RADIUS) < WIDEST_RADIUS:
        tips.append(
            ("", f"Look within {WIDEST_RADIUS} miles of {near}", search(radius=WIDEST_RADIUS))
        )
    elif near and zip_state in {code for code, _, _ in states_with_clinics()}:
        tips.append(
            (
                f"No listed clinic is within {cleaned.get('radius')} miles of {near}.",
                f"See every clinic in {US_STATES[zip_state]}",
                search(drop=["near", "radius", "sort"], state=zip_state.lower()),
            )
        )
    elif near and (cleaned.get("radius") or DEFAULT_RADIUS) < MAX_RADIUS:
        # The state's own page would be empty too: the nearest clinics may be
        # across a state line, a long way off, and that is still worth knowing.
        tips.append(
            (
                f"No clinics in {US_STATES[zip_state]} are listed yet."
                if zip_state in US_STATES
                else "",
                f"See the nearest listed clinics, up to {MAX_RADIUS} miles away",
                search(radius=MAX_RADIUS, sort="distance"),
            )
        )
    place_code = zip_state if near else state
    if place_code and not cleaned.get("telehealth"):
        # Far from any clinic (Hawaii, Alaska, a rural state), video visits and
        # at-home programs may be the way in, where the prescriber is licensed.
        tips.append(
            (
                "Some clinics see patients by video or run at-home programs; ask whether "
                f"they can treat people in {US_STATES.get(place_code, 'your state')}.",
                "See clinics that offer telehealth",
                search(drop=["near", "radius", "sort", "state", "city"], telehealth="1"),
            )
        )
    if cleaned.get("city") and state:
        tips.append(("", f"See every clinic in {US_STATES[state]}", search(drop=["city"])))
    max_price = cleaned.get("max_price")
    if max_price is not None:
        tips.append(_price_tip(cleaned.get("route") or Route.values, max_price, search))
    insurance = cleaned.get("insurance")
    if insurance and insurance != "self-pay":
        tips.append(
            (
                "Insurance mostly covers Spravato; IV, IM and at-home ketamine are usually "
                "paid for by the patient.",
                "See clinics with payment plans, FSA/HSA or superbills",
                search(insurance="self-pay"),
            )
        )
    if cleaned.get("telehealth"):
        tips.append(("", "Include clinics without telehealth", search(drop=["telehealth"])))
    if cleaned.get("condition"):
        tips.append(
            (
                "Not every clinic lists each condition it treats.",
                "Search without the condition",
                search(drop=["condition"]),
            )
        )
    return tips


def _price_tip(routes, max_price, search):
    stats = route_stats()
    cheapest = {route: stats[route]["cheapest"] for route in routes if stats[route]["count"]}
    above = {route: price for route, price in cheapest.items() if price > max_price}
    if not cheapest or len(above) < len(cheapest):
        return ("Raise the maximum price, or choose another treatment.", "", "")
    route, lowest = min(above.items(), key=lambda item: item[1])
    return (
        f"The lowest price listed for {Route(route).label_in_sentence} "
        f"is {dollars(lowest)} per session.",
        f"Show clinics up to {dollars(lowest)}",
        search(max_price=lowest),
    )
