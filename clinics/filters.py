import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils.text import slugify

from clinics.forms import (
    DEFAULT_RADIUS,
    CityField,
    ClinicFilterForm,
    DollarsField,
    RadiusField,
    StateField,
    ZipCodeField,
)
from clinics.geo import bounding_box, distance_miles_expression, locate_zip
from clinics.lookups import AnyOf
from clinics.models import MAX_SESSION_PRICE, AcceptedPayer, Offering, Route
from clinics.stats import payer_ids, vocabulary

SORT_CHOICES = [
    ("", "Nearest, or A–Z"),
    ("price", "Lowest price"),
    ("distance", "Distance"),
    ("name", "Name"),
]


def insurance_choices():
    # Grouped, so that "any self-pay option" reads as one of the ways to pay
    # yourself rather than a payer listed twice.
    words = vocabulary()
    return [
        ("Insurance", words["insurers"]),
        ("Paying yourself", [("self-pay", "Any self-pay option"), *words["self_pay"]]),
    ]


def condition_choices():
    return vocabulary()["conditions"]


class StateFilter(django_filters.Filter):
    field_class = StateField


class CityFilter(django_filters.CharFilter):
    field_class = CityField


class ZipCodeFilter(django_filters.Filter):
    field_class = ZipCodeField


class DollarsFilter(django_filters.Filter):
    field_class = DollarsField


class RadiusFilter(django_filters.Filter):
    field_class = RadiusField


class TickBox(forms.CheckboxInput):
    """
    A tick box read from a URL: ticked is what the form sends ("1"). Django's
    CheckboxInput reads anything but "false" as ticked, so a shared link with
    telehealth=0 showed only the clinics with telehealth.
    """

    def value_from_datadict(self, data, files, name):
        return data.get(name, "").strip().lower() in ("1", "true", "on", "yes")


class ClinicFilter(django_filters.FilterSet):
    """
    The directory search. Each declared filter builds and validates one form
    field; `filter_queryset` applies them together because they interact (the
    price ceiling applies to the chosen routes, distance needs the ZIP and
    radius). Invalid values never reach it: django-filter leaves them out of
    `cleaned_data`, and the form explains them next to the field.
    """

    route = django_filters.MultipleChoiceFilter(
        choices=Route.choices, widget=forms.CheckboxSelectMultiple, label="Treatment"
    )
    # A clinic matches when one of its (chosen) routes has a lowest price per
    # session at or under this: its other sessions may cost more, and the
    # label says so rather than promising a ceiling.
    max_price = DollarsFilter(
        label="Lowest price per session, up to (in dollars)",
        help_text="Clinics with a session at this price or less; other sessions may cost more.",
        min_value=0,
        max_value=MAX_SESSION_PRICE,
        error_messages={
            "invalid": "Enter a whole number of dollars, like 400.",
            "min_value": "Enter a price of $0 or more.",
            "max_value": f"Enter a price of at most ${MAX_SESSION_PRICE:,} per session.",
        },
    )
    insurance = django_filters.ChoiceFilter(
        choices=insurance_choices,
        label="Insurance or payment",
        empty_label="Any",
        error_messages={
            "invalid_choice": "We don't know the insurer or payment option “%(value)s”."
        },
    )
    state = StateFilter(label="State")
    city = CityFilter(label="City", max_length=100)
    near = ZipCodeFilter(label="Near ZIP code")
    radius = RadiusFilter(label="Within")
    telehealth = django_filters.BooleanFilter(label="Telehealth or at-home care", widget=TickBox)
    condition = django_filters.ChoiceFilter(
        choices=condition_choices,
        label="Condition treated",
        empty_label="Any",
        error_messages={"invalid_choice": "We don't know the condition “%(value)s”."},
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES,
        label="Sort by",
        empty_label=None,
        error_messages={
            "invalid_choice": "We can't sort by “%(value)s”, so results are sorted by name."
        },
    )

    class Meta:
        form = ClinicFilterForm
        fields = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        routes = data.get("route") or []
        max_price = data.get("max_price")
        payers = payer_ids(data["insurance"]) if data.get("insurance") else None
        if payers is not None:
            queryset = queryset.accepting(payers, routes)
        if routes or max_price is not None:
            queryset = queryset.offering_routes(routes, max_price)
        if max_price is not None and payers is not None:
            # The session within the price must be one the insurance is for.
            # The two checks above say the same less exactly; kept, they let
            # PostgreSQL start from the insurer's clinics, or from the few
            # sessions within the price (at 100,000 clinics this check alone
            # took up to 130 ms, and a search finding nothing up to 80).
            queryset = queryset.offering_routes(routes, max_price, covered_by=payers)
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("city") and slugify(data["city"]):
            queryset = queryset.filter(city_slug=slugify(data["city"]))
        if data.get("telehealth"):
            queryset = queryset.filter(telehealth=True)
        if data.get("condition"):
            queryset = queryset.filter(conditions__slug=data["condition"])
        if data.get("near"):
            queryset = self.within_radius(queryset, data["near"], data.get("radius"))
        # Counting needs no order: the price sort's join of each clinic's
        # cheapest session made counting 5 times slower (PostgreSQL, 100,000).
        self.matches = queryset
        return self.ordered(queryset)

    def among(self, ids):
        """
        The clinics with these ids, known to match this search, in its order.

        For a page of a search whose matches are already known: checking the
        filters again for each of a few hundred ids more than doubled the
        page's query (23 ms against 10 at 100,000 clinics).
        """
        queryset = self.queryset.filter(AnyOf(F("pk"), ids))
        if self.form.cleaned_data.get("near"):
            queryset = self.with_distance(queryset, self.form.cleaned_data["near"])
        return self.ordered(queryset)

    def within_radius(self, queryset, zip_code, radius):
        latitude, longitude, *_ = locate_zip(zip_code)
        radius = radius or DEFAULT_RADIUS
        min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, radius)
        queryset = queryset.filter(
            latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon)
        )
        return self.with_distance(queryset, zip_code).filter(distance__lte=radius)

    def with_distance(self, queryset, zip_code):
        latitude, longitude, *_ = locate_zip(zip_code)
        return queryset.annotate(distance=distance_miles_expression(latitude, longitude))

    @staticmethod
    def _by_cheapest_session(queryset, routes, payers):
        """
        Each clinic once, at its cheapest session of the chosen routes that the
        chosen insurance covers: a $200 self-pay session is no price for someone
        paying with Aetna. The forms keep every payer ticked for a route the
        clinic offers, so each clinic the search matched has such a session.
        """
        # Join those sessions and drop any the clinic has a cheaper one of (on
        # a tie, the one whose slug sorts first stays). PostgreSQL can then walk
        # the (route, price_min, clinic) index in price order instead of working
        # out every clinic's cheapest price before sorting.
        sessions = Offering.objects.filter(clinic=OuterRef("pk"))
        if routes:
            queryset = queryset.filter(offerings__route__in=routes)
            sessions = sessions.filter(route__in=routes)
        else:
            queryset = queryset.filter(offerings__isnull=False)  # an inner join
        queryset = queryset.annotate(
            price_from=F("offerings__price_min"), price_route=F("offerings__route")
        )
        if payers is not None:
            sessions = sessions.covered_by(payers)
            covering = AcceptedPayer.objects.filter(clinic=OuterRef("pk"), payer_id__in=payers)
            queryset = queryset.filter(
                Exists(covering.filter(Q(route="") | Q(route=OuterRef("price_route"))))
            )
        cheaper = sessions.filter(
            Q(price_min__lt=OuterRef("price_from"))
            | Q(price_min=OuterRef("price_from"), route__lt=OuterRef("price_route"))
        )
        return queryset.exclude(Exists(cheaper)).order_by("price_from", "pk")

    def ordered(self, queryset):
        near = self.form.cleaned_data.get("near")
        sort = self.form.cleaned_data.get("sort")
        routes = self.form.cleaned_data.get("route") or []
        insurance = self.form.cleaned_data.get("insurance")
        payers = payer_ids(insurance) if insurance else None
        if sort == "price" and (routes or payers is not None):
            return self._by_cheapest_session(queryset, routes, payers)
        if sort == "price":
            return queryset.annotate(price_from=F("lowest_price")).order_by(
                F("lowest_price").asc(nulls_last=True), "name", "pk"
            )
        if near and sort in ("distance", "", None):
            return queryset.order_by("distance", "name", "pk")
        return queryset.order_by("name", "pk")
