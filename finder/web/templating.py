"""Helpers every template may use: safe links, translated labels, dates, and feature checks."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask_babel import format_date, format_datetime, format_decimal, gettext, lazy_gettext
from markupsafe import Markup

from finder.enums import ATTENDANCE_LABELS, FELLOWSHIP_LABELS, Attendance, Fellowship
from finder.web.i18n import gettext as translated
from finder.web.i18n import language
from finder.web.responses import fixed_url, page_with
from importers.normalize import web_url

#: Fellowship and attendance names in the reader's language.
FELLOWSHIP_NAMES = {fellowship: lazy_gettext(label) for fellowship, label in FELLOWSHIP_LABELS.items()}
ATTENDANCE_NAMES = {attendance: lazy_gettext(label) for attendance, label in ATTENDANCE_LABELS.items()}


def local_datetime(value: datetime, fmt: str = "medium") -> str:
    """``value`` formatted in the interface language, in its own zone (not rebased to the app's)."""
    return format_datetime(value, fmt, rebase=False)


def local_date(value: date, fmt: str = "medium") -> str:
    """The date of ``value`` (a date, or a datetime in its own zone) in the interface language."""
    return format_date(value, fmt, rebase=False)


def source_label(source: Any) -> str:
    """A source as people read it: its display name, "this site" for local listings, else the
    site its feed comes from ("aa-intergroup.org"), and its command-line key only as a last resort."""
    if source.display_name:
        return source.display_name
    if source.format == "local":
        return str(gettext("this site"))
    url = urlsplit(source.url or "")
    host = url.hostname if url.scheme in ("http", "https") else None
    return host.removeprefix("www.") if host else source.name


def attendance_badge(option: Attendance | str) -> Markup:
    """How one attends a meeting, as its badge in the reader's language (shown on every row)."""
    return _badge(Attendance(option), language())


@lru_cache(maxsize=64)
def _badge(option: Attendance, locale: str) -> Markup:
    # Called in a request whose language is ``locale``, so the label is in it.
    return Markup('<span class="badge badge-{}">{}</span>').format(
        option.value, translated(ATTENDANCE_LABELS[option]))


def has_endpoint(name: str) -> bool:
    """True when the app has a view called ``name`` (pages link only to features that exist)."""
    return name in current_app.view_functions


def language_url(code: str) -> str:
    """This page, with its filters kept, in the language ``code``."""
    return page_with("lang", code)


def init_app(app: Flask) -> None:
    """Register the helpers as template globals and filters."""
    app.jinja_env.globals.update(
        has_endpoint=has_endpoint,
        fixed_url=fixed_url,
        source_label=source_label,
        language_url=language_url,
        format_date=local_date,
        format_km=lambda km: format_decimal(km, "0.0"),
        format_datetime=local_datetime,
        fellowship_label=lambda value: FELLOWSHIP_NAMES.get(Fellowship(value), value),
        # On this request's catalogue: a results page shows one per row.
        attendance_label=lambda value: translated(ATTENDANCE_LABELS[Attendance(value)]),
        attendance_badge=attendance_badge,
    )
    app.jinja_env.filters["web_url"] = web_url
