import logging
import time

from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from accounts.signed_in import is_signed_in
from ketamine_directory.log_redaction import redact

request_log = logging.getLogger("ketamine_directory.requests")


class RequestLogMiddleware:
    """
    One line per request: method, path, status, milliseconds, bytes.

    Never the query string or the body: searches can hold a ZIP code and
    inquiries are health data, so neither belongs in logs. Nor the token of a
    claim, confirmation or password-reset link, which would let anyone who reads
    the logs use the link: it is cut out whether or not the path resolves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = (time.perf_counter() - started) * 1000
        size = len(response.content) if not response.streaming else "-"
        request_log.info(
            "%s %s %s %.1fms %s",
            request.method,
            # Escaped as Django escapes its own: a path can't add a line to the log.
            redact(request.path).encode("unicode_escape").decode("ascii"),
            response.status_code,
            elapsed,
            size,
        )
        return response


class AdminNulRefusalMiddleware:
    """
    A NUL character in an admin address is a bad request (400): the admin's
    filters and autocomplete hand the address's values to the database as they
    are, and PostgreSQL refuses NUL in text with an error (a 500). The site's
    own pages read their addresses themselves and explain such a value.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.GET.lists()
        ):
            raise BadRequest("NUL in an admin address")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """
    Turn off the browser features no page here uses (camera, microphone,
    location, payment, USB), so that nothing on a page could ask for them.
    """

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response


class NoStoreWhenSignedInMiddleware:
    """
    Pages shown to someone signed in (their clinics, unread inquiries, edit
    forms) are stored by no browser: on a shared computer, Back after signing
    out showed them. A page that says how to cache it keeps its own word.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # is_signed_in reads the session only when there is a session cookie:
        # reading it for a visitor would add Vary: Cookie to every public page.
        if "Cache-Control" not in response and is_signed_in(request):
            add_never_cache_headers(response)
        return response


class DatabaseUnavailableMiddleware:
    """When the database is down, answer quickly with a 503 page instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # OperationalError is what a lost or refused connection raises.
        if isinstance(exception, (OperationalError, InterfaceError)):
            return unavailable_response()
        return None


def unavailable_response():
    # Rendered without a request: no context processor may touch the database.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response
