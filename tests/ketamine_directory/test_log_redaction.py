"""No log line holds a usable token from a claim, confirmation or password-reset link."""

import io
import logging
import os
import re
import runpy
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.confirmation import send_link
from ketamine_directory.log_redaction import redact
from listings.claims import link_token
from listings.models import Claim
from tests.builders import make_clinic, make_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log(caplog):
    """
    Everything logged while the test runs, as caplog saw it and as the site's
    own handler wrote it (that handler is stdout in production).
    """
    handler = logging.getHandlerByName("stdout")
    written = io.StringIO()
    previous = handler.setStream(written)
    with caplog.at_level(logging.INFO):
        yield lambda: caplog.text + "\n" + written.getvalue()
    handler.setStream(previous)


def confirmation_link(client, user):
    request = SimpleNamespace(build_absolute_uri=lambda path: "http://testserver" + path)
    send_link(request, user)
    return re.search(r"http://testserver(/account/confirm-email/\S+/)", mail.outbox[-1].body)[1]


def token_of(link):
    return link.rstrip("/").rsplit("/", 1)[1]


def test_a_refused_confirmation_link_is_logged_without_its_token(client, log):
    user = make_user("jo@gmail.example", confirmed=False)
    link = confirmation_link(client, user)
    user.email = user.username = "jo@calm-harbor.example"
    user.save()
    # Refused (400) although its signature is good: Django logs "Bad Request: <path>".
    assert client.get(link).status_code == 400
    text = log()
    assert "Bad Request: /account/confirm-email/[token]/" in text
    assert "GET /account/confirm-email/[token]/ 400" in text
    assert token_of(link) not in text


def claim_link(user):
    clinic = make_clinic(slug="calm-harbor", website="https://calm-harbor.example")
    claim = Claim.objects.create(
        clinic=clinic, user=user, work_email="jo@calm-harbor.example", status="email-sent"
    )
    return f"/account/claim/confirm/{link_token(claim)}/"


def test_a_refused_claim_link_is_logged_without_its_token(client, log):
    jo = make_user("jo@gmail.example")
    link = claim_link(jo)
    Claim.objects.update(status="approved")
    client.force_login(jo)
    response = client.get(link)
    assert response.status_code == 400 and "already decided" in response.text
    text = log()
    assert "Bad Request: /account/claim/confirm/[token]/" in text
    assert token_of(link) not in text


def test_a_claim_link_opened_by_another_account_is_logged_without_its_token(client, log):
    link = claim_link(make_user("jo@gmail.example"))
    client.force_login(make_user("sam@gmail.example"))
    response = client.get(link, follow=True)
    assert "This link is for another account" in response.text
    text = log()
    assert "GET /account/claim/confirm/[token]/ 302" in text
    assert token_of(link) not in text


def test_a_claim_confirmation_refused_for_its_csrf_token_is_logged_without_the_link(log):
    user = make_user("jo@gmail.example")
    link = claim_link(user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(link).status_code == 403
    text = log()
    assert "Forbidden (CSRF cookie not set.): /account/claim/confirm/[token]/" in text
    assert token_of(link) not in text


def test_a_page_not_found_below_a_link_is_logged_without_the_token(client, log):
    link = claim_link(make_user("jo@gmail.example"))
    # A link with something stuck to its end resolves to no view at all.
    assert client.get(link + "extra/").status_code == 404
    text = log()
    assert "Not Found: /account/claim/confirm/[token]/extra/" in text
    assert "GET /account/claim/confirm/[token]/extra/ 404" in text
    assert token_of(link) not in text


def test_a_password_reset_link_is_logged_without_the_account_or_token(client, log):
    make_user("jo@example.org")
    client.post("/account/password-reset/", {"email": "jo@example.org"})
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", mail.outbox[0].body)[1]
    uid, token = link.strip("/").split("/")[-2:]
    form = client.get(link, follow=True)
    assert form.status_code == 200
    client.get(link + "x/")  # not found
    text = log()
    assert "GET /account/password-reset/[uid]/[token]/ 302" in text
    # The form it moves on to keeps the token in the session: its name stays.
    assert "GET /account/password-reset/[uid]/set-password/ 200" in text
    assert "Not Found: /account/password-reset/[uid]/[token]/x/" in text
    assert f"/{uid}/" not in text and token not in text


def test_the_development_servers_request_lines_hold_no_token(log):
    # runserver logs each request line, query string included: a claim link
    # opened signed out comes back as the sign-in page's `next`.
    server = logging.getLogger("django.server")
    server.info(
        '"%s" %s %s',
        "GET /account/login/?next=/account/claim/confirm/Ab1:x:y/ HTTP/1.1",
        "302",
        "0",
    )
    server.info(
        '"%s" %s %s',
        "GET /account/login/?next=%2Faccount%2Fclaim%2Fconfirm%2FCd2:z%2F&a=1 HTTP/1.1",
        "302",
        "0",
    )
    text = log()
    assert "next=/account/claim/confirm/[token]/ HTTP/1.1" in text
    assert "next=%2Faccount%2Fclaim%2Fconfirm%2F[token]%2F&a=1" in text
    assert "Ab1" not in text and "Cd2" not in text


def test_paths_without_tokens_are_left_alone():
    for path in (
        "/account/confirm-email/",
        "/account/password-reset/",
        "/account/password-reset/sent/",
        "/account/password-reset/done/",
        "/account/claim/calm-harbor/",
        "/clinics/confirm/x/",
    ):
        assert redact(f"GET {path} 200") == f"GET {path} 200"


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), set(pattern.pattern.converters)


def test_every_route_with_a_token_in_its_path_is_redacted():
    # A new kind of link (a signed token in its path) must be added to log_redaction.py.
    secret = {"token", "uidb64"}
    checked = 0
    for route, names in _routes(get_resolver().url_patterns):
        if not names & secret:
            continue
        path = "/" + re.sub(
            r"<(?:\w+:)?(\w+)>", lambda m: f"SECRET{m[1]}" if m[1] in secret else "x", route
        )
        assert "SECRET" not in redact(f"Not Found: {path}"), route
        checked += 1
    assert checked == 3


def test_logs_go_to_stdout_redacted():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('Not Found: %s', "
        "'/account/confirm-email/Ab1:x:y/')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ketamine_directory.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout == "WARNING django.request Not Found: /account/confirm-email/[token]/\n"
    assert done.stderr == ""


@pytest.fixture
def gunicorn_logger(tmp_path):
    """gunicorn's logger as gunicorn.conf.py configures it, with the access log turned on."""
    from gunicorn.config import Config

    config = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    assert config.accesslog is None  # the app writes the one line per request itself
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = config.logger_class(config)
    yield logger, config, tmp_path / "access.log"
    for log in (logger.error_log, logger.access_log):
        for handler in list(log.handlers):
            log.removeHandler(handler)
            handler.close()


def test_gunicorns_access_log_if_turned_on_holds_no_token_or_query(gunicorn_logger):
    logger, config, written = gunicorn_logger
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/account/claim/confirm/Ab1:x:y/?near=78701",
        "PATH_INFO": "/account/claim/confirm/Ab1:x:y/",
        "QUERY_STRING": "near=78701",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.5",
        "HTTP_REFERER": "https://site.example/account/password-reset/MQ/cd2-ef3/?near=78701",
    }
    response = SimpleNamespace(status="400 Bad Request", sent=1234, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    # Gunicorn's default format, as someone might pass it on the command line.
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s %(U)s?%(q)s "%(f)s" "%({referer}i)s"')
    logger.access(response, request, environ, timedelta(milliseconds=12))
    ours, default = written.read_text().splitlines()
    assert ours == "GET /account/claim/confirm/[token]/ 400 12ms 1234"
    for secret in ("Ab1", "MQ", "cd2", "78701", "203.0.113.5"):
        assert secret not in ours
    for secret in ("Ab1", "MQ", "cd2", "78701"):
        assert secret not in default, default
    assert "/account/claim/confirm/[token]/" in default
    assert "/account/password-reset/[uid]/[token]/" in default


def test_a_path_cannot_add_lines_to_the_log(client, log):
    client.get("/clinics/%0AWARNING%20django.request%20forged/")
    lines = [line for line in log().splitlines() if "forged" in line]
    assert lines and all("GET /clinics/" in line or "Not Found:" in line for line in lines), lines


def test_an_email_address_in_any_log_line_or_traceback_is_masked():
    # Defence in depth: an error nobody foresaw (a database error quoting a
    # row, a mail server's reply) must not write a person's address either.
    code = (
        "import django, logging; django.setup(); log = logging.getLogger('django.request')\n"
        "log.warning('Refused: %s', 'Jo.Ames+clinic@calm-harbor.example')\n"
        "log.warning('In a path: /x/?to=jo%40calm-harbor.example&a=1')\n"
        "try:\n"
        "    raise ValueError('duplicate key (email)=(sam@gmail.example)')\n"
        "except ValueError:\n"
        "    log.exception('Failed')\n"
        "log.warning('@wraps(view) and user@localhost stay')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ketamine_directory.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    out = done.stdout
    assert "calm-harbor.example" not in out and "gmail.example" not in out
    assert "Refused: [email]\n" in out
    assert "to=[email]&a=1" in out
    assert "(email)=([email])" in out
    assert "@wraps(view) and user@localhost stay" in out
