"""Helpers every template may use: safe links, translated labels, dates, and feature checks."""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, lazy_gettext

from finder.enums import Attendance, Fellowship

FELLOWSHIP_NAMES = {
    Fellowship.AA: lazy_gettext("Alcoholics Anonymous"),
    Fellowship.NA: lazy_gettext("Narcotics Anonymous"),
    Fellowship.GA: lazy_gettext("Gamblers Anonymous"),
    Fellowship.CA: lazy_gettext("Cocaine Anonymous"),
    Fellowship.AL_ANON: lazy_gettext("Al-Anon"),
    Fellowship.GAM_ANON: lazy_gettext("Gam-Anon"),
    Fellowship.NAR_ANON: lazy_gettext("Nar-Anon"),
    Fellowship.OTHER: lazy_gettext("Other fellowship"),
}
ATTENDANCE_NAMES = {
    Attendance.IN_PERSON: lazy_gettext("In person"),
    Attendance.HYBRID: lazy_gettext("Hybrid"),
    Attendance.ONLINE: lazy_gettext("Online"),
    Attendance.INACTIVE: lazy_gettext("Inactive"),
}


def web_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) link, else None: no ``javascript:`` or other schemes in an href."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


def local_datetime(value: datetime, fmt: str = "medium") -> str:
    """``value`` formatted in the interface language, in its own zone (not rebased to the app's)."""
    return format_datetime(value, fmt, rebase=False)


def local_date(value: datetime, fmt: str = "medium") -> str:
    """The date of ``value`` in the interface language, in its own zone."""
    return format_date(value, fmt, rebase=False)


def has_endpoint(name: str) -> bool:
    """True when the app has a view called ``name`` (pages link only to features that exist)."""
    return name in current_app.view_functions


def language_url(code: str) -> str:
    """This page, with its filters kept, in the language ``code``."""
    args = {**request.args.to_dict(), **(request.view_args or {}), "lang": code}
    return url_for(request.endpoint or "search.index", **args)


def init_app(app: Flask) -> None:
    """Register the helpers as template globals and filters."""
    app.jinja_env.globals.update(
        has_endpoint=has_endpoint,
        language_url=language_url,
        format_date=local_date,
        format_km=lambda km: format_decimal(km, "0.0"),
        format_datetime=local_datetime,
        fellowship_label=lambda value: FELLOWSHIP_NAMES.get(Fellowship(value), value),
        attendance_label=lambda value: ATTENDANCE_NAMES.get(Attendance(value), value),
    )
    app.jinja_env.filters["web_url"] = web_url
