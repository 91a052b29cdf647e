"""Bahasa Indonesia first: the browser's Accept-Language never switches the interface.

Pasal 14(2) of the MoU makes Indonesian the language of the agreement, and many civil servants
run browsers set to English. English is shown only to a user who picks it (the language cookie
set by Django's ``set_language`` view).
"""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
