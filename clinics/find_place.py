"""
Where the home page's box leads: the listing of the place typed, or why
there is none, said without claiming a place has no clinics when it is the
reading of the words that failed.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import slugify

from clinics.forms import DEFAULT_RADIUS, MAX_RADIUS
from clinics.geo import central_zip, locate_zip
from clinics.models import Clinic
from clinics.nearby import nearest_miles, radius_reaching
from clinics.states import US_STATES
from clinics.where import known_places, read_where, slug_variants


@dataclass(frozen=True)
class Found:
    url: str = ""  # where to send the visitor; else, what to tell them:
    problem: str = ""
    # (text, link text, url) towards the nearest clinics, url "" for none.
    nearby: tuple = ()
    hint: str = ""  # what to type instead
    state: str = ""  # a state whose clinics are worth pointing to
    # A real place with no clinic listed: news, not a mistake in what was typed.
    unlisted: bool = False


def find_place(typed):
    where = read_where(typed)
    directory = reverse("clinics:list")
    if where.zip_code and locate_zip(where.zip_code) is None:
        return Found(
            problem=f"We don't know ZIP {where.zip_code}. Check the number, or search by city "
            "or state."
        )
    if where.zip_code:
        return Found(url=f"{directory}?{urlencode({'near': where.zip_code})}")
    if where.bad_zip:
        return Found(problem=f"“{typed}” is not a ZIP code. Enter 5 digits, like 78701.")
    if where.state and not where.cities:
        return Found(url=reverse("clinics:state", args=[where.state.lower()]))
    if not where.cities or not any(character.isalpha() for character in typed):
        return Found(problem=f"We could not read “{typed}” as a place.")
    return _find_city(where)


def _find_city(where):
    slugs = {slug for reading in where.cities for slug in slug_variants(reading.city)}
    listed = set(
        Clinic.objects.published()
        .filter(city_slug__in=slugs)
        .values_list("city_slug", "state")
        .distinct()[:1000]
    )
    for reading in where.cities:
        variants = slug_variants(reading.city)
        found = sorted(
            (state, slug)
            for slug, state in listed
            if slug in variants and reading.state in ("", state)
        )
        if len({state for state, _ in found}) == 1:
            state, slug = found[0]
            return Found(url=reverse("clinics:city", args=[state.lower(), slug]))
        if found:
            # In several states: the directory lists them all, by the slug they share.
            city = reading.city if slugify(reading.city) in dict(found).values() else found[0][1]
            return Found(url=f"{reverse('clinics:list')}?{urlencode({'city': city})}")
        if not (reading.whole or where.address):
            continue  # "Bogus Beach" is not Beach, North Dakota
        places = known_places(reading.city)
        if reading.state:
            places = {state: place for state, place in places.items() if state == reading.state}
        if len(places) == 1:
            return _unlisted(*next(iter(places.items())))
        if places:
            return _in_several_states(places)
    reading = where.cities[0]
    if reading.state:
        problem = (
            f"We could not find a city or town called “{reading.city}” "
            f"in {US_STATES[reading.state]}."
        )
    else:
        problem = f"We could not find a US city or town called “{reading.city}”."
    return Found(problem=problem, state=reading.state)


def _unlisted(state, place):
    """A real city or town where no clinic is listed: how far the nearest one is."""
    name, zip_codes = place
    zip_code = central_zip(zip_codes)
    miles = nearest_miles(zip_code) if zip_code else None
    if miles is None:
        nearby = (f"No listed clinic is within {MAX_RADIUS} miles of {name}.", "", "")
    else:
        query = {"near": zip_code}
        radius = radius_reaching(max(miles, DEFAULT_RADIUS))
        if radius != DEFAULT_RADIUS:
            query["radius"] = radius
        distance = round(miles)
        words = "less than a mile" if distance < 1 else f"{distance:,} mile{'s' * (distance > 1)}"
        nearby = (
            f"The nearest listed clinic is {words} away:",
            f"see clinics near {name}",
            f"{reverse('clinics:list')}?{urlencode(query)}",
        )
    return Found(
        problem=f"No clinics are listed in {name}, {US_STATES[state]} yet.",
        nearby=nearby,
        state=state,
        unlisted=True,
    )


def _in_several_states(places):
    # The example is the biggest of them, by its number of ZIP codes.
    example = max(places, key=lambda state: len(places[state][1]))
    name = places[example][0]
    return Found(
        problem=f"No clinics are listed in a city or town called {name}.",
        hint=(
            f"There are places called {name} in {len(places)} states: "
            f"add its state, like “{name}, {example}”."
        ),
    )
