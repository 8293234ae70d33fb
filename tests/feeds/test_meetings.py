"""feeds.meetings: which text gives a meeting's fellowship away in a discreet feed."""
from __future__ import annotations

import pytest

from feeds.meetings import reveals_fellowship


@pytest.mark.parametrize(
    ("text", "reveals"),
    [("AA Big Book", True), ("Meets at the A.A. hall", True), ("Narcotics Anonymous", True),
     ("CA meeting", True), ("Alano Club", True), ("Passcode: 7777", False),
     ("Los Angeles, CA 90012, USA", False), ("Atlanta, GA 30303", False),
     ("St. Mark's Church, Room 2", False)],
)
def test_reveals_fellowship(text, reveals):
    assert reveals_fellowship(text) is reveals

