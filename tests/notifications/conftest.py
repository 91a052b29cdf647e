"""A real SMTP server on loopback (aiosmtpd), a due-item provider the test fills, and users."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from accounts.models import Role, User
from notifications.registry import DueItem, register, unregister
from workplan.models import Organization


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: Message

    @property
    def text(self) -> str:
        part = next(p for p in self.message.walk() if p.get_content_type() == "text/plain")
        return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")

    @property
    def subject(self) -> str:
        return str(email.header.make_header(email.header.decode_header(self.message["Subject"])))


@dataclass
class Inbox:
    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), email.message_from_bytes(envelope.content))
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Inbox]:
    """An SMTP server this test started on 127.0.0.1 and a free port; Django's SMTP backend sends to it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", controller.port, False
    settings.DEFAULT_FROM_EMAIL = "MoU Tracker <noreply@mou.test>"
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def provided() -> Iterator[list[DueItem]]:
    """Due items of a stand-in app, registered the way every app registers its own."""
    items: list[DueItem] = []
    register("uji", lambda *, until: [item for item in items if item.due_on <= until])
    try:
        yield items
    finally:
        unregister("uji")


def make_user(username: str, role: str = Role.DINAS_STAFF, short_name: str | None = None) -> User:
    organization = None
    if short_name:  # the seeded unit when the MoU is loaded, else a bare one: most tests need no seed
        organization = Organization.objects.filter(short_name=short_name).first() or Organization.objects.create(
            name=f"Unit {short_name}", short_name=short_name, institution="pemprov", kind="dinas"
        )
    return User.objects.create_user(
        username, email=f"{username}@example.test", password="rahasia-uji-123", role=role, organization=organization
    )


@pytest.fixture
def holidays_2025(db: None) -> None:
    from core.workdays import sync_holidays

    sync_holidays(years=[2025])


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
