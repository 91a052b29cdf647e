"""Settings for the MoU tracker: one file, every value from the environment.

Every variable read here is listed, with its meaning and default, in ``.env.example``.
Development defaults are safe to run locally; production sets ``DJANGO_DEBUG=false``,
``DJANGO_HTTPS=true``, a real ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    # Empty counts as unset, as in env_bool/env_int: a copied .env.example has NAME= lines.
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# The "django-insecure-" prefix makes `check --deploy` (security.W009) refuse the development key.
SECRET_KEY = env("DJANGO_SECRET_KEY", "django-insecure-dev-only-key-change-me-" + "x" * 32)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "import_export",
    "django_celery_beat",
    "pgtrigger",
    "pghistory",
    "axes",
    "csp",
    "core",
    "accounts",
    "notifications",
    "workplan",
    "clauses",
    "registry",
    "dataexchange",
    "compliance",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mou_tracker.urls"
WSGI_APPLICATION = "mou_tracker.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mou_tracker"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Bahasa Indonesia first (Pasal 14(2) of the MoU); English available.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# Working days (docs/working-days.md): "terhitung sejak X" counts from the first working day
# AFTER X. The MoU does not say; set true if legal advice says X itself is day 1.
WORKDAYS_COUNT_EVENT_DAY = env_bool("WORKDAYS_COUNT_EVENT_DAY", False)

# Quarterly progress reports (workplan): due this many hari kerja after the triwulan ends;
# evidence files (bukti dukung) up to this size, checked by content (workplan/progress.py).
PROGRESS_REPORT_DUE_WORKING_DAYS = env_int("PROGRESS_REPORT_DUE_WORKING_DAYS", 10)
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)

# Data exchange (docs/data-exchange.md). The NIK key makes the HMAC tokens that match lists against
# BPJS's extract: set it once per deployment and never change it (tokens made with another key
# never match). Lists are kept this many days after matching; reminders go out this many hari
# kerja before the due date; browser uploads above the size go to a Celery task with a progress bar.
EXCHANGE_NIK_KEY = env("EXCHANGE_NIK_KEY", "dev-only-nik-key-change-me")
EXCHANGE_UPLOAD_MAX_BYTES = env_int("EXCHANGE_UPLOAD_MAX_BYTES", 256 * 1024 * 1024)
EXCHANGE_UPLOAD_MAX_ROWS = env_int("EXCHANGE_UPLOAD_MAX_ROWS", 2_000_000)
EXCHANGE_RETENTION_DAYS = env_int("EXCHANGE_RETENTION_DAYS", 90)
EXCHANGE_REMINDER_WORKING_DAYS = env_int("EXCHANGE_REMINDER_WORKING_DAYS", 5)
EXCHANGE_ASYNC_MIN_BYTES = env_int("EXCHANGE_ASYNC_MIN_BYTES", 1024 * 1024)

# Notifications (docs/notifications.md): the digest lists items due within this many hari kerja;
# an overdue item climbs to staff, head of unit and secretariat after these many hari kerja late.
# SITE_URL makes links in emails and the iCalendar feed absolute.
NOTIFICATIONS_LOOKAHEAD_WORKING_DAYS = env_int("NOTIFICATIONS_LOOKAHEAD_WORKING_DAYS", 5)
NOTIFICATIONS_ESCALATION_WORKING_DAYS = [int(n) for n in env_list("NOTIFICATIONS_ESCALATION_WORKING_DAYS", "1,3,5")]
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# The MoU's clauses (docs/clauses.md): remind the liaison officers this many days before the term ends.
CLAUSES_TERM_REMINDER_DAYS = [int(n) for n in env_list("CLAUSES_TERM_REMINDER_DAYS", "365,180,90,30")]

# The Pasal 11 annual report (docs/evaluation.md): last year's report is generated once, from this
# day (MM-DD) of the following year, by a django_celery_beat task that runs daily.
EVALUATION_REPORT_DAY = tuple(int(n) for n in env("EVALUATION_REPORT_DAY", "01-15").split("-", 1))

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
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
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# CSV/XLSX uploads (core.tabular): checked before parsing; the last two guard against zip bombs.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_MAX_ROWS = env_int("UPLOAD_MAX_ROWS", 200_000)
UPLOAD_MAX_UNCOMPRESSED_BYTES = env_int("UPLOAD_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
UPLOAD_MAX_COMPRESSION_RATIO = env_int("UPLOAD_MAX_COMPRESSION_RATIO", 100)

# HTTPS: every cookie and redirect setting follows one variable.
HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "mou"),
    }
}

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 900)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Copied into django_celery_beat's tables when beat starts; times are Asia/Jakarta.
CELERY_BEAT_SCHEDULE = {
    "clauses-deemed-agreed": {"task": "clauses.tasks.mark_deemed_agreed", "schedule": crontab(hour=0, minute=5)},
    "clauses-term-reminders": {"task": "clauses.tasks.send_term_reminders", "schedule": crontab(hour=6, minute=0)},
    "clauses-expired": {"task": "clauses.tasks.mark_expired", "schedule": crontab(hour=0, minute=10)},
    "notifications-escalate": {"task": "notifications.tasks.escalate_overdue", "schedule": crontab(hour=6, minute=30)},
    "notifications-digest": {"task": "notifications.tasks.send_daily_digests", "schedule": crontab(hour=7, minute=0)},
    # Sanction steps past their working-day deadline (compliance, docs/compliance.md).
    "compliance-flag-overdue": {"task": "compliance.tasks.flag_overdue_steps", "schedule": crontab(hour=0, minute=15)},
    # Jobs the database says are waiting but the queue lost (Redis restarted): core/sweeper.py.
    "core-sweep-pending": {"task": "core.tasks.sweep_pending", "schedule": crontab(minute="*/5")},
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "MoU Tracker <noreply@localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MoU Tracker API",
    "DESCRIPTION": "Nota Kesepakatan No. 1/2025 Pemprov DKI Jakarta x BPJS Ketenagakerjaan.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI served from our own static files (drf-spectacular-sidecar): no CDN, CSP-safe.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "WorkStatusEnum": "workplan.models.WorkStatus",
        "AgreementStatusEnum": "workplan.models.Agreement.Status",
        "ReportStateEnum": "workplan.models.ProgressReport.State",
        "OrganizationKindEnum": "workplan.models.Organization.Kind",
        "InstitutionEnum": "workplan.models.Institution",
        "CaseStatusEnum": "compliance.states.Status",
        "CaseEvidenceKindEnum": "compliance.states.EvidenceKind",
        "WithheldServiceEnum": "compliance.models.ServiceFollowUp.Service",
        "ServiceFollowUpStatusEnum": "compliance.models.ServiceFollowUp.Status",
        "TrainingKindEnum": "compliance.program3.Training.Kind",
        "WorkAccidentStatusEnum": "compliance.program3.WorkAccident.Status",
    },
}


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"mask_nik": {"()": "core.logmask.MaskNIK"}},  # no full NIK in any log line
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_nik"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
