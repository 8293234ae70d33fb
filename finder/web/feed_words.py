"""The words calendar feeds add to meetings (discreet titles, "online", notices), in a language."""
from __future__ import annotations

from functools import lru_cache

from flask_babel import force_locale, gettext, pgettext

from feeds.meetings import Wording
from finder.web.i18n import LANGUAGES


@lru_cache(maxsize=len(LANGUAGES) + 1)
def feed_words(language: str) -> Wording:
    """The feed words in ``language`` (an interface language code; English for any other)."""
    with force_locale(language if language in LANGUAGES else "en"):
        return Wording(
            title=pgettext("neutral calendar title", "Meeting"),
            online=gettext("%(title)s (online)"),
            online_only=gettext("%(title)s (online only)"),
            hybrid=gettext("%(title)s (hybrid)"),
            temporarily_closed=gettext("Temporarily closed: %(title)s"),
            inactive=gettext("Inactive: %(title)s"),
            removed=gettext("No longer listed by its source: check before you go."),
            venue_closed=gettext("The venue is temporarily closed."),
        )
