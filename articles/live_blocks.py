"""
Live directory figures inside guides.

Editors write `[[price iv]]`, `[[series iv]]`, `[[count iv]]` inline (in the
body, its headings and FAQ answers), or `[[clinics iv state=tx limit=4]]` on a
line of its own (in the body only; anywhere else it is left out, and
editor_notes.py says so); these are replaced when the page is shown,
from the current directory. Everything inserted is built
here from data and escaped, so a block can never carry markup of its own; and
only text between tags is looked at, so a marker written inside a tag (a
link's title) stays as written there (rendering.py tells the editor).
"""

import re
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.rendering import LIVE_BLOCK
from clinics.models import DEFAULT_SERIES_SESSIONS, Clinic, Route
from clinics.states import US_STATES
from clinics.stats import route_stats
from clinics.templatetags.directory import price_range
from ketamine_directory.whole_numbers import whole_number

MAX_LIST = 12
# A series figure more than 3% under the session figure times the sessions
# (more than the rounding of either can explain) is brought down by packages.
PACKAGE_SHOWS = 0.97
# One scan of the stored HTML, left to right: code (which shows how to write a
# marker, so a marker inside it stays as written), a marker (with the <p> it
# has to itself, if any), or a tag, whose attributes keep a marker as written:
# a figure or a clinic list there would break out of the attribute.
# Sanitised HTML escapes `>` in attribute values, so a tag ends at the first `>`.
PIECE = re.compile(
    r"(?P<code><pre\b.*?</pre>|<code\b.*?</code>)"
    rf"|(?P<para><p>)?{LIVE_BLOCK.pattern}(?(para)</p>)"
    r"|(?P<tag><[^>]*>)",
    re.DOTALL,
)


def _figure(kind, route):
    stat = route_stats().get(route, {})
    if not stat.get("count"):
        return "no listed clinics yet" if kind == "count" else "not yet known"
    if kind == "price":
        return price_range(stat["price_low"], stat["price_high"])
    if kind == "series":
        figure = price_range(stat["series_low"], stat["series_high"])
        # The series figure is the quartiles of each clinic's own series, package
        # prices and all: below the session figure times the sessions by more
        # than rounding, a reader doing the sum would take it for a mistake.
        sessions = DEFAULT_SERIES_SESSIONS[route]
        if any(
            stat[f"series_{end}"] < stat[f"price_{end}"] * sessions * PACKAGE_SHOWS
            for end in ("low", "high")
        ):
            figure += " (some clinics charge less for the series as a package)"
        return figure
    return f"{stat['count']:,} clinic{'s' if stat['count'] != 1 else ''}"


def _clinic_list(route, options):
    state = options.get("state", "").upper()
    asked = whole_number(options.get("limit", ""))
    limit = min(asked, MAX_LIST) if asked is not None else 5
    clinics = Clinic.objects.published().offering_routes([route]).with_listing_data()
    query = {"route": route}
    if state in US_STATES:
        clinics = clinics.filter(state=state)
        query["state"] = state.lower()
    clinics = clinics.order_by("-is_verified", "name")[:limit]
    return render_to_string(
        "articles/includes/live_clinics.html",
        {
            "route": Route(route),
            "state_name": US_STATES.get(state),
            "clinics": clinics,
            "directory_url": f"{reverse('clinics:list')}?{urlencode(query)}",
        },
    )


def render_live_blocks(html, *, lists=True):
    """
    Replace the live-block markers in a guide's stored HTML with current figures.
    Without `lists` (an FAQ answer: a few sentences, read by search engines as
    text) a clinic list is left out, with the paragraph it has to itself.
    """

    def replace(match):
        if match.group("code") or match.group("tag"):
            return match.group()
        route = match.group("route")
        if route not in Route.values:
            return match.group()  # shown as written (it is text, <p> and all)
        if match.group("kind") == "clinics":
            # A list can't go in a heading, a sentence or a list item's text,
            # nor in a few sentences of answer: it is left out, and the editor told.
            if not lists or not match.group("para"):
                return ""
            options = dict(opt.split("=") for opt in match.group("options").split())
            return _clinic_list(route, options)
        figure = escape(_figure(match.group("kind"), route))
        return f"<p>{figure}</p>" if match.group("para") else figure

    return mark_safe(PIECE.sub(replace, html))


def clinic_lists_in(html):
    """The clinic-list markers in the text of this HTML (not in code or tags)."""
    return [
        LIVE_BLOCK.search(match.group()).group()
        for match in PIECE.finditer(html)
        if match.group("kind") == "clinics" and match.group("route") in Route.values
    ]


def stray_clinic_lists_in(html):
    """The clinic-list markers in the text of this HTML that have no paragraph to themselves."""
    return [
        LIVE_BLOCK.search(match.group()).group()
        for match in PIECE.finditer(html)
        if match.group("kind") == "clinics"
        and match.group("route") in Route.values
        and not match.group("para")
    ]


def live_text(text):
    """
    Plain text (a heading's name in the table of contents) with its figures
    filled in, as the heading shows them, and clinic lists left out.
    """

    def replace(match):
        kind, route = match.group("kind"), match.group("route")
        if route not in Route.values:
            return match.group()
        return "" if kind == "clinics" else _figure(kind, route)

    return " ".join(LIVE_BLOCK.sub(replace, text).split())
