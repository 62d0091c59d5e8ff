"""How far away the nearest listed clinic is, and the search radius that reaches it."""

from clinics.forms import MAX_RADIUS
from clinics.geo import bounding_box, distance_miles_expression, locate_zip
from clinics.models import Clinic

# Radii a suggestion may offer: the menu's, then steps up to the widest search.
RADIUS_STEPS = (10, 25, 50, 100, 150, 200, 250, 300, 400, MAX_RADIUS)


def radius_reaching(miles):
    """The smallest step that takes in a clinic `miles` away; None beyond the widest."""
    return next((step for step in RADIUS_STEPS if step >= miles), None)


def nearest_miles(zip_code):
    """Miles from the ZIP code to the nearest listed clinic, if one is within MAX_RADIUS."""
    latitude, longitude, *_ = locate_zip(zip_code)
    min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, MAX_RADIUS)
    return (
        Clinic.objects.published()
        .filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
        .annotate(distance=distance_miles_expression(latitude, longitude))
        .filter(distance__lte=MAX_RADIUS)
        .order_by("distance")
        .values_list("distance", flat=True)
        .first()
    )
