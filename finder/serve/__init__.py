"""Serving the app in production: gunicorn's configuration, the ``finder serve`` command, health checks."""
