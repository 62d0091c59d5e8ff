"""
Live directory figures inside guides.

Editors write `[[price iv]]`, `[[series iv]]`, `[[count iv]]` inline, or
`[[clinics iv state=tx limit=4]]` on a line of its own; these are replaced when
the page is shown, from the current directory. Everything inserted is built
here from data and escaped, so a block can never carry markup of its own.
"""

import re
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from clinics.models import Clinic, Route
from clinics.states import US_STATES
from clinics.stats import route_stats
from clinics.templatetags.directory import price_range

BLOCK = re.compile(
    r"(?P<para><p>)?\[\[(?P<kind>price|series|count|clinics) (?P<route>[a-z-]+)"
    r"(?P<options>(?: [a-z]+=[a-z0-9]+)*)\]\](?(para)</p>)"
)
MAX_LIST = 12
# Code shows how to write a marker, so a marker inside it stays as written.
CODE = re.compile(r"(<pre\b.*?</pre>|<code\b.*?</code>)", re.DOTALL)


def _figure(kind, route):
    stat = route_stats().get(route, {})
    if not stat.get("count"):
        return "no listed clinics yet" if kind == "count" else "not yet known"
    if kind == "price":
        return price_range(stat["price_low"], stat["price_high"])
    if kind == "series":
        return price_range(stat["series_low"], stat["series_high"])
    return f"{stat['count']:,} clinic{'s' if stat['count'] != 1 else ''}"


def _clinic_list(route, options):
    state = options.get("state", "").upper()
    limit = min(int(options["limit"]), MAX_LIST) if options.get("limit", "").isdigit() else 5
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


def render_live_blocks(html):
    """Replace the live-block markers in a guide's stored HTML with current figures."""

    def replace(match):
        route = match.group("route")
        if route not in Route.values:
            return escape(match.group(0))
        if match.group("kind") == "clinics":
            options = dict(opt.split("=") for opt in match.group("options").split())
            return _clinic_list(route, options)
        figure = escape(_figure(match.group("kind"), route))
        return f"<p>{figure}</p>" if match.group("para") else figure

    parts = CODE.split(html)  # code at the odd places
    return mark_safe(
        "".join(part if place % 2 else BLOCK.sub(replace, part) for place, part in enumerate(parts))
    )
