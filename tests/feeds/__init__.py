"""Tests of feeds/: calendar rendering and its zone data, without Flask."""
