"""The Celery application: tasks are thin and call services (see each app's tasks.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openplatform.settings")

app = Celery("openplatform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
