"""The application factory (finder/__init__.py): without SECRET_KEY a random key is kept in instance/."""
from __future__ import annotations

import os
import stat

from finder import create_app, instance_secret


def test_without_a_secret_key_a_random_one_is_kept_in_the_instance(tmp_path):
    path = tmp_path / "secret_key"
    first = instance_secret(path)
    assert len(first) >= 40 and instance_secret(path) == first
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] not in ("", None, "dev-only-not-secret")


def test_only_the_web_app_serves_static_files():
    """A data command's app (web=False) has no /static rule: werkzeug compiling it was part of
    finder import's start-up."""
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "test"}
    web = create_app(config)
    assert web.has_static_folder and "static" in {rule.endpoint for rule in web.url_map.iter_rules()}
    data = create_app(config, web=False)
    assert not data.has_static_folder and not list(data.url_map.iter_rules())
