"""Settings for the open platform: one module, configured by environment variables.

Embedded default (no variables set): SQLite under ``var/``, the local-memory cache and a
Celery broker on kombu's filesystem transport under ``var/``, so ``make run`` needs no server.
Production: ``DJANGO_ENV=production`` plus ``DATABASE_URL`` (PostgreSQL), ``REDIS_URL``,
``SECRET_KEY``, ``PII_KEYS`` and ``ALLOWED_HOSTS``.
"""

from datetime import timedelta

import dj_database_url
from cryptography.fernet import Fernet
from django.utils.translation import gettext_lazy as _

from openplatform.env import (
    BASE_DIR,
    VAR_DIR,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    generate_secret_key,
    is_production,
)

PRODUCTION = is_production()
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env_secret("SECRET_KEY", generate=generate_secret_key)
# Fernet keys, comma-separated, newest first: rotating means prepending a key and re-sealing.
PII_KEYS = env_secret("PII_KEYS", generate=lambda: Fernet.generate_key().decode()).split(",")
# Keys the digests used for exact matching (negative list, duplicates); it never rotates with
# PII_KEYS, or every stored digest would stop matching.
PII_DIGEST_KEY = env_secret("PII_DIGEST_KEY", generate=generate_secret_key)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
PLATFORM_BASE_URL = env_str("PLATFORM_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "oauth2_provider",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "openplatform",
    "openplatform.audit",
    "openplatform.accounts",
    "openplatform.events",
    "openplatform.jobs",
    # The core: the catalog, then each app above the ones it builds on.
    "catalog",
    "isv",
    "merchants",
    "governance",
    # The capabilities: each declares itself in its plugin.py (docs/capabilities.md).
    "capabilities.merchant_info",
    "capabilities.payment",
    # The shell: the root URLconf, the portal's frame, seed_demo.
    "portal",
]

MIDDLEWARE = [
    # First, so that its Redis round trip overlaps everything after it.
    "openplatform.api.middleware.GateEarlyReadingMiddleware",
    "openplatform.api.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "openplatform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.views.portal_context",
            ],
        },
    },
]

# --- Database: SQLite under var/ unless DATABASE_URL points at PostgreSQL -------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Server-side binding lets psycopg prepare hot queries (the gate's token lookup joins
        # five tables: planning it costs more than running it).
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "openplatform.sqlite3",
            # web, worker and beat share the file: wait for a lock instead of failing.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery broker: Redis when REDIS_URL is set -----------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # One redis client per pool, atomic quota counters (openplatform/api/cache.py).
            "BACKEND": "openplatform.api.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "openplatform"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # With the broker down, a publish made with retry=False (the webhook outbox's) fails at
    # once instead of retrying the connection for ~6 s inside the caller's request; the
    # sweeper sends it later. Publishes with a retry policy still retry as that says.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        # kombu's default is ./control, which would litter the checkout.
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
    for folder in ("broker", "broker-processed", "broker-control"):
        (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)

CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Webhook deliveries acknowledge late: a worker takes one message at a time.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The kernel's own entries; every app adds its own from its plugin (openplatform.plugins).
CELERY_BEAT_SCHEDULE = {
    "sweep-webhook-deliveries": {
        "task": "openplatform.events.tasks.sweep_deliveries",
        "schedule": env_int("WEBHOOK_SWEEP_INTERVAL_SECONDS", 10),
    },
    "disable-long-failing-webhook-endpoints": {
        "task": "openplatform.events.tasks.disable_long_failing_endpoints",
        "schedule": 60 * 60,
    },
}

# --- Webhooks (openplatform/events/) -------------------------------------------------------
WEBHOOKS = {
    "TIMEOUT_SECONDS": 10,
    # How long a claimed delivery is left to its worker before the sweeper re-queues it
    # (longer than TIMEOUT_SECONDS), and a queued one to its message (longer than a backlog).
    "LEASE_SECONDS": env_int("WEBHOOK_LEASE_SECONDS", 60),
    "QUEUE_LEASE_SECONDS": env_int("WEBHOOK_QUEUE_LEASE_SECONDS", 300),
    # Seconds to wait after the 1st, 2nd … failed attempt: 14 attempts over about 3.1 days.
    "RETRY_SCHEDULE": [5, 60, 5 * 60, 30 * 60, 60 * 60, 2 * 3600, 4 * 3600, 8 * 3600,
                       12 * 3600, 12 * 3600, 12 * 3600, 12 * 3600, 12 * 3600],
    "DISABLE_AFTER_DAYS": 5,
    "DEFAULT_SECRET_OVERLAP_HOURS": 24,
    "MAX_SECRET_OVERLAP_HOURS": 7 * 24,
}

# --- Payment (capabilities/payment/) --------------------------------------------------------
PAYMENT = {
    # When the merchant's MCC has no rate of its own.
    "DEFAULT_FEE_RATE_BP": 60,
    # The ISV's share of the platform fee on its merchants' trades.
    "ISV_COMMISSION_SHARE_BP": 2000,
    "DEFAULT_TIMEOUT_MINUTES": 120,
    "SIMULATOR_BALANCE": 100_000_000,
    "SANDBOX_BUYER_BALANCE": 1_000_000,
}

# --- Auth ----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "home"
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Seconds an email verification link stays valid.
EMAIL_VERIFICATION_MAX_AGE = env_int("EMAIL_VERIFICATION_MAX_AGE", 3 * 24 * 60 * 60)
# Days an invitation to join an ISV's team stays valid.
ISV_INVITATION_DAYS = env_int("ISV_INVITATION_DAYS", 7)
# Largest business licence upload, in bytes.
ISV_LICENCE_MAX_BYTES = env_int("ISV_LICENCE_MAX_BYTES", 5 * 1024 * 1024)

# --- Login throttling (django-axes) --------------------------------------------------------
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
# The Nth failed login of one username from one address is refused, and so is every login
# of that pair until the cool-off ends; other addresses can still sign the person in.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "openplatform.accounts.throttling.login_username"
AXES_LOCKOUT_CALLABLE = "openplatform.accounts.throttling.lockout_response"

# --- Who the kernel's models point at: the core's models, named here so the kernel imports
# no app (like AUTH_USER_MODEL). The OAuth client is OAUTH2_PROVIDER_APPLICATION_MODEL below.
PLATFORM_TENANT_MODEL = "isv.Isv"
PLATFORM_MERCHANT_MODEL = "merchants.Merchant"

# --- OAuth 2.0 (django-oauth-toolkit): the app model is swapped before the first migration ---
OAUTH2_PROVIDER_APPLICATION_MODEL = "isv.App"
# Named so other models can point at DOT's token (merchants.AuthorizationToken); not swapped.
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER = {
    "OAUTH2_VALIDATOR_CLASS": "merchants.oauth.validator.PlatformOAuth2Validator",
    # Scopes come from the catalog: isv:read, isv:merchants and pack:<code> per function pack.
    "SCOPES_BACKEND_CLASS": "isv.scopes.CatalogScopes",
    "SCOPES": {
        "isv:read": "Read the ISV's own apps, subscriptions and catalog",
        "isv:merchants": "Onboard and manage the ISV's merchants",
    },
    "ACCESS_TOKEN_EXPIRE_SECONDS": 2 * 60 * 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 60 * 60,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "PKCE_REQUIRED": True,
    # Consent is asked every time: the merchant user picks the merchant the app acts for.
    "REQUEST_APPROVAL_PROMPT": "force",
    # http is allowed here only so that sandbox apps may use http://127.0.0.1 / localhost;
    # the validator refuses every other non-https redirect URI (App.permits_redirect_uri).
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"],
    # RFC 9700 (OAuth 2.0 Security Best Current Practice): enforce every recommendation.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    # Tokens are stored as SHA-256 checksums only: look them up by token_checksum.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "client_credentials", "refresh_token"],
}

# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["openplatform.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "openplatform.api.pagination.ApiCursorPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["openplatform.api.parsers.BoundedJSONParser"],
    "EXCEPTION_HANDLER": "openplatform.api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    # One schema component per state machine, named after it.
    "ENUM_NAME_OVERRIDES": {
        "MerchantStateEnum": "merchants.choices.MerchantState",
        "SubscriptionStateEnum": "isv.choices.SubscriptionState",
        "AppStateEnum": "isv.choices.AppState",
        "AuthorizationStateEnum": "merchants.choices.AuthorizationState",
        "WebhookEndpointStateEnum": "openplatform.events.choices.EndpointState",
        "DeliveryStateEnum": "openplatform.events.choices.DeliveryState",
        "TradeStateEnum": "capabilities.payment.choices.TradeState",
        "TradeKindEnum": "capabilities.payment.choices.TradeKind",
    },
    "TITLE": "Open Platform API",
    "DESCRIPTION": (
        "Function packs, merchants and capabilities for ISVs.\n\n"
        "Authenticate with OAuth 2.0: `client_credentials` (scopes `isv:read`, "
        "`isv:merchants`) for the ISV API under /api/v1/, `authorization_code` with PKCE S256 "
        "(scopes `pack:<code>`) to call capabilities for a merchant. Every error is RFC 9457 "
        "`application/problem+json` with a stable `code`; creating POSTs take an "
        "`Idempotency-Key` header."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "TAGS": [
        {"name": "catalog", "description": "Capabilities, function packs, industry solutions."},
        {"name": "apps", "description": "Your ISV's apps (OAuth clients)."},
        {"name": "subscriptions", "description": "Apps' subscriptions to function packs."},
        {"name": "merchants", "description": "Onboarding and managing your merchants."},
        {"name": "authorizations", "description": "Merchants' grants of packs to your apps."},
    ],
    # Served from drf-spectacular-sidecar: the machines have no internet, so no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "deepLinking": True},
    "SWAGGER_UI_OAUTH2_CONFIG": {"usePkceWithAuthorizationCodeGrant": True},
}

# An API answer with an error code missing from the public catalogue (/docs/errors) raises
# instead of being logged: the test suite turns it on.
STRICT_ERROR_CODES = env_bool("STRICT_ERROR_CODES", default=False)
# Request bodies above this size are refused (413/400) before any parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)

# --- I18N ---------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

# --- Email: printed to the console in development -----------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "open-platform@localhost")

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)

# --- Capability gate (openplatform/api/gate.py) --------------------------------------------
GATE = {
    # The domain's side of the gate: what a token's decisions read, and checks 2-5.
    "POLICY": "governance.access.CapabilityAccess",
    # Seconds a gate decision (and a capability's prefetched data) is kept; every audited
    # change invalidates it at once, this only bounds what a lost invalidation could cost.
    "DECISION_TTL": env_int("GATE_DECISION_TTL", 300),
    "GENERATION_TTL": 24 * 60 * 60,
    # Metering: a daemon thread per process writes ApiCall rows in batches.
    "METERING_BACKGROUND": env_bool("METERING_BACKGROUND", default=True),
    "METERING_BATCH_SIZE": env_int("METERING_BATCH_SIZE", 500),
    "METERING_FLUSH_SECONDS": 1.0,
}

# --- Platform policy ----------------------------------------------------------------------
# Default deadline of a rectification order, in days, when staff give none.
RECTIFICATION_DEFAULT_DAYS = env_int("RECTIFICATION_DEFAULT_DAYS", 15)

# --- Screening against the negative list (governance/screening.py) --------------------------
# Live merchants read per database round trip when re-screening.
SCREENING_BATCH_SIZE = env_int("SCREENING_BATCH_SIZE", 2000)
# An ISV is warned when more than this share of the merchants it brought live are suspended
# for negative-list hits, once it has at least the minimum number of such merchants.
ISV_ACCOUNTABILITY_SHARE = float(env_str("ISV_ACCOUNTABILITY_SHARE", "0.1"))
ISV_ACCOUNTABILITY_MIN_MERCHANTS = env_int("ISV_ACCOUNTABILITY_MIN_MERCHANTS", 5)
AUTHORIZATION_DEFAULT_LIFETIME = timedelta(days=env_int("AUTHORIZATION_LIFETIME_DAYS", 365))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
