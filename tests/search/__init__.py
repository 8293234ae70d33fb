"""Tests of finder/search: time windows, cursors, parameters, the query, and the search API."""
