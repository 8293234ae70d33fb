"""A zone that is not an IANA zone is refused at import, and one already stored never gives a 500."""
from __future__ import annotations

from finder.enums import Attendance, Fellowship
from finder.extensions import db
from finder.models import Meeting, Source
from finder.sources.service import DEMO_DIR


def test_import_refuses_an_unknown_zone_and_changes_nothing(app, runner):
    for args in (["import", str(DEMO_DIR / "aa-meeting-guide.json"), "--timezone", "Mars/Olympus"],
                 ["sources", "add", "x", "feed.json", "--format", "csv", "--fellowship", "ga",
                  "--timezone", "Mars/Olympus"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 2 and "'Mars/Olympus' is not an IANA zone" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Source)) == 0


def test_a_stored_unknown_zone_reads_as_utc_everywhere(app, client):
    with app.app_context():
        source = Source(name="old", url="u", format="meeting-guide", fellowship=Fellowship.AA)
        db.session.add(source)
        db.session.flush()
        meeting = Meeting(source_id=source.id, source_key="k", slug="k", fellowship=Fellowship.AA,
                          name="Old Row", day=1, time="19:00", timezone="Mars/Olympus",
                          attendance_option=Attendance.ONLINE, content_hash="x",
                          conference_url="https://zoom.us/j/123456789")
        db.session.add(meeting)
        db.session.commit()
        meeting_id = meeting.id
    for path in (f"/meetings/{meeting_id}", f"/meetings/{meeting_id}.ics", f"/api/v1/meetings/{meeting_id}",
                 "/api/v1/meetings?attendance=online", "/?attendance=online&q=Old"):
        assert client.get(path).status_code == 200, path
    plan = client.post("/api/v1/schedules").get_json()["token"]
    assert client.post(f"/api/v1/schedules/{plan}/meetings", json={"meeting_id": meeting_id}).status_code == 201
    assert client.get(f"/feeds/{plan}.ics").status_code == 200
    assert client.get(f"/api/v1/schedules/{plan}").status_code == 200
