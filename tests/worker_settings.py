"""Settings for a real Celery worker started by a test: real Redis, the test database."""

import os

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["REDIS_URL"]
DATABASES["default"]["NAME"] = os.environ["QMS_TEST_DB_NAME"]
DATABASES["default"]["CONN_MAX_AGE"] = 0
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["QMS_TEST_MAIL_DIR"]
# Small batches, so a worker killed mid-sweep has committed some batches and not others.
SWEEP_BATCH_SIZE = 20
