"""
Sign-up with an address that has an account: the page says what it says for a
new one, and the address's owner is told by email instead.
"""

from django.template.loader import render_to_string
from django.urls import reverse

from ketamine_directory.outgoing_mail import send_email
from ketamine_directory.throttle import count_one, email_digest

# Emails to one address in an hour, as for password resets: anyone can type it.
EMAIL_LIMIT = 3
EMAIL_WINDOW = 60 * 60  # seconds


def tell_owner(request, email):
    """
    False only if the mail server refused the email or could not be reached
    (as for a new account's link, so the page says the same either way).
    """
    key = "accounts:sign-up-taken:" + email_digest(email)
    if count_one(key, EMAIL_WINDOW) > EMAIL_LIMIT:
        return True
    context = {
        "email": email,
        "sign_in_url": request.build_absolute_uri(reverse("accounts:login")),
        "reset_url": request.build_absolute_uri(reverse("accounts:password_reset")),
    }
    return send_email(
        "a sign-up-with-your-address notice",
        "Someone tried to create an account with your email",
        render_to_string("accounts/email/sign_up_taken.txt", context),
        [email],
    )
