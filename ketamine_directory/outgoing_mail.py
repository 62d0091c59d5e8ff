"""
Sending the site's emails, where a refusal or an outage of the mail server is
an answer rather than a server error.

smtplib.SMTPRecipientsRefused carries the refused addresses, and an exception
left to Django's request logger (or logged with its traceback) writes them to
the logs. So every email a request sends goes through `deliver`, which logs
one line saying which email failed and how, and never an address.
"""

import logging
import smtplib

from django.core.mail import EmailMessage, mail_managers

logger = logging.getLogger(__name__)


def deliver(what, send):
    """
    Call `send()` (which sends one email); True if the mail server took it.
    On a refusal or an outage, log `what` failed (words naming the email, not
    its recipient) with the error's kind and code, and return False.
    """
    try:
        send()
    # ValueError: an address no email can be addressed to (Django's message
    # quotes it, so it must not reach the request log either).
    except (smtplib.SMTPException, OSError, ValueError) as error:
        logger.warning("Could not send %s: %s", what, _kind(error))
        return False
    return True


def send_email(what, subject, body, to, *, reply_to=None):
    """One email to the addresses `to`, with deliver()'s answer."""
    message = EmailMessage(subject, body, None, to, reply_to=reply_to)
    return deliver(what, message.send)


def tell_managers(what, subject, body):
    """An email to settings.MANAGERS (the editors), with deliver()'s answer."""
    return deliver(what, lambda: mail_managers(subject, body))


def not_sent_to(email):
    """What a person who sent a form and waits for an email that did not go is told."""
    return (
        f"We could not send an email to {email}. Check the address for a typing "
        "mistake and send the form again. If it is right, our email may be down "
        "for a while: please try again later."
    )


def _kind(error):
    # The class and SMTP reply codes only: the replies' text can quote the address.
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _ in error.recipients.values()})
        return f"{type(error).__name__} {','.join(codes)}".strip()
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__
