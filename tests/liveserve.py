"""Start ``finder serve`` (gunicorn) on a free 127.0.0.1 port for a test, and always stop it."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60


@dataclass
class LiveServer:
    """A running production server: where it listens, its master process and its log."""

    base_url: str
    process: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        """Everything the server wrote so far (the access log included)."""
        return self.log.read_text(errors="replace")


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def finder_command() -> list[str]:
    """The installed ``finder`` console script beside this Python, else the same CLI through it."""
    script = shutil.which("finder", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "finder"]


def get(url: str, timeout: float = 60, headers: Mapping[str, str] | None = None):
    """GET ``url``: (status, headers, body) — errors are answers too.

    The first search in a new worker loads the place data (seconds on a busy machine): hence the
    generous timeout.
    """
    request = urllib.request.Request(url, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def run_serve(args: list[str], env: Mapping[str, str], log: Path) -> subprocess.Popen:
    """Start ``finder serve ARGS`` in its own process group, output to ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen([*finder_command(), "serve", *args], env=dict(env), cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    """TERM the master (graceful), then KILL its whole group if it lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the group we started: stray workers included
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


@contextmanager
def production_server(env: Mapping[str, str], log: Path, workers: int = 2) -> Iterator[LiveServer]:
    """``finder serve`` with ``workers`` workers, answering /healthz, for the block's duration."""
    port = free_port()
    process = run_serve(["--bind", f"127.0.0.1:{port}", "--workers", str(workers)], env, log)
    server = LiveServer(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise AssertionError(f"finder serve exited with {process.returncode}:\n"
                                     + server.log_text()[-3000:])
            try:
                if get(server.base_url + "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("finder serve did not answer in time:\n" + server.log_text()[-3000:])
            time.sleep(0.2)
        yield server
    finally:
        stop(process)


def server_env(**settings: str) -> dict[str, str]:
    """This environment without Flask/database settings of the developer's, plus ``settings``."""
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("FLASK_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "WEB_CONCURRENCY",
                                 "GUNICORN", "BIND", "PORT"))}
    keep["PYTHONPATH"] = str(ROOT)
    return keep | settings
