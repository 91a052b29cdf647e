"""The world of objects of two units and both parties, built once per module (see ``world.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.assurance.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Any:
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(
        MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    ):  # fmt: skip
        from django.db import transaction

        with transaction.atomic():
            built = build_world()
            yield built
            transaction.set_rollback(True)
