"""The content hash's JSON is the standard encoder's, byte for byte, whichever encoder writes it.

Every stored meeting keeps a hash of this text: if it changed, the next import would rewrite
every meeting and bump every calendar event's SEQUENCE.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from finder.enums import Attendance, Fellowship
from importers.record import MeetingRecord, canonical_json


def standard(columns):
    return json.dumps(columns, sort_keys=True, default=str, separators=(",", ":")).encode()


EDGES = [
    {"latitude": 1e-05, "longitude": -3.3e-05},  # orjson: 0.00001
    {"latitude": 1e-07, "longitude": 0.0001},  # orjson: 1e-7
    {"latitude": 0.0, "longitude": -0.0, "n": 1e16, "m": 1.5e300, "k": 5e-324},
    {"latitude": float("nan"), "longitude": float("inf"), "n": float("-inf")},  # orjson: null
    {"name": "Café \u2028 ünïcode", "notes": "DEL \x7f, NUL \x00, tab \t, quote \" \\ /"},
    {"name": "lone \ud800 surrogate"},  # orjson refuses it
    {"id": 2 ** 70, "day": -3},  # past 64 bits: orjson refuses it
    {"updated": datetime(2026, 10, 1, 12, 0, tzinfo=UTC), "types": ("C", "O"), "approximate": True,
     "attendance_option": Attendance.HYBRID, "fellowship": Fellowship.NA, "end_time": None},
]

scalars = (st.none() | st.booleans() | st.integers() | st.text()
           | st.floats()
           | st.datetimes(timezones=st.just(UTC)) | st.sampled_from(list(Attendance))
           | st.lists(st.text(max_size=5), max_size=3).map(tuple))


def test_the_edges_are_written_as_the_standard_encoder_writes_them():
    for columns in EDGES:
        assert canonical_json(columns) == standard(columns), columns


@settings(max_examples=300, derandomize=True, deadline=None)  # a check of bytes, not of speed
@given(st.dictionaries(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12),
                       scalars, max_size=12))
def test_any_flat_columns_are_written_as_the_standard_encoder_writes_them(columns):
    assert canonical_json(columns) == standard(columns)


def test_a_record_hashes_as_before():
    record = MeetingRecord(
        source_key="k1", slug="k1", fellowship=Fellowship.AA, name="Hope Group", day=2,
        time="19:00", timezone="America/Chicago", attendance_option=Attendance.IN_PERSON,
        types=("C", "W"), formatted_address="1 Main St, Chicago, IL 60601, USA",
        latitude=41.878113, longitude=-87.629799, updated=datetime(2026, 10, 1, 12, tzinfo=UTC))
    # The digest the json-module version (main at 51a1b24) gave this record.
    assert record.content_hash() == "3718765141409fb09ee2af6b97b4cdfe762e2b14"
