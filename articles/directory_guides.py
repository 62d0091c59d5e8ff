"""The few guides the directory offers beside a search by condition or treatment."""

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles.models import Guide
from articles.versioning import guides_version

SHOWN = 3
CATEGORY_ORDER = {value: order for order, value in enumerate(Guide.Category.values)}


def guides_on_search(condition, routes):
    """
    [{'title', 'dek', 'url'}] of up to SHOWN visible guides about the condition
    (those first) or one of the routes; [] for a search by neither.
    """
    if not condition and not routes:
        return []
    routes = set(routes)
    now = timezone.now()
    found = [
        guide
        for guide in _published_guides()
        if guide["published_at"] <= now
        and (condition in guide["conditions"] or routes & guide["routes"])
    ]
    # The condition's guides, those on a searched route among them first; then
    # the routes'. Within each, the basics before the rest (the categories'
    # order), then by title, as stored.
    found.sort(
        key=lambda guide: (
            condition not in guide["conditions"],
            not routes & guide["routes"],
            CATEGORY_ORDER[guide["category"]],
        )
    )
    return [{"title": g["title"], "dek": g["dek"], "url": g["url"]} for g in found[:SHOWN]]


def _published_guides():
    """
    Every published guide with its conditions and routes, kept until a guide
    changes (the guides version) or as long as the directory's other shared
    figures: one query for all searches, not one per search. The publish time
    is checked on reading, so a scheduled guide shows when it is due.
    """

    def compute():
        guides = {}
        for (
            title,
            slug,
            dek,
            category,
            published_at,
            condition,
            route,
        ) in Guide.objects.topic_rows():
            guide = guides.setdefault(
                slug,
                {
                    "title": title,
                    "dek": dek,
                    "category": category,
                    "url": reverse("articles:detail", args=[slug]),
                    "published_at": published_at,
                    "conditions": set(),
                    "routes": set(),
                },
            )
            if condition:
                guide["conditions"].add(condition)
            if route:
                guide["routes"].add(route)
        return list(guides.values())

    return cache.get_or_set(
        # Named for its shape: a deploy that changes the shape must not read the old one.
        f"articles:guide-topics-by-category:{guides_version()}",
        compute,
        settings.DIRECTORY_FIGURES_TIMEOUT,
    )
