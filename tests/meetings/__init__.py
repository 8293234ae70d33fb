"""Tests of finder/meetings: the meeting page, its calendar file, and the Meeting Guide export."""
