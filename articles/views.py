from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.vary import vary_on_headers

from articles.filters import GuideFilter
from articles.live_blocks import live_text, render_live_blocks
from articles.models import Guide, GuideRedirect
from articles.structured_data import guide_json_ld
from clinics.models import Route
from clinics.stats import route_stats
from ketamine_directory.page_cache import cache_public_page

GUIDES_PER_PAGE = 30
COMMON_WORDS = (
    "Words like “the”, “and” or “of” are too common to search for, and the search had no "
    "others. Try a word about what you want to know, such as cost or Spravato."
)


@cache_public_page
@vary_on_headers("HX-Request")
def guide_list(request):
    guide_filter = GuideFilter(
        request.GET,
        queryset=Guide.objects.visible().select_related("medical_reviewer").order_by("title"),
    )
    page = Paginator(guide_filter.qs, GUIDES_PER_PAGE).get_page(request.GET.get("page"))
    searching = bool(guide_filter.form.is_valid() and guide_filter.form.cleaned_data.get("q"))
    groups = []
    if not searching:
        by_category = {}
        for guide in page.object_list:
            by_category.setdefault(guide.category, []).append(guide)
        groups = [
            (label, by_category[value])
            for value, label in Guide.Category.choices
            if value in by_category
        ]
    category = (
        guide_filter.form.cleaned_data.get("category") if guide_filter.form.is_valid() else ""
    )
    context = {
        "filter": guide_filter,
        "page": page,
        "groups": groups,
        "searching": searching,
        "summary": _summary(page, category, searching, guide_filter.only_common_words),
        # The page's title names the search and topic, in tabs and history alike.
        "words": guide_filter.form.cleaned_data.get("q") if searching else "",
        "category_label": Guide.Category(category).label if category else "",
        "only_common_words": guide_filter.only_common_words,
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "articles/guide_list.html#guide-results", context)
        # The address to share: "/guides/?q=cost", not "...&category=".
        sent = [(name, value) for name, value in request.GET.items() if value.strip()]
        response["HX-Push-Url"] = f"{request.path}?{urlencode(sent)}" if sent else request.path
        return response
    return render(request, "articles/guide_list.html", context)


def _summary(page, category, searching, only_common_words=False):
    """
    What a screen reader announces after a new topic or search: a count, not
    the list (the list itself is no live region, or all of it is read out).
    """
    count = page.paginator.count
    if only_common_words:
        return COMMON_WORDS
    if not count:
        return "No guide matches that search."
    guides = f"{count} guide{'s' if count != 1 else ''}"
    topic = f" about {Guide.Category(category).label.lower()}" if category else ""
    if searching:
        words = f"{guides} found{topic}."
    elif topic:
        words = f"{guides}{topic}."
    else:
        words = f"All {guides}." if count > 1 else f"{guides}."
    if page.has_other_pages():
        words += f" Page {page.number} of {page.paginator.num_pages}."
    return words


@cache_public_page
def guide_detail(request, slug):
    guides = Guide.objects.select_related("author", "medical_reviewer").prefetch_related(
        "faqs", "references", "route_links", "conditions"
    )
    guide = guides.filter(slug=slug).first()
    if guide is None:
        old = GuideRedirect.objects.filter(old_slug=slug).select_related("guide").first()
        # An old address of a guide visitors can't see answers "not found" itself:
        # a permanent redirect to a page that is not there helps nobody.
        if old is not None and (old.guide.is_visible or request.user.is_staff):
            return redirect(old.guide, permanent=True)
        return guide_not_found(request)
    preview = not guide.is_visible
    if preview and not request.user.is_staff:
        return guide_not_found(request)
    return render_guide(request, guide, preview=preview)


def guide_not_found(request):
    """
    404, with the way on to the guides: the address may be old, mistyped, or
    that of a guide taken off the site (a draft again, or scheduled). Not 410:
    a guide withdrawn to correct it usually comes back at the same address.
    """
    return render(request, "articles/guide_not_found.html", status=404)


def render_guide(request, guide, *, preview, unsaved=False, notes=()):
    """
    A guide's page. `unsaved` is an editor's preview of the admin form as it
    stands: its FAQs, references and treatment links are those last saved,
    and a guide never saved has none yet. `notes` tell the editor what the
    page leaves out of the Markdown.
    """
    saved = guide.pk is not None
    faqs = list(guide.faqs.all()) if saved else []
    for faq in faqs:
        # Figures filled in as in the body; the page and its structured data say the same.
        faq.shown_html = render_live_blocks(faq.answer_html, lists=False)
    routes = guide.routes if saved else []
    related = (
        Guide.objects.visible()
        .exclude(pk=guide.pk)
        .filter(category=guide.category)
        .only("title", "slug", "dek")[:3]
    )
    stats = route_stats()
    return render(
        request,
        "articles/guide_detail.html",
        {
            "guide": guide,
            "preview": preview,
            "unsaved": unsaved,
            "notes": notes,
            "body": render_live_blocks(guide.body_html),
            # A heading's figure, as the heading shows it, not its marker.
            "toc": [{**item, "name": live_text(item["name"])} for item in guide.toc],
            "faqs": faqs,
            "references": guide.references.all() if saved else [],
            "related": related,
            "route_links": [(Route(route), stats.get(route, {})) for route in routes],
            "json_ld": [] if unsaved else guide_json_ld(guide, faqs, request),
        },
    )
