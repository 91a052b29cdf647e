"""Delivering what is due: the inbox, immediate email, the daily digest and the escalation ladder.

Every function here is keyword-only and safe to run twice: inbox entries are unique per
recipient and key, a digest is unique per user and day, an escalation step per item and level.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from core.formatting import tanggal
from core.workdays import WorkdayCalendar, add_working_days
from notifications.models import Digest, EscalationStep, Notification, Preference, UnitHead
from notifications.registry import DueItem, due_items

logger = logging.getLogger(__name__)


def notify(*, users: Iterable[User], key: str, subject: str, body: str = "", url: str = "") -> list[Notification]:
    """Put a notice in each user's inbox once per ``key``; users who chose "immediate" get it by email too.

    Returns the entries created now (none for users who already had this key). The email goes
    out after the transaction commits, so a rolled-back change never mails anybody.
    """
    created = []
    for user in {u.pk: u for u in users}.values():
        entry, is_new = Notification.objects.get_or_create(
            recipient=user, key=key, defaults={"subject": subject[:300], "body": body, "url": url}
        )
        if is_new:
            created.append(entry)
    chose_immediate = set(
        Preference.objects.filter(
            user__in=[entry.recipient_id for entry in created], delivery=Preference.Delivery.IMMEDIATE
        ).values_list("user_id", flat=True)
    )
    immediate = [entry.pk for entry in created if entry.recipient_id in chose_immediate]
    if immediate:
        transaction.on_commit(lambda: notifications_email(notification_ids=immediate))
    return created


def _absolute(url: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") else url


def notifications_email(*, notification_ids: list[int]) -> int:
    """Email inbox entries one by one (immediate delivery); entries already emailed are skipped.

    Each entry is claimed by a conditional UPDATE before its mail goes, so two runs at the same
    moment (two beats) send it once; a mail that fails is released for the next run.
    """
    sent = 0
    entries = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related("recipient")
    for entry in entries:
        if not entry.recipient.email:
            continue
        unsent = Notification.objects.filter(pk=entry.pk, emailed_at__isnull=True)
        if not unsent.update(emailed_at=timezone.now()):
            continue  # the other run took it
        body = render_to_string("notifications/email/notification.txt", {"entry": entry, "link": _absolute(entry.url)})
        try:
            send_mail(entry.subject, body, None, [entry.recipient.email])
        except Exception:
            Notification.objects.filter(pk=entry.pk).update(emailed_at=None)
            raise
        sent += 1
    return sent


def lookahead_end(today: datetime.date) -> datetime.date:
    """The last day a digest calls "due soon": this many working days ahead (setting)."""
    return add_working_days(today, settings.NOTIFICATIONS_LOOKAHEAD_WORKING_DAYS)


def items_by_user(*, until: datetime.date) -> dict[int, list[DueItem]]:
    """Open items due on or before ``until``, per recipient, each list ordered by due date."""
    result: dict[int, list[DueItem]] = defaultdict(list)
    for item in due_items(until=until):
        for user_id in item.recipients:
            result[user_id].append(item)
    for items in result.values():
        items.sort(key=lambda item: (item.due_on, item.title))
    return result


@dataclass
class DigestResult:
    sent: int = 0
    skipped_empty: int = 0
    already_sent: int = 0
    immediate: int = 0
    users: list[str] = field(default_factory=list)
    planned: list[tuple[str, str, int]] = field(default_factory=list)  # dry run: user, delivery, items


def digests_send(*, today: datetime.date, dry_run: bool = False) -> DigestResult:
    """The daily run: one digest per digest-mode user with something due or new, never an empty one.

    Users who chose immediate delivery get one inbox entry (and email) per due item and state
    ("segera jatuh tempo", "terlambat") instead, each once. ``dry_run`` only lists who would
    get how many items (``planned``): nothing is sent or recorded.
    """
    result = DigestResult()
    due = items_by_user(until=lookahead_end(today))
    pending = set(Notification.objects.not_emailed().values_list("recipient_id", flat=True))
    users = User.objects.filter(pk__in=set(due) | pending, is_active=True)
    for user in users.select_related("notification_preference").order_by("username"):
        preference = getattr(user, "notification_preference", None)
        items = due.get(user.pk, [])
        delivery = preference.delivery if preference else Preference.Delivery.DIGEST
        if dry_run:
            count = len(items) + Notification.objects.for_user(user).not_emailed().count()
            result.planned.append((user.get_username(), str(delivery), count))
            continue
        if delivery == Preference.Delivery.IMMEDIATE:
            result.immediate += len(_notify_items(user=user, items=items, today=today))
            # Entries from before the switch to immediate delivery are not left unsent.
            earlier = list(Notification.objects.for_user(user).not_emailed().values_list("pk", flat=True))
            transaction.on_commit(partial(notifications_email, notification_ids=earlier))
            continue
        _send_digest(user=user, items=items, today=today, result=result)
    return result


def _notify_items(*, user: User, items: list[DueItem], today: datetime.date) -> list[Notification]:
    created = []
    for item in items:
        state = "terlambat" if item.due_on < today else "segera"
        subject = _("Terlambat: %(title)s") if state == "terlambat" else _("Segera jatuh tempo: %(title)s")
        created += notify(
            users=[user],
            key=f"due:{item.key}:{item.due_on:%Y%m%d}:{state}",
            subject=subject % {"title": item.title},
            url=item.url,
        )
    return created


def _send_digest(*, user: User, items: list[DueItem], today: datetime.date, result: DigestResult) -> None:
    entries = list(Notification.objects.for_user(user).not_emailed().order_by("created_at"))
    if not items and not entries:
        result.skipped_empty += 1
        return
    if not user.email:
        return
    try:
        with transaction.atomic():
            Digest.objects.create(user=user, day=today, item_count=len(items) + len(entries))
            overdue = [item for item in items if item.due_on < today]
            soon = [item for item in items if item.due_on >= today]
            context = {
                "user": user,
                "today": today,
                "overdue": overdue,
                "soon": soon,
                "entries": entries,
                "site": getattr(settings, "SITE_URL", ""),
            }
            body = render_to_string("notifications/email/digest.txt", context)
            subject = _("Ringkasan harian MoU Tracker: %(count)s butir") % {"count": len(items) + len(entries)}
            send_mail(subject, body, None, [user.email])
            Notification.objects.filter(pk__in=[e.pk for e in entries]).update(emailed_at=timezone.now())
    except IntegrityError:
        result.already_sent += 1
        return
    result.sent += 1
    result.users.append(user.get_username())


def _ladder_targets(level: int, item: DueItem) -> list[User]:
    users = User.objects.filter(is_active=True)
    if level == EscalationStep.Level.STAFF:
        return list(users.filter(pk__in=item.recipients))
    if level == EscalationStep.Level.HEAD:
        if item.organization_id is None:
            return []
        heads = UnitHead.objects.filter(organization_id=item.organization_id).values("user_id")
        return list(users.filter(pk__in=heads))
    return list(users.filter(role=Role.SECRETARIAT))


LEVEL_SUBJECTS: dict[int, str] = {
    EscalationStep.Level.STAFF: gettext_noop("Terlambat %(days)s hari kerja: %(title)s"),
    EscalationStep.Level.HEAD: gettext_noop("Eskalasi ke kepala unit (%(days)s hari kerja terlambat): %(title)s"),
    EscalationStep.Level.SECRETARIAT: gettext_noop(
        "Eskalasi ke sekretariat (%(days)s hari kerja terlambat): %(title)s"
    ),
}


@transaction.atomic
def escalations_run(*, today: datetime.date) -> list[EscalationStep]:
    """Climb the ladder for items still open after their deadline: staff, head of unit, secretariat.

    A level is reached after ``NOTIFICATIONS_ESCALATION_WORKING_DAYS`` (one threshold per level)
    working days overdue. Each step is logged once per item and level, with who was told.
    """
    thresholds = settings.NOTIFICATIONS_ESCALATION_WORKING_DAYS
    overdue = list(due_items(until=today - datetime.timedelta(days=1)))
    if not overdue:
        return []
    calendar = WorkdayCalendar(min(item.due_on for item in overdue), today)
    done = set(EscalationStep.objects.filter(item_key__in=[i.key for i in overdue]).values_list("item_key", "level"))
    steps = []
    for item in overdue:
        late = calendar.between(item.due_on, today)
        for level, threshold in zip(EscalationStep.Level.values, thresholds, strict=True):
            if late >= threshold and (item.key, level) not in done:
                step = _escalate(item=item, level=level, late=late, today=today)
                steps += [step] if step else []
    return steps


def _escalate(*, item: DueItem, level: int, late: int, today: datetime.date) -> EscalationStep | None:
    try:
        with transaction.atomic():  # a savepoint: a run at the same moment that took this step first wins
            step = EscalationStep.objects.create(
                item_key=item.key,
                item_title=item.title[:300],
                source=item.source,
                due_on=item.due_on,
                level=level,
                escalated_on=today,
                working_days_overdue=late,
            )
    except IntegrityError:
        return None
    targets = _ladder_targets(level, item)
    step.notified.set(targets)
    subject = _(LEVEL_SUBJECTS[level]) % {"days": late, "title": item.title}
    notify(users=targets, key=f"escalation:{item.key}:{level}", subject=subject, url=item.url)
    return step


def items_for_calendar(*, user: Any, start: datetime.date, end: datetime.date) -> list[DueItem]:
    """Open items due from ``start`` to ``end`` that ``user`` must act on (the secretariat sees all)."""
    sees_all = getattr(user, "is_secretariat", False)
    items = [
        item
        for item in due_items(until=end)
        if item.due_on >= start and (sees_all or user.pk in item.recipients)  # type: ignore[attr-defined]
    ]
    return sorted(items, key=lambda item: (item.due_on, item.title))


def escalation_summary(*, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The escalation steps taken between ``start`` and ``end``, for the annual report (Pasal 11).

    JSON-ready and in printed order (the evaluation snapshot stores it): the steps per ladder
    level, and one row per item escalated with the highest level it reached, when, and how late.
    """
    steps = EscalationStep.objects.filter(escalated_on__range=(start, end)).order_by("level", "escalated_on")
    counts = {level: 0 for level in EscalationStep.Level.values}
    highest: dict[str, EscalationStep] = {}
    for step in steps:
        counts[step.level] += 1
        highest[step.item_key] = step  # ordered by level: the last one is the highest
    rows = [
        {
            "title": step.item_title,
            "source": step.source,
            "due_on": tanggal(step.due_on),
            "level": str(step.get_level_display()),
            "escalated_on": tanggal(step.escalated_on),
            "working_days_overdue": step.working_days_overdue,
        }
        for step in sorted(highest.values(), key=lambda s: (s.due_on, s.item_title))
    ]
    levels = [{"label": str(EscalationStep.Level(level).label), "count": n} for level, n in counts.items()]
    return {"total": sum(counts.values()), "levels": levels, "items": rows}
