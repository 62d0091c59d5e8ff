"""
Fictional clinics: the sample listings in fixtures/ and any number of synthetic
ones for benchmarks. Cities and ZIP codes are real; names, people and contact
details are invented (phone numbers in the 555-01xx range, `.example` domains).
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from clinics.geo import locate_zip
from clinics.models import AcceptedPayer, Clinic, Condition, Offering, Payer, Route

# Real cities and one of their ZIP codes: 34 cities in 20 states.
SAMPLE_CITIES = [
    ("Austin", "TX", "78701"), ("Houston", "TX", "77002"), ("Dallas", "TX", "75201"),
    ("Los Angeles", "CA", "90012"), ("San Diego", "CA", "92101"),
    ("San Francisco", "CA", "94103"), ("Sacramento", "CA", "95814"),
    ("New York", "NY", "10001"), ("Buffalo", "NY", "14202"),
    ("Miami", "FL", "33130"), ("Tampa", "FL", "33602"), ("Orlando", "FL", "32801"),
    ("Chicago", "IL", "60601"), ("Denver", "CO", "80202"), ("Boulder", "CO", "80302"),
    ("Seattle", "WA", "98101"), ("Spokane", "WA", "99201"), ("Portland", "OR", "97205"),
    ("Phoenix", "AZ", "85004"), ("Tucson", "AZ", "85701"), ("Atlanta", "GA", "30303"),
    ("Boston", "MA", "02108"), ("Philadelphia", "PA", "19103"), ("Pittsburgh", "PA", "15222"),
    ("Charlotte", "NC", "28202"), ("Raleigh", "NC", "27601"), ("Nashville", "TN", "37203"),
    ("Minneapolis", "MN", "55401"), ("Detroit", "MI", "48226"), ("Columbus", "OH", "43215"),
    ("Salt Lake City", "UT", "84101"), ("Las Vegas", "NV", "89101"),
    ("Albuquerque", "NM", "87102"), ("Richmond", "VA", "23219"),
]  # fmt: skip

NAME_FIRST = [
    "Harbor", "Clearwater", "Cedar", "Bluebird", "Northstar", "Stillwater", "Juniper", "Lumen",
    "Riverbend", "Evergreen", "Meridian", "Sunrise", "Willow", "Open Door", "Quiet Hour",
    "Brightpath", "Aspen", "Tidewater", "Summit", "Lantern", "Kestrel", "Foxglove", "Mesa",
    "Greenway", "Beacon", "Crescent", "Ironwood", "Magnolia", "Halcyon", "Wayfinder",
]  # fmt: skip
NAME_SECOND = [
    "Ketamine Clinic", "Infusion Center", "Ketamine Wellness", "Mental Health Partners",
    "Psychiatry & Ketamine", "Infusion Therapy", "Mood Clinic", "Ketamine Institute",
    "Integrative Psychiatry", "Health Collective",
]  # fmt: skip
STREETS = [
    "Main St", "Oak Ave", "Market St", "Elm St", "Park Blvd", "Lake Dr", "Pine St", "Cedar Ave",
    "Washington Ave", "River Rd", "Hillcrest Dr", "Maple St", "Broadway", "Center St",
]  # fmt: skip
PEOPLE = [
    "Jordan Reyes", "Priya Natarajan", "Marcus Bell", "Elena Sokolova", "Tomás Ortega",
    "Grace Whitman", "Samira Haddad", "Owen Fitzgerald", "Mei Lin Park", "Daniel Achebe",
    "Rachel Stein", "Luis Navarro", "Hannah Kowalski", "Andre Thompson", "Nadia Rahman",
]  # fmt: skip
CREDENTIALS = [
    "MD, anesthesiologist", "MD, board-certified psychiatrist", "DO, psychiatrist",
    "PMHNP-BC, psychiatric nurse practitioner", "CRNA, nurse anesthetist",
    "LCSW, integration therapist", "PhD, clinical psychologist",
]  # fmt: skip
HOURS = [
    "Mon–Fri 8:00 am – 5:00 pm\nSat 9:00 am – 1:00 pm",
    "Mon–Thu 7:30 am – 6:00 pm\nFri 7:30 am – 3:00 pm",
    "Tue–Sat 9:00 am – 6:00 pm",
    "Mon–Fri 9:00 am – 7:00 pm",
]

# Per-session price ranges in dollars (indicative market figures in PRODUCT.md).
PRICE_RANGES = {
    "iv": (350, 600, 800),
    "im": (275, 550, 650),
    "spravato": (600, 900, 1000),
    "at-home": (130, 250, 300),
    "kap": (400, 800, 1250),
}
ROUTE_CHANCE = {"iv": 0.72, "im": 0.45, "spravato": 0.4, "at-home": 0.3, "kap": 0.35}


def _offerings(rng):
    routes = [route for route in Route.values if rng.random() < ROUTE_CHANCE[route]]
    if not routes:
        routes = ["iv"]
    offerings = []
    for route in routes:
        low, high, ceiling = PRICE_RANGES[route]
        price_min = rng.randrange(low, high + 1, 5 if route == "at-home" else 25)
        price_max = min(ceiling, price_min + rng.choice([0, 0, 50, 100, 150, 200]))
        series_price = None
        if route in ("iv", "at-home") and rng.random() < 0.25:
            # A package discount on the initial series.
            series_price = int(price_min * 6 * 0.9) // 50 * 50
        offerings.append(
            {
                "route": route,
                "price_min": price_min,
                "price_max": price_max,
                "series_price": series_price,
            }
        )
    return offerings


# As the routes read in a sentence ("We offer IV ketamine infusions and ...").
ROUTE_PHRASES = {
    Route.IV: "IV ketamine infusions",
    Route.IM: "IM ketamine injections",
    Route.SPRAVATO: "Spravato (esketamine) nasal spray",
    Route.AT_HOME: "at-home sublingual or oral ketamine",
    Route.KAP: "ketamine-assisted psychotherapy",
}


def _listed(phrases):
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]


def _description(rng, name, city, routes):
    labels = _listed([ROUTE_PHRASES[Route(route)] for route in routes])
    opener = rng.choice(
        [
            f"{name} is a small, physician-led practice in {city}.",
            f"{name} has treated depression in {city} since {rng.randint(2015, 2023)}.",
            f"At {name} in {city}, care starts with a full medical and psychiatric review.",
        ]
    )
    return (
        f"{opener} We offer {labels}. "
        "Blood pressure and heart rate are monitored during every in-clinic session, "
        "and a clinician checks in with you after each treatment.\n\n"
        "This is a fictional sample listing used to demonstrate the directory."
    )


class ClinicBuilder:
    """Builds fictional clinics in bulk. Deterministic for a given seed."""

    def __init__(self, seed=1, sample=False):
        self.rng = random.Random(seed)
        self.sample = sample
        self.payers = {p.slug: p for p in Payer.objects.all()}
        self.conditions = list(Condition.objects.all())
        self.insurers = [p for p in self.payers.values() if p.kind == Payer.Kind.INSURER]
        self.self_pay = [p for p in self.payers.values() if p.kind == Payer.Kind.SELF_PAY]
        self._zips = None

    def places(self, count):
        if self.sample:
            for index in range(count):
                yield SAMPLE_CITIES[index % len(SAMPLE_CITIES)]
            return
        if self._zips is None:
            import zipcodes

            self._zips = [
                (row["city"].title(), row["state"], row["zip_code"])
                for row in zipcodes.list_all()
                if row["zip_code_type"] == "STANDARD" and row["lat"] and row["state"] != "PR"
            ]
        for _ in range(count):
            yield self.rng.choice(self._zips)

    @transaction.atomic
    def create(self, count, batch_size=2000):
        """Create `count` clinics with offerings, payers and conditions; return how many."""
        rng = self.rng
        now = timezone.now()
        existing = Clinic.objects.count()
        created = 0
        places = self.places(count)
        while created < count:
            size = min(batch_size, count - created)
            clinics, plans = [], []
            for offset in range(size):
                number = existing + created + offset + 1
                city, state, zip_code = next(places)
                name = f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_SECOND)}"
                slug = slugify(f"{name} {city}")[:200]
                if not self.sample:
                    slug = f"{slug}-{number}"
                located = locate_zip(zip_code)
                offerings = _offerings(rng)
                routes = [o["route"] for o in offerings]
                clinic = Clinic(
                    name=name,
                    slug=slug,
                    description=_description(rng, name, city, routes),
                    street_address=f"{rng.randint(10, 9900)} {rng.choice(STREETS)}",
                    city=city,
                    city_slug=slugify(city),
                    state=state,
                    zip_code=zip_code,
                    latitude=located[0] + rng.uniform(-0.03, 0.03),
                    longitude=located[1] + rng.uniform(-0.03, 0.03),
                    phone=f"({rng.randint(201, 989)}) 555-01{rng.randint(0, 99):02d}",
                    website=f"https://{slugify(name)}.example",
                    email=f"hello@{slugify(name)}.example",
                    hours=rng.choice(HOURS),
                    telehealth="at-home" in routes or rng.random() < 0.25,
                    providers="\n".join(
                        f"{person}, {rng.choice(CREDENTIALS)}"
                        for person in rng.sample(PEOPLE, rng.randint(1, 3))
                    ),
                    is_verified=rng.random() < 0.4,
                    is_sample=self.sample,
                    prices_updated_at=now - timedelta(days=rng.randint(0, 150)),
                    lowest_price=min(o["price_min"] for o in offerings),
                )
                clinics.append(clinic)
                plans.append(offerings)
            if self.sample:
                # Two sample clinics may share a name and city; keep slugs unique.
                seen = set(Clinic.objects.values_list("slug", flat=True))
                for clinic in clinics:
                    base, n = clinic.slug, 2
                    while clinic.slug in seen:
                        clinic.slug, n = f"{base}-{n}", n + 1
                    seen.add(clinic.slug)
            Clinic.objects.bulk_create(clinics, batch_size=batch_size)
            if clinics[0].pk is None:  # backends without RETURNING
                by_slug = dict(
                    Clinic.objects.filter(slug__in=[c.slug for c in clinics]).values_list(
                        "slug", "pk"
                    )
                )
                for clinic in clinics:
                    clinic.pk = by_slug[clinic.slug]
            self._children(clinics, plans)
            created += size
        return created

    def analyze(self):
        """
        Refresh the planner's statistics after a bulk load (PostgreSQL only), and
        the visibility map, which index-only scans need.
        """
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Clinic, Offering, AcceptedPayer, Clinic.conditions.through):
                    table = connection.ops.quote_name(model._meta.db_table)
                    # VACUUM cannot run in a transaction; ANALYZE alone can.
                    verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                    cursor.execute(f"{verb} {table}")

    def _children(self, clinics, plans):
        rng = self.rng
        offerings, acceptances, condition_links = [], [], []
        through = Clinic.conditions.through
        for clinic, plan in zip(clinics, plans, strict=True):
            for item in plan:
                offerings.append(Offering(clinic_id=clinic.pk, **item))
            accepted = set()
            routes = [item["route"] for item in plan]
            if "spravato" in routes:
                for payer in rng.sample(self.insurers, rng.randint(2, 7)):
                    accepted.add((payer.pk, "spravato"))
            if rng.random() < 0.15:
                # A few clinics are in network for every route.
                for payer in rng.sample(self.insurers, rng.randint(1, 2)):
                    accepted.add((payer.pk, ""))
            for payer in rng.sample(self.self_pay, rng.randint(1, len(self.self_pay))):
                accepted.add((payer.pk, ""))
            # In network for every route already says it of Spravato.
            accepted -= {(payer_id, "spravato") for payer_id, route in set(accepted) if not route}
            acceptances += [
                AcceptedPayer(clinic_id=clinic.pk, payer_id=payer_id, route=route)
                for payer_id, route in sorted(accepted)
            ]
            treated = {self.conditions[0]}  # treatment-resistant depression
            treated.update(rng.sample(self.conditions, rng.randint(1, 5)))
            condition_links += [
                through(clinic_id=clinic.pk, condition_id=condition.pk) for condition in treated
            ]
        Offering.objects.bulk_create(offerings, batch_size=5000)
        AcceptedPayer.objects.bulk_create(acceptances, batch_size=5000)
        through.objects.bulk_create(condition_links, batch_size=5000)
