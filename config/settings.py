"""Pokin settings, driven by the environment.

Production differs from development only by environment variables:
DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS.
"""

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url

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
SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret_key()
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
    "csp",
    "axes",
    "dinas",
    "pohon",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
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
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "SAMEORIGIN"  # django-mptt's admin and the import preview use no frames elsewhere

IMPORT_EXPORT_USE_TRANSACTIONS = True

# Electronic signature of issued documents (pohon/signing.py). The PKCS#12 file and its
# passphrase never live in the repository: development uses a self-signed certificate made by
# `python manage.py make_dev_certificate` under the git-ignored var/; production points
# POKIN_SIGNING_P12 at the agency's certificate and passes POKIN_SIGNING_PASSPHRASE. Without
# the variable the passphrase is read, when needed, from the file beside the p12 ("<name>.pass").
POKIN_SIGNING_P12 = Path(os.environ.get("POKIN_SIGNING_P12") or BASE_DIR / "var" / "signing" / "pokin-dev.p12")
POKIN_SIGNING_PASSPHRASE = os.environ.get("POKIN_SIGNING_PASSPHRASE") or None
# The public address printed under the QR code; it must be reachable by whoever scans it.
POKIN_VERIFY_BASE_URL = os.environ.get("POKIN_VERIFY_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Largest PDF accepted by the public verification page; larger requests are refused unread.
POKIN_MAX_UPLOAD_BYTES = int(os.environ.get("POKIN_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))

# Spreadsheet imports (trees, organisation table): larger files and longer sheets are refused
# with a message before anything is read into the database.
POKIN_IMPORT_MAX_BYTES = int(os.environ.get("POKIN_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
POKIN_IMPORT_MAX_ROWS = int(os.environ.get("POKIN_IMPORT_MAX_ROWS", "50000"))

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
        "frame-ancestors": ["'self'"],
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
