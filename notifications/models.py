"""The in-app inbox, each user's delivery choice, the daily digest log, escalation and calendar tokens."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: object) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def not_emailed(self) -> NotificationQuerySet:
        return self.filter(emailed_at__isnull=True)


class Notification(models.Model):
    """One entry in a user's inbox. ``key`` makes creating it idempotent per recipient."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("penerima")
    )
    key = models.CharField(_("kunci"), max_length=200)
    subject = models.CharField(_("perihal"), max_length=300)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("dikirim lewat email"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [
            # The inbox badge and list: a user's unread entries, newest first.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    def mark_read(self, *, at: datetime.datetime | None = None) -> None:
        if self.read_at is None:
            self.read_at = at or timezone.now()
            self.save(update_fields=["read_at"])


class Preference(models.Model):
    """How a user wants to hear about things: one daily digest, or each one as it happens."""

    class Delivery(models.TextChoices):
        DIGEST = "ringkasan", _("Ringkasan harian (satu email per hari)")
        IMMEDIATE = "langsung", _("Langsung (satu email per pemberitahuan)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    delivery = models.CharField(_("cara pengiriman"), max_length=20, choices=Delivery.choices, default=Delivery.DIGEST)

    class Meta:
        verbose_name = _("preferensi pemberitahuan")
        verbose_name_plural = _("preferensi pemberitahuan")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_delivery_display()}"


class Digest(models.Model):
    """A digest sent: at most one per user per day (the constraint, not only the code, says so)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField(_("tanggal"))
    sent_at = models.DateTimeField(_("dikirim"), default=timezone.now)
    item_count = models.PositiveIntegerField(_("jumlah butir"))

    class Meta:
        ordering = ["-day"]
        verbose_name = _("ringkasan harian")
        verbose_name_plural = _("ringkasan harian")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_user_per_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"


class UnitHead(models.Model):
    """The head of a unit (Kepala Bidang/Kepala Dinas/Kepala Kantor): step 2 of the escalation ladder."""

    organization = models.ForeignKey(
        "workplan.Organization", on_delete=models.CASCADE, related_name="heads", verbose_name=_("unit kerja")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="headed_units", verbose_name=_("pengguna")
    )

    class Meta:
        verbose_name = _("kepala unit")
        verbose_name_plural = _("kepala unit")
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="unit_head_once")]

    def __str__(self) -> str:
        return f"{self.organization}: {self.user}"


class EscalationStepQuerySet(models.QuerySet["EscalationStep"]):
    def in_year(self, year: int) -> EscalationStepQuerySet:
        """The steps taken in a year, for the annual M&E report (Pasal 11)."""
        return self.filter(escalated_on__year=year)


class EscalationStep(models.Model):
    """One rung of the ladder climbed for one overdue item; logged once per item and level."""

    class Level(models.IntegerChoices):
        STAFF = 1, _("Staf penanggung jawab")
        HEAD = 2, _("Kepala unit")
        SECRETARIAT = 3, _("Sekretariat")

    item_key = models.CharField(_("butir"), max_length=200)
    item_title = models.CharField(_("judul butir"), max_length=300)
    source = models.CharField(_("sumber"), max_length=50)
    due_on = models.DateField(_("tenggat"))
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    escalated_on = models.DateField(_("tanggal eskalasi"))
    working_days_overdue = models.PositiveIntegerField(_("hari kerja terlambat"))
    notified = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("diberi tahu"))

    objects = EscalationStepQuerySet.as_manager()

    class Meta:
        ordering = ["escalated_on", "item_key", "level"]
        verbose_name = _("langkah eskalasi")
        verbose_name_plural = _("langkah eskalasi")
        constraints = [models.UniqueConstraint(fields=["item_key", "level"], name="escalation_once_per_level")]

    def __str__(self) -> str:
        return f"{self.item_title}: {self.get_level_display()}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarTokenQuerySet(models.QuerySet["CalendarToken"]):
    def active(self) -> CalendarTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class CalendarToken(models.Model):
    """The secret in a user's iCalendar feed URL: calendar apps send no login cookie. Revocable."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token kalender")
        verbose_name_plural = _("token kalender")

    def __str__(self) -> str:
        return f"{self.user} ({'dicabut' if self.revoked_at else 'aktif'})"

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
