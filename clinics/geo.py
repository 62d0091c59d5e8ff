"""ZIP code coordinates (offline, from the `zipcodes` package) and distance maths."""

import math
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
