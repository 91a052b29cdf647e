"""Start processing a received file: inline when small, in a Celery task when large. Browser and API share it.

The command line always processes inline (``exchange_upload``); underneath, all three call
:func:`dataexchange.services.submission_receive` and :func:`dataexchange.services.submission_process`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from dataexchange import services, tasks
from dataexchange.models import Submission


def submission_start(submission: Submission, *, new: bool) -> tuple[Submission, bool]:
    """``(submission, queued)``: a re-upload is not processed again; a large new file goes to the worker."""
    if not new:
        return submission, False
    if submission.size > settings.EXCHANGE_ASYNC_MIN_BYTES:
        transaction.on_commit(lambda: tasks.process_submission.delay(submission.pk))
        return submission, True
    return services.submission_process(submission_id=submission.pk), False
