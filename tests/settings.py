"""Settings for the test suite: the real PostgreSQL, tasks in-process, fast hashing.

The Celery fault tests start their own worker against the real Redis broker (``REDIS_URL``).
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qms")
os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key-not-for-any-deployment-0123456789")

from qms.settings import *  # noqa: E402,F403
from qms.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
STATISTICS_CACHE_SECONDS = (
    0  # statistics always live in tests; tests/reports/test_snapshots.py turns it on
)
# The suite runs with DEBUG off but a per-process cache and the development SITE_URL on purpose;
# tests/qms/test_settings.py and test_client_ip.py exercise these checks themselves.
SILENCED_SYSTEM_CHECKS = ["qms.E001", "qms.E003"]
