"""Whole read-only pages cached under the database snapshot that produced them (issue 8's load targets).

A list page is the same bytes for the same reader as long as nothing in the database has changed,
yet rendering it costs three to five times the stack's own floor. ``cached_page`` (a view's
decorator) and ``cached_get`` (an API view's ``get``) serve the bytes rendered for the same request
when the database is provably in the same state, and render afresh otherwise.

The state is PostgreSQL's own: ``pg_current_snapshot()`` names the highest transaction id assigned
and the transactions still running, so two equal snapshots see exactly the same committed rows,
in every table. Any committed write anywhere (an upload, a verification, a ``QuerySet.update()``,
raw SQL, the admin, another process) gives the next reader a new snapshot and a fresh page; there
is no signal or invalidation list to keep complete. The snapshot is read before the page is built,
so a page is never older than its key (a commit in between makes it newer, under a key no later
reader will have).

The key also carries whatever else the page depends on: the path with its query, the language,
today's date in Asia/Jakarta (deadlines and "late" flags), the user, the session, the CSRF secret
(the page's forms carry a token masked from it), the headers that choose a rendering (``Accept``,
htmx), the database and a token drawn when the process starts (a deploy's new templates never meet
an old page). So a page is only ever served to the same user in the same session, and only after
the view's own access checks have run once in that state. Sessions live in the database, so a
change to one is a write like any other; a page that shows anything kept elsewhere (the upload
progress in Redis, say) must not be decorated.

Not cached: anything but a 200 GET, a request inside a transaction (its own uncommitted writes
are not in the snapshot: tests, or a view called from another), a request with messages waiting
(the page would show and consume them), and a render that created a new CSRF secret, set a
cookie or streamed.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone, translation

PROCESS_TOKEN = secrets.token_hex(8)
PAGE_SECONDS = 10 * 60  # a bound on memory only: equal keys mean equal data whatever the age
CHOOSING_HEADERS = ("Accept", "HX-Request", "HX-Target", "HX-Trigger", "HX-Boosted", "Authorization")

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def database_state() -> str:
    """The current snapshot (``xmin:xmax:running``): equal values see the same committed rows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return str(cursor.fetchone()[0])


def page_key(request: HttpRequest) -> str | None:
    """The cache key of this request's page, or None when it must be rendered (see the module)."""
    if request.method != "GET" or connection.in_atomic_block or len(get_messages(request)):
        return None
    session = getattr(request, "session", None)
    parts = (
        PROCESS_TOKEN,
        connection.settings_dict["NAME"],
        database_state(),
        request.get_full_path(),
        translation.get_language(),
        timezone.localdate().isoformat(),
        request.user.pk,
        session.session_key if session is not None else None,
        request.META.get("CSRF_COOKIE"),
        [request.headers.get(name) for name in CHOOSING_HEADERS],
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def serve(request: HttpRequest, render: Callable[[], HttpResponseBase]) -> HttpResponseBase:
    """The page stored under this request's key, or ``render()``'s, stored once it is rendered."""
    key = page_key(request)
    if key is None:
        return render()
    stored = cache.get(key)
    if stored is not None:
        content, status, headers = stored
        return HttpResponse(content, status=status, headers=headers)
    csrf_secret = request.META.get("CSRF_COOKIE")
    response = render()

    def store(rendered: HttpResponseBase) -> None:
        if rendered.status_code != 200 or rendered.streaming or rendered.cookies:
            return
        if request.META.get("CSRF_COOKIE") != csrf_secret:  # a new secret: the cookie is not sent yet
            return
        cache.set(key, (rendered.content, rendered.status_code, dict(rendered.items())), PAGE_SECONDS)  # type: ignore[attr-defined]

    if getattr(response, "is_rendered", True):
        store(response)
    else:
        response.add_post_render_callback(store)  # type: ignore[attr-defined]  # a TemplateResponse
    return response


def cached_page(view: View) -> View:
    """A read-only page's view, served from the cache while the database and the reader are the same.

    Put it below ``login_required`` and any check that must run before the page is built.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return serve(request, lambda: view(request, *args, **kwargs))

    return wrapper  # type: ignore[return-value]


def cached_get(method: View) -> View:
    """An API view's ``get``, cached as ``cached_page`` is: DRF has authenticated the user and checked
    the permissions and throttles before ``get`` is called, and renders the answer afterwards."""

    @wraps(method)
    def wrapper(self: Any, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return serve(request, lambda: method(self, request, *args, **kwargs))

    return wrapper  # type: ignore[return-value]
