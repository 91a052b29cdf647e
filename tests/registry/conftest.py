import pytest

from tests.registry.seed import ensure_reference_rows


@pytest.fixture(autouse=True)
def reference_rows(request):
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        ensure_reference_rows()
