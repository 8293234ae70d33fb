"""The ``finder`` command line: Flask's group with the features' own commands attached."""
from __future__ import annotations

import copy
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo, routes_command, run_command, shell_command

from finder import create_app
from finder.schema import ensure_schema
from finder.serve.command import serve_command


def _serve_command() -> click.Command:
    # Flask's own `run`, with the schema brought up first so a fresh database just works.
    command = copy.copy(run_command)
    original = command.callback

    @click.pass_context
    def callback(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        app = ctx.ensure_object(ScriptInfo).load_app()
        with app.app_context():
            ensure_schema()
        return ctx.invoke(original, *args, **kwargs)

    command.callback = callback
    return command


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False)
def cli() -> None:
    """Meeting Finder: import feeds, manage the database, serve the app."""


cli.add_command(_serve_command(), "run")
cli.add_command(serve_command)
cli.add_command(shell_command)
cli.add_command(routes_command)


def register_commands(app: Flask) -> None:
    """Attach the features' commands to the app, so ``finder`` and ``flask`` both have them."""
    from finder.moderation.accounts import moderators_cli
    from finder.sources import cli as sources

    for command in (sources.import_command, sources.demo_command, sources.sources_group,
                    sources.refresh_command, moderators_cli):
        app.cli.add_command(command)
