"""gunicorn's settings for every way this project starts it (``make run``, docker-compose, the load
test): gunicorn reads ``./gunicorn.conf.py`` from the directory it starts in, the project's root.

Its access log (``--access-logfile``, off unless asked for) writes each request line, query string
included, and its error log a worker's tracebacks: both go through ``core.logmask.MaskNIK`` like
Django's and Celery's handlers, so a NIK in a URL is never written whole.
"""

import logging


def post_worker_init(worker: object) -> None:
    """In each worker, once the application (and so Django) is loaded: the NIK mask on gunicorn's loggers."""
    from core.logmask import MaskNIK

    for name in ("gunicorn.access", "gunicorn.error"):
        logging.getLogger(name).addFilter(MaskNIK())
