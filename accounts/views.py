from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import confirmation
from accounts.forms import ChangePasswordForm, SignUpForm
from ketamine_directory.throttle import AddressThrottle
from policies.contact import email_the_editors

# Accounts made from one network address: enough for a clinic's staff sharing
# an office connection, too few for a script flooding the editors with claims.
NEW_ACCOUNTS = AddressThrottle("accounts:created", limit=10, window=60 * 60)
# Password resets asked for from one network address, whatever the addresses
# and whether they have accounts: the limit per address (ResetForm) alone lets
# one visitor have a reset sent to thousands of them.
RESETS_ASKED = AddressThrottle("accounts:resets-asked", limit=10, window=60 * 60)


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        if RESETS_ASKED.exceeded(self.request):
            # The same for any address, so it tells nobody which have an account.
            form.add_error(
                None,
                "Many password resets were asked for from your network in the last hour, so "
                "we sent no more. A link asked for earlier can take a few minutes to arrive: "
                "look in your spam folder too. Otherwise, please try again in an hour.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(RESETS_ASKED.window)
            return response
        RESETS_ASKED.record(self.request)
        return super().form_valid(form)


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


@never_cache  # it may name the signed-in account
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
    # Back to the claim (or other page) that asked for the confirmation.
    next_url = _safe_next(request, next_url)
    if request.user == user:
        messages.success(request, f"Thank you: {user.email} is confirmed.")
        return redirect(next_url or "listings:dashboard")
    # Whoever holds the link need not own the address: only a part of it.
    hint = confirmation.address_hint(user.email)
    sign_in = redirect_to_login(next_url) if next_url else redirect("accounts:login")
    if request.user.is_authenticated:
        # Signed in as someone else (a colleague's browser, or another account
        # of one's own): say so here, rather than in a message on that account's pages.
        context = {"other_account": hint, "sign_in_url": sign_in["Location"]}
        return render(request, "accounts/confirm_email.html", context)
    messages.success(request, f"Thank you: {hint} is confirmed. Sign in to go on.")
    return sign_in


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
