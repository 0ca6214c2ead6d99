"""Settings for every environment. Every value that varies is read from the environment here."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("SAAS_TESTING", False)

_DEV_SECRET = "development-only-secret-key-not-for-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY") or (_DEV_SECRET if DEBUG or TESTING else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1")
PORT = int(os.environ.get("PORT", "8000"))
# Prometheus metrics on their own port (off when unset); never routed through the front door.
METRICS_PORT = int(os.environ.get("METRICS_PORT") or 0)
METRICS_ADDRESS = os.environ.get("METRICS_ADDRESS", "0.0.0.0")  # noqa: S104 - inside the container network
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-pass-2026")
# prepare_platform seeds the demo tenants and users (known password) only when this is on; the image sets it off.
SEED_DEMO = env_bool("SEED_DEMO", True)

# --- applications -----------------------------------------------------------------------------
SHARED_APPS = [
    # Before django_tenants so that its create_tenant/delete_tenant commands win (full lifecycle).
    "tenants",
    "django_tenants",
    "daphne",
    "users",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "strawberry_django",
]
TENANT_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "users",
    "catalog",
    "notifications",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Client"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "saas.urls_public"
ROOT_URLCONF = "saas.urls_tenants"
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False
# New tenants are cloned from an always-migrated template schema instead of running every migration.
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# Set search_path once per tenant switch instead of before every query.
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    "saas.middleware.RequestIdMiddleware",
    "saas.middleware.ApiErrorMiddleware",
    "saas.input_cleaning.RefuseNulMiddleware",
    "tenants.middleware.TenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "users.middleware.BearerTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# Only in the server `make bench` starts: baseline views under /graphql/bench/ (bench/readpath_app.py).
BENCH_READPATH = env_bool("BENCH_READPATH", False)
if BENCH_READPATH:
    _tenant_middleware = MIDDLEWARE.index("tenants.middleware.TenantMiddleware") + 1
    MIDDLEWARE = [
        "bench.readpath_app.BenchMiddleware",
        *MIDDLEWARE[:_tenant_middleware],
        "bench.readpath_app.RetireCatalogMiddleware",
        *MIDDLEWARE[_tenant_middleware:],
    ]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "saas.wsgi.application"
ASGI_APPLICATION = "saas.asgi.application"

# --- data stores ------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/saas")
# Persistent connections (DATABASE_CONN_MAX_AGE seconds) are checked before each request reuses
# them, so one killed while idle is replaced instead of failing the request's first query.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")), conn_health_checks=True
    )
}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# DATABASE_POOL_MAX_SIZE > 0: each process keeps up to that many PostgreSQL connections open in
# psycopg's pool (Django's "pool" option) instead of opening one per request. A connection taken
# from the pool starts with no search_path set, so django-tenants sets the tenant's schema before
# its first query (docs/operations.md, "Configuration").
DATABASE_POOL_MAX_SIZE = int(os.environ.get("DATABASE_POOL_MAX_SIZE", "0"))
if DATABASE_POOL_MAX_SIZE > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections; Django must not
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
        "max_size": DATABASE_POOL_MAX_SIZE,
        # A request that finds every connection busy waits this long, then fails with
        # SERVICE_UNAVAILABLE like any other database outage.
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT_SECONDS", "5")),
        # Idle connections above min_size close after this; none outlives max_lifetime.
        "max_idle": float(os.environ.get("DATABASE_POOL_MAX_IDLE_SECONDS", "60")),
    }
# DATABASE_STATEMENT_TIMEOUT_MS > 0: PostgreSQL cancels any statement (lock waits included) that
# runs longer, so a runaway query cannot hold a connection; the client gets SERVICE_UNAVAILABLE
# (docs/api.md). Meant for the serving processes (daphne, saas/asgi.py): manage.py drops the
# variable, so migrations over every tenant schema and other commands are never cut off
# (docs/operations.md, "Configuration"). Passed as libpq options, after any the URL names.
DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "0"))
if DATABASE_STATEMENT_TIMEOUT_MS > 0:
    database_options = DATABASES["default"].setdefault("OPTIONS", {})
    database_options["options"] = " ".join(
        filter(None, [database_options.get("options"), f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"])
    )
DATABASES["default"].setdefault("TEST", {})
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"]["NAME"] = os.environ["TEST_DATABASE_NAME"]
# The database is a Citus coordinator: each new tenant schema becomes a distributed schema on a
# worker node (tenants/citus.py, docs/scaling.md). Off: one PostgreSQL server, nothing changes.
CITUS_SCHEMA_SHARDING = env_bool("CITUS_SCHEMA_SHARDING", False)

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHE_TTL_SECONDS = int(os.environ.get("CACHE_TTL_SECONDS", "300"))
SEARCH_CACHE_TTL_SECONDS = int(os.environ.get("SEARCH_CACHE_TTL_SECONDS", "30"))
# Deployments (or test runs) that share one Redis must not share entries: the prefix defaults to
# the database name. Keys still start with the schema: "<schema>:<prefix>:<version>:<key>".
REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX") or DATABASES["default"]["NAME"] or "saas"
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # REDIS_HASH_TAGS: "{<schema>}:..." so one tenant's keys share a Redis Cluster slot (docs/scaling.md).
        "KEY_FUNCTION": "saas.cache.make_hash_tagged_key"
        if env_bool("REDIS_HASH_TAGS", False)
        else "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "KEY_PREFIX": REDIS_KEY_PREFIX,
        "TIMEOUT": CACHE_TTL_SECONDS,
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
}

CHANNEL_LAYERS: dict[str, dict[str, Any]] = {
    "default": {
        # channels-redis, plus recovery from a Redis restart (saas/channel_layer.py).
        "BACKEND": "saas.channel_layer.ResilientRedisChannelLayer",
        "CONFIG": {
            # channels-redis blocks up to 5 s per receive; a shorter socket timeout would drop
            # idle websockets. The pool must hold one connection per concurrent group change.
            # CHANNEL_REDIS_URLS (comma-separated) shards channels and groups over several Redis hosts.
            "hosts": [
                {"address": url, "socket_timeout": 30, "socket_connect_timeout": 2, "max_connections": 500}
                for url in env_list("CHANNEL_REDIS_URLS", REDIS_URL)
            ],
            "prefix": f"asgi:{REDIS_KEY_PREFIX}",
            "capacity": 1000,
            "expiry": 30,
        },
    }
}

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "saas")
# "elasticsearch" talks to a real cluster with the stock client; "emulator" to the in-memory test server.
ELASTICSEARCH_ENGINE = os.environ.get("ELASTICSEARCH_ENGINE", "elasticsearch")
# "index": one index per tenant (default). "shared": one physical index for every tenant, each
# reached through a filtered alias of today's name (docs/search.md); past the shard budget.
SEARCH_INDEX_STRATEGY = os.environ.get("SEARCH_INDEX_STRATEGY", "index")
if SEARCH_INDEX_STRATEGY not in ("index", "shared"):
    raise ImproperlyConfigured("SEARCH_INDEX_STRATEGY must be 'index' or 'shared'")
SEARCH_SHARED_INDEX_SHARDS = int(os.environ.get("SEARCH_SHARED_INDEX_SHARDS", "1"))
# Tests share a loaded machine: a cold in-memory search server may take seconds to create an index.
ELASTICSEARCH_TIMEOUT_SECONDS = float(os.environ.get("ELASTICSEARCH_TIMEOUT_SECONDS", "10" if TESTING else "2"))
ELASTICSEARCH_MAX_RETRIES = int(os.environ.get("ELASTICSEARCH_MAX_RETRIES", "1"))

# One /readyz report serves every caller of a process for this long (the probe is unauthenticated).
READINESS_CACHE_SECONDS = float(os.environ.get("READINESS_CACHE_SECONDS", "0" if TESTING else "2"))
# /readyz reports "degraded" while the oldest product change still waiting for the search index
# is older than this: the relay is down or cannot reach search.
SEARCH_BACKLOG_STALE_SECONDS = float(os.environ.get("SEARCH_BACKLOG_STALE_SECONDS", "60"))

# --- auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_TOKEN_TTL_SECONDS = int(os.environ.get("AUTH_TOKEN_TTL_SECONDS", str(14 * 24 * 3600)))
# HTTP requests find a bearer token's user in Redis for this long; revokes and user changes delete it on commit.
AUTH_TOKEN_CACHE_SECONDS = int(os.environ.get("AUTH_TOKEN_CACHE_SECONDS", "60"))
LOGIN_RATE_LIMIT = int(os.environ.get("LOGIN_RATE_LIMIT", "10"))
LOGIN_RATE_WINDOW_SECONDS = int(os.environ.get("LOGIN_RATE_WINDOW_SECONDS", "300"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- security toggles -------------------------------------------------------------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Extra origins (besides a tenant's own domains) allowed to open websockets, e.g. a Vite dev server.
WEBSOCKET_ALLOWED_ORIGINS = env_list("WEBSOCKET_ALLOWED_ORIGINS")
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("MAX_REQUEST_BYTES", str(256 * 1024)))

# --- GraphQL ----------------------------------------------------------------------------------
GRAPHIQL_ENABLED = env_bool("GRAPHIQL_ENABLED", DEBUG)
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", DEBUG or TESTING)
GRAPHQL_MAX_DEPTH = int(os.environ.get("GRAPHQL_MAX_DEPTH", "10"))
GRAPHQL_MAX_TOKENS = int(os.environ.get("GRAPHQL_MAX_TOKENS", "2000"))
GRAPHQL_MAX_ALIASES = int(os.environ.get("GRAPHQL_MAX_ALIASES", "15"))
# Automatic persisted queries (docs/api.md): how long a registered document is kept, and an
# optional manifest file that, when set, is the only set of operations allowed to run.
GRAPHQL_PERSISTED_QUERIES_TTL_SECONDS = int(os.environ.get("GRAPHQL_PERSISTED_QUERIES_TTL_SECONDS", str(7 * 86400)))
GRAPHQL_PERSISTED_QUERIES_ALLOWLIST = os.environ.get("GRAPHQL_PERSISTED_QUERIES_ALLOWLIST", "")
GRAPHQL_MAX_PAGE_SIZE = 100
# Cursor offsets past this are no page anyone reached by paging; refusing them keeps OFFSET sane.
GRAPHQL_MAX_OFFSET = 1_000_000_000
STRAWBERRY_DJANGO = {
    "FIELD_DESCRIPTION_FROM_HELP_TEXT": True,
    "TYPE_DESCRIPTION_FROM_MODEL_DOCSTRING": True,
    "PAGINATION_DEFAULT_LIMIT": 20,
}

# --- websockets -------------------------------------------------------------------------------
WEBSOCKET_INIT_TIMEOUT_SECONDS = float(os.environ.get("WEBSOCKET_INIT_TIMEOUT_SECONDS", "10"))
WEBSOCKET_MAX_SUBSCRIPTIONS = int(os.environ.get("WEBSOCKET_MAX_SUBSCRIPTIONS", "10"))
# Concurrent sockets, across every server process (0: no cap). One more is closed with 4430.
WEBSOCKET_MAX_PER_USER = int(os.environ.get("WEBSOCKET_MAX_PER_USER", "20"))
WEBSOCKET_MAX_PER_ADDRESS = int(os.environ.get("WEBSOCKET_MAX_PER_ADDRESS", "500"))
# A socket's slot outlives a crashed process by at most this long; live processes renew theirs.
WEBSOCKET_SLOT_LEASE_SECONDS = float(os.environ.get("WEBSOCKET_SLOT_LEASE_SECONDS", "90"))

# --- i18n, static -----------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WEB_DIST_DIR = Path(os.environ.get("WEB_DIST_DIR", BASE_DIR / "web" / "dist"))
# The built React app (index.html, assets/) is served from the site root by WhiteNoise.
WHITENOISE_ROOT = WEB_DIST_DIR if WEB_DIST_DIR.exists() else None
WHITENOISE_USE_FINDERS = DEBUG or TESTING
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- logging ----------------------------------------------------------------------------------
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG or TESTING else "json")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "saas.logging.ContextFilter"},
        "cache_outage": {"()": "saas.logging.CacheOutageFilter"},
        "statement_timeout": {"()": "saas.logging.StatementTimeoutFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(schema)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(schema)s %(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "saas.cache": {"filters": ["cache_outage"]},
        "django.request": {"filters": ["statement_timeout"]},
        "elastic_transport": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
    },
}

# Redis is an accelerator: errors become cache misses and are logged (saas/cache.py).
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "saas.cache"
