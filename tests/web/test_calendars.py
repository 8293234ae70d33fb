"""The per-worker cache of rendered calendars: least recently used goes first, within both bounds."""
from __future__ import annotations

import sys
from pathlib import Path

import feeds.meetings  # noqa: F401  (loads what turns a plan into calendar bytes)
from finder.web.calendars import Rendered, shaping_files, validator


def test_rendered_bodies_are_bounded_by_count_and_bytes():
    cache = Rendered(size=3, max_bytes=10)
    cache.put("a", b"12345")
    cache.put("b", b"1234")
    assert cache.get("a") == b"12345"  # now the most recently used
    cache.put("c", b"123")  # 12 bytes: "b" goes, the least recently used
    assert cache.get("b") is None and cache.get("a") == b"12345" and cache.get("c") == b"123"
    cache.put("d", b"1")
    cache.put("e", b"1")  # four entries: "a" goes
    assert [cache.get(tag) for tag in "acde"] == [None, b"123", b"1", b"1"]
    cache.put("e", b"12")  # replacing counts the new size only
    assert cache.get("e") == b"12"


def test_validator_names_its_parts():
    assert validator("plan", 1, ("x",)) == validator("plan", 1, ("x",))
    assert validator("plan", 1, ("x",)) != validator("plan", 1, ("y",))
    assert len(validator()) == 32


def test_every_module_that_shapes_a_feed_is_in_the_code_version():
    """A change to any loaded module of feeds/ (or the pattern and clock rules) changes the
    ETags, so no client keeps a calendar that the new code would write differently."""
    digested = {path.resolve() for path in shaping_files()}
    loaded = [Path(module.__file__).resolve() for name, module in list(sys.modules.items())
              if name == "feeds" or name.startswith("feeds.") or name in ("finder.pattern", "finder.recurrence", "finder.weekly")]
    assert loaded and all(path in digested for path in loaded)
    assert any(path.name == "events.py" for path in digested)
