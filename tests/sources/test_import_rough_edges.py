"""finder import on feeds with nothing usable, and its messages (issue #12, defects 7 and 8)."""
from __future__ import annotations

import http.client
import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from finder.extensions import db
from finder.models import Meeting, Source

DATA = Path(__file__).resolve().parents[1] / "data" / "realfeeds"


def _sources(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Source))


def test_a_formats_list_as_meetings_fails_and_registers_nothing(app, runner):
    result = runner.invoke(args=["import", str(DATA / "bmlt-formats.json"), "--format", "bmlt"])
    assert result.exit_code != 0
    assert "no usable meetings (44 records rejected" in result.output
    assert _sources(app) == 0


def test_an_empty_array_fails_and_registers_nothing(app, runner, tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("[]")
    result = runner.invoke(args=["import", str(empty), "--format", "meeting-guide"])
    assert result.exit_code != 0 and "no usable meetings" in result.output
    assert _sources(app) == 0


@pytest.mark.parametrize(("content", "said"), [
    (b"", "the feed is empty"),
    (b"<!DOCTYPE html><html><body>Meetings</body></html>", "HTML or XML page"),
    (b"Meetings are listed on our website.", "neither JSON nor CSV"),
])
def test_no_format_hint_where_it_cannot_help(runner, tmp_path, content, said):
    path = tmp_path / "feed.txt"
    path.write_bytes(content)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code != 0 and said in result.output
    assert "--format" not in result.output


def test_no_such_file_names_the_path_once(runner, tmp_path):
    missing = str(tmp_path / "nowhere.json")
    result = runner.invoke(args=["import", missing])
    assert result.exit_code != 0 and result.output.count(missing) == 1


def test_errors_are_json_under_json(runner, tmp_path):
    missing = str(tmp_path / "nowhere.json")
    result = runner.invoke(args=["import", missing, "--json"])
    assert result.exit_code == 1
    assert json.loads(result.output) == {"error": f"no such file: {missing}"}


def test_no_false_switched_format_claim(runner):
    path = str(DATA / "oc-sample.json")
    assert runner.invoke(args=["import", path, "--name", "oc"]).exit_code == 0
    result = runner.invoke(args=["import", path, "--name", "oc", "--fellowship", "na"])
    assert result.exit_code == 0, result.output
    assert "Imported source 'oc' (meeting-guide, aa)" in result.output


def test_one_date_header_on_ics(app, runner):
    assert runner.invoke(args=["import", str(DATA / "oc-sample.json"), "--name", "oc"]).exit_code == 0
    with app.app_context():
        meeting_id = db.session.scalar(select(Meeting.id).limit(1))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", f"/meetings/{meeting_id}.ics")
        response = connection.getresponse()
        response.read()
        assert response.status == 200
        assert len(response.msg.get_all("Date")) == 1
    finally:
        server.shutdown()
        thread.join()
