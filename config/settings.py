"""Agora settings: one module, every deployment-specific value read from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from core.rates import configured_rate

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A file of variables only when DJANGO_ENV_FILE names one: `.env` beside manage.py is compose's
# (DATABASE_URL at the host `db`), which a process on the host could not use.
_env_file = os.environ.get("DJANGO_ENV_FILE", "")
if _env_file:
    environ.Env.read_env(_env_file, overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def env_secret(name: str) -> str:
    """A secret from NAME, or from the file NAME_FILE names (Docker secrets, a mounted file),
    never both; empty when neither is set."""
    value = env.str(name, default="")
    path = env.str(f"{name}_FILE", default="")
    if value and path:
        raise ImproperlyConfigured(f"{name} and {name}_FILE are both set: give the secret once.")
    if not path:
        return value
    try:
        # The file's last line break is not part of the secret (`echo ... > file`).
        return Path(path).read_text().removesuffix("\n").removesuffix("\r")
    except OSError as error:
        raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {error.strerror}.") from None


# Only a debug process may fall back to a fixed key; production must be given one.
_DEV_SECRET_KEY = "insecure-development-key-only-for-debug-mode-never-in-production-0123456789"  # noqa: S105 (debug only)
# An empty value (as in a fresh copy of .env.example) counts as unset.
SECRET_KEY = env_secret("DJANGO_SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
# It signs the JWTs: HS256 wants a key at least as long as its 32-byte output.
SECRET_KEY_MIN_BYTES = 32
if not SECRET_KEY:
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is not set: set it ({SECRET_KEY_MIN_BYTES}+ random bytes, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))') or DJANGO_DEBUG=true."
    )
if len(SECRET_KEY.encode()) < SECRET_KEY_MIN_BYTES:
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is too short: it signs the JWTs and needs at least "
        f"{SECRET_KEY_MIN_BYTES} bytes."
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    # First, so that its createsuperuser command overrides django.contrib.auth's.
    "accounts",
    "accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "csp",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    # Before votes and comments: an account's follows are settled first as it is deleted.
    "relationships",
    "posts",
    "votes",
    "comments",
    "demo",
    "moderation",
]

MIDDLEWARE = [
    # Prometheus counts and times each request from here to its innermost twin (django-prometheus;
    # served by gunicorn's master on METRICS_PORT, gunicorn.conf.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Outermost, so that every answer is logged and carries its X-Request-ID, errors included.
    "core.middleware.RequestLogMiddleware",
    # Next, so that every error under /api/ leaves as JSON, whichever layer answered it.
    "core.middleware.ApiErrorsAsJsonMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # An ETag on every 200 to a GET (a digest of the body), and 304 to a matching
    # If-None-Match; then who may keep the answer (core.middleware).
    "django.middleware.http.ConditionalGetMiddleware",
    "core.middleware.ApiCacheControlMiddleware",
    "core.middleware.RateLimitHeadersMiddleware",
    # The admin's session, user and messages; requests to the API skip them.
    "core.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "core.middleware.AuthenticationMiddleware",
    "core.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost, so that its 413 passes back through every other middleware and carries their
    # headers (security, CORS). It still runs before anything reads the body: the others read
    # none in their request phase, and CSRF's process_view runs after every middleware's.
    "core.middleware.BodySizeLimitMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# Database: SQLite file by default so `make run` needs nothing installed; DATABASE_URL for PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# The password may come on its own (DATABASE_PASSWORD, or a file: DATABASE_PASSWORD_FILE), so that
# a URL without one can sit in plain configuration; never in both places.
DATABASE_PASSWORD = env_secret("DATABASE_PASSWORD")
if DATABASE_PASSWORD:
    if DATABASES["default"]["PASSWORD"]:
        given = (
            "DATABASE_PASSWORD_FILE"
            if env.str("DATABASE_PASSWORD_FILE", "")
            else "DATABASE_PASSWORD"
        )
        raise ImproperlyConfigured(
            f"DATABASE_URL has a password and {given} gives another: give it once."
        )
    DATABASES["default"]["PASSWORD"] = DATABASE_PASSWORD
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so bursts queue instead of failing
    # with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    # Django's PostgreSQL backend, counting connections, queries, their time and errors for
    # Prometheus (it wraps whichever cursor class the options below choose).
    DATABASES["default"]["ENGINE"] = "django_prometheus.db.backends.postgresql"
    # Persistent connections, not health-checked (the check is a round trip, SELECT 1, at the
    # start of every request): one the server closed (a restart) is found closed without a
    # round trip and replaced (core.db.close_connections_the_server_closed).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    # Fail fast when the server is unreachable instead of hanging a worker: connect_timeout
    # bounds opening a connection; tcp_user_timeout (ms) bounds waiting for the server to
    # acknowledge what was sent on an open one (a network partition), which the kernel would
    # otherwise retry for about 15 minutes. Either value can also come from DATABASE_URL.
    connect_timeout = env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", connect_timeout)
    options.setdefault("tcp_user_timeout", connect_timeout * 1000)
    # PgBouncer in transaction mode hands each transaction to any server connection: no
    # server-side cursors, and no session state, so the statement timeout is PgBouncer's to set.
    if env.bool("DATABASE_PGBOUNCER", default=False):
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    else:
        # A statement running longer is cancelled and the request answered 503: one costly
        # request cannot hold a worker and a database backend. manage.py turns it off (0).
        statement_timeout = env.int("DATABASE_STATEMENT_TIMEOUT", default=5000)
        if statement_timeout:
            options.setdefault("options", f"-c statement_timeout={statement_timeout}")
        # Parameters bound by the server: psycopg then prepares a statement it has run a few
        # times on the connection, and PostgreSQL stops planning the same query again for every
        # request. (Not through PgBouncer: prepared statements are session state.)
        options.setdefault("server_side_binding", True)

# Reads of the feed and of profiles from a replica (core.dbrouter), when one is named: with the
# primary's connection settings, and each writer's reads back on the primary for
# DATABASE_REPLICA_PIN_SECONDS after each of their writes, so that they see what they wrote.
# Under test the replica is the test database itself, through a connection of its own.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=5)
REPLICA_READ_VIEWS = ["post-list", "post-detail", "user-detail"]
if DATABASE_REPLICA_URL:
    _replica = env.db_url_config(DATABASE_REPLICA_URL)
    # A replica URL without a password takes the primary's.
    if not _replica["PASSWORD"]:
        del _replica["PASSWORD"]
    DATABASES["replica"] = {
        **DATABASES["default"],
        **_replica,
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})},
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["core.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("core.middleware.BodySizeLimitMiddleware"),
        "core.dbrouter.ReplicaReadsMiddleware",
    )

# Redis: throttle counters and token states, shared by every process of every server
# (core.shared); while it is unreachable each process carries on alone. Empty: no sharing.
REDIS_URL = env.str("REDIS_URL", default="")
# Django's cache holds what each process may keep to itself a few seconds: the feed's total.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }
}

AUTH_USER_MODEL = "accounts.User"
# Django's hashers, each taking turns (accounts.hashers): at most PASSWORD_HASHING_SLOTS hashes
# at once per process, as many more waiting up to PASSWORD_HASHING_WAIT seconds, the rest 503.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2PasswordHasher",
    "accounts.hashers.PBKDF2PasswordHasher",
    "accounts.hashers.PBKDF2SHA1PasswordHasher",
]
PASSWORD_HASHING_SLOTS = env.int("PASSWORD_HASHING_SLOTS", default=1)
PASSWORD_HASHING_WAIT = env.float("PASSWORD_HASHING_WAIT", default=2.0)
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailOrUsernameBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# In debug mode (`make run` under gunicorn) WhiteNoise serves static files straight from the
# apps, with no collectstatic step.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def throttle_rate(name, default):
    """A rate string from the environment, checked now rather than on the first request."""
    return configured_rate(name, env.str(name, default=default))


# REST framework
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.BearerAuthentication"],
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.AnonRateThrottle",
        "core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": throttle_rate("ANON_RATE", "120/min"),
        "user": throttle_rate("USER_RATE", "600/min"),
        "login_ip": throttle_rate("LOGIN_RATE_PER_IP", "20/min"),
        "login_account": throttle_rate("LOGIN_RATE_PER_ACCOUNT", "5/min"),
        # Sign-ups and email changes: each says whether an email has an account (and a sign-up
        # hashes a password), so an address gets few (Mastodon: 5 sign-ups per 30 minutes).
        "signup": throttle_rate("SIGNUP_RATE_PER_IP", "5/30m"),
    },
    # 0 means REMOTE_ADDR only; with None, DRF would trust any client's X-Forwarded-For.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(
        minutes=env.int("ACCESS_TOKEN_LIFETIME_MINUTES", default=30)
    ),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("REFRESH_TOKEN_LIFETIME_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # Revocation is the user's token_version claim (accounts.tokens); SimpleJWT's own
    # CHECK_REVOKE_TOKEN would put a digest of the password hash in every token.
}
# A refresh token spent again within this many seconds of its rotation gets a new pair of the
# same login (two tabs refreshing at once, a retried answer lost on the way); later, it was
# copied, and its whole login is revoked.
REFRESH_TOKEN_REUSE_GRACE_SECONDS = env.int("REFRESH_TOKEN_REUSE_GRACE_SECONDS", default=10)
# How long the answer to a create sent with an Idempotency-Key is replayed (core.idempotency).
IDEMPOTENCY_KEY_HOURS = env.int("IDEMPOTENCY_KEY_HOURS", default=24)

SPECTACULAR_SETTINGS = {
    "TITLE": "Agora API",
    "DESCRIPTION": "Social posting API: users, JWT login, posts with drafts, likes, comments and a searchable feed.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # drf-spectacular's enum hook, then ours: 413, auth and throttle headers, password and login
    # constraints, and the links between operations.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.openapi.postprocess_schema",
    ],
    "TAGS": [
        {"name": "auth", "description": "Log in, refresh and log out (JWT)."},
        {"name": "users", "description": "Sign-up, profiles and your own account."},
        {"name": "posts", "description": "Posts, drafts and the feed."},
        {"name": "votes", "description": "Likes."},
        {"name": "comments", "description": "Comments on posts."},
    ],
    # A JavaScript object, not JSON: it names Agora's plugin (core/static/docs/swagger-ui-agora.js).
    "SWAGGER_UI_SETTINGS": """{
        "persistAuthorization": true,
        "deepLinking": true,
        "plugins": [window.AgoraSwaggerUI]
    }""",
    # Serve Swagger UI and ReDoc from our own static files, not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# CORS: only the API, only configured origins.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"

# Security: safe defaults in production, each switchable for a proxy that terminates TLS.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Container and load-balancer health checks speak plain HTTP to the app itself. Django matches
# these against the path without its leading slash.
SECURE_REDIRECT_EXEMPT = [r"^health/?$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Content-Security-Policy (django-csp): an API answer may load nothing; the pages (the admin,
# Swagger UI, ReDoc) only what Agora serves itself. Inline styles are allowed on the pages:
# Swagger UI's and ReDoc's own markup and script write them; scripts never run inline.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [NONE], "frame-ancestors": [NONE]}}
CSP_PAGES = {
    "PATH_PREFIXES": ["/admin/", "/api/docs/", "/api/redoc/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF, UNSAFE_INLINE],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Refuse oversized bodies before they are read into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=256 * 1024)

# Logging: one line per request on stdout (RequestLogMiddleware), warnings and errors with their
# tracebacks on stderr, every record tagged with its request id; JSON lines with LOG_FORMAT=json.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.logs.RequestIdFilter"},
        "below_warning": {"()": "core.logs.MaxLevelFilter", "level": "WARNING"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id", "below_warning"],
            "formatter": LOG_FORMAT,
        },
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "level": "WARNING",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        },
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["stdout", "stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's defaults (console only in debug, mail to admins) with the root's.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # Every answer is already in the request line; only 5xx deserve an error entry.
        "django.request": {"level": "ERROR"},
        # Scanners probing by IP address would fill stderr with tracebacks; their 400s are in
        # the request lines.
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
    },
}
