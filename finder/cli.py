"""The ``finder`` command line: Flask's group with the features' own commands attached.

The features' commands are named here and imported only when one is run (or its help asked
for), so ``finder --help`` loads no app and ``finder import`` loads only what importing needs.
"""
from __future__ import annotations

import copy
import functools
import gc
import importlib
from typing import TYPE_CHECKING, Any

import click
from flask.cli import FlaskGroup, ScriptInfo, routes_command, run_command, shell_command

from finder import create_app

if TYPE_CHECKING:
    from flask import Flask

#: Every feature command of ``finder``: where it is (``module:attribute``) and its one line of
#: help (its docstring's; tests/test_cli_startup.py checks they agree). A new command is added
#: here (and in ``register_commands`` when ``flask`` should have it too).
COMMANDS = {
    "import": ("finder.sources.cli:import_command",
               "Import a feed from a file or an http(s) URL into one source."),
    "demo": ("finder.sources.cli:demo_command",
             "Load the demo feeds shipped with the app (safe to run again)."),
    "sources": ("finder.sources.cli:sources_group", "Manage the feeds that are imported."),
    "refresh": ("finder.sources.cli:refresh_command",
                "Re-import every source that is due; a failing feed keeps its meetings and is "
                "recorded."),
    "moderators": ("finder.moderation.accounts:moderators_cli", "Manage moderator accounts."),
    "serve": ("finder.serve.command:serve_command",
              "Serve the app with gunicorn, for production (needs SECRET_KEY); migrations run first."),
    "db": ("flask_migrate.cli:db", "Perform database migrations."),
}
#: The commands that work on data only: their app has no pages, API or languages
#: (``create_app(web=False)``), and starts in a fraction of the time.
DATA_COMMANDS = frozenset({"import", "demo", "sources", "refresh", "moderators"})


def load_command(name: str) -> click.Command:
    """The command ``COMMANDS[name]`` names, imported now."""
    module, _, attribute = COMMANDS[name][0].partition(":")
    return getattr(importlib.import_module(module), attribute)


def end_startup() -> None:
    """The command is loaded: if ``finder`` started with the cycle collector off (finder/__main__.py),
    freeze what is loaded out of its reach (``gc.freeze``) and turn it on again."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


class FinderGroup(FlaskGroup):
    """Flask's group, knowing its commands by name: listing them loads no app, no plugin."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(click.Group.list_commands(self, ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in DATA_COMMANDS:
            info = ctx.ensure_object(ScriptInfo)
            if info.create_app is create_app:
                info.create_app = functools.partial(create_app, web=False)
        if name in COMMANDS:
            command = load_command(name)
        else:
            command = super().get_command(ctx, name)  # Flask's own and plugins' (``limiter``)
        end_startup()
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # As click lists them, with the features' lines from COMMANDS: none is imported.
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in COMMANDS:
                rows.append((name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit)))
            elif (command := self.get_command(ctx, name)) is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _serve_command() -> click.Command:
    # Flask's own `run`, with the schema brought up first so a fresh database just works.
    command = copy.copy(run_command)
    original = command.callback

    @click.pass_context
    def callback(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        from finder.schema import ensure_schema

        app = ctx.ensure_object(ScriptInfo).load_app()
        with app.app_context():
            ensure_schema()
        return ctx.invoke(original, *args, **kwargs)

    command.callback = callback
    return command


@click.group(cls=FinderGroup, create_app=create_app, add_default_commands=False)
def cli() -> None:
    """Meeting Finder: import feeds, manage the database, serve the app."""


cli.add_command(_serve_command(), "run")
cli.add_command(shell_command)
cli.add_command(routes_command)


def register_commands(app: Flask) -> None:
    """Attach the features' commands to the app, so ``flask`` has them too."""
    from finder.moderation.accounts import moderators_cli
    from finder.sources import cli as sources

    for command in (sources.import_command, sources.demo_command, sources.sources_group,
                    sources.refresh_command, moderators_cli):
        app.cli.add_command(command)
