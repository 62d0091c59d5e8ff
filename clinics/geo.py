"""
ZIP code coordinates and place names (offline, from the `zipcodes` package)
and distance maths.
"""

import math
import re
from functools import cache

import zipcodes
from django.db.models import F, FloatField, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.0


@cache
def _zip_index():
    return {
        row["zip_code"]: (float(row["lat"]), float(row["long"]), row["city"], row["state"])
        for row in zipcodes.list_all()
    }


def load_tables():
    """Read the ZIP and place tables now (about a second), not in a visitor's first search."""
    _zip_index()
    _place_index()


def locate_zip(zip_code):
    """Return (latitude, longitude, city, state) for a 5-digit ZIP, or None if unknown."""
    return _zip_index().get(zip_code)


def bounding_box(latitude, longitude, radius_miles):
    """Latitude and longitude bounds of a box that contains the circle of that radius."""
    dlat = radius_miles / MILES_PER_DEGREE_LATITUDE
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    dlon = radius_miles / (MILES_PER_DEGREE_LATITUDE * cos_lat)
    return (latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon)


def distance_miles_expression(latitude, longitude):
    """Great-circle (haversine) distance from a point, computed by the database."""
    lat = math.radians(latitude)
    lon = math.radians(longitude)
    half_dlat = (Radians(F("latitude")) - Value(lat)) / 2
    half_dlon = (Radians(F("longitude")) - Value(lon)) / 2
    a = Power(Sin(half_dlat), 2) + Value(math.cos(lat)) * Cos(Radians(F("latitude"))) * Power(
        Sin(half_dlon), 2
    )
    arc = ASin(Least(Sqrt(a), Value(1.0)), output_field=FloatField())
    return Value(2 * EARTH_RADIUS_MILES) * arc


@cache
def _place_index():
    """
    {city slug: {state: (postal name, [ZIP codes])}}: the cities and towns the
    postal service names, each with its ZIP codes (street addresses first). A
    name only accepted for another town's ZIP codes ("Miami" for Miami Beach)
    counts where no town of that name has its own.
    """
    own, accepted = {}, {}
    for row in sorted(zipcodes.list_all(), key=lambda row: row["zip_code_type"] != "STANDARD"):
        if not row["active"]:
            continue
        names = [(own, row["city"])] + [(accepted, name) for name in row["acceptable_cities"]]
        for index, name in names:
            entry = index.setdefault(_ascii_slug(name), {}).setdefault(row["state"], (name, []))
            entry[1].append(row["zip_code"])
    for slug, states in accepted.items():
        for state, entry in states.items():
            own.setdefault(slug, {}).setdefault(state, entry)
    return own


NOT_SLUG = re.compile(r"[^\w\s-]")
SLUG_GAPS = re.compile(r"[-\s]+")


def _ascii_slug(name):
    # Django's slugify for the postal names, which are ASCII, and quicker:
    # it normalises Unicode first, and 56,000 names took it 1.4 s.
    if name.replace(" ", "").isalpha():
        return name.lower().replace(" ", "-")
    return SLUG_GAPS.sub("-", NOT_SLUG.sub("", name.lower())).strip("-_")


def places_named(city_slug):
    """{state: (postal name, [ZIP codes])} of the US places with this name's slug."""
    return _place_index().get(city_slug, {})


@cache
def biggest_places(state, number=3):
    """
    [(name, central ZIP)] of the state's towns with the most street-address
    ZIP codes: a stand-in for its biggest, which the tables do not say.
    """
    towns = {}
    for row in zipcodes.list_all():
        if row["state"] == state and row["active"] and row["zip_code_type"] == "STANDARD":
            towns.setdefault(row["city"], []).append(row["zip_code"])
    chosen = []
    for name, zip_codes in sorted(towns.items(), key=lambda town: (-len(town[1]), town[0])):
        zip_code = central_zip(zip_codes)
        point = locate_zip(zip_code)[:2]
        # Not a district of a town already chosen (Washington Navy Yard).
        if all(miles_between(point, locate_zip(other)[:2]) > 25 for _, other in chosen):
            chosen.append((name, zip_code))
        if len(chosen) == number:
            break
    return chosen


def miles_between(point, other):
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*point, *other))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(min(math.sqrt(a), 1.0))


def central_zip(zip_codes):
    """Of a place's ZIP codes, the one nearest the middle of them all."""
    points = [(zip_code, locate_zip(zip_code)) for zip_code in zip_codes]
    points = [(zip_code, located) for zip_code, located in points if located]
    if not points:
        return None
    latitude = sum(located[0] for _, located in points) / len(points)
    longitude = sum(located[1] for _, located in points) / len(points)
    return min(
        points,
        key=lambda point: (point[1][0] - latitude) ** 2 + (point[1][1] - longitude) ** 2,
    )[0]
