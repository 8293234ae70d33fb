"""Fetching a feed is bounded: a total deadline for URLs, regular files only on disk."""
from __future__ import annotations

import os
import socket
import threading
import time

import pytest

from importers.base import fetch_bytes
from importers.errors import FeedFetchError


@pytest.fixture
def dripping_server():
    """A server on 127.0.0.1 that sends its body one byte every 0.1 s, for 60 bytes."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(5)
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n")
            for _ in range(60):
                if stop.is_set():
                    return
                try:
                    conn.sendall(b" ")
                except OSError:
                    return
                time.sleep(0.1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/feed.json"
    stop.set()
    listener.close()
    thread.join(timeout=5)


def test_a_slow_drip_is_cut_off_at_the_total_deadline(dripping_server):
    started = time.monotonic()
    with pytest.raises(FeedFetchError, match="within 1 s"):
        fetch_bytes(dripping_server, timeout=1, max_bytes=1000)
    assert time.monotonic() - started < 2.5  # each byte came well within a per-read timeout


def test_device_files_and_fifos_are_refused(tmp_path):
    with pytest.raises(FeedFetchError, match="not a regular file"):
        fetch_bytes("/dev/zero", timeout=1, max_bytes=1000)
    fifo = tmp_path / "feed.fifo"
    os.mkfifo(fifo)
    with pytest.raises(FeedFetchError, match="not a regular file"):
        fetch_bytes(str(fifo), timeout=1, max_bytes=1000)


def test_a_file_over_the_limit_is_refused(tmp_path):
    feed = tmp_path / "big.json"
    feed.write_bytes(b"[" + b" " * 2000 + b"]")
    with pytest.raises(FeedFetchError, match="too large"):
        fetch_bytes(str(feed), timeout=1, max_bytes=1000)
    assert fetch_bytes(str(feed), timeout=1, max_bytes=5000).startswith(b"[")
