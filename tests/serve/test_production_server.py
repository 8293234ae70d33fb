"""``finder serve``: gunicorn with the project's config, its refusal without a secret, its log."""
from __future__ import annotations

import re
import signal
import subprocess
import time

import pytest

from tests.liveserve import ROOT, finder_command, get, production_server, server_env

pytestmark = pytest.mark.slow

TOKEN = "A" * 20 + "b_c-" * 5 + "xyz"  # a token-shaped path segment (unknown, so 404)


def test_serve_refuses_to_start_without_secret_key(tmp_path):
    env = server_env(DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    result = subprocess.run([*finder_command(), "serve", "--bind", "127.0.0.1:0"], env=env,
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Listening at" not in result.stdout + result.stderr


def test_gunicorn_config_refuses_without_secret_key_when_started_by_hand(monkeypatch):
    from finder.serve import gunicorn_conf

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    with pytest.raises(SystemExit, match="SECRET_KEY is not set"):
        gunicorn_conf.on_starting(None)
    monkeypatch.setenv("SECRET_KEY", "set-for-this-test")
    gunicorn_conf.on_starting(None)


def test_a_worker_sets_aside_what_it_loaded_from_the_garbage_collector():
    import gc

    from finder.serve import gunicorn_conf
    from finder.serve.collector import YOUNG_COLLECTION

    threshold = gc.get_threshold()
    try:
        gunicorn_conf.post_worker_init(None)
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_COLLECTION, *threshold[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_production_server_serves_masks_its_log_and_reloads_gracefully(tmp_path):
    env = server_env(DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", SECRET_KEY="serve-test")
    demo = subprocess.run([*finder_command(), "demo"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert demo.returncode == 0, demo.stderr

    with production_server(env, tmp_path / "server.log", workers=2) as server:
        status, _, body = get(server.base_url + "/readyz")
        assert status == 200 and b'"ready"' in body
        status, _, body = get(server.base_url + "/api/v1/meetings?near=10027&radius_km=50")
        assert status == 200 and b'"meetings"' in body
        assert get(server.base_url + "/?near=10027")[0] == 200
        assert get(server.base_url + f"/feeds/{TOKEN}.ics")[0] == 404

        booted = server.log_text().count("Booting worker")
        server.process.send_signal(signal.SIGHUP)  # graceful reload: new workers, same socket
        deadline = time.monotonic() + 30
        while server.log_text().count("Booting worker") < booted + 2:
            assert get(server.base_url + "/healthz")[0] == 200  # answering all along
            assert time.monotonic() < deadline, server.log_text()
            time.sleep(0.2)
        assert get(server.base_url + "/api/v1/meetings?near=10027&radius_km=50")[0] == 200
        time.sleep(0.5)  # let the access log lines reach the file
        log = server.log_text()

    access = [line for line in log.splitlines() if re.match(r'^<\d+> "(GET|POST|HEAD) ', line)]
    assert '"GET /feeds/[token].ics HTTP/1.1" 404' in log
    assert TOKEN not in log
    assert any('> "GET /api/v1/meetings HTTP/1.1" 200' in line for line in access)
    assert not any("near=" in line or "10027" in line or "127.0.0.1" in line for line in access)
