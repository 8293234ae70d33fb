"""The private manage page of a schedule: its meetings, overlapping picks and subscribe links."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, render_template

from finder.meetings import DAY_NAMES
from finder.schedules import find_schedule, picked_meetings
from finder.schedules_api import schedule_overlaps, schedule_urls

bp = Blueprint("schedule_pages", __name__)


@bp.get("/schedules/<token>")
def manage(token: str) -> tuple[str, int, dict[str, str]]:
    """The schedule behind a token; 404 alike for any token that opens nothing."""
    schedule = find_schedule(token)
    if schedule is None:
        abort(404)
    urls = schedule_urls(token)
    picks = picked_meetings(schedule)
    names = {meeting.id: meeting.name for _, meeting in picks}
    overlaps = [(names[a], names[b]) for a, b in schedule_overlaps(schedule)]
    google = "https://calendar.google.com/calendar/render?cid=" + quote(urls["webcal_url"], safe="")
    html = render_template(
        "schedules/manage.html", schedule=schedule, picks=picks, overlaps=overlaps,
        urls=urls, google_url=google, day_names=DAY_NAMES,
    )
    # The URL is the key: no Referer to other sites, no search engine, no shared cache.
    headers = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex",
               "Cache-Control": "private, no-store"}
    return html, 200, headers
