"""The tests, in packages that mirror finder/, importers/ and feeds/ (fixtures in conftest.py files)."""
