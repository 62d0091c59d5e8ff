from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.confirmation import is_confirmed


def confirmed_email_required(view):
    """
    Signed in, with the account's email address proved.

    For views that ask the editors for something (claims, new clinics): each
    emails them, so each should come from a real person's real address.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_confirmed(request.user):
            return render(request, "accounts/confirm_first.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
