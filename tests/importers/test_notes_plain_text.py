"""Notes from a feed leave as plain text: entity-encoded markup never becomes a live tag."""
from __future__ import annotations

import pytest

from importers.normalize import strip_html


@pytest.mark.parametrize(("raw", "plain"), [
    ("Use &lt;img src=x onerror=alert(1)&gt; the side door", "Use  the side door"),
    ("A &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; b", "A  b"),
    ("Fish &amp; chips<br>Line 2", "Fish & chips\nLine 2"),
    ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),
])
def test_markup_is_stripped_however_deeply_escaped(raw, plain):
    assert strip_html(raw) == plain
    assert "<img" not in strip_html(raw) and "<script" not in strip_html(raw)


def test_escaping_deeper_than_any_feed_still_yields_no_angle_brackets():
    assert "<" not in strip_html("&" + "amp;" * 9 + "lt;img src=x onerror=alert(1)&gt;x")
