"""
Sign-up with an address that has an account: the page says what it says for a
new one, and the address's owner is told by email instead.
"""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from ketamine_directory.throttle import count_one, email_digest

# Emails to one address in an hour, as for password resets: anyone can type it.
EMAIL_LIMIT = 3
EMAIL_WINDOW = 60 * 60  # seconds


def tell_owner(request, email):
    key = "accounts:sign-up-taken:" + email_digest(email)
    if count_one(key, EMAIL_WINDOW) > EMAIL_LIMIT:
        return
    context = {
        "email": email,
        "sign_in_url": request.build_absolute_uri(reverse("accounts:login")),
        "reset_url": request.build_absolute_uri(reverse("accounts:password_reset")),
    }
    send_mail(
        "Someone tried to create an account with your email",
        render_to_string("accounts/email/sign_up_taken.txt", context),
        None,
        [email],
    )
