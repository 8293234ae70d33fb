"""Interface languages: the choice of locale, and the helpers templates use for it."""
from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

from babel.support import NullTranslations
from flask import Flask, Response, g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations, lazy_gettext
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from finder.web.type_names import type_name
from finder.weekly import DAY_NAMES as ENGLISH_DAY_NAMES

LANGUAGES = ("en", "es", "de", "fr", "pt")
LANGUAGE_NAMES = {"en": "English", "es": "Español", "de": "Deutsch", "fr": "Français",
                  "pt": "Português"}
COOKIE = "lang"

babel = Babel()

#: Day names in the reader's language, by Meeting Guide day number (0 = Sunday).
DAY_NAMES = tuple(lazy_gettext(name) for name in ENGLISH_DAY_NAMES)


def language() -> str:
    """This request's interface language code ("en", "es"), looked up once per request."""
    # One lookup of ``g`` per call: a results page asks for the language hundreds of times.
    found = g.get("finder_language")
    if found is None:
        found = g.finder_language = str(get_locale() or "en")
    return found


def translations() -> NullTranslations:
    """This request's catalogue, looked up once (Flask-Babel looks it up again for every string)."""
    try:
        return g.finder_translations  # one look through the proxy: a page asks a hundred times
    except AttributeError:  # this request's first string
        found = g.finder_translations = get_translations()
        return found
    except RuntimeError:  # outside an app context Flask-Babel answers with no catalogue: keep nothing
        return get_translations()


def gettext(string: str, **variables: object) -> str:
    """Flask-Babel's ``gettext`` on this request's catalogue, for strings shown once per row."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: object) -> str:
    """Flask-Babel's ``ngettext`` on this request's catalogue."""
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


@pass_eval_context
def template_gettext(eval_context: EvalContext, string: str, **variables: object) -> str:
    """``_()`` in templates as Jinja's newstyle gettext answers it (trusted text when autoescaping,
    always %-formatted, the variables escaped), on this request's catalogue, in one call instead of
    three through the template context: a page says forty of them."""
    if not variables:  # most of them: the words are kept per catalogue
        return _template_words(translations(), string, eval_context.autoescape)
    text = translations().ugettext(string)
    return (Markup(text) if eval_context.autoescape else text) % variables


@lru_cache(maxsize=4096)
def _template_words(catalogue: NullTranslations, string: str, autoescape: bool) -> str:
    # Flask-Babel keeps one catalogue per language for the life of the process.
    text = catalogue.ugettext(string)
    return (Markup(text) if autoescape else text) % {}


def day_name(day: int) -> str:
    """A day's name in the reader's language, by Meeting Guide day number (``DAY_NAMES[day]``)."""
    return translations().ugettext(ENGLISH_DAY_NAMES[day])


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
    # Flask-Babel's, reading the catalogue once per request instead of once per string.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals["_"] = template_gettext

    @app.context_processor
    def language_helpers() -> dict[str, object]:
        current = language()
        return {
            "current_language": current,
            "language_names": LANGUAGE_NAMES,
            "type_label": lambda code: type_name(code, current),
        }
