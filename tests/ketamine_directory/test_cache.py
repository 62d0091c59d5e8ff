"""The site keeps working, uncached, while Redis is unreachable."""

import json
from types import SimpleNamespace

import pytest
from redis.connection import AbstractConnection

from ketamine_directory import cache as forgiving
from tests.builders import make_clinic, make_user
from tests.ketamine_directory.test_production import run

pytestmark = pytest.mark.django_db

NOBODY_LISTENS = "redis://127.0.0.1:1/0"
LIMITS_NOBODY_LISTENS = "redis://127.0.0.1:2/0"


@pytest.fixture
def redis_down(settings, monkeypatch):
    settings.REDIS_URL = NOBODY_LISTENS
    down = {"BACKEND": "ketamine_directory.cache.RedisCache", "LOCATION": NOBODY_LISTENS}
    settings.CACHES = {
        "default": down,
        "limits": {
            "BACKEND": "ketamine_directory.cache.RedisCountsCache",
            "LOCATION": LIMITS_NOBODY_LISTENS,
            "KEY_PREFIX": "kd-limits",
        },
    }
    monkeypatch.setattr(forgiving.ForgivingRedisCacheClient, "paused_until", {})
    forgiving.LocallyCountingRedisCacheClient.local.clear()
    attempts = []
    connect = AbstractConnection.connect

    def counted(self):
        attempts.append(self.port)
        return connect(self)

    monkeypatch.setattr(AbstractConnection, "connect", counted)
    return attempts


def test_pages_render_without_redis(client, redis_down):
    clinic = make_clinic()
    for path in ["/", "/clinics/?route=iv", clinic.get_absolute_url(), "/guides/"]:
        assert client.get(path).status_code == 200, path


def test_healthz_still_reports_redis_down(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "ok",
        "cache": "unavailable",
    }


def test_a_wrong_password_without_redis_is_refused_not_an_error(client, redis_down):
    make_user("staff@clinic.example", password="correct horse battery staple")
    data = {"username": "staff@clinic.example", "password": "wrong"}
    response = client.post("/account/login/", data)
    assert response.status_code == 200
    assert "That email address and password don&#x27;t match an account." in response.text
    data["password"] = "correct horse battery staple"
    assert client.post("/account/login/", data).status_code == 302


def test_a_down_redis_is_left_alone_for_a_few_seconds(client, redis_down, monkeypatch):
    make_clinic()
    client.get("/clinics/")
    tried = len(redis_down)
    assert tried >= 1
    client.get("/clinics/?route=iv")
    assert len(redis_down) == tried, "requests right after a failure should not wait on Redis"

    later = forgiving.time.monotonic() + forgiving.PAUSE + 1
    monkeypatch.setattr(forgiving, "time", SimpleNamespace(monotonic=lambda: later))
    client.get("/clinics/")
    assert len(redis_down) > tried, "after the pause Redis is tried again"


def test_without_redis_wrong_passwords_are_still_counted(client, redis_down):
    # Each process counts for itself until Redis is back: a looser limit,
    # not none at all for whoever guesses during the outage.
    make_user("staff@clinic.example", password="correct horse battery staple")
    data = {"username": "staff@clinic.example", "password": "wrong"}
    for _ in range(10):
        assert client.post("/account/login/", data).status_code == 200
    data["password"] = "correct horse battery staple"
    response = client.post("/account/login/", data)
    assert response.status_code == 200
    assert "Too many wrong passwords for this email." in response.text


def test_without_redis_resets_to_one_address_are_still_limited(client, redis_down, mailoutbox):
    make_user("staff@clinic.example", password="correct horse battery staple")
    for _ in range(5):
        client.post("/account/password-reset/", {"email": "staff@clinic.example"})
    assert len(mailoutbox) == 3


def test_the_pages_redis_failing_does_not_pause_the_counts_redis(client, redis_down):
    make_clinic()
    client.get("/clinics/")
    assert 1 in redis_down and 2 not in redis_down
    client.post("/account/login/", {"username": "jo@clinic.example", "password": "wrong"})
    assert 2 in redis_down, "the counts' own Redis is tried, not skipped for the pages' failure"


def test_the_settings_use_it_when_redis_url_is_set():
    code = (
        "import django; django.setup(); from django.core.cache import cache;"
        "print(cache.get_or_set('key', lambda: 'computed'))"
    )
    result = run(code, REDIS_URL=NOBODY_LISTENS)
    # The last line: the log (stdout too) says Redis is unavailable first.
    assert result.stdout.strip().splitlines()[-1] == "computed", result.stderr


def test_with_redis_the_counts_are_kept_there_too_apart_from_the_pages():
    code = (
        "import django; django.setup(); from django.core.cache import caches;"
        "print(type(caches['limits']).__name__, caches['limits'].key_prefix,"
        " caches['default'].key_prefix)"
    )
    result = run(code, REDIS_URL=NOBODY_LISTENS)
    assert result.stdout.strip().splitlines()[-1] == "RedisCountsCache kd-limits kd", result.stderr


def test_the_counts_can_have_a_redis_of_their_own():
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.CACHES['limits']['LOCATION'], settings.CACHES['default']['LOCATION'])"
    )
    result = run(code, REDIS_URL=NOBODY_LISTENS, LIMITS_REDIS_URL="redis://127.0.0.1:2/0")
    assert result.stdout.strip().splitlines()[-1] == f"redis://127.0.0.1:2/0 {NOBODY_LISTENS}"


def test_sign_up_without_redis_sends_the_link(client, redis_down, mailoutbox):
    # The once-a-minute check can't be read: the link goes, not "too soon".
    password = "correct horse battery staple"
    response = client.post(
        "/account/signup/",
        {"email": "jo@clinic.example", "password1": password, "password2": password},
    )
    assert response["Location"] == "/account/signup/sent/"
    assert mailoutbox[-1].to == ["jo@clinic.example"]
