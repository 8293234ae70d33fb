"""The gunicorn application behind ``finder serve``."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gunicorn.app.base import Application

CONFIG_FILE = str(Path(__file__).with_name("gunicorn_conf.py"))


class Server(Application):
    """gunicorn running ``create_app()`` in each worker, configured by ``gunicorn_conf.py``."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.options = dict(options)
        super().__init__()

    def load_config(self) -> None:
        """Read the config file (again on every reload), then the command line's options."""
        self.load_config_from_module_name_or_filename(CONFIG_FILE)
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """The WSGI app, built in the worker after the fork."""
        from finder import create_app

        return create_app()
