"""Settings, read from the environment so that one code base serves demo, test and production.

Every runtime file (database, secret key, uploads, collected static) lives under GONGKAI_VAR_DIR.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR") or BASE_DIR / "var").resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use SECRET_KEY from the environment, else one generated once into the var dir."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        # O_EXCL: two processes starting at once must not write two different keys.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("GONGKAI_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],::1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "ninja",  # ships Swagger UI's files, served locally
    "csp",
    "rules",
    "captcha",
    "gongkai.core",
    "gongkai.orgs",
    "gongkai.documents",
    "gongkai.search",
    # Order matters to `gongkai demo`, which loads each app's demo data in this order.
    "gongkai.normative",
    "gongkai.foi",
    "gongkai.supervision",
    "gongkai.participation",
    "gongkai.catalogs",
    "gongkai.reports",
    "gongkai.sites",
    "gongkai.sitecheck",
    "gongkai.portal",
    "gongkai.workbench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongkai.portal.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Once the language is known: a cached public page skips the rest (gongkai.portal.cache).
    "gongkai.portal.cache.PublicCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in user always reads from the primary.
    "gongkai.core.middleware.ReadReplicaMiddleware",
    "gongkai.core.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "gongkai.core.middleware.ApplicationErrorMiddleware",
    "gongkai.core.middleware.NoStoreMiddleware",
    # django-axes wants to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.config.urls"
WSGI_APPLICATION = "gongkai.config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "gongkai.portal.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while one writer writes; IMMEDIATE takes the write lock at BEGIN so
    # that two writers queue on busy_timeout instead of failing with "database is locked".
    # Tests use a file too: concurrency tests need WAL and busy_timeout as in production,
    # which the shared in-memory database does not honour.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-gongkai.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }

# Read replicas (core.db_router): PostgreSQL hot standbys for anonymous public reads, as
# "replica1", "replica2", … Staff, writes, jobs and commands use the primary ("default").
GONGKAI_REPLICA_URLS = env_list("GONGKAI_REPLICA_URLS", "")
GONGKAI_REPLICA_ALIASES = []
for _number, _url in enumerate(GONGKAI_REPLICA_URLS, start=1):
    _replica = dj_database_url.parse(_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    _replica["CONN_HEALTH_CHECKS"] = True
    # Short: an unreachable replica must cost a visitor little before the primary serves.
    _replica["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "connect_timeout": int(os.environ.get("GONGKAI_REPLICA_CONNECT_TIMEOUT", "2")),
    }
    _replica["TEST"] = {"MIRROR": "default"}  # test runs create no replica databases
    DATABASES[f"replica{_number}"] = _replica
    GONGKAI_REPLICA_ALIASES.append(f"replica{_number}")
if GONGKAI_REPLICA_ALIASES:
    DATABASE_ROUTERS = ["gongkai.core.db_router.ReplicaRouter"]
# A client that wrote (any POST) reads from the primary for this long; a replica that failed is
# retried after this long; one whose replay lags more than this is skipped (0: not checked), and
# the primary serves for that long after a public change, so that the page cache never keeps a
# page rendered from a replica that has not replayed the change yet.
GONGKAI_REPLICA_STICKY_SECONDS = int(os.environ.get("GONGKAI_REPLICA_STICKY_SECONDS", "10"))
GONGKAI_REPLICA_RETRY_SECONDS = int(os.environ.get("GONGKAI_REPLICA_RETRY_SECONDS", "5"))
GONGKAI_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("GONGKAI_REPLICA_MAX_LAG_SECONDS", "5"))
GONGKAI_REPLICA_LAST_CHANGE = "gongkai.portal.replica.last_public_change"
# Always on the primary: the staff site, the admin, personal pages (a request's tracking page).
GONGKAI_REPLICA_PRIMARY_PREFIXES = (
    "/workbench/",
    "/admin/",
    "/foi/",
    "/interaction/track/",
    "/interaction/ask/",
    "/healthz",
    "/captcha/",
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGIN_URL = "workbench:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Failed-login throttling: 5 failures per username and address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "workbench/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy, tell axes how many proxies to skip in X-Forwarded-For; otherwise
# every visitor shares the proxy's address and failures lock out each other.
# Behind a reverse proxy: how many proxies, or their addresses/networks (core.net). Every
# limit and django-axes read the client's address through core.net.client_ip.
GONGKAI_TRUSTED_PROXIES = os.environ.get("GONGKAI_TRUSTED_PROXIES", "")
AXES_CLIENT_IP_CALLABLE = "gongkai.core.net.client_ip"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "gongkai" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Shared by every worker (attempt limits, axes' cache): the database, or Redis when set.
GONGKAI_REDIS_URL = os.environ.get("GONGKAI_REDIS_URL", "")
# PostgreSQL: the index of the full-text vectors, "gin" or "rum" (the rum extension, where
# installed); `gongkai search_index` builds it, `gongkai check --database default` warns when
# the configured one is not in use.
GONGKAI_SEARCH_INDEX = os.environ.get("GONGKAI_SEARCH_INDEX", "gin")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": GONGKAI_REDIS_URL}
        if GONGKAI_REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "gongkai_cache",
        }
    )
}
# Public pages and API lists served from a cache (gongkai.portal.cache), invalidated by a
# generation token in the cache above. The pages: in Redis when set, else in each worker's
# memory (the token stays shared, so no worker serves an older generation).
GONGKAI_PUBLIC_CACHE = env_bool("GONGKAI_PUBLIC_CACHE", True)
GONGKAI_PUBLIC_CACHE_SECONDS = int(os.environ.get("GONGKAI_PUBLIC_CACHE_SECONDS", "300"))
GONGKAI_PUBLIC_MAX_AGE = int(os.environ.get("GONGKAI_PUBLIC_MAX_AGE", "60"))  # browsers, CDN
GONGKAI_PUBLIC_CACHE_MAX_PAGE = int(os.environ.get("GONGKAI_PUBLIC_CACHE_MAX_PAGE", "10"))
GONGKAI_PUBLIC_CACHE_MAX_KB = int(os.environ.get("GONGKAI_PUBLIC_CACHE_MAX_KB", "512"))
CACHES["public_pages"] = (
    {**CACHES["default"], "KEY_PREFIX": "pages"}
    if GONGKAI_REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "gongkai-public-pages",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("GONGKAI_PUBLIC_CACHE_ENTRIES", "1000"))},
    }
)
# Health checks (/healthz) from a load balancer: a job must have started this recently (the
# most frequent job runs every 10 minutes); 0 leaves the scheduler out of the check.
GONGKAI_HEALTH_SCHEDULER_MINUTES = int(os.environ.get("GONGKAI_HEALTH_SCHEDULER_MINUTES", "30"))

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Serve straight from the app folders too, so a fresh clone works without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Staff sessions end after this long without a request: core.middleware.SessionIdleMiddleware
# moves the end on (at most every few minutes, not a database write per request).
SESSION_COOKIE_AGE = int(float(os.environ.get("GONGKAI_SESSION_IDLE_HOURS", "8")) * 3600)

# GONGKAI_HTTPS=1: the site is served over HTTPS (usually TLS ends at the reverse proxy, which
# sets X-Forwarded-Proto): redirect HTTP, HSTS, cookies only over HTTPS.
GONGKAI_HTTPS = env_bool("GONGKAI_HTTPS", False)
SESSION_COOKIE_SECURE = GONGKAI_HTTPS or env_bool("GONGKAI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if GONGKAI_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GONGKAI_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("GONGKAI_HSTS_PRELOAD", True)
    # A load balancer checks health over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Pages that show personal or internal data are never kept by browsers or proxies.
GONGKAI_NO_STORE_PREFIXES = (
    "/workbench/",
    "/admin/",
    "/api/",
    "/foi/",
    "/interaction/track/",
    "/interaction/ask/",
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No CDN, no inline script: every script and style comes from this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Django admin widgets set inline style attributes.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO; fontTools every subset.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- gongkai settings (RULES.md: local or unconfirmed values are settings, not constants) ---

GONGKAI_SITE_NAME = os.environ.get("GONGKAI_SITE_NAME", "示范市人民政府信息公开平台")
GONGKAI_SITE_OWNER = os.environ.get("GONGKAI_SITE_OWNER", "示范市人民政府办公室")
GONGKAI_SITE_ICP = os.environ.get("GONGKAI_SITE_ICP", "")
# Years the calendar accepts at all; beyond them an input is rejected, not guessed.
GONGKAI_CALENDAR_MIN_YEAR = int(os.environ.get("GONGKAI_CALENDAR_MIN_YEAR", "2000"))
GONGKAI_CALENDAR_MAX_YEAR = int(os.environ.get("GONGKAI_CALENDAR_MAX_YEAR", "2099"))
# No statutory period is anywhere near this; it bounds the work one request may ask for.
GONGKAI_CALENDAR_MAX_DAYS = int(os.environ.get("GONGKAI_CALENDAR_MAX_DAYS", "1000"))
# RULES §1 Art.51: remedies and their periods (defaults from the Administrative Review Law and
# the Administrative Litigation Law, editable).
# RULES §5: no national format for index numbers; this default gives 41604893X/2018-01173.
GONGKAI_INDEX_NUMBER_PATTERN = os.environ.get(
    "GONGKAI_INDEX_NUMBER_PATTERN", "{org_code}/{year}-{serial:05d}"
)
GONGKAI_MAX_ATTACHMENT_BYTES = int(os.environ.get("GONGKAI_MAX_ATTACHMENT_MB", "50")) * 1024 * 1024
# Annual reports are due (Art.49): departments (and townships) by 31 January, governments by
# 31 March of the next year ("MM-DD").
GONGKAI_REPORT_DUE_DEPARTMENT = os.environ.get("GONGKAI_REPORT_DUE_DEPARTMENT", "01-31")
GONGKAI_REPORT_DUE_GOVERNMENT = os.environ.get("GONGKAI_REPORT_DUE_GOVERNMENT", "03-31")
GONGKAI_REPORT_DUE_TOWNSHIP = os.environ.get("GONGKAI_REPORT_DUE_TOWNSHIP", "01-31")
GONGKAI_REPORT_REMINDER_DAYS = int(os.environ.get("GONGKAI_REPORT_REMINDER_DAYS", "10"))
# The assessment score's weights (reports.statistics), set by the supervising office.
GONGKAI_STATISTICS_WEIGHTS = os.environ.get(
    "GONGKAI_STATISTICS_WEIGHTS",
    "publication=20,interpretation=10,requests=20,correction=10,tasks=10,feedback=10,"
    "questions=10,concerns=5,coverage=5",
)
# Signed audit checkpoints (`gongkai audit-checkpoint`): ship this folder off the machine.
GONGKAI_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("GONGKAI_AUDIT_CHECKPOINT_DIR") or VAR_DIR / "audit-checkpoints"
)
# Backups (`gongkai backup`, daily by the scheduler): where they go, and how many --prune keeps.
GONGKAI_BACKUP_DIR = Path(os.environ.get("GONGKAI_BACKUP_DIR") or VAR_DIR / "backups")
GONGKAI_BACKUP_KEEP = int(os.environ.get("GONGKAI_BACKUP_KEEP", "14"))
# Archives (DOCX, XLSX, OFD) are checked before they are inflated: a zip bomb is refused at once.
GONGKAI_ZIP_MAX_UNCOMPRESSED_BYTES = (
    int(os.environ.get("GONGKAI_ZIP_MAX_UNCOMPRESSED_MB", "64")) * 1024 * 1024
)
GONGKAI_ZIP_MAX_MEMBERS = int(os.environ.get("GONGKAI_ZIP_MAX_MEMBERS", "2000"))
# How many times a member larger than 1 MB may inflate (real documents stay well under 30).
GONGKAI_ZIP_MAX_RATIO = int(os.environ.get("GONGKAI_ZIP_MAX_RATIO", "100"))
# Text kept from one file, for the personal-information scan and the index.
GONGKAI_MAX_TEXT_CHARS = int(os.environ.get("GONGKAI_MAX_TEXT_CHARS", "2000000"))
GONGKAI_REVIEW_PERIOD_DAYS = int(os.environ.get("GONGKAI_REVIEW_PERIOD_DAYS", "60"))
GONGKAI_LITIGATION_PERIOD_MONTHS = int(os.environ.get("GONGKAI_LITIGATION_PERIOD_MONTHS", "6"))

# --- Disclosure requests (RULES §1 Art.29–42, §2) ---
# Art.33: reply within 20 working days; one extension of at most 20.
# Normative documents (RULES §5): validity periods are local; these are the defaults for a new
# register entry's expiry date, and how far ahead the workbench warns of an expiry.
GONGKAI_NORMATIVE_VALIDITY_YEARS = int(os.environ.get("GONGKAI_NORMATIVE_VALIDITY_YEARS", "5"))
GONGKAI_NORMATIVE_INTERIM_YEARS = int(os.environ.get("GONGKAI_NORMATIVE_INTERIM_YEARS", "2"))
GONGKAI_NORMATIVE_EXPIRY_ALERT_DAYS = int(
    os.environ.get("GONGKAI_NORMATIVE_EXPIRY_ALERT_DAYS", "90")
)
# Interpretations (三同步): published at the latest this many working days after the policy.
GONGKAI_INTERPRETATION_DAYS = int(os.environ.get("GONGKAI_INTERPRETATION_DAYS", "3"))

GONGKAI_FOI_REPLY_DAYS = int(os.environ.get("GONGKAI_FOI_REPLY_DAYS", "20"))
GONGKAI_FOI_MAX_EXTENSION_DAYS = int(os.environ.get("GONGKAI_FOI_MAX_EXTENSION_DAYS", "20"))
# Art.30: clarification asked within 7 working days of receipt; the period given to answer is
# "reasonable" (local practice, a setting).
GONGKAI_FOI_CLARIFICATION_WINDOW_DAYS = int(os.environ.get("GONGKAI_FOI_CLARIFICATION_WINDOW", "7"))
GONGKAI_FOI_CLARIFICATION_ANSWER_DAYS = int(
    os.environ.get("GONGKAI_FOI_CLARIFICATION_ANSWER_DAYS", "15")
)
# Art.32: the third party has 15 working days. Other offices (Art.34) likewise.
GONGKAI_FOI_CONSULTATION_DAYS = int(os.environ.get("GONGKAI_FOI_CONSULTATION_DAYS", "15"))
# RULES §2: pay within 20 working days (secondary source); whether that stops the reply clock is
# unconfirmed, so it is a setting that defaults to yes.
GONGKAI_FOI_FEE_PAYMENT_DAYS = int(os.environ.get("GONGKAI_FOI_FEE_PAYMENT_DAYS", "20"))
GONGKAI_FOI_FEE_STOPS_CLOCK = env_bool("GONGKAI_FOI_FEE_STOPS_CLOCK", True)
GONGKAI_FOI_NUMBER_PREFIX = os.environ.get("GONGKAI_FOI_NUMBER_PREFIX", "YSQ")
# Reminders to handlers, in working days before the due date.
GONGKAI_FOI_REMINDER_DAYS = tuple(int(d) for d in env_list("GONGKAI_FOI_REMINDER_DAYS", "5,1"))
# Public submissions: at most this many per address per hour; the same applicant's identical
# request within this many minutes is a replay.
GONGKAI_FOI_SUBMISSIONS_PER_HOUR = int(os.environ.get("GONGKAI_FOI_SUBMISSIONS_PER_HOUR", "5"))
GONGKAI_FOI_DUPLICATE_MINUTES = int(os.environ.get("GONGKAI_FOI_DUPLICATE_MINUTES", "30"))
GONGKAI_FOI_TRACK_ATTEMPTS_PER_HOUR = int(os.environ.get("GONGKAI_FOI_TRACK_ATTEMPTS", "20"))
GONGKAI_FOI_MAX_ATTACHMENT_BYTES = (
    int(os.environ.get("GONGKAI_FOI_MAX_ATTACHMENT_MB", "10")) * 1024 * 1024
)
# Art.51 remedies named in every reply: the review body and the court, when an office has not
# set its own (Org fields may override later).
GONGKAI_FOI_REVIEW_BODY = os.environ.get("GONGKAI_FOI_REVIEW_BODY", "示范市人民政府")
GONGKAI_FOI_COURT = os.environ.get("GONGKAI_FOI_COURT", "示范市中级人民法院")

# The offline CAPTCHA on the public request form (django-simple-captcha; images drawn locally).
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_TIMEOUT = 10

# Work-plan supervision (gongkai.supervision).
# A fuzzy unit-name match at or above this score (0–100, rapidfuzz ratio) is assigned, shown to
# the reviewer with its score; below it the best candidate is only a suggestion.
GONGKAI_WORKPLAN_FUZZY_MIN = float(os.environ.get("GONGKAI_WORKPLAN_FUZZY_MIN", "85"))
# Remind assigned organisations this many working days before a task's deadline.
GONGKAI_WORKPLAN_REMINDER_DAYS = int(os.environ.get("GONGKAI_WORKPLAN_REMINDER_DAYS", "5"))
# Largest evidence file attached to a progress report.
GONGKAI_WORKPLAN_MAX_EVIDENCE_BYTES = (
    int(os.environ.get("GONGKAI_WORKPLAN_MAX_EVIDENCE_MB", "20")) * 1024 * 1024
)

# Public participation (gongkai.participation).
# Consultations on major decisions run at least 30 days unless a reason is published (重大行政
# 决策程序暂行条例 Art.14); feedback is due this many working days after the period ends.
GONGKAI_CONSULTATION_MIN_DAYS = int(os.environ.get("GONGKAI_CONSULTATION_MIN_DAYS", "30"))
GONGKAI_CONSULTATION_FEEDBACK_DAYS = int(os.environ.get("GONGKAI_CONSULTATION_FEEDBACK_DAYS", "20"))
# Comments and questions from one address per hour (behind GONGKAI_TRUSTED_PROXIES).
GONGKAI_PARTICIPATION_RATE_LIMIT = int(os.environ.get("GONGKAI_PARTICIPATION_RATE_LIMIT", "10"))
GONGKAI_PARTICIPATION_MAX_ATTACHMENT_BYTES = (
    int(os.environ.get("GONGKAI_PARTICIPATION_MAX_ATTACHMENT_MB", "10")) * 1024 * 1024
)
# Answer periods in working days per kind of message (local rules).
GONGKAI_QUESTION_ANSWER_DAYS = {
    "enquiry": int(os.environ.get("GONGKAI_QUESTION_ENQUIRY_DAYS", "5")),
    "suggestion": int(os.environ.get("GONGKAI_QUESTION_SUGGESTION_DAYS", "15")),
    "complaint": int(os.environ.get("GONGKAI_QUESTION_COMPLAINT_DAYS", "15")),
    "mailbox": int(os.environ.get("GONGKAI_QUESTION_MAILBOX_DAYS", "15")),
}
# Whether a transfer (转办) restarts the answer clock at the receiving organisation.
GONGKAI_QUESTION_TRANSFER_RESTARTS_CLOCK = (
    os.environ.get("GONGKAI_QUESTION_TRANSFER_RESTARTS_CLOCK", "1") == "1"
)
GONGKAI_QUESTION_NUMBER_PREFIX = os.environ.get("GONGKAI_QUESTION_NUMBER_PREFIX", "LY")
# Public concerns of 特别重大/重大 severity: authoritative information within 5 hours and a press
# conference within 24 hours of first awareness (RULES §9); alert this many hours before.
GONGKAI_CONCERN_INFO_HOURS = int(os.environ.get("GONGKAI_CONCERN_INFO_HOURS", "5"))
GONGKAI_CONCERN_PRESS_HOURS = int(os.environ.get("GONGKAI_CONCERN_PRESS_HOURS", "24"))
GONGKAI_CONCERN_ALERT_BEFORE_HOURS = int(os.environ.get("GONGKAI_CONCERN_ALERT_BEFORE_HOURS", "1"))
# Websites and new-media accounts (gongkai.sites): flagged 空壳/僵尸 when not updated for this
# many days; whether `sites-refresh` may read feeds on internal addresses.
GONGKAI_SITES_STALE_DAYS = int(os.environ.get("GONGKAI_SITES_STALE_DAYS", "14"))
GONGKAI_SITES_FEED_ALLOW_PRIVATE = os.environ.get("GONGKAI_SITES_FEED_ALLOW_PRIVATE", "") == "1"
# The site self-check (gongkai.sitecheck, 国办秘函〔2019〕19号): the public address (for the IPv6
# check), the veto thresholds of the document, and the crawl bound of a run from the workbench.
GONGKAI_SITE_URL = os.environ.get("GONGKAI_SITE_URL", "")
GONGKAI_SITECHECK_STALE_COLUMNS = int(os.environ.get("GONGKAI_SITECHECK_STALE_COLUMNS", "5"))
GONGKAI_SITECHECK_LONG_STALE_COLUMNS = int(
    os.environ.get("GONGKAI_SITECHECK_LONG_STALE_COLUMNS", "10")
)
GONGKAI_SITECHECK_BLANK_COLUMNS = int(os.environ.get("GONGKAI_SITECHECK_BLANK_COLUMNS", "5"))
GONGKAI_SITECHECK_WEB_MAX_PAGES = int(os.environ.get("GONGKAI_SITECHECK_WEB_MAX_PAGES", "150"))
# Disclosed information the request handler attaches to a reply (gongkai.foi): size of one file.
GONGKAI_FOI_MAX_DISCLOSED_BYTES = (
    int(os.environ.get("GONGKAI_FOI_MAX_DISCLOSED_MB", "50")) * 1024 * 1024
)

# The public site's footer (政府网站发展指引): 网站标识码, 公安机关备案号 (GONGKAI_SITE_ICP above holds
# the ICP number), and the 我为政府网站找错 link — by default the national platform with the
# site code, else the site's own message page.
GONGKAI_SITE_CODE = os.environ.get("GONGKAI_SITE_CODE", "")
GONGKAI_SITE_PSB = os.environ.get("GONGKAI_SITE_PSB", "")
GONGKAI_SITE_ERROR_REPORT_URL = os.environ.get("GONGKAI_SITE_ERROR_REPORT_URL", "")

# django-simple-captcha after the project's apps, so that the project's copy of its widget
# template (gongkai/core/templates/captcha/, a Chinese description of the image) is the one used.
INSTALLED_APPS.remove("captcha")
INSTALLED_APPS.append("captcha")
