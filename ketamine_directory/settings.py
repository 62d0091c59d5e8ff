"""
One settings module, driven by environment variables.

Development defaults are safe (SQLite, DEBUG on, local-memory cache). Production
mode is DEBUG=0, which demands a real SECRET_KEY and ALLOWED_HOSTS and turns on
every security setting that `manage.py check --deploy` asks for.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (
    SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "Production mode (DEBUG=0) needs SECRET_KEY set to a random string of 50+ characters."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production mode (DEBUG=0) needs ALLOWED_HOSTS.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    "clinics",
    "articles",
    "accounts",
    # After clinics: its admin extends the clinic admin with staff and history.
    "listings",
    "inquiries",
    "policies",
]

MIDDLEWARE = [
    "ketamine_directory.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ketamine_directory.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages shrink about sevenfold (a 42 KB result page is 6 KB), which matters
    # on a slow phone. Below whitenoise, whose files are compressed already;
    # Django adds random bytes to each gzip header against BREACH, and the CSRF
    # token is masked afresh on every response.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETags and 304s for responses that repeat byte for byte (sitemap, feed,
    # robots). HTML pages carry a fresh CSP nonce each time, so they never match.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After AuthenticationMiddleware, which gives it request.user.
    "ketamine_directory.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ketamine_directory.middleware.AdminNulRefusalMiddleware",
    "ketamine_directory.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "ketamine_directory.urls"
WSGI_APPLICATION = "ketamine_directory.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinics.context_processors.sample_data",
                "policies.context_processors.editors_email",
                "accounts.context_processors.signed_in",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when PostgreSQL is unreachable instead of hanging a worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 3
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but an unreachable Redis is a cache that
            # misses rather than a 500 on every page (ketamine_directory/cache.py).
            "BACKEND": "ketamine_directory.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kd",
            "TIMEOUT": 300,
            # Seconds; a Redis that stops answering must not hold up requests.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # The rate limits' counts (ketamine_directory.throttle): in the same Redis,
    # whose eviction policy must spare them (the README: volatile-ttl), or in
    # one of their own that never evicts.
    CACHES["limits"] = {
        **CACHES["default"],
        # Counted in this process's memory while that Redis is unreachable.
        "BACKEND": "ketamine_directory.cache.RedisCountsCache",
        "LOCATION": os.environ.get("LIMITS_REDIS_URL", REDIS_URL),
        "KEY_PREFIX": "kd-limits",
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Apart from the pages, so that a visitor asking for hundreds of new
        # searches cannot push the counts of wrong passwords out of the cache.
        "limits": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "limits",
            "OPTIONS": {"MAX_ENTRIES": 100_000},  # ~100 bytes each
        },
    }

# How long the directory's figures (typical prices, places, filter menus) are
# kept. A save drops them at once from a shared Redis; a local-memory cache
# belongs to one worker and a save reaches only the worker that made it, so
# there they last no longer than a cached page does.
DIRECTORY_FIGURES_TIMEOUT = 60 * 60 if REDIS_URL else 5 * 60

LOGIN_URL = "accounts:login"
# A form refused for its token explains itself and gives back what was written.
CSRF_FAILURE_VIEW = "ketamine_directory.views.csrf_failure"
# The token a form needs lasts while the browser is open, not Django's year:
# visitors of a health site should not carry a cookie from it for months.
CSRF_COOKIE_AGE = None
LOGIN_REDIRECT_URL = "listings:dashboard"
LOGOUT_REDIRECT_URL = "accounts:signed_out"
# Messages live in the session, which only signing in creates; a message in a
# cookie would let a page rendered with it into the anonymous page cache.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Email: claim links, password resets, decisions. Printed to the console in
# development; in production an SMTP server from the environment.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Ketamine Clinic Guide <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Mail to editors (MANAGERS) and admins starts with this, not Django's "[Django] ".
EMAIL_SUBJECT_PREFIX = "[Ketamine Clinic Guide] "
# Editors who are told about claims waiting for review, comma separated.
MANAGERS = env_list("MANAGERS", [])
# Where visitors and staff write to the editors: shown on the About and Privacy
# pages and wherever the site says "email the editors". `check --deploy` warns
# while it is the development default.
EDITORS_EMAIL = os.environ.get("EDITORS_EMAIL", "editors@localhost")

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        # The user name is the email address, and people only ever see the latter.
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Content Security Policy: no inline scripts or styles; the only scripts are
# our own static files, each carrying the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

if not DEBUG:
    # TLS is terminated by the proxy in front of gunicorn.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe the health check over plain HTTP, behind the proxy.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    TEMPLATES[0]["APP_DIRS"] = False
    TEMPLATES[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.cached.Loader",
            [
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        )
    ]
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF token from its cookie (forms carry it), so
# scripts may not read it at all.
CSRF_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s %(message)s"}},
    # Paths in Django's warnings ("Bad Request: /account/claim/confirm/<token>/")
    # can carry a link's signed token: every line loses it on the way out.
    "filters": {"redact_tokens": {"()": "ketamine_directory.log_redaction.RedactTokens"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "ketamine_directory.requests": {
            "handlers": ["stdout"],
            "level": "INFO",
            "propagate": False,
        },
        "django": {
            "handlers": ["stdout"],
            "level": os.environ.get("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # runserver's request lines, which Django otherwise sends to a handler
        # of its own, unfiltered.
        "django.server": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}

# The site's own settings.
# Patients' inquiries are deleted this many days after they arrive
# (`manage.py purge_inquiries`, run daily).
INQUIRY_RETENTION_DAYS = int(os.environ.get("INQUIRY_RETENTION_DAYS", "180"))
# Reports of wrong listings are deleted this many days after an editor marks
# them dealt with (`manage.py purge_reports`, run daily).
REPORT_RETENTION_DAYS = int(os.environ.get("REPORT_RETENTION_DAYS", "90"))
# Behind the TLS proxy every request comes from the proxy's address. With this
# on, every limit per network address (ketamine_directory.throttle) uses the
# last X-Forwarded-For address instead, which the proxy must set (and must not
# pass through from the client alone).
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
# Where the site is, for links in emails sent outside a request (reminders).
SITE_URL = os.environ.get(
    "SITE_URL", "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}"
).rstrip("/")
# Staff are reminded to check prices confirmed longer ago than this
# (`manage.py remind_stale_prices`, run weekly), at most once a month.
STALE_PRICE_DAYS = int(os.environ.get("STALE_PRICE_DAYS", "90"))
CLINICS_PER_PAGE = 20
# A search counts its matches up to this many, and its pages reach no further
# ("more than 1,000 clinics"): an exact count of a broad search at 100,000
# clinics costs more than the page itself.
CLINICS_COUNT_CAP = 1000
