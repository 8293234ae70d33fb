"""Where the top-level ``templates/``, ``static/`` and ``migrations/`` folders are.

In a checkout (and an editable install) they sit beside the ``finder`` package; a wheel carries
them inside it (``setup.cfg`` maps them to ``finder.templates`` and so on), so an installed app
finds them without the repository.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def asset_dir(name: str) -> str:
    """The folder ``name`` (``templates``, ``static``, ``migrations``): the wheel's copy, else the checkout's."""
    inside = PACKAGE / name
    return str(inside if inside.is_dir() else PACKAGE.parent / name)
