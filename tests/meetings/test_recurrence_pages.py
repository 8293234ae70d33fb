"""Meetings that are not every week: stored on both engines, on their page, in the export and feed."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import icalendar
import sqlalchemy as sa

from finder.extensions import db
from finder.meetings.recurring import set_recurrence
from finder.models import Meeting
from finder.pattern import MONTHLY, PLAIN, Moved, Recurrence
from finder.weekly import day_of
from tests import factories

EXPORT = "/api/v1/meeting-guide.json"


def next_tuesday(weeks: int = 0) -> date:
    today = datetime.now(UTC).date() + timedelta(days=2)  # never today: the page counts from now
    return today + timedelta(days=(2 - day_of(today)) % 7, weeks=weeks)


def test_stored_read_back_and_kind_derived(app):
    with app.app_context():
        pattern = Recurrence(kind=MONTHLY, nths=(1, 3), cancelled=(date(2027, 1, 5),),
                             moved=(Moved(date(2027, 1, 19), "18:00", location="Annex"),))
        row = factories.meeting(name="First and third")
        plain = factories.meeting(name="Plain", slug="plain")
        assert set_recurrence(row, pattern, datetime(2026, 12, 1, tzinfo=UTC))
        assert not set_recurrence(row, pattern)
        assert row.sequence == 1 and row.changed_at == datetime(2026, 12, 1, tzinfo=UTC)
        assert not set_recurrence(plain, PLAIN) and plain.sequence == 0
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Meeting, row.id).recurrence == pattern
        assert db.session.get(Meeting, plain.id).recurrence is None
        kinds = db.session.execute(sa.select(Meeting.name, Meeting.recurrence_kind)
                                   .order_by(Meeting.name)).all()
        assert kinds == [("First and third", "monthly"), ("Plain", None)]
        try:
            set_recurrence(row, Recurrence(kind=MONTHLY, nths=(1,), cancelled=(date(2027, 1, 4),)))
        except ValueError as error:
            assert "not a date this meeting meets" in str(error)
        else:
            raise AssertionError("a Monday is not a Tuesday meeting's date")


def test_page_lists_next_dates_and_the_cancelled_one(app, client):
    cancelled = next_tuesday(1)
    with app.app_context():
        row = factories.meeting(name="Tuesday", time="19:00", end_time="20:00")
        set_recurrence(row, Recurrence(cancelled=(cancelled,)))
        monthly = factories.meeting(name="Monthly", slug="monthly")
        set_recurrence(monthly, Recurrence(kind=MONTHLY, nths=(1, 3)))
        weekly = factories.meeting(name="Weekly", slug="weekly")
        db.session.commit()
        ids = row.id, monthly.id, weekly.id
    page = client.get(f"/meetings/{ids[0]}").get_data(as_text=True)
    assert f"No meeting on {cancelled.day} {cancelled.strftime('%B')}" in page
    assert page.count('<li class="cancelled">') == 1 and "Next dates" in page
    page = client.get(f"/meetings/{ids[1]}").get_data(as_text=True)
    assert "First and third Tuesday of the month, 19:00–20:00" in page
    page = client.get(f"/meetings/{ids[1]}?lang=es").get_data(as_text=True)
    assert "Primer y tercer" in page and "Próximas fechas" in page
    page = client.get(f"/meetings/{ids[2]}?lang=en").get_data(as_text=True)
    assert "Tuesday 19:00–20:00" in page
    weekly_dates = page[page.index('<ul class="dates"'):].split("</ul>")[0]
    assert weekly_dates.count("<li>") == 3  # a weekly meeting: its next three dates


def test_export_writes_the_pattern_in_notes_on_its_day(app, client):
    with app.app_context():
        row = factories.meeting(name="Last Saturday", day=6, notes="Bring a friend")
        set_recurrence(row, Recurrence(kind=MONTHLY, nths=(-1,), cancelled=(date(2026, 12, 26),),
                                       moved=(Moved(date(2027, 1, 30), "18:00"),)))
        db.session.commit()
    [entry] = json.loads(client.get(EXPORT).data)
    assert entry["day"] == 6
    assert entry["notes"] == ("Meets: Last Saturday of the month, 19:00.\n"
                              "No meeting on 2026-12-26.\nOn 2027-01-30: at 18:00.\n\n"
                              "Bring a friend")


def test_meeting_calendar_file_has_the_pattern(app, client):
    with app.app_context():
        row = factories.meeting(name="Every other", day=5)
        anchor = next_tuesday() + timedelta(days=3)
        set_recurrence(row, Recurrence(kind="weeks", interval=2, anchor=anchor,
                                       cancelled=(anchor + timedelta(weeks=4),)))
        db.session.commit()
        meeting_id, sequence = row.id, row.sequence
    body = client.get(f"/meetings/{meeting_id}.ics").data
    [master] = [e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]
    assert master["RRULE"]["INTERVAL"] == [2] and master["SEQUENCE"] == sequence == 1
    assert "EXDATE" in master


def test_a_new_day_refits_the_pattern(app):
    with app.app_context():
        row = factories.meeting(name="Moves", day=5)
        set_recurrence(row, Recurrence(kind="weeks", interval=2, anchor=date(2026, 12, 4),
                                       cancelled=(date(2026, 12, 18),)))
        row.day = 3  # the source now lists it on Wednesday
        db.session.commit()
        db.session.expire_all()
        pattern = db.session.get(Meeting, row.id).recurrence
        assert pattern.anchor == date(2026, 12, 2) and pattern.cancelled == ()
        assert pattern == pattern.fitted(3)
