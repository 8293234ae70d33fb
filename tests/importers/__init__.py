"""Tests of importers/: golden files per format, and fetches from a server on 127.0.0.1."""
