"""Settings for qms, read from the environment.

Without any environment the app runs on the embedded default: SQLite in ``var/``, Celery tasks
run in-process, e-mail printed to the console, DEBUG on. Production sets ``DATABASE_URL``,
``REDIS_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DEBUG=false`` (see docker-compose.yml).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from redis.backoff import NoBackoff
from redis.retry import Retry

from qms.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("QMS_VAR_DIR", str(BASE_DIR / "var")))

DATABASE_URL = env_str("DATABASE_URL")
REDIS_URL = env_str("REDIS_URL")
# The embedded default: no external services configured at all.
EMBEDDED = DATABASE_URL is None

DEBUG = env_bool("DEBUG", default=EMBEDDED)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-for-the-embedded-default-and-tests"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The municipality's whistleblowing routine, linked from the report forms (empty: no link).
WHISTLEBLOWING_URL = env_str("WHISTLEBLOWING_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "simple_history",
    "treebeard",
    "django_celery_beat",
    "django_htmx",
    # Single sign-on (OpenID Connect, SAML 2.0) and two-factor (TOTP): qms/sso.py, qms/identity.py.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.mfa",
    "qms",
    "qms.reports",
    "documents",
    "deviations",
    "risk",
    "annual_wheel",
]

MIDDLEWARE = [
    "qms.middleware.RequestSizeLimitMiddleware",  # first: refuse an oversized body unread
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff who signed in with a password are sent to set up two-factor first (qms.identity).
    "qms.middleware.TwoFactorRequiredMiddleware",
    # After authentication: the user's own language comes first (qms.middleware.language_for).
    "qms.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",  # SECURE_CSP below
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes must be last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qms.urls"
# Project templates may override Django's widget templates (Designsystemet classes).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "qms.wsgi.application"

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
                "qms.context_processors.organisation",
                "qms.context_processors.municipality",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: the permission layer's OR of semi-joins gives plans with a high estimated cost
        # that run in milliseconds, and PostgreSQL spent 2.2 s compiling each of them (the case
        # page at the reference size: 2.5 s, of it 2.24 s JIT). Short OLTP queries never win it back.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
    # The statistics' covering indexes (INCLUDE) are plain indexes on SQLite: that is enough
    # for the embedded default's small data.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "qms.User"

# --- Authentication -----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Single sign-on and two-factor (django-allauth) ----------------------------------------
# The password form on /konto/login/. Off: only single sign-on, except break-glass superusers
# (qms.identity.local_login_allowed), who find the form at /konto/login/?lokal=1.
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", default=True)
# Someone the identity provider knows but who has no user here (no user with that external id):
# False refuses with a page saying the account has not been provisioned; True creates the user.
SSO_CREATE_USERS = env_bool("SSO_CREATE_USERS", default=False)
# Staff who sign in with a password must use an authenticator app (TOTP). Off in the embedded
# default so the demo logins printed by `make run` keep working without a phone.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", default=not EMBEDDED)
ACCOUNT_ADAPTER = "qms.sso.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "qms.sso.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = False  # e-mail addresses identify nobody here
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
# Never match a person on the e-mail address: only on the stable claim (qms.identity).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = "oidc"
MFA_ADAPTER = "qms.sso.MFAAdapter"
MFA_FORMS = {
    "authenticate": "qms.sso.AuthenticateForm",
    "activate_totp": "qms.sso.ActivateTOTPForm",
}
MFA_SUPPORTED_TYPES = ["totp"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Kvalitetssystem")
SOCIALACCOUNT_PROVIDERS: dict = {}
# OpenID Connect from the environment (Entra ID, ADFS, any standard provider). Providers can
# also be added in the admin (Sosiale applikasjoner) with the same settings JSON.
if env_str("OIDC_ISSUER"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env_str("OIDC_PROVIDER_ID", "entra"),
                "name": env_str("OIDC_NAME", "Microsoft Entra ID"),
                "client_id": env_str("OIDC_CLIENT_ID", ""),
                "secret": env_str("OIDC_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": env_str("OIDC_ISSUER"),
                    # The stable claim users are matched on: oid (Entra ID), sub, employeeid...
                    "uid_field": env_str("OIDC_CLAIM", "sub"),
                    "fetch_userinfo": False,
                },
            }
        ]
    }
# SAML 2.0 from the environment: the IdP's metadata URL and entity id.
if env_str("SAML_METADATA_URL"):
    SOCIALACCOUNT_PROVIDERS["saml"] = {
        "APPS": [
            {
                "provider_id": env_str("SAML_ENTITY_ID", ""),
                "name": env_str("SAML_NAME", "Kommunens pålogging (SAML)"),
                "client_id": env_str("SAML_ORGANISATION", "kommune"),
                "settings": {
                    "attribute_mapping": {
                        "uid": env_str(
                            "SAML_CLAIM",
                            "http://schemas.microsoft.com/identity/claims/objectidentifier",
                        ),
                        "email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                        "first_name": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
                        "last_name": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
                    },
                    "idp": {
                        "entity_id": env_str("SAML_ENTITY_ID", ""),
                        "metadata_url": env_str("SAML_METADATA_URL"),
                    },
                    "advanced": {
                        "want_assertion_signed": True,
                        "reject_deprecated_algorithm": True,
                    },
                },
            }
        ]
    }
# --- end single sign-on -------------------------------------------------------------------

# django-axes: lock a username from an address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# --- Client address behind the proxy (hardening) ----------------------------------
# How many reverse proxies stand in front of gunicorn, each appending to X-Forwarded-For; one
# function (qms.net.client_ip) gives lockouts and rate limits the client's address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", env_int("AXES_PROXY_COUNT", 0))
AXES_CLIENT_IP_CALLABLE = "qms.net.client_ip"
# Rate limits count in the default cache: Redis in production, shared by every process and
# host (a production start without a shared cache fails check qms.E003).
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "qms.net.client_ip"
# --- end client address -------------------------------------------------------------------

# django-guardian: explicit per-object grants only; no anonymous user row.
GUARDIAN_ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("nn", _("Norsk nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats per language ("18. des. 2026", "18 Dec 2026"); templates use their names.
FORMAT_MODULE_PATH = ["qms.locale_formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS: list = [BASE_DIR / "static"]
_NODE = BASE_DIR / "node_modules"
for _prefix, _path in [
    ("vendor/designsystemet", _NODE / "@digdir" / "designsystemet-css" / "dist"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ("vendor/trix", _NODE / "trix" / "dist"),
]:
    if _path.is_dir():
        STATICFILES_DIRS.append((_prefix, _path))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 15 * 1024 * 1024
# --- Request body cap (hardening) ------------------------------------------------
# The largest request the site takes: five attachments of 10 MB and the form around them.
# qms.middleware.RequestSizeLimitMiddleware answers 413 above it without reading the body.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 55 * 1024 * 1024)
# --- end request body cap -----------------------------------------------------------------
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

# --- Deployment: shared storage, proxy, backups ----------------------------
# No state on a web or worker host: sessions are in the database (Django's default engine),
# cache and rate limits in Redis (REDIS_URL), uploads and generated PDFs in the default storage:
# MEDIA_ROOT (one volume shared by every host) or, with MEDIA_STORAGE=s3, an S3-compatible
# bucket through django-storages (the image installs the "s3" extra).
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    if not env_str("S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL"),
            "region_name": env_str("S3_REGION"),
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "location": env_str("S3_PREFIX", ""),
            "addressing_style": env_str("S3_ADDRESSING_STYLE"),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, got {MEDIA_STORAGE!r}")
# `manage.py backup`: where dumps go and how many are kept (qms/backup.py).
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)
# Reverse proxies in front of gunicorn (compose: Caddy, 1): X-Forwarded-Proto is trusted through
# SECURE_PROXY_SSL_HEADER (Security below), the client's address through TRUSTED_PROXY_COUNT.
# --- end of the deployment block -------------------------------------------------------------
# --- Redis timeouts (nothing a user does waits on the broker) --------------------
# Every Redis connection -- Celery's broker and result backend, the Django cache -- gives up
# after these many seconds instead of waiting on a refused, hung or slow Redis; a publish is not
# retried (the outbox sweep re-sends, qms/dispatch.py). Worst case a request waits about
# REDIS_CONNECT_TIMEOUT (refused/unroutable) or REDIS_SOCKET_TIMEOUT (accepts, never answers).
REDIS_CONNECT_TIMEOUT = env_float("REDIS_CONNECT_TIMEOUT", 0.5)
REDIS_SOCKET_TIMEOUT = env_float("REDIS_SOCKET_TIMEOUT", 0.5)
_REDIS_CLIENT_OPTIONS = {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    # redis-py's client retries three times with back-off by default; one try, then the caller's
    # fallback (the cache is a cache; rate limits fail open, see below).
    "retry": Retry(NoBackoff(), 0),
}
# --- end Redis timeouts -------------------------------------------------------------------

# --- Cache --------------------------------------------------------------------------------
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("CACHE_REDIS_URL", REDIS_URL),
            "OPTIONS": _REDIS_CLIENT_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are rows in PostgreSQL (Django's default backend). Not cached_db: its load() writes
# the row back to the cache unguarded, so with Redis refused or hung every signed-in page failed
# (tests/qms/test_broker_faults.py); the saved query is about a millisecond.

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kvalitetssystem <kvalitet@example.no>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=REDIS_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    # Redis timeouts block: a publish tries once, with short socket timeouts (see above).
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_REDIS_RETRY_ON_TIMEOUT = False
CELERY_TASK_DEFAULT_QUEUE = "default"
# The report worker takes the heavy work: PDF reports and the statistics snapshots.
CELERY_TASK_ROUTES = {
    "*.render_*_pdf": {"queue": "pdf"},
    "*.refresh_statistics": {"queue": "pdf"},
}
# django-celery-beat's database scheduler, plus the heartbeat file the health check reads.
CELERY_BEAT_SCHEDULER = "qms.beat:HeartbeatScheduler"
# Beat is only a tick: every sweep derives what is due from the database (docs/design.md §10).
# Each app adds its sweeps through qms.sweeps (see qms/celery.py).
CELERY_BEAT_SCHEDULE: dict = {}
REMINDER_CLAIM_TIMEOUT = timedelta(minutes=15)
# The sweeps (qms.sweeps) handle what is due in batches of this many items, one transaction
# each: the ledger claims, notifications and counters of a batch commit together or not at all.
SWEEP_BATCH_SIZE = env_int("SWEEP_BATCH_SIZE", 500)
# Days between escalation steps of an overdue corrective action (docs/design.md §5: 7, configurable).
DEVIATION_ESCALATION_DAYS = env_int("DEVIATION_ESCALATION_DAYS", 7)
# Statistics that took longer than STATISTICS_CACHE_AFTER seconds to compute are kept this long
# (0 turns keeping off); a sweep recomputes the large scopes (qms/reports/snapshots.py).
STATISTICS_CACHE_SECONDS = env_int("STATISTICS_CACHE_SECONDS", 900)
STATISTICS_CACHE_AFTER = 0.5

# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Keys with an expiry, listed and revoked by their owner.
        "qms.api.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies only: with DRF's form and multipart parsers every request body had three
    # media types in the schema, which generated clients cannot express. An upload endpoint
    # declares MultiPartParser itself. JSON nested deeper than 32 levels is a 400
    # (qms/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["qms.api.parsers.DepthLimitedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "qms.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "30/minute"},
    "EXCEPTION_HANDLER": "qms.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# --- API keys (hardening) ---------------------------------------------------------
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)  # a new key's validity unless asked otherwise
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)
# Which SCIM attribute carries the employee number: "externalId" or "employeeNumber" (the
# enterprise extension's); docs/operations.md.
SCIM_EMPLOYEE_NUMBER_ATTRIBUTE = env_str("SCIM_EMPLOYEE_NUMBER_ATTRIBUTE", "externalId")
if SCIM_EMPLOYEE_NUMBER_ATTRIBUTE not in ("externalId", "employeeNumber"):
    raise ImproperlyConfigured("SCIM_EMPLOYEE_NUMBER_ATTRIBUTE is externalId or employeeNumber.")
# --- end API keys -------------------------------------------------------------------------
SPECTACULAR_SETTINGS = {
    "TITLE": "Kvalitetssystem API",
    "DESCRIPTION": "Quality and internal-control system for municipalities.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every choice set the API shows has a fixed English component name, so a generated client's
    # enum classes keep their names when another model adds a field of the same name (a collision
    # would otherwise rename both to a hash). The filter parameters refer to the same components
    # (qms.api.schema.refer_parameter_enums); tests/qms/test_api_client.py requires an entry here
    # for each enum.
    "ENUM_NAME_OVERRIDES": {
        "ActionEffectEnum": "deviations.models.CorrectiveAction.Effect",
        "ActivityKindEnum": "annual_wheel.models.Activity.Kind",
        "ActivityRecurrenceEnum": "annual_wheel.models.Activity.Recurrence",
        "AuditFindingKindEnum": "annual_wheel.models.AuditFinding.Kind",
        "AuditStatusEnum": "annual_wheel.models.Audit.Status",
        "ChecklistQuestionFailAnswerEnum": "annual_wheel.models.ChecklistQuestion.FailAnswer",
        "ChecklistQuestionKindEnum": "annual_wheel.models.ChecklistQuestion.Kind",
        "ChecklistVersionStatusEnum": "annual_wheel.models.ChecklistVersion.Status",
        "CommitteeKindEnum": "annual_wheel.models.Committee.Kind",
        "CommitteeMemberRoleEnum": "annual_wheel.models.CommitteeMember.Role",
        "DeviationCauseClassEnum": "deviations.models.Deviation.CauseClass",
        "DeviationKindEnum": "deviations.models.Deviation.Kind",
        "DeviationSeverityEnum": "deviations.models.Deviation.Severity",
        "DeviationSourceEnum": "deviations.models.Deviation.Source",
        "DeviationStateEnum": "deviations.models.Deviation.State",
        "DocumentStatusEnum": "documents.models.Document.Status",
        "CoverageStatusEnum": "documents.coverage.CoverageStatus",
        "DueStatusEnum": "qms.dates.DueStatus",
        "InspectionFindingKindEnum": "deviations.models.InspectionFinding.Kind",
        "InspectionStatusEnum": "deviations.models.Inspection.Status",
        "DocumentVersionStatusEnum": "documents.models.DocumentVersion.Status",
        "MeetingStatusEnum": "annual_wheel.models.Meeting.Status",
        "MembershipRoleEnum": "qms.models.Membership.Role",
        "OccurrenceStatusEnum": "annual_wheel.models.Occurrence.Status",
        "OrgUnitKindEnum": "qms.models.OrgUnit.Kind",
        "PeriodKindEnum": "qms.reports.periods.KINDS",
        "ProcessKindEnum": "documents.models.Process.Kind",
        "RiskAssessmentStatusEnum": "risk.models.RiskAssessment.Status",
        "RiskTreatmentEnum": "risk.models.RiskItem.Treatment",
        "RoundStatusEnum": "annual_wheel.models.Round.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "qms.api.schema.add_error_responses",
        "qms.api.schema.refer_parameter_enums",
    ],
}

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

# --- Content-Security-Policy (hardening) -----------------------------------------
# Every page: scripts and styles from our own origin only, no inline code or style attributes
# (templates use data-* attributes applied by static/js/qms.js); a nonce for the <style> that
# Trix inserts. The PDF templates are rendered by WeasyPrint, not served, and are exempt.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# --- end Content-Security-Policy ----------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
