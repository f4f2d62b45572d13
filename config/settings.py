"""Pokin settings, driven by the environment.

Production differs from development only by environment variables: DATABASE_URL, SECRET_KEY,
DEBUG, ALLOWED_HOSTS and the POKIN_* ones (README, "Production"). With DEBUG off the settings
fail closed: no SECRET_KEY, no start; cookies Secure, HSTS and the redirect to HTTPS are on
unless POKIN_PLAIN_HTTP=1 says the site is served over plain HTTP on an intranet.
"""

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _development_secret_key() -> str:
    # No secret lives in the repository: without SECRET_KEY a random key is made once per
    # checkout and kept in a git-ignored file, so sessions survive restarts in development.
    key_file = BASE_DIR / ".dev-secret-key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        return key


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # Never a generated key outside development: a key file made on one app server would
        # differ from the next one's, and a lost file would silently log everybody out.
        raise ImproperlyConfigured(
            "SECRET_KEY belum diisi. Isi variabel lingkungan SECRET_KEY (rahasia, acak, minimal 50 karakter), "
            "atau jalankan dengan DEBUG=1 untuk pengembangan."
        )
    SECRET_KEY = _development_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "mptt",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "core",
    "csp",
    "axes",
    "dinas",
    "pohon",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files before anything else reads the request: hashed names, compressed, cached forever.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML compressed (Django adds random bytes to each gzip header against BREACH, and masks the
    # CSRF token per response).
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Every history entry a request writes is one event on the history page.
    "pohon.middleware.RiwayatPeristiwaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a login refused for a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections, checked before each request reuses one: measured 1.2-3.8x
        # the throughput of a new connection per request on PostgreSQL.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if os.environ.get("POKIN_JOB_DATABASE_NAME"):
    # A job's child process (core.jobs) uses exactly its parent's database, e.g. the test database.
    DATABASES["default"]["NAME"] = os.environ["POKIN_JOB_DATABASE_NAME"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes a second writer wait for the first one's lock instead of failing
    # with "database is locked" when its read transaction tries to upgrade to a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file, not Django's shared-cache in-memory database: in shared-cache mode SQLite
    # locks per table and fails at once instead of waiting, so concurrency could not be tested.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("POKIN_TEST_SQLITE") or f"{tempfile.gettempdir()}/pokin-test-{os.getpid()}.sqlite3"
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production (DEBUG off): collectstatic writes hashed, compressed copies that WhiteNoise serves
    # with a year's cache; development serves the files as they are.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Pokin stores nothing on local disk (uploads, jobs, documents are in the database), so that
# several app servers can share one PostgreSQL; the setting stays for Django's default storage.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # no page of Pokin is meant to be shown in a frame, its own included
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS. With DEBUG off everything is on unless POKIN_PLAIN_HTTP=1 (an intranet served over plain
# HTTP, a decision the README asks to make knowingly). Behind a TLS proxy (nginx) set
# POKIN_PROXY_SSL_HEADER=1 so that Django trusts the proxy's X-Forwarded-Proto; the proxy must
# set that header itself and strip any the client sends.
POKIN_PLAIN_HTTP = env_bool("POKIN_PLAIN_HTTP", default=DEBUG)
HTTPS = not POKIN_PLAIN_HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("POKIN_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("POKIN_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("POKIN_HSTS_PRELOAD", default=False)
if env_bool("POKIN_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health endpoint answers the load balancer over plain HTTP on the private side.
SECURE_REDIRECT_EXEMPT = [r"^sehat/$"]
SILENCED_SYSTEM_CHECKS = [
    # Preloading the domain into browsers' HSTS lists is the domain owner's decision, made once
    # for the Pemda's whole domain (POKIN_HSTS_PRELOAD=1), not a default of one application.
    "security.W021",
]
if POKIN_PLAIN_HTTP and not DEBUG:
    # Turned off on purpose by POKIN_PLAIN_HTTP=1: say so once instead of four warnings.
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008", "security.W012", "security.W016"]

IMPORT_EXPORT_USE_TRANSACTIONS = True

# Electronic signature of issued documents (pohon/signing.py). The PKCS#12 file and its
# passphrase never live in the repository: development uses a self-signed certificate made by
# `python manage.py make_dev_certificate` under the git-ignored var/; production points
# POKIN_SIGNING_P12 at the agency's certificate and passes POKIN_SIGNING_PASSPHRASE. Without
# the variable the passphrase is read, when needed, from the file beside the p12 ("<name>.pass").
POKIN_SIGNING_P12 = Path(os.environ.get("POKIN_SIGNING_P12") or BASE_DIR / "var" / "signing" / "pokin-dev.p12")
POKIN_SIGNING_PASSPHRASE = os.environ.get("POKIN_SIGNING_PASSPHRASE") or None
# Where the development server listens (scripts/serve: `POKIN_ADDRESS=8080 scripts/serve`):
# host:port, or a port alone on 127.0.0.1, as runserver takes it.
POKIN_ADDRESS = os.environ.get("POKIN_ADDRESS", "127.0.0.1:8000")
# The public address printed under the QR code; it must be reachable by whoever scans it.
# Production sets it; without it, it is the development server's own address, so that the
# demo's signed document leads to the port actually served, not a fixed 8000.
POKIN_VERIFY_BASE_URL = os.environ.get(
    "POKIN_VERIFY_BASE_URL",
    "http://" + (POKIN_ADDRESS if ":" in POKIN_ADDRESS else f"127.0.0.1:{POKIN_ADDRESS}"),
).rstrip("/")
# Largest PDF accepted by the public verification page; larger requests are refused unread.
POKIN_MAX_UPLOAD_BYTES = int(os.environ.get("POKIN_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))

# Spreadsheet imports (trees, organisation table): larger files and longer sheets are refused
# with a message before anything is read into the database.
POKIN_IMPORT_MAX_BYTES = int(os.environ.get("POKIN_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
POKIN_IMPORT_MAX_ROWS = int(os.environ.get("POKIN_IMPORT_MAX_ROWS", "50000"))

# Logging: everything to standard output (systemd's journal or the container's log collects it),
# each line with the request id that the X-Request-ID response header also carries; every
# server error with its traceback (django.request logs it).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("POKIN_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        # One line per 404 bot probe is noise; 4xx stay in the access log of gunicorn or nginx.
        "django.security.DisallowedHost": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
        # WeasyPrint narrates every step of every render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every login and every reset at INFO; lockouts are its WARNINGs.
        "axes": {"level": "WARNING"},
    },
}

# Background work (core.jobs) on Django's task API: the django-tasks backport with its database
# backend, so no other service is needed; a Redis/RQ or Celery backend can replace it by setting.
# `python manage.py pokin_worker` runs the jobs (scripts/serve and scripts/production start it).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("POKIN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Who may see a job's page and file: the members of its agency and whoever asked for it.
POKIN_JOB_ACCESS = "dinas.selectors.user_may_see_job"
# Each job runs in a child process of the worker with these limits, so that a runaway render
# stops with a message instead of taking the worker (or the machine) down with it.
POKIN_JOB_ISOLATION = env_bool("POKIN_JOB_ISOLATION", default=True)
POKIN_JOB_TIME_LIMIT = int(os.environ.get("POKIN_JOB_TIME_LIMIT", "600"))  # seconds
POKIN_JOB_MEMORY_LIMIT_MB = int(os.environ.get("POKIN_JOB_MEMORY_LIMIT_MB", "3072"))  # address space
# and this much lower CPU priority than the web server (nice), so that pages stay quick meanwhile.
POKIN_JOB_NICE = int(os.environ.get("POKIN_JOB_NICE", "10"))
# A worker is taken as alive while its heartbeat is younger than this (the health endpoint).
POKIN_WORKER_HEARTBEAT_MAX_AGE = int(os.environ.get("POKIN_WORKER_HEARTBEAT_MAX_AGE", "60"))
# Draft PDFs of trees with more nodes than this are made in the background, not in the request.
POKIN_PDF_INLINE_MAX_NODES = int(os.environ.get("POKIN_PDF_INLINE_MAX_NODES", "400"))
# Content Security Policy (django-csp). Every script, stylesheet, font and image is one of our
# own static files, so the browser is told to run nothing else: no inline <script>, no inline
# event handler (onclick=...), no eval, no style="..." attribute, no <style> element. htmx runs
# with allowEval and allowScriptTags off and without its injected indicator styles (the
# htmx-config meta tag in templates/base.html). The admin pages we use (Django's, django-mptt's
# draggable tree, our import pages) pass data in <script type="application/json"> or data-*
# attributes, which the policy does not block. tests/browser/test_csp.py loads the key pages and
# fails on any violation. img-src also admits data: URLs, which fetch nothing from elsewhere
# (no page of ours uses one today; images drawn in place, such as a QR code, may).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],  # like X-Frame-Options DENY: no page is meant for a frame
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Login throttling (django-axes). Its backend comes first and refuses every login of a locked
# username from a locked address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failures lock that username from that address for 30 minutes; a further try while locked
# starts the 30 minutes again. The pair, not the address alone, so that colleagues behind one
# office router are not locked out together, nor the username alone, so that a stranger cannot
# lock a user out from anywhere; the price is that each address has its own five tries at each
# account. The page says so in Indonesian (dinas/login.py).
# An admin unlocks by deleting the attempt in the admin (Axes > Access attempts) or with
# `python manage.py axes_reset_username USERNAME`.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = 0.5  # hours
AXES_RESET_ON_SUCCESS = True  # a successful login forgets that pair's earlier failures
AXES_LOCKOUT_CALLABLE = "dinas.login.lockout_response"
AXES_CLIENT_IP_CALLABLE = "dinas.login.client_ip"
# How many reverse proxies (e.g. nginx) stand in front of Django and append the client address
# to X-Forwarded-For. 0 (the default): Django is reached directly and REMOTE_ADDR is the client.
# Set POKIN_BEHIND_PROXY=1 behind one nginx; never when clients can reach Django directly, since
# they could then forge the header to escape the lock (dinas/login.py client_ip).
POKIN_BEHIND_PROXY = int(os.environ.get("POKIN_BEHIND_PROXY") or 0)

# An .xlsx is a zip of XML: what it may unpack to, and how many cells and shared strings it may
# hold, checked before openpyxl parses it (a 240 KB file once unpacked to 80 MB and cost a minute).
POKIN_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("POKIN_IMPORT_MAX_UNPACKED_BYTES", str(40 * 1024 * 1024)))
POKIN_IMPORT_MAX_CELLS = int(os.environ.get("POKIN_IMPORT_MAX_CELLS", "600000"))
POKIN_IMPORT_MAX_SHARED_STRINGS = int(os.environ.get("POKIN_IMPORT_MAX_SHARED_STRINGS", "250000"))
