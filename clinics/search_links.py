"""
The directory's addresses: a search as its address has it, the links built
from it (pages, the comparison and its way back), and the comparison's
`back=` read safely.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit

from django.core.validators import slug_re
from django.urls import Resolver404, resolve, reverse

from clinics.filters import DEFAULT_RADIUS, ClinicFilter
from clinics.states import US_STATES
from ketamine_directory.whole_numbers import whole_number

# The directory's search, as its address has it (the ticks and the page apart).
SEARCH_PARAMS = tuple(ClinicFilter.base_filters)


def search_params(request):
    """
    [(name, value)] of the search in the address, without its empty fields (as
    the filter form sends them without JavaScript) and without a distance when
    there is no ZIP code to measure it from, as directory.js leaves them out.
    """
    params = [
        (name, value)
        for name in SEARCH_PARAMS
        for value in request.GET.getlist(name)
        if value.strip()
    ]
    if not any(name == "near" for name, _ in params):
        params = [(name, value) for name, value in params if name != "radius"]
    return params


# Sent by the filter form without JavaScript: the search its page shows (htmx
# leaves it out, as it sends the search shown with a page button itself).
SHOWN = "shown"


def without_empty_fields(request, place_page):
    """
    The address of this search without the empty fields the filter form sends
    without JavaScript (nor its default distance with no ZIP code, nor a place
    page's own state and city, nor the search the page showed); None if there
    is nothing to drop. A page button pressed after the filters were changed
    gives the changed search from its first page, as with htmx: the boxes as
    they are now are what the visitor means, and a page of another search is
    no page of this one.
    """
    dropped = {"state", "city"} if place_page else set()
    no_zip = not any(value.strip() for value in request.GET.getlist("near"))
    sent = [(name, value) for name, values in request.GET.lists() for value in values]
    shown = request.GET.getlist(SHOWN)
    changed = bool(shown) and _same_search(parse_qsl(shown[-1]), dropped) != _same_search(
        search_params(request), dropped
    )
    query = [
        (name, value)
        for name, value in sent
        if name not in dropped
        and name != SHOWN
        and not (name == "page" and changed)
        and (value.strip() or name not in SEARCH_PARAMS)
        # A wrong distance stays, to be explained.
        and not (name == "radius" and no_zip and value == str(DEFAULT_RADIUS))
    ]
    if len(query) == len(sent):
        return None
    return f"{request.path}?{urlencode(query)}" if query else request.path


def _same_search(params, dropped):
    """A search's fields to compare with another's, whatever order or spacing its address has."""
    return sorted(
        (name, value.strip())
        for name, value in params
        if name in SEARCH_PARAMS
        and name not in dropped
        and value.strip()
        and not (name == "radius" and value.strip() == str(DEFAULT_RADIUS))
    )


def list_url(path, search, page_number=1):
    params = search + ([("page", page_number)] if page_number > 1 else [])
    return f"{path}?{urlencode(params)}" if params else path


def compare_slugs(request):
    """The clinics ticked to compare, in order, once each; never a string no slug could be."""
    return list(dict.fromkeys(s for s in request.GET.getlist("clinic") if slug_re.match(s)))


# What the clinic list's Compare buttons send and a comparison has no use for:
# the filter form's search (they are its buttons, so that they send the boxes
# ticked to compare as they are now), and the ZIP code twice from an older page.
SEARCH_ONLY_PARAMS = (*(name for name in SEARCH_PARAMS if name != "near"), "page", SHOWN)


def sent_with_a_search(request):
    return len(request.GET.getlist("near")) > 1 or any(
        name in request.GET for name in SEARCH_ONLY_PARAMS
    )


def compare_url_without_search(request):
    """The comparison's own address: its clinics, the ZIP code once and any words typed."""
    query = request.GET.copy()
    for name in SEARCH_ONLY_PARAMS:
        query.pop(name, None)
    # The filter form sends its ZIP field even when it is empty.
    near = [value for value in query.pop("near", []) if value]
    if near:
        query["near"] = near[-1]
    return f"{reverse('clinics:compare')}?{query.urlencode()}"


def compare_url(slugs, near="", back=None, view="clinics:compare"):
    params = [("clinic", slug) for slug in slugs] + ([("near", near)] if near else [])
    if back:
        params.append(("back", back_value(back)))
    query = f"?{urlencode(params)}" if params else ""
    return reverse(view) + query


# The pages a comparison can go back to: the directory's lists, nothing else.
LIST_VIEWS = ("clinics:list", "clinics:state", "clinics:city")


MAX_BACK_LENGTH = 1000


def way_back(back):
    """
    (path, [(name, value)]) of the clinic list a comparison was started from,
    read from its `back=` address; None for anything but one of the directory's
    own list pages (never a way off the site), and only the search's own fields
    and page kept, so the link built from it says nothing it was not meant to.
    """
    if not back or len(back) > MAX_BACK_LENGTH or "\\" in back or "\x00" in back:
        return None
    parts = urlsplit(back)
    if parts.scheme or parts.netloc or not parts.path.startswith("/clinics/"):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    state = match.kwargs.get("state")
    if match.view_name not in LIST_VIEWS or (state and state.upper() not in US_STATES):
        return None
    search = [
        (name, value)
        for name, value in parse_qsl(parts.query)
        if (name in SEARCH_PARAMS and value.strip())
        or (name == "page" and whole_number(value) is not None)
    ]
    return parts.path, search


def back_value(back):
    return list_url(back[0], back[1]) if back else ""


def back_url(back, slugs, near):
    """The list the comparison came from (or the directory), with its clinics ticked."""
    if not back:
        return compare_url(slugs, near, view="clinics:list")
    path, search = back
    params = search + [("clinic", slug) for slug in slugs]
    return f"{path}?{urlencode(params)}" if params else path
