"""The quarterly schedule of Program 2: open periods, remind senders, mark overdue. All idempotent.

Each function is what one Celery beat task calls with today's date in Asia/Jakarta. Running one
twice, or from two beats at once, changes nothing the second time: periods are created against
the ``period_one_per_unit_quarter`` constraint (``ignore_conflicts``), and reminders and overdue
marks are claimed by a conditional ``UPDATE`` that only one caller can win per period.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from core.templatetags.indonesia import tanggal
from core.workdays import WorkdayCalendar
from dataexchange.models import (
    Cadence,
    DataRow,
    ExchangePeriod,
    MembershipRecord,
    PersonRecord,
    Stream,
    Submission,
    SubmissionError,
)
from dataexchange.services import latest_membership, period_due_on, quarter_start
from workplan.models import Institution, quarter_of

logger = logging.getLogger(__name__)


def periods_open(*, today: datetime.date) -> int:
    """Open this quarter's period for every sender of every active quarterly stream while the MoU is in force."""
    year, quarter = today.year, quarter_of(today)
    with transaction.atomic():
        # Two beats at once: the second waits on the streams' locks, then counts the first one's periods
        # as already open (the unique constraint alone keeps the rows single, not the count right).
        streams = (
            Stream.objects.filter(
                cadence=Cadence.QUARTERLY,
                is_active=True,
                agreement__starts_on__lte=today,
                agreement__ends_on__gte=today,
            )
            .select_related("agreement")
            .prefetch_related("senders")
            .select_for_update(of=("self",))
        )
        calendar = WorkdayCalendar.around(quarter_start(year, quarter), 60)
        new = []
        for stream in streams:
            # the MoU's first quarter opens on the day it takes effect, not before
            opens_on = max(quarter_start(year, quarter), stream.agreement.starts_on)
            due_on = period_due_on(stream, opens_on, calendar)
            new += [ExchangePeriod(stream=stream, unit=unit, year=year, quarter=quarter, opens_on=opens_on,
                                   due_on=due_on) for unit in stream.senders.all()]  # fmt: skip
        before = ExchangePeriod.objects.filter(year=year, quarter=quarter).count()
        ExchangePeriod.objects.bulk_create(new, ignore_conflicts=True)
        opened = ExchangePeriod.objects.filter(year=year, quarter=quarter).count() - before
    logger.info("exchange periods %sQ%s: %s opened", year, quarter, opened)
    return opened


def periods_remind(*, today: datetime.date) -> list[ExchangePeriod]:
    """Remind each undelivered period's senders once, ``EXCHANGE_REMINDER_WORKING_DAYS`` hari kerja before due."""
    days = settings.EXCHANGE_REMINDER_WORKING_DAYS
    calendar = WorkdayCalendar.around(today, days)
    last_due = calendar.add(today, days)
    candidates = ExchangePeriod.objects.open().filter(reminded_on=None, due_on__gte=today, due_on__lte=last_due)
    reminded = []
    for period in candidates.select_related("stream", "unit"):
        with transaction.atomic():
            claimed = ExchangePeriod.objects.filter(pk=period.pk, reminded_on=None).update(reminded_on=today)
            if claimed:
                _send_reminder(period)
                reminded.append(period)
    return reminded


def periods_mark_overdue(*, today: datetime.date) -> int:
    """Mark every undelivered period past its due date, once."""
    return (
        ExchangePeriod.objects.open().filter(due_on__lt=today, overdue_marked_on=None).update(overdue_marked_on=today)
    )


def senders_of(period: ExchangePeriod) -> list[str]:
    """The people who send for the period's unit: its dinas staff, or BPJS officers for a BPJS office."""
    role = Role.BPJS_OFFICER if period.unit.institution == Institution.BPJS else Role.DINAS_STAFF
    users = period.unit.users.filter(role=role, is_active=True).exclude(email="")
    return list(users.values_list("email", flat=True))


def _send_reminder(period: ExchangePeriod) -> None:
    recipients = senders_of(period)
    if not recipients:
        return
    subject = _("Pengingat: data %(code)s %(label)s jatuh tempo %(due)s") % {
        "code": period.stream.code, "label": period.label, "due": tanggal(period.due_on),
    }  # fmt: skip
    body = _(
        "Data %(title)s untuk periode %(label)s dari %(unit)s belum dikirim. Batas kirim: %(due)s. "
        "Unggah berkas melalui halaman Pertukaran Data."
    ) % {"title": period.stream.title, "label": period.label, "unit": period.unit.short_name,
         "due": tanggal(period.due_on)}  # fmt: skip
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients])


def submissions_purge(*, now: datetime.datetime) -> int:
    """Purge raw lists ``EXCHANGE_RETENTION_DAYS`` after processing; the results stay (UU PDP, retention).

    Gone: the kept file (the only clear NIKs), the values quoted in error reports, the names and
    phone masks of the people (and the names of 2d's KPJ holders), and the tokens of superseded
    membership extracts. Kept: counts,
    per-person match status with the masked NIK, the access log. Running it twice purges nothing twice.
    """
    cutoff = now - datetime.timedelta(days=settings.EXCHANGE_RETENTION_DAYS)
    expired = Submission.objects.filter(purged_at=None, finished_at__lt=cutoff)
    latest_extracts = {s.pk for stream in Stream.objects.all() if (s := latest_membership(stream))}
    purged = 0
    for submission in expired:
        if submission.pk in latest_extracts:
            continue  # still the extract lists are matched against
        with transaction.atomic():
            # Locked and re-checked: a second run at the same moment finds it purged and counts nothing.
            current = Submission.objects.select_for_update().filter(pk=submission.pk, purged_at=None).first()
            if current is None:
                continue
            _purge(current, now)
        purged += 1
    return purged


def _purge(submission: Submission, now: datetime.datetime) -> None:
    if submission.file:
        submission.file.delete(save=False)
    SubmissionError.objects.filter(submission=submission).update(value="")
    PersonRecord.objects.filter(submission=submission).update(name="", phone_masked="")
    _purge_holder_names(submission)
    MembershipRecord.objects.filter(submission=submission).delete()
    submission.purged_at = now
    submission.save(update_fields=["file", "purged_at"])


def _purge_holder_names(submission: Submission) -> None:
    """2d: a KPJ holder's name goes like a 2e person's; the NIK's token and mask and the company data stay."""
    rows = list(DataRow.objects.filter(submission=submission, values__has_key="name"))
    for row in rows:
        row.values.pop("name")
    DataRow.objects.bulk_update(rows, ["values"], batch_size=1000)
