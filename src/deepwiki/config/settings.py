"""Django settings for DeepWiki: one module, safe defaults, values from env.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from deepwiki import __version__
from deepwiki.config import env

CONFIG = env.load()
PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = CONFIG.data_dir
VERSION = __version__
ENVIRONMENT = CONFIG.environment

SECRET_KEY = CONFIG.secret_key or "unsafe-missing-secret-key"
DEBUG = CONFIG.debug
ALLOWED_HOSTS = CONFIG.allowed_hosts
BASE_URL = CONFIG.base_url.rstrip("/")
CSRF_TRUSTED_ORIGINS = [BASE_URL] if BASE_URL.startswith("http") else []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "deepwiki.core",
    "deepwiki.activity",
    "deepwiki.accounts",
    "deepwiki.ops",
    "deepwiki.wikis",
    "deepwiki.search",
    "deepwiki.administration",
    "deepwiki.web",
    "deepwiki.api",
]

MIDDLEWARE = [
    "deepwiki.ops.middleware.RequestIdMiddleware",
    "deepwiki.ops.middleware.AccessLogMiddleware",
    "deepwiki.ops.metrics.MetricsMiddleware",
    "deepwiki.transport.middleware.ApiErrorShapeMiddleware",
    # /livez and /readyz answer whatever the Host header (probes use IPs).
    "deepwiki.ops.probes.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "deepwiki.transport.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files are precompressed) and below every
    # middleware that reads a response body; see transport/compression.py.
    "deepwiki.transport.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "deepwiki.accounts.middleware.BearerTokenMiddleware",
    # Before any view or CSRF check reads the body (process_view runs later).
    "deepwiki.transport.middleware.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "deepwiki.transport.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
    # A django-ratelimit refusal is a 429 page (RATELIMIT_VIEW), not a 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "deepwiki.config.urls"
WSGI_APPLICATION = "deepwiki.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "deepwiki.web.context.site",
            ],
        },
    }
]


def _databases() -> dict:
    # Persistent connections (checked at the start of each request): opening
    # one per request cost ~15% of a page view.
    persistent = {"CONN_MAX_AGE": CONFIG.db_conn_max_age, "CONN_HEALTH_CHECKS": True}
    if CONFIG.database_url:
        db = dj_database_url.parse(CONFIG.database_url)
        if db["ENGINE"] == "django.db.backends.postgresql":
            # Fail fast while the database is down (probes must answer quickly).
            options = db.setdefault("OPTIONS", {})
            options["connect_timeout"] = 3
            db.update(persistent)
            if (
                CONFIG.db_pool
            ):  # the pool hands out connections; Django must not keep them
                db["CONN_MAX_AGE"] = 0
                options["pool"] = {"min_size": 1, "max_size": 8, "timeout": 3}
        return {"default": db}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "deepwiki.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                " PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
            },
            "TEST": {"NAME": DATA_DIR / "test.sqlite3"},
            **persistent,
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if CONFIG.redis_url:
    CACHES = {
        "default": {
            "BACKEND": "deepwiki.core.cache.TolerantRedisCache",
            "LOCATION": CONFIG.redis_url,
            "KEY_PREFIX": "dw",
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Files in the data dir: one cache for every worker of this instance (a
    # per-process cache would let each worker keep its own stale truth).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# Page views wait here (without Redis) until flushed: deepwiki.activity.viewbuffer.
VIEW_SPOOL_DIR = DATA_DIR / "views"

# Sessions live in the database only: a cache may be per-process, lost or
# briefly unreachable, and a signed-out session must stay signed out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["email"]},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "deepwiki.accounts.validators.CharacterClassValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# The client's address, for lockout, rate limits and logs (core/client.py).
DEEPWIKI_PROXY_COUNT = CONFIG.proxy_count
# Login throttling (docs/deployment.md, "Sign-in protection"): 5 failures for one
# account from one address lock that pair; 20 failures from one address, whatever
# the accounts, lock the address; 15 minutes cool-down, renewed by each failure
# during it. A success resets only its own account+address pair.
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "deepwiki.web.accounts.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "deepwiki.core.client.client_ip"
AXES_USERNAME_CALLABLE = "deepwiki.accounts.services.axes_username"
AXES_HANDLER = "deepwiki.accounts.lockout.LockoutHandler"
RATELIMIT_VIEW = "deepwiki.web.errors.ratelimited"
RATELIMIT_IP_META_KEY = "deepwiki.core.client.client_ip"
NINJA_NUM_PROXIES = CONFIG.proxy_count

if CONFIG.smtp_host:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = CONFIG.smtp_host
    EMAIL_PORT = CONFIG.smtp_port
    EMAIL_HOST_USER = CONFIG.smtp_user
    EMAIL_HOST_PASSWORD = CONFIG.smtp_pass
    EMAIL_USE_TLS = CONFIG.smtp_tls
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = CONFIG.email_from
SERVER_EMAIL = CONFIG.email_from

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static" if not CONFIG.production else Path("staticfiles")
STATIC_ROOT = Path(CONFIG.static_root or STATIC_ROOT).resolve()
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
_manifest = CONFIG.static_manifest
STORAGES = {
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if _manifest
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not _manifest
WHITENOISE_MAX_AGE = 3600

if CONFIG.s3:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": CONFIG.s3.bucket,
            "endpoint_url": CONFIG.s3.endpoint_url or None,
            "access_key": CONFIG.s3.access_key or None,
            "secret_key": CONFIG.s3.secret_key or None,
            "region_name": CONFIG.s3.region,
            "file_overwrite": True,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
else:
    STORAGES["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "media"), "base_url": None},
    }

# Uploads: files larger than this spill to temporary files instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = (CONFIG.max_file_mb + 1) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = CONFIG.max_files
DATA_UPLOAD_MAX_NUMBER_FIELDS = CONFIG.max_files + 100
DEEPWIKI_LIMITS = {
    "upload_bytes": CONFIG.max_upload_mb * 1024 * 1024,
    "file_bytes": CONFIG.max_file_mb * 1024 * 1024,
    "files": CONFIG.max_files,
    "unzipped_bytes": CONFIG.max_unzipped_mb * 1024 * 1024,
    "render_bytes": CONFIG.max_render_mb * 1024 * 1024,
    "inline_render_bytes": CONFIG.inline_render_mb * 1024 * 1024,
    "render_seconds": CONFIG.render_seconds,
}
# Uploads per user (or per address when signed out), pages and API together.
DEEPWIKI_UPLOAD_RATE = CONFIG.upload_rate
# Processes that render the pages of a large upload in parallel (1 = in-process).
DEEPWIKI_RENDER_WORKERS = max(1, CONFIG.render_workers)

# PostgreSQL text search configurations, combined (see search/backends/postgres.py).
DEEPWIKI_SEARCH_CONFIGS = CONFIG.search_configs

# Security headers. TLS is usually terminated by nginx; trust its headers only
# when TRUST_PROXY says so.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CONFIG.secure_cookies
CSRF_COOKIE_SECURE = CONFIG.secure_cookies
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if CONFIG.secure_cookies:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
SECURE_SSL_REDIRECT = CONFIG.secure_ssl_redirect
SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^readyz$", r"^api/health$", r"^metrics$"]
if CONFIG.trust_proxy:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        # Pages show images hosted elsewhere (badges, screenshots) unless the
        # operator sets DEEPWIKI_EXTERNAL_IMAGES=block; https: only, images only.
        "img-src": ["'self'", "data:", "blob:"]
        + (["https:"] if CONFIG.external_images == "allow" else []),
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# check --deploy: SSL redirect is done by nginx in our deployments.
SILENCED_SYSTEM_CHECKS = ["security.W008"]

LOG_LEVEL = CONFIG.log_level
LOG_FORMAT = CONFIG.log_format
from deepwiki.ops.logging import build_logging_config  # noqa: E402

LOGGING_CONFIG = None
LOGGING = build_logging_config(level=LOG_LEVEL, fmt=LOG_FORMAT)
import logging.config as _logging_config  # noqa: E402

_logging_config.dictConfig(LOGGING)

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.backend.DatabaseBackend"
            if CONFIG.task_backend == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
METRICS_TOKEN = CONFIG.metrics_token
# prometheus_client's multiprocess directory (gunicorn.py prepares it).
METRICS_MULTIPROC_DIR = env.load_serve().metrics_dir
DEEPWIKI_SEED_DEMO = CONFIG.seed_demo
