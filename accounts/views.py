from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import confirmation, taken_addresses
from accounts.confirmation import Sent
from accounts.forms import ChangePasswordForm, SignInForm, SignUpForm
from clinics.models import Clinic
from ketamine_directory.outgoing_mail import not_sent_to
from ketamine_directory.referrer_policy import keep_tokens_from_referers
from ketamine_directory.throttle import AccountThrottle, AddressThrottle
from policies.contact import email_the_editors

# Accounts made from one network address: enough for a clinic's staff sharing
# an office connection, too few for a script flooding the editors with claims.
NEW_ACCOUNTS = AddressThrottle("accounts:created", limit=10, window=60 * 60)
# Password resets asked for from one network address, whatever the addresses
# and whether they have accounts: the limit per address (ResetForm) alone lets
# one visitor have a reset sent to thousands of them.
RESETS_ASKED = AddressThrottle("accounts:resets-asked", limit=10, window=60 * 60)
# New confirmation links one account asks for in a day: anyone can sign up with
# someone else's address, which must not then get a link every minute. The
# confirmation email says "at most three more a day".
CONFIRMATIONS_RESENT = AccountThrottle("accounts:confirmations-resent", limit=3, window=24 * 3600)


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        # Counted and checked in one step, against a burst sent at once.
        if not RESETS_ASKED.allow(self.request):
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
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def get_user(self, uidb64):
        # Django's view does not look at is_active: a link mailed before the
        # account was closed would otherwise still set a password on it.
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None


# The address and `next` of the last sign-up, for the page after it.
SIGNED_UP = "accounts:signed-up"
# What a confirmation link opened as another account confirmed, for the page that says so.
CONFIRMED_FOR_ANOTHER = "accounts:confirmed-for-another"


@method_decorator(keep_tokens_from_referers, name="dispatch")  # `next` may lead to a link
class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # get_redirect_url() is `next` only if it is a page of this site.
        return super().get_context_data(
            claiming=_clinic_to_claim(self.get_redirect_url()), **kwargs
        )


@keep_tokens_from_referers  # `next` may lead to a link
def signup(request):
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "listings:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and NEW_ACCOUNTS.exceeded(request):
        return _sign_ups_throttled(request, form, next_url)
    if request.method == "POST" and form.is_valid():
        # Counted and checked in one step, against a burst sent at once.
        if not NEW_ACCOUNTS.allow(request):
            return _sign_ups_throttled(request, form, next_url)
        # The same page either way, so it tells nobody whether the address
        # has an account; not signed in either way, for the same reason.
        email = form.cleaned_data["email"]
        user = form.save()
        if user:
            sent = confirmation.send_link(request, user, next_url) == confirmation.Sent.YES
            if not sent:
                # Nobody can confirm it now: gone, signing up again starts afresh.
                user.delete()
        else:
            sent = taken_addresses.tell_owner(request, email)
        if sent:
            request.session[SIGNED_UP] = {"email": email, "next": next_url}
            return redirect("accounts:signup_sent")
        form.add_error("email", not_sent_to(email))
    context = {"form": form, "next": next_url, "claiming": _clinic_to_claim(next_url)}
    return render(request, "accounts/signup.html", context)


def _sign_ups_throttled(request, form, next_url):
    form.add_error(
        None,
        format_html(
            "Many accounts were made from your network in the last hour. "
            "Please try again later, or {}.",
            email_the_editors(),
        ),
    )
    context = {"form": form, "next": next_url, "claiming": _clinic_to_claim(next_url)}
    return render(request, "accounts/signup.html", context, status=429)


@never_cache  # it names the address typed
def signup_sent(request):
    return render(request, "accounts/signup_sent.html", request.session.get(SIGNED_UP, {}))


def signed_out(request):
    # Said by the page, not by a message: a message needs a session, and with
    # one every public page after it would skip the page cache.
    if request.user.is_authenticated:
        return redirect("listings:dashboard")
    return render(request, "accounts/signed_out.html")


@keep_tokens_from_referers
@never_cache  # it may name the signed-in account
def confirm_email(request, token):
    # Opening the link proves the mailbox; it needs no signing in (it may be
    # opened on another device), and confirming twice does no harm.
    try:
        user, next_url = confirmation.read_link(token, get_user_model().objects.all())
    except confirmation.BadLink as problem:
        context = {
            "problem": str(problem),
            "closed": isinstance(problem, confirmation.AccountClosed),
        }
        return render(request, "accounts/confirm_email.html", context, status=400)
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
        # of one's own): say so on a page of its own, rather than in a message
        # on that account's pages. Of its own, because it offers to sign out
        # (a form) and this address holds the token (ketamine_directory.referrer_policy).
        request.session[CONFIRMED_FOR_ANOTHER] = {
            "other_account": hint,
            "sign_in_url": sign_in["Location"],
        }
        return redirect("accounts:confirmed_for_another")
    messages.success(request, f"Thank you: {hint} is confirmed. Sign in to go on.")
    return sign_in


@never_cache  # it names the signed-in account
@login_required
def confirmed_for_another(request):
    context = request.session.get(CONFIRMED_FOR_ANOTHER)
    if context is None:
        return redirect("listings:dashboard")
    return render(request, "accounts/confirm_email.html", context)


@require_POST
@login_required
def resend_confirmation(request):
    next_url = _safe_next(request, request.POST.get("next"))
    if confirmation.is_confirmed(request.user):
        messages.info(request, "Your email address is confirmed already.")
    elif CONFIRMATIONS_RESENT.exceeded(request):
        messages.info(
            request,
            f"We have sent you {CONFIRMATIONS_RESENT.limit} new links today, so we sent no "
            "more. Look in your spam folder, or try again tomorrow.",
        )
    elif (sent := confirmation.send_link(request, request.user, next_url)) == Sent.YES:
        # send_link's minute between links lets one request at a time this far.
        CONFIRMATIONS_RESENT.record(request)
        messages.success(request, f"We sent a new link to {request.user.email}.")
    elif sent == Sent.FAILED:
        messages.error(
            request,
            f"We could not send an email to {request.user.email}. Our email may be down "
            "for a while: please try again later. If that address is wrong, sign out and "
            "create an account with the right one.",
        )
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


def _clinic_to_claim(url):
    """
    The listed clinic whose claim page `url` (a safe `next`) is, else None: the
    sign-in page names it from the database, never from the text of `next`.
    """
    if not url:
        return None
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.view_name != "listings:claim":
        return None
    return Clinic.objects.published().filter(slug=match.kwargs["slug"]).first()
