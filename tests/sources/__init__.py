"""Tests of finder/sources: loading feeds, refreshing sources, duplicates, and the import command."""
