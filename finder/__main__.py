"""The ``finder`` command (``python -m finder`` too), started without the cycle collector.

Start-up (Flask, SQLAlchemy, the models: some 110,000 objects that live until the process ends)
is most of a short command's time, and the cycle collector would walk those objects again and
again while they load, then all of them once more at exit. So it is off from here until the
command is loaded (``finder.cli.end_startup``), which freezes what was loaded out of its reach.
"""
from __future__ import annotations

import gc


def main() -> None:
    """Run ``finder``'s command line."""
    gc.disable()
    from finder.cli import cli

    cli(prog_name="finder")


if __name__ == "__main__":
    main()
