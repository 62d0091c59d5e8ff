"""
Figures computed from the live directory (typical prices, counts, places).

They are shared by every visitor and cheap to keep, so they are cached and
dropped whenever a clinic, offering or payer acceptance changes (see signals).
"""

import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Count

from clinics.models import DEFAULT_SERIES_SESSIONS, Clinic, Condition, Offering, Payer, Route
from clinics.states import US_STATES
from ketamine_directory import cache_versions

ROUTE_STATS_KEY = "clinics:route-stats"
SAMPLE_FLAG_KEY = "clinics:has-sample-data"
STATES_KEY = "clinics:states"
# Named for its shape: a deploy that changes the shape must not read the old one.
VOCABULARY_KEY = "clinics:vocabulary:ids:2"  # :2 since it holds insurers and self_pay
CACHE_KEYS = [ROUTE_STATS_KEY, SAMPLE_FLAG_KEY, STATES_KEY, VOCABULARY_KEY]


VERSION_KEY = "clinics:version"
COUNT_TIMEOUT = 5 * 60


def forget():
    cache_versions.now_and_after_commit(_drop)


def _drop():
    cache.delete_many(CACHE_KEYS)
    # Counts and pages are keyed by version, so a new version drops them all at once.
    cache_versions.renew(VERSION_KEY)


def directory_version():
    """A token that changes whenever the directory does (see forget)."""
    return cache_versions.current(VERSION_KEY)


def search_key(filters):
    """A short, stable key for a search: its cleaned filters, with the directory version."""
    digest = hashlib.sha256(json.dumps(filters, sort_keys=True, default=str).encode())
    return f"{directory_version()}:{digest.hexdigest()[:32]}"


def cached_ids(queryset, limit, filters):
    """
    The ids of up to `limit` clinics a search matches, in no order, shared by
    everyone making the same search. How many there are is the search's count
    (capped), and when they are few they are also the quickest way to the page.
    """
    return cache.get_or_set(
        f"clinics:ids:{search_key(filters)}",
        lambda: list(queryset.order_by().values_list("pk", flat=True)[:limit]),
        COUNT_TIMEOUT,
    )


def _compute_route_stats():
    if connection.vendor == "postgresql":
        return _route_stats_in_postgresql()
    rows = Offering.objects.filter(clinic__status=Clinic.Status.PUBLISHED).values_list(
        "route", "price_min", "price_max", "series_sessions", "series_price"
    )
    by_route = {route: [] for route in Route.values}
    for route, low, high, sessions, package in rows.iterator(chunk_size=5000):
        sessions = sessions or DEFAULT_SERIES_SESSIONS[route]
        by_route[route].append((low, high, package or low * sessions, package or high * sessions))
    stats = {}
    for route, offerings in by_route.items():
        if not offerings:
            stats[route] = {"count": 0}
            continue
        columns = list(zip(*offerings, strict=True))
        stats[route] = {
            "count": len(offerings),
            **{
                name: rounded_typical(percentile(values, fraction))
                for (name, fraction), values in zip(STATS, columns, strict=True)
            },
            "cheapest": min(columns[0]),
        }
    return stats


# A route's typical range is what most listed clinics charge within: from the
# lower quartile of their lowest prices to the upper quartile of their
# highest. The medians of the two ("$750 to $775") made a window that most
# clinics, their ranges narrow and spread out, charged nothing within.
STATS = [("price_low", 0.25), ("price_high", 0.75), ("series_low", 0.25), ("series_high", 0.75)]


def percentile(values, fraction):
    """
    The value `fraction` of the way through `values`, interpolated between
    neighbours as PostgreSQL's percentile_cont is.
    """
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def rounded_typical(value):
    """
    A typical price as an estimate is said: to the nearest $5 below $100, $25
    below $1,000 and $100 from there, halves up. "$450–$562" claimed a
    precision that a quartile of what clinics report does not have.
    """
    step = 5 if value < 100 else 25 if value < 1000 else 100
    steps = (Decimal(str(value)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(steps) * step


def _route_stats_in_postgresql():
    """The same quartiles, computed by PostgreSQL (no rows travel to Python)."""
    sessions = "COALESCE(o.series_sessions, CASE o.route {} END)".format(
        " ".join(f"WHEN '{route}' THEN {n}" for route, n in DEFAULT_SERIES_SESSIONS.items())
    )
    sql = f"""
        SELECT o.route, count(*), min(o.price_min),
          percentile_cont(0.25) WITHIN GROUP (ORDER BY o.price_min),
          percentile_cont(0.75) WITHIN GROUP (ORDER BY o.price_max),
          percentile_cont(0.25) WITHIN GROUP (
            ORDER BY COALESCE(o.series_price, o.price_min * {sessions})),
          percentile_cont(0.75) WITHIN GROUP (
            ORDER BY COALESCE(o.series_price, o.price_max * {sessions}))
        FROM {Offering._meta.db_table} o JOIN {Clinic._meta.db_table} c ON c.id = o.clinic_id
        WHERE c.status = %s
        GROUP BY o.route
    """
    stats = {route: {"count": 0} for route in Route.values}
    with connection.cursor() as cursor:
        cursor.execute(sql, [Clinic.Status.PUBLISHED])
        for route, count, cheapest, *quartiles in cursor.fetchall():
            stats[route] = {
                "count": count,
                **{
                    name: rounded_typical(value)
                    for (name, _), value in zip(STATS, quartiles, strict=True)
                },
                "cheapest": cheapest,
            }
    return stats


def route_stats():
    """
    Per route: how many listed clinics offer it, its typical (quartile) price
    range and first-series cost, rounded (rounded_typical), and the lowest
    price listed, exact.
    """
    return cache.get_or_set(
        ROUTE_STATS_KEY, _compute_route_stats, settings.DIRECTORY_FIGURES_TIMEOUT
    )


def has_sample_data():
    """Whether fictional sample clinics are listed (the site then says so on every page)."""
    try:
        return cache.get_or_set(
            SAMPLE_FLAG_KEY,
            lambda: Clinic.objects.published().filter(is_sample=True).exists(),
            settings.DIRECTORY_FIGURES_TIMEOUT,
        )
    except DatabaseError:
        # Error pages use the layout too and must render while the database is down.
        return False


def states_with_clinics():
    """[(code, name, count)] for states with published clinics, by name."""

    def compute():
        rows = Clinic.objects.published().values("state").annotate(n=Count("pk")).order_by()
        return sorted(
            ((r["state"], US_STATES.get(r["state"], r["state"]), r["n"]) for r in rows),
            key=lambda row: row[1],
        )

    return cache.get_or_set(STATES_KEY, compute, settings.DIRECTORY_FIGURES_TIMEOUT)


def vocabulary():
    """
    The filter menus and the payer ids behind them:
    {'payers': [(slug, name)], 'insurers': [...], 'self_pay': [...], 'conditions': [(slug, name)],
     'payer_ids': {slug: id}, 'self_pay_ids': [id]}.
    """

    def compute():
        payers = list(Payer.objects.values_list("slug", "name", "id", "kind"))
        return {
            "payers": [(slug, name) for slug, name, _, _ in payers],
            "insurers": [
                (slug, name) for slug, name, _, kind in payers if kind == Payer.Kind.INSURER
            ],
            "self_pay": [
                (slug, name) for slug, name, _, kind in payers if kind == Payer.Kind.SELF_PAY
            ],
            "conditions": list(Condition.objects.values_list("slug", "name")),
            "payer_ids": {slug: pk for slug, _, pk, _ in payers},
            "self_pay_ids": [pk for _, _, pk, kind in payers if kind == Payer.Kind.SELF_PAY],
        }

    return cache.get_or_set(VOCABULARY_KEY, compute, settings.DIRECTORY_FIGURES_TIMEOUT)


def payer_ids(insurance):
    """The ids an insurance choice stands for: one payer, or every self-pay option."""
    words = vocabulary()
    if insurance == "self-pay":
        return words["self_pay_ids"]
    return [words["payer_ids"][insurance]] if insurance in words["payer_ids"] else []
