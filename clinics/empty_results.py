"""
What to say when a directory search finds no clinic: what excluded the
clinics, and searches that widen it. Every suggested search is checked to
find clinics before it is offered, all of them in one query.
"""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse

from clinics.filters import ClinicFilter
from clinics.forms import DEFAULT_RADIUS, MAX_RADIUS
from clinics.geo import biggest_places, bounding_box, distance_miles_expression, locate_zip
from clinics.models import Clinic, Offering
from clinics.nearby import radius_reaching
from clinics.search_words import in_sentence, routes_words
from clinics.states import US_STATES
from clinics.stats import payer_ids, vocabulary
from clinics.templatetags.directory import dollars
from clinics.where import read_where

# Every neighbour is the sea or Canada: there is no state line to search across.
NO_STATE_LINE = {"AK", "HI"}
PLACE_FILTERS = ["near", "radius", "sort", "state", "city"]
REMOTE_ROUTES = {"at-home", "kap"}


@dataclass
class EmptyResults:
    headline: str
    # [(text, link text, url)]; url "" for advice without a link.
    tips: list = field(default_factory=list)
    # Whether "Near a state line? Search by your ZIP code" makes sense.
    state_line: bool = False
    # Whether clearing the filters finds anything (and there are filters to clear).
    can_clear: bool = False


@dataclass
class _Search:
    """A search to suggest: offered only if it finds clinics (unless `always`)."""

    text: str
    link_text: str
    query: object
    always: bool = False  # its words are worth saying even if it finds nothing
    unless_radius: bool = False  # not needed when a wider radius reaches a clinic


def explain(request, cleaned, place):
    """What excluded the clinics from this search, and what to try instead."""
    base = _base_query(request, cleaned, place)

    def search(drop=(), **changes):
        query = base.copy()
        for name in [*drop, *changes]:
            query.pop(name, None)
        for name, value in changes.items():
            query[name] = value
        return query

    near, state, city = cleaned.get("near"), cleaned.get("state"), cleaned.get("city")
    radius = cleaned.get("radius") or DEFAULT_RADIUS
    routes = cleaned.get("route") or []
    max_price = cleaned.get("max_price")
    wanted = _wanted(cleaned)
    where = _place_words(cleaned, radius)
    zip_state = locate_zip(near)[3] if near else None
    mismatch = bool(near and state and zip_state != state)

    figures = {"everything": ("exists", Clinic.objects.published().values("pk"))}
    if where and wanted:
        # Counted up to the directory's cap, as the results are.
        place_ids = _matching(search(drop=_NOT_PLACE))[: settings.CLINICS_COUNT_CAP + 1]
        figures["place"] = ("count", place_ids)
    if near and not mismatch:
        # The nearest clinic matching the rest, if any is within the widest radius.
        nearest = _nearest(_matching(search(drop=["near", "radius"])), near)
        figures["nearest"] = ("value", nearest.values("distance")[:1])
    # A whole state without a match: how far its biggest towns are from the
    # nearest clinic that matches, over the state line.
    towns = biggest_places(state) if state and not (near or city) else []
    for number, (_, zip_code) in enumerate(towns):
        nearest = _nearest(_matching(search(drop=PLACE_FILTERS)), zip_code)
        figures[f"town{number}"] = ("value", nearest.values("distance")[:1])
        where_clinic = nearest.annotate(found_in=Concat("state", Value(" "), "city"))
        figures[f"town{number}_clinic"] = ("value", where_clinic.values("found_in")[:1])
    if max_price is not None:
        offerings = Offering.objects.filter(clinic__in=_matching(search(drop=["max_price"])))
        if routes:
            offerings = offerings.filter(route__in=routes)
        if cleaned.get("insurance"):
            # A price the insurance is for, or the tip's search would find nothing.
            offerings = offerings.covered_by(payer_ids(cleaned["insurance"]))
        figures["cheapest"] = ("value", offerings.order_by("price_min").values("price_min")[:1])

    # What to suggest, in the order shown: searches to check, and the radius
    # and price that reach the nearest and cheapest clinics (true by construction).
    plan = []
    if mismatch:
        plan.append(
            _Search(
                f"ZIP {near} is in {US_STATES.get(zip_state, zip_state)}, but the state "
                f"chosen is {_state_name(state)}.",
                "Search near the ZIP code in any state",
                search(drop=["state", "city"]),
                always=True,
            )
        )
    if near and not mismatch:
        plan.append("radius")
        if zip_state in US_STATES and zip_state != state:
            # A state can be wider than the widest radius (Texas, Alaska).
            plan.append(
                _Search(
                    "",
                    f"See every clinic in {_state_name(zip_state)}",
                    search(drop=["near", "radius", "sort"], state=zip_state.lower()),
                    unless_radius=True,
                )
            )
    typed_zip = read_where(city).zip_code if city and not near else ""
    if typed_zip and locate_zip(typed_zip):
        # A ZIP code in the City box, as the home page's box takes it.
        plan.append(
            _Search(
                f"{typed_zip} looks like a ZIP code.",
                f"Search near ZIP {typed_zip}",
                search(drop=["city", "state"], near=typed_zip),
            )
        )
    elif city and state and not near:
        plan.append(_Search("", f"See every clinic in {_state_name(state)}", search(drop=["city"])))
    if routes:
        plan.append(_Search("", "Include every treatment", search(drop=["route"])))
    if max_price is not None:
        plan.append("price")
    insurance = cleaned.get("insurance")
    if insurance and insurance != "self-pay":
        plan.append(
            _Search(
                "Insurance mostly covers Spravato; IV, IM and at-home ketamine are usually "
                "paid for by the patient.",
                "See clinics with payment plans, FSA/HSA or superbills",
                search(insurance="self-pay"),
            )
        )
    if insurance:
        plan.append(_Search("", "Search without the insurance choice", search(drop=["insurance"])))
    if cleaned.get("telehealth"):
        plan.append(_Search("", "Include clinics without telehealth", search(drop=["telehealth"])))
    if cleaned.get("condition"):
        plan.append(
            _Search(
                "Not every clinic lists each condition it treats.",
                "Search without the condition",
                search(drop=["condition"]),
            )
        )
    # Infusions, injections and Spravato are given in the clinic: telehealth
    # is no way to them, only to at-home ketamine and therapy.
    remote_routes = [route for route in routes if route in REMOTE_ROUTES]
    if (near or state or city) and not cleaned.get("telehealth") and (remote_routes or not routes):
        # Far from any clinic (Hawaii, Alaska, a rural state), video visits and
        # at-home programs may be the way in, where the prescriber is licensed.
        place_code = zip_state if near else state
        telehealth = search(drop=PLACE_FILTERS, telehealth="1")
        if routes:
            telehealth.setlist("route", remote_routes)
        plan.append(
            _Search(
                "Some clinics see patients by video or run at-home programs; ask whether "
                f"they can treat people in {_state_name(place_code)}.",
                "See clinics that offer telehealth",
                telehealth,
            )
        )
    for number, step in enumerate(plan):
        if isinstance(step, _Search):
            figures[f"search{number}"] = ("exists", _matching(step.query))
    found = _figures(figures)

    reached = False
    # From each town, the nearest clinic; the nearest of them first.
    from_towns = []
    for number, (town, zip_code) in enumerate(towns):
        miles = found[f"town{number}"]
        reach = radius_reaching(miles) if miles is not None else None
        if reach:
            state_code, city_name = found[f"town{number}_clinic"].split(" ", 1)
            query = search(drop=PLACE_FILTERS, near=zip_code, radius=str(reach), sort="distance")
            if reach == DEFAULT_RADIUS:
                query.pop("radius")
            from_towns.append(
                (math.ceil(miles), town, f"{city_name}, {US_STATES[state_code]}", query)
            )
    who = "clinic that matches" if wanted else "listed clinic"
    tips = [
        (
            f"From {town}, the nearest {who} is {miles:,} mile{'s' * (miles != 1)} away, "
            f"in {there}.",
            f"See clinics near {town}",
            _url(query),
        )
        for miles, town, there, query in sorted(from_towns, key=lambda row: row[0])
    ]
    for number, step in enumerate(plan):
        if step == "radius":
            who = "clinic that matches" if wanted or state or city else "listed clinic"
            nearest = found["nearest"]
            reach = radius_reaching(nearest) if nearest is not None else None
            reached = bool(reach)
            if reach:
                tips.append(
                    (
                        # Rounded up: 25.4 miles must not read as within 25.
                        f"The nearest {who} is {math.ceil(nearest):,} miles from {near}.",
                        f"Look within {reach} miles of {near}",
                        _url(search(radius=str(reach))),
                    )
                )
            elif radius < MAX_RADIUS:  # else the headline says so
                tips.append((f"No {who} is within {MAX_RADIUS} miles of {near}.", "", ""))
        elif step == "price":
            if found["cheapest"] is not None:
                tips.append(_price_tip(cleaned, routes, found["cheapest"], search))
        elif found[f"search{number}"] and not (step.unless_radius and reached):
            tips.append((step.text, step.link_text, _url(step.query)))
        elif step.always:
            tips.append((step.text, "", ""))
    return EmptyResults(
        headline=_headline(cleaned, place, where, wanted, found.get("place")),
        tips=tips,
        state_line=bool(place) and not near and not wanted and place["state"] not in NO_STATE_LINE,
        can_clear=bool(found["everything"]) and bool(base),
    )


def _nearest(clinics, zip_code):
    """The clinics within the widest radius of the ZIP code, nearest first."""
    latitude, longitude, *_ = locate_zip(zip_code)
    min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, MAX_RADIUS)
    return (
        clinics.filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
        .annotate(distance=distance_miles_expression(latitude, longitude))
        .order_by("distance")
    )


_NOT_PLACE = ["route", "max_price", "insurance", "telehealth", "condition"]


def _base_query(request, cleaned, place):
    """
    The search as the directory's own address: a place page's state and city
    become filters, which a suggestion may then drop or change. Values typed
    loosely ("$400", a ZIP+4) are written as the search read them.
    """
    query = request.GET.copy()
    if place:
        query.setdefault("state", place["state"].lower())
        if place["city"]:
            query.setdefault("city", place["city"])
    query.pop("page", None)
    for name in ("max_price", "near"):
        if cleaned.get(name) is not None and name in query:
            query[name] = str(cleaned[name])
    return query


def _matching(query):
    """The clinics the directory would list for this query (their ids)."""
    data = query.copy()
    data.setdefault("radius", str(DEFAULT_RADIUS))
    data.pop("sort", None)  # the order of the results, not which clinics match
    clinic_filter = ClinicFilter(data, queryset=Clinic.objects.published())
    return clinic_filter.qs.order_by().values("pk")


def _figures(figures):
    """
    Several figures in one query, {name: (kind, queryset)} to {name: value}:
    whether a search finds any clinic ("exists", which stops at the first),
    how many rows a query gives ("count"), or the first value it gives
    ("value"). Each runs once, as a scalar
    subquery: asked as conditional aggregates over the whole directory, the
    same figures took seconds at 100,000 clinics.
    """
    columns, params = [], []
    for kind, queryset in figures.values():
        sql, query_params = queryset.query.sql_with_params()
        columns.append(
            {"exists": f"EXISTS({sql})", "count": f"(SELECT COUNT(*) FROM ({sql}) AS counted)"}.get(
                kind, f"({sql})"
            )
        )
        params.extend(query_params)
    with connections[Clinic.objects.db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        row = cursor.fetchone()
    return dict(zip(figures, row, strict=True))


def _url(query):
    directory = reverse("clinics:list")
    return f"{directory}?{query.urlencode()}" if query else directory


def _price_tip(cleaned, routes, cheapest, search):
    others = any(cleaned.get(name) for name in ["near", "state", "city", *_NOT_PLACE[2:]])
    subject = f" for {routes_words(routes)}" if routes else ""
    if others:
        text = f"Among the clinics that match your other choices, the lowest price{subject}"
    else:
        text = f"The lowest price listed{subject}"
    return (
        f"{text} is {dollars(cheapest)} per session.",
        f"Show clinics with a session at {dollars(cheapest)} or less",
        _url(search(max_price=str(cheapest))),
    )


def _headline(cleaned, place, where, wanted, in_place):
    if where and wanted:
        if not in_place:
            return f"No listed clinic is {where}."
        if in_place == 1:
            return f"1 clinic is {where}, but it does not {_and([base for _, base in wanted])}."
        cap = settings.CLINICS_COUNT_CAP
        many = f"More than {cap:,}" if in_place > cap else f"{in_place:,}"
        return f"{many} clinics are {where}, but none {_and([s for s, _ in wanted])}."
    if where and not cleaned.get("near") and (place or cleaned.get("state")):
        return f"No clinics {where} are listed yet."
    if where:
        return f"No listed clinic is {where}."
    if wanted:
        return f"No listed clinic {_and([s for s, _ in wanted])}."
    return "No clinics are listed yet."


def _place_words(cleaned, radius):
    """'within 25 miles of 78701', 'in Austin, Texas', 'in Texas' ('' for no place)."""
    near, state, city = cleaned.get("near"), cleaned.get("state"), cleaned.get("city")
    words = [f"within {radius} miles of {near}"] if near else []
    if city and state:
        words.append(f"in {city}, {US_STATES[state]}")
    elif city:
        words.append(f"in {city}")
    elif state:
        words.append(f"in {_state_name(state)}")
    return " ".join(words)


def _wanted(cleaned):
    """What else the search asks of a clinic: [(after 'none', after 'it does not')]."""
    wanted = []
    routes = cleaned.get("route") or []
    max_price = cleaned.get("max_price")
    price = f"a session at {dollars(max_price)} or less" if max_price is not None else ""
    if routes:
        what = routes_words(routes) + (f" with {price}" if price else "")
        wanted.append((f"offers {what}", f"offer {what}"))
    elif price:
        wanted.append((f"has {price}", f"have {price}"))
    insurance = cleaned.get("insurance")
    words = vocabulary()
    if insurance == "self-pay":
        what = "a payment plan, FSA/HSA or a superbill"
        wanted.append((f"offers {what}", f"offer {what}"))
    elif insurance:
        name = dict(words["payers"])[insurance]
        if words["payer_ids"][insurance] in words["self_pay_ids"]:
            wanted.append((f"offers {in_sentence(name)}", f"offer {in_sentence(name)}"))
        else:
            wanted.append((f"takes {name}", f"take {name}"))
    if cleaned.get("telehealth"):
        wanted.append(("offers telehealth or at-home care", "offer telehealth or at-home care"))
    condition = cleaned.get("condition")
    if condition:
        name = in_sentence(dict(words["conditions"])[condition])
        wanted.append(
            (
                f"lists {name} among the conditions it treats",
                f"list {name} among the conditions it treats",
            )
        )
    return wanted


def _and(phrases):
    return phrases[0] if len(phrases) == 1 else f"{', '.join(phrases[:-1])} and {phrases[-1]}"


def _state_name(code):
    """A state's name as a sentence has it: "the District of Columbia"."""
    if code == "DC":
        return "the District of Columbia"
    return US_STATES.get(code, "your state")
