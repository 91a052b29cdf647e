"""The Celery application: tasks are discovered in each app's ``tasks.py``."""

import os
from typing import Any

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mou_tracker.settings")

app = Celery("mou_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def mask_nik_in_worker_logs(logger: Any, **kwargs: Any) -> None:
    """The worker sets up its own handlers (not Django's LOGGING): they mask NIKs too (core.logmask)."""
    from core.logmask import MaskNIK

    for handler in logger.handlers:
        handler.addFilter(MaskNIK())
