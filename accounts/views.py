from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.forms import SignUpForm
from ketamine_directory.throttle import AddressThrottle

# Accounts made from one network address: enough for a clinic's staff sharing
# an office connection, too few for a script flooding the editors with claims.
NEW_ACCOUNTS = AddressThrottle("accounts:created", limit=10, window=60 * 60)


def signup(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.user.is_authenticated:
        return redirect(next_url or "listings:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and NEW_ACCOUNTS.exceeded(request):
        form.add_error(
            None,
            "Many accounts were made from your network in the last hour. "
            "Please try again later, or email the editors.",
        )
        return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        NEW_ACCOUNTS.record(request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your account is ready. Next, find your clinic and claim it.")
        return redirect(next_url or "listings:dashboard")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})
