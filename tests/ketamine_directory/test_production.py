"""Production mode (DEBUG=0) is exercised in a fresh interpreter, as it would start."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-only-5b1e8f0c9d7a4e3f2b6a1c8d9e0f7a6b5c4d3e2f1a0b9c8d7e6f"
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "clinics.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    # Claim links and password resets go out by SMTP; the console is for development.
    "EMAIL_HOST": "smtp.example.org",
    # Printed on the About and Privacy pages for visitors to write to.
    "EDITORS_EMAIL": "editors@clinics.example.org",
}


def run(code, **env):
    # A clean environment: no production variables, and not the browser tests' async switch.
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="ketamine_directory.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def manage(*args, **env):
    return run(
        "import sys; from django.core.management import execute_from_command_line;"
        f"execute_from_command_line(['manage.py', *{list(args)!r}])",
        **env,
    )


@pytest.mark.parametrize(
    "env",
    [
        {"DEBUG": "0", "ALLOWED_HOSTS": "clinics.example.org"},
        {"DEBUG": "0", "ALLOWED_HOSTS": "clinics.example.org", "SECRET_KEY": "short"},
        {"DEBUG": "0", "SECRET_KEY": SECRET},
    ],
    ids=["no-key", "weak-key", "no-hosts"],
)
def test_production_refuses_to_start_without_a_real_key_and_hosts(env):
    result = run("import django; django.setup()", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_deploy_check_passes_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_deploy_check_wants_a_real_mail_server():
    without_mail = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_HOST"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **without_mail)
    assert result.returncode == 1
    assert "mail.E001" in result.stderr


def test_deploy_check_wants_a_real_address_for_the_editors():
    without_editors = {k: v for k, v in PRODUCTION.items() if k != "EDITORS_EMAIL"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **without_editors)
    assert result.returncode == 1
    assert "policies.W001" in result.stderr


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Production serves hashed files from a manifest, so collect them first."""
    root = tmp_path_factory.mktemp("static")
    result = manage("collectstatic", "--noinput", **PRODUCTION, STATIC_ROOT=str(root))
    assert result.returncode == 0, result.stderr
    return root


def test_security_headers_on_a_production_response(static_root):
    code = """
import django, json
django.setup()
from django.test import Client
# A page that renders the layout (the 404 page needs no database) carries the nonce.
response = Client().get("/no-such-page/", secure=True, headers={"host": "clinics.example.org"})
print(json.dumps({"status": response.status_code, **dict(response.headers.items())}))
"""
    result = run(code, **PRODUCTION, STATIC_ROOT=str(static_root))
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["status"] == 404
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Permissions-Policy"] == (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    )
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp


def test_a_bad_request_gets_the_sites_own_page_without_the_database(static_root):
    # Over 1,000 query parameters: Django's bare "Bad Request (400)" had no
    # crisis line. The in-memory database has no tables: a query would fail.
    code = """
import django, json
django.setup()
from django.test import Client
query = "route=iv&" * 1001
response = Client().get(
    "/clinics/?" + query, secure=True, headers={"host": "clinics.example.org"}
)
print(json.dumps({"status": response.status_code, "body": response.content.decode()}))
"""
    result = run(code, **PRODUCTION, STATIC_ROOT=str(static_root))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 400
    assert "We couldn't read that address" in answer["body"]
    assert 'href="tel:988"' in answer["body"] and 'class="site-footer"' in answer["body"]


def test_plain_http_is_redirected_to_https_in_production():
    code = """
import django
django.setup()
from django.test import Client
response = Client().get("/robots.txt", headers={"host": "clinics.example.org"})
print(response.status_code, response["Location"])
"""
    result = run(code, **PRODUCTION)
    # The last line: the request's log line (stdout too) comes first.
    last = result.stdout.strip().splitlines()[-1]
    assert last.split() == ["301", "https://clinics.example.org/robots.txt"]


def test_collectstatic_makes_hashed_compressed_files(static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    hashed_css = manifest["paths"]["css/site.css"]
    assert hashed_css != "css/site.css"
    assert (static_root / (hashed_css + ".br")).exists()
    assert (static_root / (hashed_css + ".gz")).exists()


def test_cookies_are_secure_and_http_only_in_production(static_root):
    code = """
import django, json
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
from tests.builders import make_user
make_user("jo@clinic.example")
client = Client(headers={"host": "clinics.example.org"})
client.get("/account/login/", secure=True)
response = client.post(
    "/account/login/",
    {"username": "jo@clinic.example", "password": "a long test password"},
    secure=True,
)
assert response.status_code == 302  # signed in
print(json.dumps({
    name: {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"])}
    for name, morsel in client.cookies.items()
}))
"""
    result = run(code, **PRODUCTION, STATIC_ROOT=str(static_root))
    assert result.returncode == 0, result.stderr
    cookies = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(cookies) == {"csrftoken", "sessionid"}, cookies
    for name, flags in cookies.items():
        assert flags["secure"] and flags["httponly"], (name, flags)
