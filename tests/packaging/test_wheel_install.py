"""``pip install .`` gives a working app: build the wheel, install it in a fresh venv, use it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

SEARCH = """
import json, sys
import finder
from finder import create_app
app = create_app({"SECRET_KEY": "wheel-test"})
client = app.test_client()
api = client.get("/api/v1/meetings?near=10027&radius_km=50").get_json()
page = client.get("/?near=10027")
css = client.get("/static/style.css")
print(json.dumps({"file": finder.__file__, "meetings": len(api["meetings"]),
                  "page": page.status_code, "page_has_results": b"<li" in page.data,
                  "css": css.status_code}))
"""


def _build_wheel(out: Path) -> Path:
    """Build the project's wheel into ``out`` with this venv's setuptools (nothing downloaded)."""
    pytest.importorskip("setuptools", minversion="70.1",
                        reason="building a wheel offline needs setuptools>=70.1 (the test extra)")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--no-index", "-q", "-w", str(out), str(ROOT)],
                   check=True, cwd=ROOT, timeout=300, capture_output=True)
    (wheel,) = out.glob("meeting_finder-*.whl")
    return wheel


def _fresh_venv(where: Path) -> Path:
    """A venv without pip that also sees this venv's dependencies (a .pth), not its editable app."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)],
                   check=True, timeout=120)
    python = where / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # A path listed in a .pth is only appended to sys.path; the .pth files in it (our editable
    # install's among them) are not run, so `finder` can come only from the wheel.
    Path(site, "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return python


def test_wheel_carries_every_package_and_the_top_level_folders(tmp_path):
    wheel = _build_wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    for init in (*ROOT.glob("finder/**/__init__.py"), *ROOT.glob("importers/**/__init__.py"),
                 *ROOT.glob("feeds/**/__init__.py")):
        assert init.relative_to(ROOT).as_posix() in names  # setup.cfg lists packages by hand
    for folder in ("templates", "static", "migrations"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert f"finder/{path.relative_to(ROOT).as_posix()}" in names
    assert {f"finder/demo/{p.name}" for p in (ROOT / "finder/demo").iterdir()} <= names


def test_installed_wheel_loads_the_demo_and_searches_outside_the_checkout(tmp_path):
    wheel = _build_wheel(tmp_path / "dist")
    python = _fresh_venv(tmp_path / "venv")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True, timeout=300)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PYTHON"))}
    env["DATABASE_URL"] = f"sqlite:///{workdir}/installed.sqlite3"
    env.pop("REDIS_URL", None)

    demo = subprocess.run([tmp_path / "venv/bin/finder", "demo"], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=300)
    assert demo.returncode == 0, demo.stderr
    assert "demo-aa-meeting-guide: added 42" in demo.stdout

    found = subprocess.run([python, "-c", SEARCH], cwd=workdir, env=env,
                           capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stderr
    answer = json.loads(found.stdout.strip().splitlines()[-1])
    assert answer["file"].startswith(str(tmp_path / "venv"))  # the wheel's copy, not the checkout
    assert answer["meetings"] > 0
    assert answer["page"] == 200 and answer["page_has_results"]
    assert answer["css"] == 200
