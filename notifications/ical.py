"""An iCalendar (RFC 5545) feed of a user's deadlines: all-day events, one per due item."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from notifications.registry import DueItem

ONE_DAY = datetime.timedelta(days=1)


def escape(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newline escaped."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    data = line.encode()
    parts: list[str] = []
    while len(data) > 75:
        cut = 75 if not parts else 74
        while cut and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(data[:cut].decode())
        data = data[cut:]
    parts.append(data.decode())
    return "\r\n ".join(parts)


def feed(items: Iterable[DueItem], *, name: str, stamp: datetime.datetime, base_url: str = "") -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//MoU Tracker//Nota Kesepakatan 1-2025//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Jakarta",
    ]
    dtstamp = stamp.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    for item in items:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape(item.key)}@mou-tracker",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{item.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.due_on + ONE_DAY:%Y%m%d}",
            f"SUMMARY:{escape(item.title)}",
        ]
        if item.url:
            lines.append(f"URL:{base_url.rstrip('/')}{item.url}" if item.url.startswith("/") else f"URL:{item.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
