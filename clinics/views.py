from urllib.parse import urlencode

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import apnumber
from django.core.validators import slug_re
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers

from accounts.signed_in import is_signed_in
from articles.directory_guides import guides_on_search
from articles.models import Guide
from clinics.empty_results import explain
from clinics.filters import DEFAULT_RADIUS, ClinicFilter
from clinics.find_place import Found, find_place
from clinics.forms import ZIP_PATTERN, CompareFindForm, FindForm
from clinics.geo import distance_miles_expression, locate_zip
from clinics.models import Clinic, ClinicRedirect, Route
from clinics.pagination import CappedCountPaginator
from clinics.search_links import (
    back_url,
    back_value,
    compare_slugs,
    compare_url,
    compare_url_without_search,
    list_url,
    search_params,
    sent_with_a_search,
    way_back,
    without_empty_fields,
)
from clinics.search_words import search_title
from clinics.states import US_STATES
from clinics.stats import route_stats, search_key, states_with_clinics, vocabulary
from clinics.structured_data import clinic_json_ld
from ketamine_directory.page_cache import cache_public_page
from ketamine_directory.whole_numbers import whole_number

MAX_COMPARE = 4
# Clinics kept ticked while moving through the results: more than can be
# compared, so that ticking a fifth is explained on the compare page, not lost.
MAX_CARRIED = 8
# Clinics offered to add to a comparison at a time.
COMPARE_CANDIDATES = 8


def _home_context(**extra):
    return {
        "routes": Route,
        "route_stats": route_stats(),
        "states": states_with_clinics(),
        **extra,
    }


@cache_public_page
def home(request):
    return render(request, "clinics/home.html", _home_context())


def find(request):
    """
    The home page's 'ZIP code or city' box: send the visitor to the right
    listing, or say on the home page why there is none, keeping their words.
    """
    form = FindForm(request.GET)
    if not form.is_valid():
        # Too long for a place, or characters no place has: say so, not show every clinic.
        typed = request.GET.get("where", "").replace("\x00", "")
        return _cannot_find(request, typed, Found(problem=form.errors["where"][0]))
    typed = form.cleaned_data["where"].strip()
    if not typed:
        return redirect("clinics:list")
    found = find_place(typed)
    if found.url:
        return redirect(found.url)
    return _cannot_find(request, typed, found)


def _cannot_find(request, typed, found):
    in_state = next((row for row in states_with_clinics() if row[0] == found.state), None)
    return render(
        request,
        "clinics/home.html",
        _home_context(where=typed, found=found, state_with_clinics=in_state),
    )


@cache_public_page
@vary_on_headers("HX-Request", "X-Place-Page")
def clinic_list(request, state=None, city_slug=None):
    """The directory, and the state and city pages (the same search, with a place fixed)."""
    state_in_capitals = state and state != state.lower() and state.upper() in US_STATES
    city_in_capitals = city_slug and city_slug != city_slug.lower()
    if state_in_capitals or city_in_capitals:
        # /clinics/in/TX/Austin/ is a typed or shared link to /clinics/in/tx/austin/.
        if city_slug:
            path = reverse("clinics:city", args=[state.lower(), city_slug.lower()])
        else:
            path = reverse("clinics:state", args=[state.lower()])
        query = request.META.get("QUERY_STRING")
        return redirect(f"{path}?{query}" if query else path, permanent=True)
    if "clear" in request.GET:
        # "Clear all filters" sends the compare form: the search goes, the
        # clinics ticked to compare stay.
        return redirect(compare_url(compare_slugs(request)[:MAX_CARRIED], view="clinics:list"))
    clean = without_empty_fields(request, place_page=state is not None)
    if clean is not None and not request.htmx:
        return redirect(clean)
    place = _place(state, city_slug)
    # htmx swaps in the results; a history restore (htmx has no copy of the
    # page) wants the whole page, as the page cache stores it for everyone.
    fragment = bool(request.htmx) and not request.htmx.history_restore_request
    data = request.GET.copy()
    data.setdefault("radius", str(DEFAULT_RADIUS))
    if place:
        data["state"] = place["state"]
        if city_slug:
            data["city"] = place["city"]
    # Insurers mostly pay for Spravato only: under "Aetna", a card's IV price
    # must not look covered, so each price says whether the insurer is accepted.
    insurer = _insurer(data.get("insurance"))
    # Paying yourself: each card says how (payment plans, FSA/HSA, superbill).
    self_pay = data.get("insurance") in _self_pay_choices()
    clinic_filter = ClinicFilter(
        data,
        queryset=Clinic.objects.published().with_listing_data(
            insurer[0] if insurer else None, self_pay=self_pay
        ),
    )
    results = clinic_filter.qs  # validates the form, so cleaned_data exists
    cleaned = clinic_filter.form.cleaned_data
    paginator = CappedCountPaginator(
        results,
        settings.CLINICS_PER_PAGE,
        cap=settings.CLINICS_COUNT_CAP,
        count_key={k: v for k, v in cleaned.items() if k != "sort"},
        among=clinic_filter.among,
        matches=clinic_filter.matches,
    )
    asked_page = request.GET.get("page", "")
    page = paginator.get_page(asked_page)
    search = search_params(request)
    asked_to_compare = compare_slugs(request)
    comparing = asked_to_compare[:MAX_CARRIED]
    compared_elsewhere, ticked_count = _ticked(comparing, page)
    # The rendered result list is the same for everyone making this search
    # with the same clinics ticked to compare.
    results_key = search_key({**cleaned, "page": page.number, "comparing": comparing})
    active = {name for name, value in cleaned.items() if value and name not in ("sort", "radius")}
    searched_place = _searched_place(cleaned, place)
    context = {
        "empty_results": None if page.paginator.count else explain(request, cleaned, place),
        "active_filters": len(active),
        "filter": clinic_filter,
        "page": page,
        # An old link to a page the search no longer reaches shows the last,
        # and says so.
        "page_past_end": (asked_page if (whole_number(asked_page) or 0) > page.number else None),
        "place": place,
        # Said in the results heading, which stays when htmx leaves a place page.
        "searched_place": searched_place,
        "search_title": search_title(cleaned, searched_place),
        "selected_routes": cleaned.get("route") or [],
        # Cards show the prices that matched: the chosen routes, within the ceiling.
        "max_price": cleaned.get("max_price"),
        "near": cleaned.get("near"),
        "insurer": insurer[1] if insurer else None,
        "self_pay": self_pay,
        "cities": Clinic.objects.cities_in(place["state"]) if place else None,
        # Under the results (and in the fragment that replaces them, so a new
        # search never keeps the last one's guides).
        "search_guides": guides_on_search(cleaned.get("condition"), cleaned.get("route") or []),
        "results_key": results_key,
        "comparing": comparing,
        "compared_elsewhere": compared_elsewhere,
        # As many as the page shows ticked boxes, for the Compare buttons.
        "ticked_count": ticked_count,
        "max_compare": MAX_COMPARE,
        # With that many ticked, the other boxes wait; more sent are left out, and said so.
        "max_carried": MAX_CARRIED,
        "ticks_left_out": len(asked_to_compare) - len(comparing),
        # With htmx, each page button adds its page and the boxes their ticks.
        "search_url": list_url(request.path, search),
        # Without it, the filter form says which search its page buttons are pages of.
        "shown_search": urlencode(search),
        "page_numbers": list(
            paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        ),
        # Search engines follow links, not buttons: the head names the pages
        # next to this one, of the same search without anyone's ticks.
        "previous_url": (
            list_url(request.path, search, page.previous_page_number())
            if page.has_previous()
            else None
        ),
        "next_url": (
            list_url(request.path, search, page.next_page_number()) if page.has_next() else None
        ),
        "untick_url": list_url(request.path, search, page.number),
        # One address per search and page for search engines: the filters in
        # a fixed order, without ticks, empty fields or anyone's tracking tags.
        "canonical_url": list_url(request.path, search, page.number),
        # Sent by the Compare buttons, so that the comparison's "Back to the
        # clinic list" returns to this search and page.
        "back": list_url(request.path, search, page.number),
        # The filter form of a state or city page searches the whole directory.
        "left_place_page": bool(fragment and request.headers.get("X-Place-Page") and not place),
        "fragment": fragment,
    }
    if fragment:
        return render(request, "clinics/clinic_list.html#results", context)
    return render(request, "clinics/clinic_list.html", context)


def _ticked(slugs, page):
    """
    The clinics ticked to compare on other pages of results (or before the
    filters changed), so that a comparison can be built across pages; and how
    many clinics are ticked in all, here and there (slugs no clinic has are
    no ticked box, so they do not count).
    """
    if not slugs:
        return [], 0  # and the page's clinics stay unread when their cards are cached
    on_page = {clinic.slug for clinic in page.object_list}
    wanted = [slug for slug in slugs if slug not in on_page]
    ticked_here = len(slugs) - len(wanted)
    if not wanted:
        return [], ticked_here
    found = Clinic.objects.published().filter(slug__in=wanted).only("slug", "name", "city", "state")
    by_slug = {clinic.slug: clinic for clinic in found}
    elsewhere = [by_slug[slug] for slug in wanted if slug in by_slug]
    return elsewhere, ticked_here + len(elsewhere)


def _self_pay_choices():
    return {"self-pay", *(slug for slug, _ in vocabulary()["self_pay"])}


def _insurer(slug):
    """(id, name) of the insurer chosen; None for none, a self-pay option or an unknown one."""
    words = vocabulary()
    pk = words["payer_ids"].get(slug)
    if pk is None or pk in words["self_pay_ids"]:
        return None
    return pk, dict(words["payers"])[slug]


def _searched_place(cleaned, place):
    """'Austin, Texas', 'Texas' or 'Austin' when the search is in a place; '' otherwise."""
    city = (place or {}).get("city") or cleaned.get("city") or ""
    if city in (city.lower(), city.upper()):
        city = city.title()  # typed all in lower case, or all in capitals
    state = cleaned.get("state")
    return ", ".join(filter(None, [city, US_STATES.get(state, "") if state else ""]))


def _place(state, city_slug):
    if state is None:
        return None
    code = state.upper()
    if state != state.lower() or code not in US_STATES:
        raise Http404("No such state")
    place = {"state": code, "state_name": US_STATES[code], "city": None}
    if city_slug is not None:
        city = (
            Clinic.objects.published()
            .filter(state=code, city_slug=city_slug)
            .values_list("city", flat=True)
            .first()
        )
        if city is None:
            raise Http404("No clinics listed in that city")
        place["city"] = city
        place["city_slug"] = city_slug
    return place


@cache_public_page
def clinic_detail(request, slug):
    clinic = Clinic.objects.published().with_detail_data().with_staff_flag().filter(slug=slug)
    clinic = clinic.first()
    if clinic is None:
        # An address from before an editor changed the slug.
        old = ClinicRedirect.objects.filter(old_slug=slug, clinic__status=Clinic.Status.PUBLISHED)
        old = old.select_related("clinic").only("clinic__slug").first()
        if old is None:
            raise Http404("No such clinic")
        return redirect(old.clinic, permanent=True)
    routes = [offering.route for offering in clinic.offerings.all()]
    guides = Guide.objects.visible().for_routes(routes).only("title", "slug", "dek")[:4]
    # Its own staff are offered their edit page (they are never served the cached page).
    manages_it = (
        is_signed_in(request)
        and Clinic.objects.managed_by(request.user).filter(pk=clinic.pk).exists()
    )
    return render(
        request,
        "clinics/clinic_detail.html",
        {
            "clinic": clinic,
            "guides": guides,
            "json_ld": clinic_json_ld(clinic, request),
            "manages_it": manages_it,
        },
    )


@cache_public_page
def compare(request):
    """
    2-4 clinics side by side. Unknown or repeated slugs are dropped with a note.
    Clinics can be removed, and added by name or city, so a comparison can take
    in clinics from other result pages, other cities or a clinic's own page.
    """
    if sent_with_a_search(request):
        return redirect(compare_url_without_search(request))
    # Beyond four, clinics ticked in the results wait their turn: they are
    # named, and come in as one is removed.
    asked = list(dict.fromkeys(s for s in request.GET.getlist("clinic") if s))
    slugs = asked[:MAX_CARRIED]
    notes = []
    if len(asked) > MAX_CARRIED:
        notes.append(
            f"You ticked {len(asked)} clinics; we keep {apnumber(MAX_CARRIED)} at a time, "
            f"so the last {len(asked) - MAX_CARRIED} were left out."
        )
    # A string that cannot be a slug matches no clinic; PostgreSQL would refuse
    # some outright (a NUL byte), so they never reach the query.
    listed = (
        Clinic.objects.published()
        .with_detail_data()
        .with_staff_flag()  # whether a message would reach anyone, in the same query
    )
    back = way_back(request.GET.get("back", ""))
    # The Compare buttons send the search, ZIP code and all, as the way back.
    near = request.GET.get("near", "") or (dict(back[1]).get("near", "") if back else "")
    located = locate_zip(near) if ZIP_PATTERN.match(near) else None
    if located:
        listed = listed.annotate(distance=distance_miles_expression(*located[:2]))
    else:
        near = ""
    clinics = listed.filter(slug__in=[slug for slug in slugs if slug_re.match(slug)])
    by_slug = {clinic.slug: clinic for clinic in clinics}
    slugs = _current_slugs(slugs, by_slug, listed)
    found = [by_slug[slug] for slug in slugs if slug in by_slug]
    if len(found) < len(slugs):
        notes.append("Some of the clinics asked for are not listed any more.")
    chosen, waiting = found[:MAX_COMPARE], found[MAX_COMPARE:]
    waiting_slugs = [clinic.slug for clinic in waiting]
    routes = [route for route in Route if any(_offers(clinic, route) for clinic in chosen)]
    rows = [
        {"route": route, "cells": [_offers(clinic, route) for clinic in chosen]} for route in routes
    ]
    chosen_slugs = [clinic.slug for clinic in chosen]
    find_form = CompareFindForm(request.GET)
    return render(
        request,
        "clinics/compare.html",
        {
            "clinics": chosen,
            "route_rows": rows,
            "removals": [
                (
                    clinic,
                    compare_url(
                        [s for s in chosen_slugs if s != clinic.slug] + waiting_slugs, near, back
                    ),
                )
                for clinic in chosen
            ],
            "notes": notes,
            "waiting": waiting,
            "found_count": len(found),
            "near": near,
            "chosen_slugs": chosen_slugs,
            "can_add": len(chosen) < MAX_COMPARE,
            "find_form": find_form,
            "candidates": _compare_candidates(chosen, find_form, near, back),
            "canonical_path": _compare_canonical_path(chosen),
            "back": back_value(back),
            # Back in the list, the search the comparison came from, with the
            # clinics compared still ticked, to add more.
            "list_url": back_url(back, chosen_slugs + waiting_slugs, near),
        },
    )


def _current_slugs(slugs, by_slug, listed):
    """
    The slugs asked for, with a clinic's old slug (a link from before an editor
    changed it) replaced by its current one, whose clinic (from `listed`) is
    added to by_slug. Costs nothing when every slug is current.
    """
    missing = [slug for slug in slugs if slug not in by_slug and slug_re.match(slug)]
    if not missing:
        return slugs
    moved = dict(
        ClinicRedirect.objects.filter(old_slug__in=missing).values_list("old_slug", "clinic__slug")
    )
    if not moved:
        return slugs
    by_slug.update({clinic.slug: clinic for clinic in listed.filter(slug__in=moved.values())})
    return list(dict.fromkeys(moved.get(slug, slug) for slug in slugs))


def _compare_candidates(chosen, find_form, near, back):
    """
    Clinics that could join the comparison, each with the link that adds it:
    those matching the words typed, or else the others in the first clinic's city.
    """
    if len(chosen) >= MAX_COMPARE or not find_form.is_valid():
        return None
    typed = find_form.cleaned_data["find"].strip()
    if typed:
        candidates = Clinic.objects.published().named_or_in(typed)
    elif chosen:
        first = chosen[0]
        candidates = Clinic.objects.published().filter(state=first.state, city_slug=first.city_slug)
    else:
        return None
    slugs = [clinic.slug for clinic in chosen]
    found = list(candidates.exclude(slug__in=slugs).with_listing_data()[: COMPARE_CANDIDATES + 1])
    return {
        "typed": typed,
        "more": len(found) > COMPARE_CANDIDATES,
        "clinics": [
            (clinic, compare_url([*slugs, clinic.slug], near, back))
            for clinic in found[:COMPARE_CANDIDATES]
        ],
    }


def _compare_canonical_path(clinics):
    """
    One address per set of clinics, whatever their order or the visitor's ZIP,
    so a comparison can be found by search without duplicates. Fewer than two
    clinics is not a comparison, and that page is kept out of search results.
    """
    if len(clinics) < 2:
        return None
    return compare_url(sorted(clinic.slug for clinic in clinics))


def _offers(clinic, route):
    return next((o for o in clinic.offerings.all() if o.route == route), None)
