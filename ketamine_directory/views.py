from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@never_cache
@require_GET
def healthz(request):
    """200 when the database (and Redis, when configured) answer; 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DatabaseError:
        checks["database"] = "unavailable"
    if settings.REDIS_URL:
        try:
            cache.set("healthz", "ok", 10)
            checks["cache"] = "ok" if cache.get("healthz") == "ok" else "unavailable"
        except Exception:  # any client error means the cache is not usable
            checks["cache"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


def gives_back_typed(boxes):
    """
    For a view whose form a refusal page (signed out, or a stale security
    token) gives back box by box: `boxes(request.POST)` is [(label, text)].
    """

    def decorate(view):
        view.typed_boxes = boxes
        return view

    return decorate


def boxes_typed(request):
    """
    What words_typed gives back, for a form whose view names its boxes
    (gives_back_typed): [(label, text)], or [] for any other form.
    """
    try:
        boxes = getattr(resolve(request.path_info).func, "typed_boxes", None)
    except Resolver404:
        return []
    if boxes is None or not _sent_from_here(request)[0]:
        return []
    return boxes(request.POST)


def _sent_from_here(request):
    """(Whether the POST came from a page of this site, that page's address or "")."""
    form_page = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(form_page, allowed_hosts={request.get_host()}):
        form_page = ""
    origin = request.headers.get("Origin")
    ours = origin == f"{request.scheme}://{request.get_host()}" if origin else bool(form_page)
    return ours, form_page


def words_typed(request):
    """
    The prose in a POST that could not be accepted (a message, a description),
    to be given back for copying: never passwords; numbers and ticked boxes are
    quick to enter again and meaningless on their own. Only for a form of this
    site: a page elsewhere posting here must not make this site show text it
    chose. Returns (words, the form's page or "").
    """
    ours, form_page = _sent_from_here(request)
    if not ours:
        return [], form_page
    typed = [
        value
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken" and "password" not in name
        for value in values
        if len(value.strip()) > 40 or " " in value.strip()
    ]
    return typed[:10], form_page


@never_cache  # it may hold what was typed: a patient's message
def csrf_failure(request, reason=""):
    """
    A form refused for its security token: the page was open while its person
    signed in again elsewhere, or for days. Django's own page is bare and gives
    nothing back; a browser going back to a no-store page (the message form)
    reloads it empty. So say what happened and give back what was written.
    """
    typed, form_page = words_typed(request)
    context = {"typed": typed, "boxes": boxes_typed(request), "form_page": form_page}
    return render(request, "403_csrf.html", context, status=403)
