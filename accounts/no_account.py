"""
A password reset asked for an address no open account has: the page says what
it says for one that has, and the address is told by email instead, so that
the answer takes as long either way and its owner learns why no link came.
"""

from django.template.loader import render_to_string
from django.urls import reverse

from ketamine_directory.outgoing_mail import send_email


def tell_address(request, email):
    context = {
        "email": email,
        "reset_url": request.build_absolute_uri(reverse("accounts:password_reset")),
        "sign_up_url": request.build_absolute_uri(reverse("accounts:signup")),
    }
    send_email(
        "a no-account-for-this-address notice",
        "No password was reset on Ketamine Clinic Guide",
        render_to_string("accounts/email/no_account.txt", context),
        [email],
    )
