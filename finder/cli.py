"""The ``finder`` command line: a Flask CLI group with the project's own commands."""
from __future__ import annotations

import copy
import dataclasses
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from flask import Flask, current_app
from flask.cli import (
    FlaskGroup,
    ScriptInfo,
    routes_command,
    run_command,
    shell_command,
    with_appcontext,
)

from finder import create_app
from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Source
from finder.schema import ensure_schema
from importers import IMPORTERS, FeedError, ImportOptions, detect_importer, get_importer
from importers.base import fetch_bytes
from importers.duplicates import mark_duplicates
from importers.loader import ImportReport, import_source
from importers.refresh import record_failure

DEMO_DIR = Path(__file__).parent / "demo"
# (file, format, fellowship, default zone): the demo feeds shipped with the package.
DEMO_FEEDS = [
    ("aa-meeting-guide.json", "meeting-guide", Fellowship.AA, "America/New_York"),
    ("na-bmlt.json", "bmlt", Fellowship.NA, "America/New_York"),
    ("ga-tsml.csv", "csv", Fellowship.GA, "America/New_York"),
    ("aa-online-intergroup.json", "meeting-guide", Fellowship.AA, "America/New_York"),
]


def needs_schema(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``command`` in an app context after bringing the database schema up to date."""

    @functools.wraps(command)
    @with_appcontext
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ensure_schema()
        return command(*args, **kwargs)

    return wrapper


@click.command("import")
@click.argument("location", metavar="PATH_OR_URL")
@click.option("--format", "format_", type=click.Choice(sorted(IMPORTERS)), help="Feed format (detected if left out).")
@click.option("--fellowship", type=click.Choice([f.value for f in Fellowship]),
              help="Fellowship of the feed's meetings [default: the source's, else na for BMLT, "
                   "else aa].")
@click.option("--name", help="Source name (default: taken from the path or URL).")
@click.option("--timezone", "default_timezone", help="IANA zone for meetings that give none.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@needs_schema
def import_command(
    location: str, format_: str | None, fellowship: str | None, name: str | None,
    default_timezone: str | None, as_json: bool,
) -> None:
    """Import a feed from a file or an http(s) URL into one source."""
    name = name or source_name_for(location)
    source = db.session.execute(db.select(Source).where(Source.name == name)).scalar_one_or_none()
    existed = source is not None
    options = ImportOptions(
        fellowship=Fellowship(fellowship or (source.fellowship if source else "aa")),
        # (a new source of a one-fellowship format such as BMLT gets that fellowship below)
        default_timezone=default_timezone or (source.default_timezone if source else None),
        source_name=name,
        timeout=current_app.config["FETCH_TIMEOUT"],
        max_bytes=current_app.config["FETCH_MAX_BYTES"],
    )
    try:
        if format_:
            importer = get_importer(format_)(options)
            raw = importer.fetch(location)
        else:
            raw = fetch_bytes(location, timeout=options.timeout, max_bytes=options.max_bytes)
            importer = detect_importer(raw)(options)
        if fellowship is None and source is None and importer.fellowship is not None:
            options = dataclasses.replace(options, fellowship=importer.fellowship)
            importer = type(importer)(options)
        if source is None:
            source = Source(
                name=name, url=location, format=importer.name, fellowship=options.fellowship,
                default_timezone=default_timezone,
            )
            db.session.add(source)
        source.url = location
        _, report = import_source(source, importer, raw, progress=_progress_printer())
        mark_duplicates()
        db.session.commit()
    except FeedError as exc:
        db.session.rollback()
        if existed and source is not None:  # kept in the source's history; its meetings stay
            record_failure(source, str(exc))
            db.session.commit()
        raise click.ClickException(f"{location}: {exc}") from None
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(f"Imported source {name!r} ({importer.name}, {options.fellowship.value}) from {location}")
        click.echo(format_report(report))


def format_report(report: ImportReport) -> str:
    """The plain-text summary of an import."""
    lines = [
        f"  added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
        f"removed {report.removed}, rejected {len(report.rejected)}, warnings {len(report.warnings)}"
    ]
    for title, issues in (("rejected", report.rejected), ("warnings", report.warnings)):
        if issues:
            lines.append(f"{title}:")
            lines.extend(f"  {issue.key or '(feed)'}: {issue.reason}" for issue in issues)
    return "\n".join(lines)


def source_name_for(location: str) -> str:
    """A readable default source name: the file's stem, or the URL's host and path."""
    if "://" in location:
        parts = urlsplit(location)
        return (parts.hostname or "feed") + parts.path.rstrip("/")
    return Path(location).stem


def _progress_printer() -> Callable[[int], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(count: int) -> None:
        click.echo(f"\r  {count:,} meetings read…", nl=False, err=True)

    return show


@click.command("demo")
@needs_schema
def demo_command() -> None:
    """Load the demo feeds shipped with the app (safe to run again)."""
    for filename, format_, fellowship, zone in DEMO_FEEDS:
        name = f"demo-{Path(filename).stem}"
        source = db.session.execute(db.select(Source).where(Source.name == name)).scalar_one_or_none()
        if source is None:
            source = Source(name=name, url=str(DEMO_DIR / filename), format=format_,
                            fellowship=fellowship, default_timezone=zone)
            db.session.add(source)
        importer = get_importer(format_)(ImportOptions(fellowship, zone, name))
        _, report = import_source(source, importer, importer.fetch(str(DEMO_DIR / filename)))
        db.session.commit()
        click.echo(f"{name}: added {report.added}, updated {report.updated}, "
                   f"unchanged {report.unchanged}, removed {report.removed}")
    copies = mark_duplicates()
    db.session.commit()
    click.echo(f"{copies} meetings listed by more than one source are shown once")


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
cli.add_command(shell_command)
cli.add_command(routes_command)


def register_commands(app: Flask) -> None:
    """Attach the project's commands to the app, so ``finder`` and ``flask`` both have them."""
    app.cli.add_command(import_command)
    app.cli.add_command(demo_command)
    from finder.sources_cli import refresh_command, sources_group

    app.cli.add_command(sources_group)
    app.cli.add_command(refresh_command)
    from finder.moderators import moderators_cli

    app.cli.add_command(moderators_cli)
