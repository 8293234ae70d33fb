"""``finder import``, ``demo``, ``sources`` and ``refresh``: feeds as records that keep themselves fresh."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable

import click
from flask import current_app
from sqlalchemy import func

from finder.enums import Fellowship
from finder.extensions import db
from finder.models import ImportRun, Meeting, Source, utcnow
from finder.schema import needs_schema
from finder.sources.duplicates import mark_duplicates
from finder.sources.loader import ImportReport
from finder.sources.lock import SourceBusy
from finder.sources.refresh import (
    Fetched,
    due_sources,
    fetch_ahead,
    record_failure,
    refresh_source,
    source_status,
)
from finder.sources.service import (
    find_source,
    import_location,
    load_demo,
    options_for,
    source_name_for,
)
from importers import IMPORTERS, FeedError, get_importer
from importers.normalize import valid_timezone

FELLOWSHIPS = click.Choice([f.value for f in Fellowship])


def _zone_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--timezone``: an IANA zone this machine knows, refused before anything is read or stored."""
    if value is not None and valid_timezone(value) is None:
        raise click.BadParameter(f"{value!r} is not an IANA zone (e.g. America/Chicago)")
    return valid_timezone(value) if value is not None else None


@click.command("import")
@click.argument("location", metavar="PATH_OR_URL")
@click.option("--format", "format_", type=click.Choice(sorted(IMPORTERS)), help="Feed format (detected if left out).")
@click.option("--fellowship", type=FELLOWSHIPS,
              help="Fellowship of the feed's meetings [default: the source's, else na for BMLT, "
                   "else aa].")
@click.option("--name", help="Source name (default: taken from the path or URL).")
@click.option("--timezone", "default_timezone", callback=_zone_option,
              help="IANA zone for meetings that give none.")
@click.option("--formats", "formats", metavar="PATH_OR_URL",
              help="BMLT: the server's GetFormats answer, for a meeting list without one.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@needs_schema
def import_command(
    location: str, format_: str | None, fellowship: str | None, name: str | None,
    default_timezone: str | None, formats: str | None, as_json: bool,
) -> None:
    """Import a feed from a file or an http(s) URL into one source."""
    name = name or source_name_for(location)
    try:
        done = import_location(location, name=name, format_=format_,
                               fellowship=Fellowship(fellowship) if fellowship else None,
                               default_timezone=default_timezone, formats=formats,
                               progress=_progress_printer(),
                               say=lambda message: click.echo(message, err=True))
    except (FeedError, SourceBusy) as exc:
        message = str(exc) if location in str(exc) else f"{location}: {exc}"
        if as_json:  # a script reading --json gets JSON whatever happened
            click.echo(json.dumps({"error": message}, indent=2))
            sys.exit(1)
        raise click.ClickException(message) from None
    if as_json:
        click.echo(json.dumps(done.report.as_dict(), indent=2))
    else:
        source = done.source
        attention = rejected_share(done.report)
        if attention:
            click.echo(attention)
        click.echo(f"Imported source {name!r} ({source.format}, {source.fellowship.value}) "
                   f"from {location}")
        if done.importer.name != source.format:
            click.echo(f"  read as {done.importer.name} this time; the source stays {source.format}")
        click.echo(format_report(done.report))


# Above this share of rejected records a feed needs a person's look (a changed export, a bug).
REJECTED_ATTENTION = 0.02


def rejected_share(report: ImportReport) -> str | None:
    """A first line for the report when more than 2% of the feed's records were rejected."""
    read = report.added + report.updated + report.unchanged + len(report.rejected)
    if not read or len(report.rejected) <= REJECTED_ATTENTION * read:
        return None
    return (f"Look at this feed: {len(report.rejected)} of {read} records "
            f"({len(report.rejected) / read:.1%}) were rejected")


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
    reports, copies = load_demo()
    for name, report in reports:
        click.echo(f"{name}: added {report.added}, updated {report.updated}, "
                   f"unchanged {report.unchanged}, removed {report.removed}")
    click.echo(f"{copies} meetings listed by more than one source are shown once")


def _when(moment: object) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"  # type: ignore[attr-defined]


def get_source(name: str) -> Source:
    """The source called ``name``, or a usage error naming the known ones."""
    source = find_source(name)
    if source is None:
        known = ", ".join(db.session.execute(db.select(Source.name).order_by(Source.name)).scalars())
        raise click.UsageError(f"no source named {name!r}; known sources: {known or 'none'}")
    return source


@click.group("sources")
def sources_group() -> None:
    """Manage the feeds that are imported."""


@sources_group.command("add")
@click.argument("name")
@click.argument("url", metavar="PATH_OR_URL")
@click.option("--format", "format_", type=click.Choice(sorted(IMPORTERS)), required=True)
@click.option("--fellowship", type=FELLOWSHIPS, required=True)
@click.option("--every", "hours", type=click.IntRange(1, 24 * 30), default=24, show_default=True,
              help="Refresh interval in hours.")
@click.option("--timezone", "default_timezone", callback=_zone_option,
              help="IANA zone for meetings that give none.")
@click.option("--display-name", help="The name people read on meeting pages (default: NAME).")
@needs_schema
def add_command(name: str, url: str, format_: str, fellowship: str, hours: int,
                default_timezone: str | None, display_name: str | None) -> None:
    """Register a feed; `finder refresh` imports it when due."""
    if find_source(name) is not None:
        raise click.UsageError(f"a source named {name!r} exists already")
    get_importer(format_)
    db.session.add(Source(name=name, url=url, format=format_, fellowship=Fellowship(fellowship),
                          refresh_hours=hours, default_timezone=default_timezone,
                          display_name=(display_name or "").strip()[:200] or None))
    db.session.commit()
    click.echo(f"Added source {name!r} ({format_}, {fellowship}), refreshed every {hours} h: {url}")


@sources_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@needs_schema
def list_command(as_json: bool) -> None:
    """Every source with its state, last success, failures and listed meetings."""
    counts = dict(db.session.execute(
        db.select(Meeting.source_id, func.count()).where(Meeting.is_listed)
        .group_by(Meeting.source_id)).all())
    rows = [{
        "name": s.name, "format": s.format, "fellowship": s.fellowship.value, "url": s.url,
        "every_hours": s.refresh_hours, "status": source_status(s),
        "last_success": _when(s.last_success_at), "last_run": _when(s.last_run_at),
        "failures": s.failures, "flagged": s.flagged_at is not None,
        "last_error": s.last_error, "meetings": counts.get(s.id, 0),
    } for s in db.session.execute(db.select(Source).order_by(Source.name)).scalars()]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"{'name':<28} {'format':<15} {'fellowship':<10} {'status':<9} {'last success':<16} "
               f"{'fail':>4} {'meetings':>8}  every")
    for row in rows:
        click.echo(f"{row['name']:<28} {row['format']:<15} {row['fellowship']:<10} {row['status']:<9} "
                   f"{row['last_success']:<16} {row['failures']:>4} {row['meetings']:>8}  "
                   f"{row['every_hours']} h")
        if row["last_error"]:
            click.echo(f"    last error: {row['last_error']}")


@sources_group.command("runs")
@click.argument("name")
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the stored reports as JSON.")
@needs_schema
def runs_command(name: str, limit: int, as_json: bool) -> None:
    """A source's latest import runs, newest first, with their stored reports."""
    source = get_source(name)
    runs = db.session.execute(db.select(ImportRun).where(ImportRun.source_id == source.id)
                              .order_by(ImportRun.id.desc()).limit(limit)).scalars().all()
    if as_json:
        click.echo(json.dumps([{"id": r.id, "started_at": r.started_at.isoformat(),
                                "status": r.status.value, "error": r.error, "report": r.report}
                               for r in runs], indent=2))
        return
    for run in runs:
        if run.error:
            click.echo(f"#{run.id} {_when(run.started_at)} failed: {run.error}")
            continue
        report = run.report or {}
        click.echo(f"#{run.id} {_when(run.started_at)} ok: added {run.added}, updated {run.updated}, "
                   f"unchanged {run.unchanged}, removed {run.removed}, rejected {run.rejected}, "
                   f"warnings {len(report.get('warnings', []))}")
        for title in ("rejected", "warnings"):
            for issue in report.get(title, [])[:20]:
                click.echo(f"    {title[:-1] if title == 'warnings' else 'rejected'} "
                           f"{issue.get('key') or '(feed)'}: {issue.get('reason')}")


def refresh_one(source: Source, fetched: Fetched | None = None) -> ImportReport | None:
    """Refresh one source in a transaction of its own; its report, or None if it failed.

    Any error, not only a feed that cannot be read, is stored as a failed run, so the source is
    counted and flagged and the sources after it still run.
    """
    try:
        result = refresh_source(source, options_for(source), fetched=fetched)
        db.session.commit()
    except SourceBusy as exc:  # another import is at it: not a failure of the feed
        db.session.rollback()
        click.echo(f"{source.name}: skipped: {exc}", err=True)
        return None
    except Exception as exc:  # noqa: BLE001 (one source's failure must not stop the rest)
        db.session.rollback()
        current_app.logger.exception("refreshing source %s failed", source.name)
        record_failure(source, f"the import failed: {type(exc).__name__}: {str(exc)[:300]}")
        db.session.commit()
        return None
    return result.report if result.ok else None


@click.command("refresh")
@click.option("--all", "everything", is_flag=True, help="Refresh every source, due or not.")
@click.option("--source", "names", multiple=True, help="Refresh this source (repeatable).")
@needs_schema
def refresh_command(everything: bool, names: tuple[str, ...]) -> None:
    """Re-import every source that is due; a failing feed keeps its meetings and is recorded."""
    if names:
        sources = [get_source(name) for name in names]
    elif everything:
        sources = list(db.session.execute(db.select(Source).order_by(Source.name)).scalars())
    else:
        sources = due_sources(utcnow())
    failed, changed = 0, False
    for source, fetched in fetch_ahead((source, options_for(source)) for source in sources):
        report = refresh_one(source, fetched)
        if report is not None:
            changed = changed or report.changed
            click.echo(f"{source.name}: added {report.added}, updated {report.updated}, "
                       f"unchanged {report.unchanged}, removed {report.removed}, "
                       f"rejected {len(report.rejected)}, warnings {len(report.warnings)}")
        else:
            failed += 1
            flag = " (flagged: failing for long)" if source.flagged_at else ""
            click.echo(f"{source.name}: FAILED{flag}, meetings kept: {source.last_error}", err=True)
    summary = f"Refreshed {len(sources) - failed} of {len(sources)} sources"
    if failed:
        summary += f", {failed} failed"
    if changed:  # the duplicate pass only has something to do when meetings changed
        summary += f"; {mark_duplicates()} meetings listed by more than one source"
        db.session.commit()
    click.echo(summary)
    if failed:
        raise SystemExit(1)
