"""A clinic's pages answer at the addresses it had before an editor changed its slug."""

from functools import wraps

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse

from clinics.models import Clinic, ClinicRedirect


def current_slug(old_slug, clinics):
    """The slug now of the clinic among `clinics` that had `old_slug`, or None."""
    redirects = ClinicRedirect.objects.filter(old_slug=old_slug, clinic__in=clinics)
    return redirects.values_list("clinic__slug", flat=True).first()


def follows_old_slugs(clinics):
    """
    For a view of one of a clinic's pages (its `slug` in the address): when it
    finds no clinic, and the slug is an old one of a clinic among
    `clinics(request)`, a permanent redirect to the same page under the
    current slug. Links in emails already sent (a new inquiry's) and pages
    left open keep working; a form sent to an old address is sent on with what
    was typed (308).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, slug, **kwargs):
            try:
                return view(request, *args, slug=slug, **kwargs)
            except Http404:
                new = current_slug(slug, clinics(request))
                if new is None:
                    raise
            match = request.resolver_match
            url = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "slug": new})
            if query := request.META.get("QUERY_STRING"):
                url = f"{url}?{query}"
            keep_method = request.method not in ("GET", "HEAD")
            return HttpResponsePermanentRedirect(url, preserve_request=keep_method)

        return wrapper

    return decorator


def published(request):
    return Clinic.objects.published()


def managed(request):
    """The clinics the signed-in user is on the staff of."""
    return Clinic.objects.managed_by(request.user)
