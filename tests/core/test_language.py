"""Bahasa Indonesia first: an English browser still gets Indonesian until the user picks English."""

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_english_browser_gets_indonesian_interface(client):
    response = client.get("/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.django_db
def test_chosen_language_cookie_switches_to_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/masuk/")
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_set_language_view_stores_the_choice(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_annex_column_no_is_a_row_number_not_the_word_no(client, seeded_mou):
    from accounts.models import Role, User

    client.force_login(User.objects.create_user(username="reader", password="x-Pass-12345", role=Role.LEADERSHIP))
    page = client.get("/rencana-kerja/").content.decode()
    assert '<th scope="col">No</th>' in page
    assert "Tidak</th>" not in page
