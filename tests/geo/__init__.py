"""Tests of finder/geo: distances, search boxes, time zones at a point, geocoding and its cache."""
