"""Tests of finder/schedules: the schedules API, plan pages, feeds and overlaps."""
