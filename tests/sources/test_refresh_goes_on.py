"""A source whose import fails in any way is recorded as failed, and the next ones still run."""
from __future__ import annotations

from finder.extensions import db
from finder.models import ImportRun, Source
from finder.sources import refresh
from finder.sources.service import DEMO_DIR


def test_an_unexpected_error_is_a_failed_run_and_refresh_goes_on(app, runner, monkeypatch):
    feed = str(DEMO_DIR / "aa-meeting-guide.json")
    for name in ("a-broken", "b-fine"):
        added = runner.invoke(args=["sources", "add", name, feed, "--format", "meeting-guide",
                                    "--fellowship", "aa"])
        assert added.exit_code == 0, added.output
    real = refresh.import_source

    def crash_for_a(source, importer, raw, **kwargs):
        if source.name == "a-broken":
            raise RuntimeError("a value the database refused")
        return real(source, importer, raw, **kwargs)

    monkeypatch.setattr(refresh, "import_source", crash_for_a)
    result = runner.invoke(args=["refresh", "--all"])
    assert result.exit_code == 1
    assert "a-broken: FAILED" in result.output and "b-fine: added" in result.output
    with app.app_context():
        broken = db.session.scalar(db.select(Source).where(Source.name == "a-broken"))
        assert broken.failures == 1 and "RuntimeError" in broken.last_error
        runs = db.session.scalars(db.select(ImportRun).where(ImportRun.source_id == broken.id)).all()
        assert [run.status.value for run in runs] == ["failed"]
