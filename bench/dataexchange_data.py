"""Synthetic 2e lists and membership extracts for the data-exchange benchmark and tests.

NIKs follow every rule of ``core.identifiers.validate_nik`` (DKI cities, real birth dates, +40 for
women, serial >= 1) and are unique within a file; names and phones are random. ``invalid_every``
spoils one row in that many with a mix of real-world damage: Excel's scientific notation, a lost
digit, an impossible birth date, a non-Indonesian phone number.
"""

from __future__ import annotations

import csv
import datetime
import random
from collections.abc import Iterator
from pathlib import Path

CITIES = ("71", "72", "73", "74", "75", "01")
FIRST = ("Budi", "Siti", "Agus", "Dewi", "Eko", "Sri", "Rudi", "Wati", "Joko", "Ani", "Bambang", "Rina")
LAST = ("Santoso", "Rahayu", "Wijaya", "Lestari", "Saputra", "Hidayat", "Kurniawan", "Susanti", "Nugroho")


def nik_for(index: int) -> str:
    """A valid NIK, unique per ``index`` (below 99 x 9999 x 25 x 6 distinct values)."""
    serial = index % 9999 + 1
    rest = index // 9999
    district = rest % 99 + 1
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=(rest // 99) % 15000)
    city = CITIES[(rest // 99 // 15000) % len(CITIES)]
    day = born.day + (40 if index % 7 < 3 else 0)
    return f"31{city}{district:02d}{day:02d}{born:%m%y}{serial:04d}"


def phone_for(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return ""  # "Nomor HP jika tersedia"
    number = f"08{rng.choice('12589')}{rng.randrange(10**8, 10**9)}"
    return number if rng.random() < 0.7 else f"{number[:4]}-{number[4:8]}-{number[8:]}"


def spoil(row: list[str], rng: random.Random) -> list[str]:
    name, nik, phone = row
    damage = rng.randrange(5)
    if damage == 0:
        return [name, f"{int(nik[:3]) / 100:.2f}E+15", phone]
    if damage == 1:
        return [name, nik[:15], phone]
    if damage == 2:
        return [name, nik[:6] + "3213" + nik[10:], phone]  # 32 of month 13
    if damage == 3:
        return [name, nik, "+1 202 555 0100"]
    return ["", nik, phone]


def list_rows(count: int, *, seed: int = 2025, invalid_every: int = 0) -> Iterator[list[str]]:
    rng = random.Random(seed)
    for index in range(count):
        row = [f"{rng.choice(FIRST)} {rng.choice(LAST)}", nik_for(index), phone_for(rng)]
        yield spoil(row, rng) if invalid_every and index % invalid_every == invalid_every // 2 else row


def membership_rows(count: int, *, seed: int = 7, offset: int = 0) -> Iterator[list[str]]:
    """``count`` members; with ``offset`` = count // 2, half of a list of ``count`` people is found."""
    rng = random.Random(seed)
    for index in range(offset, offset + count):
        active = rng.random() < 0.7
        paid = datetime.date(2025, rng.randrange(1, 13), 1)
        yield [nik_for(index), "Aktif" if active else "Non Aktif", f"{paid:%Y-%m}"]


def write_csv(path: Path, header: list[str], rows: Iterator[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_list(path: Path, count: int, *, invalid_every: int = 0, seed: int = 2025) -> Path:
    return write_csv(path, ["Nama", "NIK", "No. HP"], list_rows(count, seed=seed, invalid_every=invalid_every))


def write_membership(path: Path, count: int, *, offset: int = 0, seed: int = 7) -> Path:
    rows = membership_rows(count, offset=offset, seed=seed)
    return write_csv(path, ["NIK", "Status Kepesertaan", "Bulan Iuran Terakhir"], rows)
