"""Interface languages: the choice of locale, and the helpers templates use for it."""
from __future__ import annotations

from collections.abc import Collection

from flask import Flask, Response, has_request_context, request
from flask_babel import Babel, get_locale, lazy_gettext

from finder.web.type_names import type_name
from finder.weekly import DAY_NAMES as ENGLISH_DAY_NAMES

LANGUAGES = ("en", "es", "de", "fr", "pt")
LANGUAGE_NAMES = {"en": "English", "es": "Español", "de": "Deutsch", "fr": "Français",
                  "pt": "Português"}
COOKIE = "lang"

babel = Babel()

#: Day names in the reader's language, by Meeting Guide day number (0 = Sunday).
DAY_NAMES = tuple(lazy_gettext(name) for name in ENGLISH_DAY_NAMES)


def select_locale() -> str:
    """``?lang=``, then the remembered choice, then the browser's preference, then English.

    Outside a request (a command, a search called directly) it is English.
    """
    if not has_request_context():
        return "en"
    for choice in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if choice in LANGUAGES:
            return choice
    return request.accept_languages.best_match(LANGUAGES) or "en"


def remember_choice(response: Response, parameter: str, cookie: str, choices: Collection[str]) -> Response:
    """Keep an explicit ``?parameter=`` choice in a preference cookie (nothing else is stored)."""
    choice = request.args.get(parameter)
    if choice in choices and request.cookies.get(cookie) != choice:
        response.set_cookie(cookie, choice, max_age=365 * 86400, samesite="Lax", httponly=True)
    return response


def remember_language(response: Response) -> Response:
    """Keep an explicit ``?lang=`` choice in a preference cookie."""
    return remember_choice(response, "lang", COOKIE, LANGUAGES)


def init_app(app: Flask) -> None:
    """Install Babel, the language cookie and the template helpers."""
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(remember_language)

    @app.context_processor
    def language_helpers() -> dict[str, object]:
        language = str(get_locale() or "en")
        return {
            "current_language": language,
            "language_names": LANGUAGE_NAMES,
            "type_label": lambda code: type_name(code, language),
        }
