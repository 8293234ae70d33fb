"""Search page benchmark: CPU per page in-process, and its HTML over many searches for comparison.

Run: ``python -m bench.page DATABASE_URL [--make 250000] [--cpu 200] [--dump DIR]``.

``--make N`` fills the (empty) database with N generated meetings as ``bench.search`` does, then
gives them what the page shows only for some rows: series held on several days ("Also Tue,
Thu", "Every day"), patterns that are not every week, moderators' confirmations old and new,
call-in numbers without a link, approximate places and regions. ``--cpu N`` prints the CPU time
of ``/?near=10027`` (the page ``bench.http`` loads) per page, over N pages after 30. ``--dump DIR``
writes the status and HTML of ~1,000 pages (15 places in five languages, days, times of day,
filters, both orders, the map, error pages, and the second and third page through their cursor),
each at two fixed instants, one file a page: run it from two checkouts on the same database and
``diff -r`` the folders to prove a change leaves the pages as they were.
"""
from __future__ import annotations

import argparse
import random
import re
import time
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from bench.search import load, make_non_weekly
from finder import create_app
from finder.enums import Attendance
from finder.extensions import db
from finder.models import Meeting
from finder.serve.collector import settle_collector
from finder.submissions.models import AuditRecord

NOWS = ("2026-12-01T18:30:00+00:00", "2026-12-05T03:10:00+00:00")
PLACES = ("10027", "90210", "60614", "London", "Toronto", "Madrid", "Berlin", "Paris", "São Paulo",
          "Chicago", "Dublin", "Sydney", "Mexico City", "Boston", "Seattle")
LANGUAGES = ("en", "es", "de", "fr", "pt")
PARTS = ("morning", "midday", "evening", "night")
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


def page_app(url: str, now: str) -> Flask:
    """The app on ``url`` with "now" fixed (the FIXED_NOW hook, honoured when TESTING)."""
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                       "FIXED_NOW": now})


def make(app: Flask, count: int, seed: int = 3) -> None:
    """Generate ``count`` meetings, then series, patterns, confirmations, phones and places."""
    load(app, count)
    make_non_weekly(app, 0.1)
    rng = random.Random(seed)
    confirmed = datetime.fromisoformat(NOWS[0])
    with app.app_context():
        table = Meeting.__table__
        rows = db.session.execute(sa.select(table)).mappings().all()
        changes, audits, copies = [], [], []
        for row in rows:
            online = row["attendance_option"] != Attendance.IN_PERSON
            phone = f"+1 212 555 {row['id'] % 10000:04d}" if online and rng.random() < 0.4 else None
            changes.append({"b_id": row["id"], "b_rough": rng.random() < 0.06, "b_phone": phone,
                            "b_url": None if phone and row["id"] % 2 == 0 else row["conference_url"],
                            "b_region": rng.choice(("Harlem", "Midtown", "Brooklyn", "Queens"))
                            if rng.random() < 0.4 else None})
            if rng.random() < 0.2:
                audits.append({"action": rng.choice(("approve", "approve edit", "clear reports")),
                               "meeting_id": row["id"],
                               "created_at": confirmed - timedelta(days=rng.randint(1, 300))})
            if row["id"] % 7 == 3:  # a series: two more days, or every day
                days = range(1, 7) if row["id"] % 5 == 0 else (1, 3)
                copies += [{**row, "id": None, "day": (row["day"] + step) % 7,
                            "source_key": f"{row['source_key']}-{step}", "slug": f"{row['slug']}-{step}"}
                           for step in days]
        db.session.execute(sa.update(table).where(table.c.id == sa.bindparam("b_id")).values(
            approximate=sa.bindparam("b_rough"), conference_phone=sa.bindparam("b_phone"),
            conference_url=sa.bindparam("b_url"), region=sa.bindparam("b_region")), changes)
        db.session.execute(sa.insert(AuditRecord.__table__), audits)
        for start in range(0, len(copies), 10_000):
            db.session.execute(sa.insert(table), [{k: v for k, v in copy.items() if k != "id"}
                                                  for copy in copies[start:start + 10_000]])
        db.session.commit()


def searches() -> list[tuple[str, dict[str, str]]]:
    """(URL, headers) of the pages compared: each place in several languages and filters."""
    found = []
    for index, place in enumerate(PLACES):
        lang = [LANGUAGES[(index + step) % 5] for step in range(5)]
        found += [
            (f"/?near={place}&lang={lang[0]}", {}),
            (f"/?near={place}", {"Accept-Language": "en-US,en;q=0.8"}),
            (f"/?near={place}&day={index % 7}&lang={lang[1]}", {}),
            (f"/?near={place}&part={PARTS[index % 4]}&lang={lang[2]}&units=mi", {}),
            (f"/?near={place}&attendance=in_person&attendance=hybrid&types=O&types=W&lang={lang[3]}", {}),
            (f"/?near={place}&order=distance&radius_km=50&tz=America/Los_Angeles", {}),
            (f"/?near={place}&view=map&lang={lang[4]}", {}),
            (f"/?near={place}&starting_within=120&fellowship=aa", {"Cookie": "tz=Europe/Berlin"}),
            (f"/?near={place}&region=Harlem&q=Group&radius_km=100", {}),
        ]
    for lang in LANGUAGES:
        found += [(f"/?{query}&lang={lang}" if query else f"/?lang={lang}", headers) for query, headers in (
            ("", {}), ("attendance=online", {}), ("attendance=online&day=2&part=evening&tz=Asia/Tokyo", {}),
            ("near=Londn", {}), ("near=zzzqqq", {}), ("near=10027&day=9", {}),
            ("near=10027&radius_km=abc", {}), ("lat=40.8&lon=-73.95", {}), ("lat=999&lon=0", {}),
            ("near=10027&attendance=bogus", {}), ("near=10027&types=ZZ&types=S", {}),
            ("near=10027&cursor=garbage&page=2", {}), ("lat=51.5&lon=-0.12&units=mi", {"Accept-Language": "en-GB"}),
            ("near=10027", {"Cookie": "units=mi; tz=America/Chicago"}))]
    return found + [("/?near=10027", {"Accept-Language": "de-DE,de;q=0.9"}),
                    ("/?near=10027", {"Accept-Language": "pt-BR"})]


def dump(url: str, folder: Path) -> int:
    """Write every page of :func:`searches` (and its next two pages) at each instant; the count."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for instant, now in enumerate(NOWS):
        client = page_app(url, now).test_client()
        for number, (path, headers) in enumerate(searches()):
            for step in range(3):
                answer = client.get(path, headers=headers)
                body = answer.get_data()
                head = f"{path}\n{headers}\n{answer.status_code}\n{answer.content_type}\n"
                (folder / f"{instant}-{number:03d}-{step}").write_bytes(head.encode() + body)
                written += 1
                if not (link := NEXT.search(body.decode())):
                    break
                path = unescape(link[1])
    return written


def cpu(url: str, pages: int, path: str = "/?near=10027") -> float:
    """CPU milliseconds per page of ``path``, over ``pages`` after 30 to warm up, with the
    cycle collector set as a served worker sets it (finder/serve/collector.py)."""
    client = page_app(url, NOWS[0]).test_client()
    for _ in range(30):
        client.get(path)
    settle_collector()
    started = time.process_time()
    for _ in range(pages):
        assert client.get(path).status_code == 200
    return (time.process_time() - started) / pages * 1000


def main() -> None:
    """Make, time and dump as asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="SQLAlchemy URL of the database (made with --make)")
    parser.add_argument("--make", type=int, metavar="MEETINGS")
    parser.add_argument("--cpu", type=int, metavar="PAGES")
    parser.add_argument("--dump", type=Path, metavar="DIR")
    args = parser.parse_args()
    if args.make:
        make(create_app({"SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": "bench"}), args.make)
    if args.cpu:
        print(f"/?near=10027: {cpu(args.url, args.cpu):.2f} ms CPU a page ({args.cpu} pages, "
              f"{datetime.now(UTC):%H:%M} UTC)")
    if args.dump:
        print(f"{dump(args.url, args.dump)} pages written to {args.dump}")


if __name__ == "__main__":
    main()
