"""The inbox, delivery preference, the deadline calendar and the iCalendar feed."""

from __future__ import annotations

import calendar as pycalendar
import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from accounts.models import Role, User
from core.formatting import MONTHS_ID
from core.pagecache import cached_page
from notifications import ical
from notifications.forms import MonthForm, PreferenceForm
from notifications.models import CalendarToken, EscalationStep, Notification, Preference
from notifications.services import items_for_calendar

FEED_PAST = datetime.timedelta(days=92)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


FEED_AHEAD = datetime.timedelta(days=400)


@login_required
@require_GET
@cached_page
def inbox(request: HttpRequest) -> HttpResponse:
    entries = Notification.objects.for_user(request.user)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {"page": page, "unread": entries.unread().count()}
    return TemplateResponse(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(Notification, pk=pk, recipient=request.user)
    entry.mark_read()
    if request.POST.get("open") and entry.url.startswith("/"):
        return redirect(entry.url)
    if request.htmx:
        return TemplateResponse(request, "notifications/_entry.html", {"entry": entry})
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    return redirect("notifications:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    preference, _created = Preference.objects.get_or_create(user=_user(request))
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Preferensi pemberitahuan disimpan."))
        return redirect("notifications:preferences")
    tokens = CalendarToken.objects.filter(user=_user(request)).active()
    feed_urls = [request.build_absolute_uri(reverse("notifications:feed", args=[t.token])) for t in tokens]
    return TemplateResponse(request, "notifications/preferences.html", {"form": form, "feed_urls": feed_urls})


def _user(request: HttpRequest) -> User:
    """The logged-in user (every view but the feed requires login)."""
    assert isinstance(request.user, User)  # noqa: S101 (login_required guarantees it)
    return request.user


def _month(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    form = MonthForm(request.GET)
    if not form.is_valid():
        return today.year, today.month
    return form.cleaned_data["year"] or today.year, form.cleaned_data["month"] or today.month


@login_required
@require_GET
def calendar_month(request: HttpRequest) -> HttpResponse:
    """A month of deadlines, weeks Monday to Sunday, with links to the previous and next month."""
    year, month = _month(request)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    items = items_for_calendar(user=request.user, start=weeks[0][0], end=weeks[-1][-1])
    by_day: dict[datetime.date, list] = {}
    for item in items:
        by_day.setdefault(item.due_on, []).append(item)
    first = datetime.date(year, month, 1)
    previous = first - datetime.timedelta(days=1)
    following = first + datetime.timedelta(days=32)
    context = {
        "title": f"{MONTHS_ID[month - 1]} {year}",
        "weeks": [[(day, by_day.get(day, []), day.month == month) for day in week] for week in weeks],
        "items": [item for item in items if item.due_on.month == month and item.due_on.year == year],
        "previous": previous,
        "following": following,
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "notifications/calendar.html", context)


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed: the token in the URL is the only credential (calendar apps send no cookie)."""
    row = CalendarToken.objects.active().select_related("user").filter(token=token).first()
    if row is None or not row.user.is_active:
        raise Http404
    today = timezone.localdate()
    items = items_for_calendar(user=row.user, start=today - FEED_PAST, end=today + FEED_AHEAD)
    name = _("Tenggat MoU Tracker: %(user)s") % {"user": row.user}
    body = ical.feed(items, name=name, stamp=timezone.now(), base_url=getattr(settings, "SITE_URL", ""))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """A new feed URL; the old ones stop working (a leaked URL is fixed by making a new one)."""
    for row in CalendarToken.objects.filter(user=_user(request)).active():
        row.revoke()
    CalendarToken.objects.create(user=_user(request))
    messages.success(request, _("Tautan kalender baru dibuat; tautan lama tidak berlaku lagi."))
    return redirect("notifications:preferences")


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    for row in CalendarToken.objects.filter(user=_user(request)).active():
        row.revoke()
    messages.success(request, _("Tautan kalender dicabut."))
    return redirect("notifications:preferences")


@login_required
@require_GET
def escalations(request: HttpRequest) -> HttpResponse:
    """The escalation log of a year, for the secretariat, leadership and the annual M&E report."""
    user = _user(request)
    if not (user.is_secretariat or user.role == Role.LEADERSHIP):
        raise PermissionDenied
    year = _month(request)[0]
    steps = EscalationStep.objects.in_year(year).prefetch_related("notified")
    return TemplateResponse(request, "notifications/escalations.html", {"steps": steps, "year": year})
