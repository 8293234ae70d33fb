"""The soak benchmark runs end to end: a short, small run serves its whole mix without an error."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.liveserve import ROOT

pytestmark = pytest.mark.slow


def test_a_short_soak_serves_every_kind_of_request_without_an_error():
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    result = subprocess.run([sys.executable, "-m", "bench.soak", "--meetings", "500", "--minutes", "0.25",
                             "--connections", "3"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    out = result.stdout
    assert "requests in 0.2 min" in out or "requests in 0.3 min" in out, out + result.stderr
    for kind in ("search API", "search page", "online soon", "meeting page", "meeting .ics",
                 "plan feed 304", "plan feed", "healthz"):
        assert f"\n{kind} " in out, (kind, out)
    assert ", 0 errors" in out, out
    assert "growth" in out and "verdict:" in out, out  # memory is judged on the long run only
