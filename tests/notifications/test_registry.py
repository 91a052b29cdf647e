"""The due-item registry: every provider asked, items tagged with their source, a broken one isolated."""

from __future__ import annotations

import datetime

import pytest

from notifications.registry import DueItem, due_items, providers, register, unregister

D = datetime.date


def test_clauses_registers_its_deadlines_at_startup() -> None:
    assert "clauses" in providers()


@pytest.mark.django_db
def test_a_broken_provider_is_logged_and_the_others_still_answer(provided, caplog) -> None:
    provided.append(DueItem(key="uji:1", title="Laporan", due_on=D(2025, 6, 2)))

    def broken(*, until):
        raise RuntimeError("tabel belum ada")

    register("rusak", broken)
    try:
        items = [item for item in due_items(until=D(2025, 6, 30)) if item.source != "clauses"]
    finally:
        unregister("rusak")
    assert [(item.key, item.source) for item in items] == [("uji:1", "uji")]
    assert "rusak" in caplog.text and "tabel belum ada" in caplog.text


@pytest.mark.django_db
def test_a_provider_whose_query_fails_does_not_break_the_escalation_run(provided) -> None:
    from django.db import connection

    from notifications.services import escalations_run

    provided.append(DueItem(key="uji:1", title="Laporan", due_on=D(2025, 6, 2)))

    def bad_sql(*, until):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM tabel_yang_tidak_ada")
        return []

    register("rusak", bad_sql)
    try:
        steps = escalations_run(today=D(2025, 6, 3))
    finally:
        unregister("rusak")
    assert [(s.item_key, s.level) for s in steps] == [("uji:1", 1)]
