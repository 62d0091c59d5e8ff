import unicodedata
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from clinics.geo import locate_zip
from clinics.price_ranges import implausible, series_price_too_low
from clinics.states import STATE_CHOICES, US_STATES
from clinics.validators import TEXT_LIMITS, TextLimit, validate_us_phone
from ketamine_directory.saving import with_derived_fields

# Prices above this are refused as a typing mistake, not a real session price.
# The bound the database keeps; each route's plausible range (clinics.price_ranges)
# is narrower.
MAX_SESSION_PRICE = 10_000


def one_line(value):
    """
    Refuse line breaks and other control characters in a name or address. No
    text box sends them; a crafted form would break every email whose
    subject names the clinic (a header may not hold a line break).
    """
    if any(unicodedata.category(character) == "Cc" for character in value):
        raise ValidationError("Keep this on one line.", code="one-line")


def unify_line_breaks(text):
    """
    Text with \n line breaks only. Browsers send \r\n from a textarea (the
    admin's too); one kind of break keeps comparing an edit with what is
    stored fair.
    """
    return text.replace("\r\n", "\n")


class Route(models.TextChoices):
    """How ketamine is given. The value is the route's slug in URLs."""

    IV = "iv", "IV ketamine infusion"
    IM = "im", "IM ketamine injection"
    SPRAVATO = "spravato", "Spravato (esketamine) nasal spray"
    AT_HOME = "at-home", "At-home sublingual/oral ketamine"
    KAP = "kap", "Ketamine-assisted psychotherapy"

    @property
    def short_label(self):
        return ROUTE_SHORT_LABELS[self.value]

    @property
    def default_series_sessions(self):
        return DEFAULT_SERIES_SESSIONS[self.value]

    @property
    def label_in_sentence(self):
        """The label mid-sentence: 'clinics offering IV ketamine infusion' ('|lower' gave 'iv')."""
        if self in (Route.AT_HOME, Route.KAP):
            return self.label[0].lower() + self.label[1:]
        return self.label  # initials and a brand name keep their capitals


ROUTE_SHORT_LABELS = {
    "iv": "IV infusion",
    "im": "IM injection",
    "spravato": "Spravato",
    "at-home": "At-home",
    "kap": "KAP",
}
ROUTE_ORDER = {value: position for position, value in enumerate(Route.values)}

# Sessions in a typical initial series. IV and IM: 6 over 2-3 weeks. Spravato's
# label: twice weekly for weeks 1-4. At-home and KAP programmes are commonly 6.
DEFAULT_SERIES_SESSIONS = {"iv": 6, "im": 6, "spravato": 8, "at-home": 6, "kap": 6}


class SlugNamedQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Condition(models.Model):
    """A condition a clinic treats (a fixed vocabulary, created by a data migration)."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = SlugNamedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Payer(models.Model):
    """An insurer, or a way of paying out of pocket (payment plan, FSA/HSA, superbill)."""

    class Kind(models.TextChoices):
        INSURER = "insurer", "Insurance"
        SELF_PAY = "self-pay", "Self-pay option"

    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.INSURER)
    position = models.PositiveSmallIntegerField(default=0)

    objects = SlugNamedQuerySet.as_manager()

    # The directory's insurance choice for every self-pay option at once
    # (/clinics/?insurance=self-pay): a payer with that slug could never be chosen.
    RESERVED_SLUGS = {"self-pay"}

    class Meta:
        ordering = ["kind", "position", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.slug in self.RESERVED_SLUGS and self._state.adding:
            raise ValidationError(
                {
                    "slug": f"“{self.slug}” is the directory’s choice for every self-pay option. "
                    "Give this one a slug that names it, like “sliding-scale”."
                }
            )

    def natural_key(self):
        return (self.slug,)


class ClinicQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Clinic.Status.PUBLISHED)

    def with_listing_data(self, insurer=None, self_pay=False):
        """
        Everything a result card shows, in a constant number of queries. With
        `insurer` (a payer id), each offering knows whether that payer is
        accepted for it (`insurer_accepted`); with `self_pay`, each clinic has
        its self-pay options (`self_pay_options()`).
        """
        queryset = self
        if self_pay:
            options = AcceptedPayer.objects.filter(payer__kind=Payer.Kind.SELF_PAY)
            queryset = queryset.prefetch_related(
                Prefetch("accepted_payers", queryset=options.select_related("payer"))
            )
        if insurer is None:
            return queryset.prefetch_related("offerings")
        offerings = Offering.objects.annotate(insurer_accepted=payer_accepted_for([insurer]))
        return queryset.prefetch_related(Prefetch("offerings", queryset=offerings))

    def with_detail_data(self):
        return self.with_listing_data().prefetch_related(
            "conditions",
            Prefetch("accepted_payers", queryset=AcceptedPayer.objects.select_related("payer")),
        )

    def with_staff_flag(self):
        """Annotate `has_staff`: whether anyone on the clinic's staff would read a message."""
        from listings.models import Membership  # listings builds on clinics, not the reverse

        # Active accounts only: a deactivated one can't sign in to read a message,
        # and is not emailed about it (inquiries.notify), so it would reach no one.
        staff = Membership.objects.filter(clinic=OuterRef("pk"), user__is_active=True)
        return self.annotate(has_staff=Exists(staff))

    def managed_by(self, user):
        """Clinics whose staff (listings.Membership) include this user."""
        return self.filter(memberships__user=user)

    def cities_in(self, state):
        """[{'city', 'city_slug', 'n'}] for a state's cities with published clinics."""
        return (
            self.published()
            .filter(state=state)
            .values("city_slug")
            .annotate(city=Min("city"), n=Count("pk"))
            .order_by("city_slug")
        )

    def named_or_in(self, text):
        """Clinics whose name or city contains every word of `text` ("calm austin")."""
        words = Q()
        for word in text.split()[:6]:
            words &= Q(name__icontains=word) | Q(city__icontains=word)
        return self.filter(words)

    def offering_routes(self, routes, max_price=None, covered_by=None):
        """
        Clinics offering any of `routes` (all routes when empty), within
        `max_price`; with `covered_by` (payer ids), that same route must be
        one the payer is accepted for. "Medicare, at most $300" is one session
        that is both: not a $275 self-pay one beside a Spravato that Medicare pays.
        """
        offerings = Offering.objects.filter(clinic=OuterRef("pk"))
        if routes:
            offerings = offerings.filter(route__in=routes)
        if max_price is not None:
            offerings = offerings.filter(price_min__lte=max_price)
        if covered_by is not None:
            offerings = offerings.covered_by(covered_by)
        return self.filter(Exists(offerings))

    def accepting(self, payer_ids, routes=()):
        """
        Clinics that accept any of the payers (for the given routes, or every route).

        The payers come as ids, not a join on slug or kind: PostgreSQL can then
        estimate how many clinics match from the acceptance table's statistics.
        Through a join it guessed a handful where there were tens of thousands,
        and a first page took 700 ms instead of 1.
        """
        accepted = AcceptedPayer.objects.filter(clinic=OuterRef("pk"), payer_id__in=payer_ids)
        if routes:
            # One IN list ('' means every route), so the payer index covers it.
            accepted = accepted.filter(route__in=["", *routes])
        return self.filter(Exists(accepted))


class Clinic(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden"
        # Added by someone who says they work there; hidden until an editor approves.
        PROPOSED = "proposed", "Proposed by its staff, awaiting review"

    name = models.CharField(max_length=200, validators=[one_line])
    slug = models.SlugField(max_length=220, unique=True)
    # The validators run on every form that edits the field (staff, new clinic,
    # admin); the database keeps no such limit, so older rows are untouched.
    description = models.TextField(
        blank=True,
        validators=[TextLimit(TEXT_LIMITS["description"])],
        help_text="Plain text; line breaks are kept.",
    )
    street_address = models.CharField(max_length=200, blank=True, validators=[one_line])
    city = models.CharField(max_length=100, validators=[one_line])
    city_slug = models.SlugField(max_length=100, editable=False)
    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    zip_code = models.CharField(
        "ZIP code",
        max_length=5,
        validators=[RegexValidator(r"^\d{5}$", "Enter a 5-digit ZIP code.")],
    )
    latitude = models.FloatField(
        null=True,
        blank=True,
        help_text="Worked out from the ZIP code when left empty, or when the ZIP code changes.",
    )
    longitude = models.FloatField(null=True, blank=True)
    phone = models.CharField(max_length=30, blank=True, validators=[validate_us_phone])
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    hours = models.TextField(
        blank=True,
        validators=[TextLimit(TEXT_LIMITS["hours"])],
        help_text="One line per day or range of days.",
    )
    telehealth = models.BooleanField(
        "telehealth or at-home care",
        default=False,
        help_text="Offers video visits, or at-home treatment with telehealth follow-up.",
    )
    conditions = models.ManyToManyField(Condition, blank=True, related_name="clinics")
    providers = models.TextField(
        "providers and credentials",
        blank=True,
        validators=[TextLimit(TEXT_LIMITS["providers"])],
        help_text="One provider per line.",
    )
    # Set by the claim flow only (listings.claims.approve), never by hand: the
    # badge tells patients that someone proved they work at the clinic.
    is_verified = models.BooleanField(
        "verified",
        default=False,
        help_text=(
            "Claimed by staff who proved they work there: set when an editor approves a "
            "claim (Listings → Claims), or when the claimant opens the link sent to a work "
            "email on the clinic's website domain. Cleared when the last of its staff "
            "leaves. Not editable by hand."
        ),
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PUBLISHED)
    is_sample = models.BooleanField(
        default=False, help_text="Fictional sample listing; the site says so while any exist."
    )
    prices_updated_at = models.DateTimeField(null=True, blank=True)
    # When the staff were last asked to check old prices (listings.reminders).
    prices_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Bumped by every edit of the listing (staff form or admin), so an edit made
    # from an older version is caught instead of silently overwriting a newer one.
    edit_version = models.PositiveIntegerField(default=0, editable=False)
    # Lowest per-session price over all routes, kept by refresh_lowest_price so the
    # "lowest price" sort is an index walk rather than a subquery per clinic.
    lowest_price = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClinicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # The directory's default order (published clinics by name), one page at a time.
            models.Index(fields=["status", "name", "id"], name="clinic_status_name_idx"),
            # The "lowest price" sort over all routes.
            models.Index(fields=["status", "lowest_price", "name"], name="clinic_lowest_price_idx"),
            # Place pages and the state/city filters.
            models.Index(fields=["state", "city_slug"], name="clinic_place_idx"),
            # The near-ZIP bounding box (latitude range, then longitude).
            models.Index(fields=["latitude", "longitude"], name="clinic_latlon_idx"),
            # The sample-data notice: "is any sample clinic listed?" without a full scan.
            models.Index(
                fields=["is_sample"], condition=Q(is_sample=True), name="clinic_sample_idx"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.city_slug = slugify(self.city)
        self.state = self.state.upper()
        for name in ("description", "hours", "providers"):
            value = self.__dict__.get(name)
            if isinstance(value, str):
                setattr(self, name, unify_line_breaks(value))
        stored_zip, *stored_coordinates = getattr(self, "_stored_place", (None, None, None))
        moved = stored_zip and self.zip_code != stored_zip
        if moved and [self.latitude, self.longitude] == stored_coordinates:
            # Nobody typed new coordinates for the new ZIP: the old ones are wrong.
            self.latitude = self.longitude = None
        if self.latitude is None or self.longitude is None:
            located = locate_zip(self.zip_code)
            if located:
                self.latitude, self.longitude = located[0], located[1]
        derived = {"city": ["city_slug"], "zip_code": ["latitude", "longitude"]}
        update_fields = kwargs.get("update_fields")
        # A slug neither loaded nor set (a deferred field) cannot have changed.
        slug_saved = "slug" in self.__dict__ and (update_fields is None or "slug" in update_fields)
        previous = self._previous_slug() if slug_saved else None
        super().save(*args, **with_derived_fields(kwargs, derived))
        if slug_saved and previous != self.slug:
            self._keep_old_slug(previous)
        self._stored_place = self._place()
        if slug_saved:
            self._stored_slug = self.slug

    def get_absolute_url(self):
        return reverse("clinics:detail", args=[self.slug])

    def clean(self):
        super().clean()
        # Taking another clinic's old address would end its redirect: links,
        # bookmarks and search results still using it would lead its patients
        # (and their messages) here instead.
        moved = (
            ClinicRedirect.objects.filter(old_slug=self.slug)
            .exclude(clinic_id=self.pk)
            .select_related("clinic")
            .first()
        )
        if moved is not None:
            raise ValidationError(
                {
                    "slug": f"“{self.slug}” is the old address of the clinic “{moved.clinic}”: "
                    "links and search results that still use it lead patients there. "
                    "Choose another slug."
                }
            )

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        clinic = super().from_db(db, field_names, values, **kwargs)
        clinic._stored_place = clinic._place()
        if "slug" in clinic.__dict__:
            clinic._stored_slug = clinic.slug
        return clinic

    def _previous_slug(self):
        """The slug as stored, or None for a new clinic."""
        if self._state.adding or self.pk is None:
            return None
        if "_stored_slug" in self.__dict__:
            return self._stored_slug
        return Clinic.objects.filter(pk=self.pk).values_list("slug", flat=True).first()

    def _keep_old_slug(self, previous):
        # Links and bookmarks to the old address keep working (a permanent
        # redirect), and a slug taken again belongs to whoever has it now.
        ClinicRedirect.objects.filter(old_slug=self.slug).delete()
        if previous:
            ClinicRedirect.objects.update_or_create(old_slug=previous, defaults={"clinic": self})

    def _place(self):
        # ZIP code and coordinates as they are now (None for a field not loaded).
        return tuple(self.__dict__.get(name) for name in ("zip_code", "latitude", "longitude"))

    @property
    def is_proposed(self):
        """Added by someone who says they work there, and not yet approved by an editor."""
        return self.status == self.Status.PROPOSED

    @property
    def state_name(self):
        return US_STATES.get(self.state, self.state)

    def state_url(self):
        return reverse("clinics:state", args=[self.state.lower()])

    def city_url(self):
        return reverse("clinics:city", args=[self.state.lower(), self.city_slug])

    def sorted_offerings(self):
        """Offerings in the canonical route order (uses the prefetch cache)."""
        return sorted(self.offerings.all(), key=lambda offering: ROUTE_ORDER[offering.route])

    def insurers_accepted(self):
        """
        Accepted insurers, from the prefetch cache (with_detail_data). An insurer
        taken for every route is listed once: "Cigna" beside "Cigna (for
        Spravato)" would read as two different answers.
        """
        insurers = [a for a in self.accepted_payers.all() if a.payer.kind == Payer.Kind.INSURER]
        everywhere = {a.payer_id for a in insurers if not a.route}
        return [a for a in insurers if not a.route or a.payer_id not in everywhere]

    def self_pay_options(self):
        return [a for a in self.accepted_payers.all() if a.payer.kind == Payer.Kind.SELF_PAY]

    def map_url(self):
        place = f"{self.city}, {self.state} {self.zip_code}"
        address = f"{self.street_address}, {place}" if self.street_address else place
        return "https://www.openstreetmap.org/search?" + urlencode({"query": address})

    def provider_lines(self):
        return [line.strip() for line in self.providers.splitlines() if line.strip()]

    def hours_lines(self):
        return [line.strip() for line in self.hours.splitlines() if line.strip()]

    @classmethod
    def refresh_lowest_price(cls, clinic_id):
        cheapest = (
            Offering.objects.filter(clinic=OuterRef("pk")).order_by("price_min").values("price_min")
        )
        cls.objects.filter(pk=clinic_id).update(lowest_price=Subquery(cheapest[:1]))

    def mark_prices_updated(self):
        from clinics import stats  # stats reads these models

        self.prices_updated_at = timezone.now()
        Clinic.objects.filter(pk=self.pk).update(prices_updated_at=self.prices_updated_at)
        # An update() sends no signal: drop the cached pages that show the old date.
        stats.forget()


class ClinicRedirect(models.Model):
    """An old slug of a clinic; its address redirects permanently to the current one."""

    old_slug = models.SlugField(max_length=220, unique=True)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]

    def __str__(self):
        return f"{self.old_slug} → {self.clinic.slug}"


def payer_accepted_for(payer_ids):
    """
    For an offering: whether one of the payers is accepted for its route (by
    its clinic, for every route or for that one).
    """
    accepted = AcceptedPayer.objects.filter(clinic=OuterRef("clinic"), payer_id__in=payer_ids)
    return Exists(accepted.filter(Q(route="") | Q(route=OuterRef("route"))))


class OfferingQuerySet(models.QuerySet):
    def covered_by(self, payer_ids):
        """Offerings whose route one of the payers is accepted for."""
        return self.filter(payer_accepted_for(payer_ids))


class Offering(models.Model):
    """One route a clinic offers, with its per-session price range in whole dollars."""

    # No index of its own: the (clinic, route) unique constraint starts with it.
    clinic = models.ForeignKey(
        Clinic, on_delete=models.CASCADE, related_name="offerings", db_index=False
    )
    route = models.CharField(max_length=10, choices=Route)
    price_min = models.PositiveIntegerField(
        "lowest price per session, in dollars", validators=[MaxValueValidator(MAX_SESSION_PRICE)]
    )
    price_max = models.PositiveIntegerField(
        "highest price per session, in dollars", validators=[MaxValueValidator(MAX_SESSION_PRICE)]
    )
    series_sessions = models.PositiveSmallIntegerField(
        "sessions in the initial series",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Leave empty for the usual number for this route (6 for IV and IM).",
    )
    series_price = models.PositiveIntegerField(
        "package price for the series, in dollars",
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_SESSION_PRICE * 60)],
    )
    notes = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        ordering = ["clinic", "route"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "route"], name="one_offering_per_route"),
            # The messages are what the admin shows when a constraint is not met.
            models.CheckConstraint(
                condition=Q(price_min__lte=models.F("price_max")),
                name="price_min_lte_max",
                violation_error_message="The highest price can't be below the lowest.",
            ),
            models.CheckConstraint(
                condition=Q(price_min__gte=0) & Q(price_max__lte=MAX_SESSION_PRICE),
                name="price_in_range",
                violation_error_message=(
                    f"Prices are per session, from $0 to ${MAX_SESSION_PRICE:,}."
                ),
            ),
            models.CheckConstraint(
                condition=Q(series_sessions__isnull=True) | Q(series_sessions__range=(1, 60)),
                name="series_sessions_in_range",
            ),
        ]
        indexes = [
            # The route and max_price filters (offerings of a route under a price),
            # and the "lowest price" sort for chosen routes, walked in (price, clinic)
            # order: thousands of clinics share a round price like $400.
            models.Index(fields=["route", "price_min", "clinic"], name="offering_route_price_idx"),
        ]

    def __str__(self):
        return f"{self.get_route_display()} at {self.clinic}"

    def get_absolute_url(self):
        return self.clinic.get_absolute_url()

    def clean(self):
        # Said to editors in the admin; staff are told to write to the editors
        # instead (listings.forms.OfferingForm), who can't override it either.
        sessions = self.series_sessions or DEFAULT_SERIES_SESSIONS.get(self.route)
        too_low = sessions and series_price_too_low(self.price_min, self.series_price, sessions)
        if too_low:
            raise ValidationError({"series_price": too_low})
        problems = implausible(
            self.route,
            self.price_min,
            self.price_max,
            self.series_sessions,
            self.series_price,
            sessions,
        )
        if problems:
            raise ValidationError(
                {
                    name: f"{message} If the clinic confirms it is right, ask the site's "
                    "developers to widen the range for it."
                    for name, message in problems.items()
                }
            )

    @property
    def short_label(self):
        return ROUTE_SHORT_LABELS[self.route]

    @property
    def sessions(self):
        return self.series_sessions or DEFAULT_SERIES_SESSIONS[self.route]

    @property
    def series_min(self):
        return self.series_price if self.series_price else self.price_min * self.sessions

    @property
    def series_max(self):
        return self.series_price if self.series_price else self.price_max * self.sessions


class AcceptedPayer(models.Model):
    """A payer a clinic accepts; `route` empty means for every route it offers."""

    # Neither key has an index of its own: the (clinic, payer, route) unique
    # constraint starts with the clinic, acceptance_payer_route_idx with the payer.
    clinic = models.ForeignKey(
        Clinic, on_delete=models.CASCADE, related_name="accepted_payers", db_index=False
    )
    payer = models.ForeignKey(
        Payer, on_delete=models.CASCADE, related_name="acceptances", db_index=False
    )
    route = models.CharField(
        max_length=10, choices=Route, blank=True, help_text="Leave empty for all routes."
    )

    class Meta:
        ordering = ["payer__kind", "payer__position", "payer__name", "route"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "payer", "route"], name="one_acceptance_per_payer_route"
            ),
        ]
        indexes = [
            # The insurance filter: clinics accepting a payer for every route ('') or
            # for the routes asked for. Covers the whole subquery (index-only scan).
            models.Index(fields=["payer", "route", "clinic"], name="acceptance_payer_route_idx"),
        ]

    def __str__(self):
        scope = self.get_route_display() if self.route else "all routes"
        try:
            payer = self.payer
        except Payer.DoesNotExist:  # read back from a page opened before it was deleted
            payer = "A deleted payer"
        return f"{payer} at {self.clinic} ({scope})"

    @property
    def route_short_label(self):
        """'Spravato' for an acceptance limited to Spravato; '' when it covers every route."""
        return ROUTE_SHORT_LABELS[self.route] if self.route else ""
