from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import confirmation
from accounts.forms import ChangePasswordForm, SignUpForm
from ketamine_directory.throttle import AddressThrottle
from policies.contact import email_the_editors

# Accounts made from one network address: enough for a clinic's staff sharing
# an office connection, too few for a script flooding the editors with claims.
NEW_ACCOUNTS = AddressThrottle("accounts:created", limit=10, window=60 * 60)


def signup(request):
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "listings:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and NEW_ACCOUNTS.exceeded(request):
        form.add_error(
            None,
            format_html(
                "Many accounts were made from your network in the last hour. "
                "Please try again later, or {}.",
                email_the_editors(),
            ),
        )
        return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        NEW_ACCOUNTS.record(request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        confirmation.send_link(request, user, next_url)
        messages.success(
            request,
            f"Your account is ready. We emailed a link to {user.email}: open it to confirm "
            "the address, then find your clinic and claim it.",
        )
        return redirect(next_url or "listings:dashboard")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def confirm_email(request, token):
    # Opening the link proves the mailbox; it needs no signing in (it may be
    # opened on another device), and confirming twice does no harm.
    try:
        user, next_url = confirmation.read_link(
            token, get_user_model().objects.filter(is_active=True)
        )
    except confirmation.BadLink as problem:
        return render(request, "accounts/confirm_email.html", {"problem": str(problem)}, status=400)
    confirmation.mark_confirmed(user)
    messages.success(request, f"Thank you: {user.email} is confirmed.")
    # Back to the claim (or other page) that asked for the confirmation.
    next_url = _safe_next(request, next_url)
    if request.user == user:
        return redirect(next_url or "listings:dashboard")
    if next_url:
        return redirect_to_login(next_url)
    return redirect("accounts:login")


@require_POST
@login_required
def resend_confirmation(request):
    next_url = _safe_next(request, request.POST.get("next"))
    if confirmation.is_confirmed(request.user):
        messages.info(request, "Your email address is confirmed already.")
    elif confirmation.send_link(request, request.user, next_url):
        messages.success(request, f"We sent a new link to {request.user.email}.")
    else:
        messages.info(
            request, "A link was sent less than a minute ago. Check your inbox and spam folder."
        )
    return redirect(next_url or "listings:dashboard")


@login_required
def change_password(request):
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)  # stay signed in here
        messages.success(request, "Your password is changed. Other devices are signed out.")
        return redirect("listings:dashboard")
    return render(request, "accounts/password_change.html", {"form": form})


def _safe_next(request, url):
    """`url` if it is a page of this site to go back to, else ''."""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""
