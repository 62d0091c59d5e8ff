import unicodedata

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.contrib.auth.hashers import make_password
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from accounts import confirmation, no_account, sign_in_limits
from ketamine_directory.forms import LimitsSaidNotCutMixin, PlainLabelsMixin
from ketamine_directory.outgoing_mail import deliver
from ketamine_directory.throttle import address_digest, count_one, email_digest

# What every form choosing a password says about it, in plain words: the
# validators' own help is four lines of Django's wording.
PASSWORD_HINT = "At least 8 characters, not all numbers, not a common password."


def one_address(email):
    """
    An email address as an account's user name keeps it: look-alike characters
    (a full-width "ａ") as the letters a mail server and the sign-in form read
    them (NFKC, as Django's user names are kept), in lower case.
    """
    return unicodedata.normalize("NFKC", email).strip().lower()


class SignUpForm(LimitsSaidNotCutMixin, PlainLabelsMixin, forms.Form):
    """An account for clinic staff: an email address is the user name."""

    email = forms.EmailField(
        label="Email",
        max_length=150,
        help_text="Your work address at the clinic, if you have one, can prove you work there.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        help_text=PASSWORD_HINT,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        # Whether the address has an account already is not said here: the
        # page would tell anyone (accounts.taken_addresses).
        email = one_address(self.cleaned_data["email"])
        try:
            # As sending does to its domain: a few addresses the field takes
            # ("jo@xn--ü.example") no email can be addressed to.
            email.rpartition("@")[2].encode("idna")
        except UnicodeError:
            raise forms.ValidationError(
                "No email can be sent to this address. Check it for a typing mistake."
            ) from None
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords don't match.")
        elif password1:
            # Checked with a bad address too, so that every mistake is said at
            # once; the check that the password is unlike the address then
            # waits for an address.
            email = cleaned.get("email", "")
            user = get_user_model()(username=email, email=email)
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self):
        """The new account, or None if the address has one already (left as it is)."""
        email, password = self.cleaned_data["email"], self.cleaned_data["password1"]
        User = get_user_model()
        if User.objects.filter(username__iexact=email).exists():
            make_password(password)  # as long as making an account takes
            return None
        try:
            with transaction.atomic():
                return User.objects.create_user(username=email, email=email, password=password)
        except IntegrityError:  # the same address signed up twice at once
            return None


class WrongPasswordLimit:
    """
    Refuses signing in, whatever the password, after too many wrong ones
    (accounts.sign_in_limits); for the site's sign-in form and the admin's.
    """

    def clean(self):
        # The admin keeps user names as typed; the counts go by the address in any case.
        username = (self.cleaned_data.get("username") or "").strip().lower()
        attempt = sign_in_limits.attempt(self.request, username)
        if attempt.refusal:
            raise forms.ValidationError(attempt.refusal, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            # Only a wrong password counts: not a right one for an account the
            # admin refuses (not staff), which it refuses in the same words
            # (and code) but after the password matched (user_cache).
            wrong = error.code == "invalid_login" and getattr(self, "user_cache", None) is None
            attempt.finish(wrong_password=wrong)
            raise
        attempt.finish(wrong_password=False)
        return cleaned


class SignInForm(LimitsSaidNotCutMixin, WrongPasswordLimit, PlainLabelsMixin, AuthenticationForm):
    """Django's sign-in form, with the email address as the user name in any case."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That email address and password don't match an account. The password "
            "is case-sensitive."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email"
        self.fields["username"].widget.attrs["autocomplete"] = "email"
        # Phones show the keyboard with @; type="email" would refuse "Name@Host"
        # with spaces around it before the form could say anything.
        self.fields["username"].widget.attrs["inputmode"] = "email"

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class AdminSignInForm(WrongPasswordLimit, AdminAuthenticationForm):
    """The admin's sign-in (admin.site.login_form), under the same limit as the site's."""


class ResetForm(LimitsSaidNotCutMixin, PlainLabelsMixin, PasswordResetForm):
    # Reset emails to one address in an hour, asked for from one network:
    # enough to ask again after a lost one, and a stranger asking over and
    # over uses up only their own, not the owner's.
    EMAIL_LIMIT = 3
    # ...and from every network together, so that nobody fills a clinic's inbox.
    EMAIL_LIMIT_EVERYWHERE = 10
    EMAIL_WINDOW = 60 * 60  # seconds

    def clean_email(self):
        return one_address(self.cleaned_data["email"])

    def save(self, *args, request=None, **kwargs):
        # The page after says the same either way, so it tells nobody whether
        # the address has an account or has been asked for too often.
        key = "password-reset-sent:" + email_digest(self.cleaned_data["email"])
        # Counted and checked in one step, against a burst sent at once; the
        # count everywhere only for what this network may still ask for.
        if count_one(f"{key}:{address_digest(request)}", self.EMAIL_WINDOW) > self.EMAIL_LIMIT:
            return
        if count_one(key, self.EMAIL_WINDOW) > self.EMAIL_LIMIT_EVERYWHERE:
            return
        if not any(self.get_users(self.cleaned_data["email"])):
            no_account.tell_address(request, self.cleaned_data["email"])
            return
        super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Django's own logs a failure with its traceback, which names the address
        # (SMTPRecipientsRefused). Not said on the page either: it would tell
        # anyone that the address has an account.
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            html = render_to_string(html_email_template_name, context)
            message.attach_alternative(html, "text/html")
        deliver(f"a password reset to account #{context['user'].pk}", message.send)


class SignUpPasswordWording:
    """A new password's two fields worded as on the sign-up form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HINT
        self.fields["new_password2"].label = "New password again"

    def validate_password_for_user(self, user, password_field_name="new_password1"):
        # Under the password that is too weak, not under the one repeating it.
        super().validate_password_for_user(user, "new_password1")


class ChangePasswordForm(SignUpPasswordWording, PlainLabelsMixin, PasswordChangeForm):
    """Django's form for a signed-in person to change their password."""


class NewPasswordForm(SignUpPasswordWording, PlainLabelsMixin, SetPasswordForm):
    def save(self, commit=True):
        # A new password ends a pause caused by someone else's guesses, and the
        # reset link that led here proves the address.
        sign_in_limits.forget_failures(self.user.username)
        user = super().save(commit)
        if commit:
            confirmation.mark_confirmed(user)
        return user
