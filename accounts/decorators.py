from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from accounts.confirmation import is_confirmed
from ketamine_directory.views import boxes_typed, words_typed


def signed_in_required(view):
    """
    login_required, except for a form sent by someone signed out meanwhile (in
    another tab, or after a long time): instead of the sign-in page and then a
    fresh, empty form, they are told nothing was saved and given back their words.
    """
    guarded = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            return _signed_out(request)
        return guarded(request, *args, **kwargs)

    return wrapper


@never_cache  # it holds what was typed
def _signed_out(request):
    typed, _ = words_typed(request)
    sign_in = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
    context = {
        "signed_out": True,
        "typed": typed,
        "boxes": boxes_typed(request),
        "sign_in_url": sign_in,
    }
    return render(request, "403_csrf.html", context, status=403)


def confirmed_email_required(view):
    """
    Signed in, with the account's email address proved.

    For views that ask the editors for something (claims, new clinics): each
    emails them, so each should come from a real person's real address.
    """

    @signed_in_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_confirmed(request.user):
            return render(request, "accounts/confirm_first.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
