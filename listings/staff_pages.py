"""The account pages of one clinic, for its own staff only, and what anyone else is told there."""

from functools import wraps

from django.http import Http404
from django.shortcuts import render

from clinics.models import Clinic


class NotOnStaff(Http404):
    """The signed-in user is not on the staff of a clinic with this slug (or there is none)."""

    # What the refused request had typed, as (label, text) pairs, for the page
    # to show back: set by a view whose form it was.
    typed = ()


def staff_clinic(request, slug, clinics=None):
    """
    The clinic with `slug` among `clinics` (all clinics by default) that the
    signed-in user is on the staff of; NotOnStaff otherwise.
    """
    clinics = Clinic.objects.all() if clinics is None else clinics
    clinic = clinics.managed_by(request.user).filter(slug=slug).first()
    if clinic is None:
        raise NotOnStaff
    return clinic


def staff_only(view):
    """
    For a view that finds its clinic with staff_clinic(): to anyone not on its
    staff, a 404 that says why. People who have left a clinic, or were
    removed, still follow the links in its emails; a bare "page not found"
    would leave them wondering. The page is the same whether the clinic
    exists or not, and names nothing of it.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotOnStaff as refused:
            context = {"typed": refused.typed}
            return render(request, "listings/not_on_staff.html", context, status=404)

    return wrapper
