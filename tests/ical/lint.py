"""A linter for generated feeds: the checks of ical.md §5 that neither parser enforces.

It parses the raw bytes itself (unfolding, BEGIN/END tree) rather than through icalendar,
so that what icalendar would quietly repair (a multi-value RDATE, a bare LF) is still seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass
class _Component:
    name: str
    props: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    children: list[_Component] = field(default_factory=list)

    def all(self, name: str) -> list[tuple[str, dict[str, str], str]]:
        return [prop for prop in self.props if prop[0] == name]

    def value(self, name: str) -> str | None:
        found = self.all(name)
        return found[0][2] if found else None

    def walk(self) -> Iterator[_Component]:
        yield self
        for child in self.children:
            yield from child.walk()


def _split(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside double quotes."""
    parts, current, quoted = [], "", False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _parse_line(line: str) -> tuple[str, dict[str, str], str]:
    head, _, value = line.partition(":") if '"' not in line else _quoted_partition(line)
    name, *params = _split(head, ";")
    parsed = {}
    for param in params:
        key, _, val = param.partition("=")
        parsed[key.upper()] = val
    return name.upper(), parsed, value


def _quoted_partition(line: str) -> tuple[str, str, str]:
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:index], ":", line[index + 1 :]
    return line, "", ""


def _parse_tree(text: str) -> list[_Component]:
    # Tolerate bare LFs here: the raw checks already report them.
    logical = re.split(r"\r?\n", re.sub(r"\r?\n[ \t]", "", text))
    roots: list[_Component] = []
    stack: list[_Component] = []
    for line in filter(None, logical):
        name, params, value = _parse_line(line)
        if name == "BEGIN":
            component = _Component(value.upper())
            (stack[-1].children if stack else roots).append(component)
            stack.append(component)
        elif name == "END":
            if not stack or stack.pop().name != value.upper():
                raise ValueError(f"unbalanced END:{value}")
        elif stack:
            stack[-1].props.append((name, params, value))
        else:
            raise ValueError(f"property outside any component: {line!r}")
    if stack:
        raise ValueError(f"unclosed {stack[-1].name}")
    return roots


def _weekday(value: str) -> str:
    return _ICAL_DAYS[date(int(value[0:4]), int(value[4:6]), int(value[6:8])).weekday()]


def _byday(rrule: str) -> set[str]:
    parts = dict(part.split("=", 1) for part in rrule.split(";"))
    return {day[-2:] for day in parts.get("BYDAY", "").split(",") if day}


def lint(body: bytes, *, secrets: Iterable[str] = ()) -> list[str]:
    """Problems found in a feed (empty list: clean), per the checks of ical.md §5."""
    problems = []
    if body.replace(b"\r\n", b"").count(b"\n") or body.replace(b"\r\n", b"").count(b"\r"):
        problems.append("line ends must be CRLF only")
    if not body.endswith(b"\r\n"):
        problems.append("body must end with CRLF")
    for number, raw in enumerate(body.split(b"\r\n"), 1):
        if len(raw) > 75:
            problems.append(f"line {number} is {len(raw)} octets (> 75)")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number} splits a UTF-8 sequence")
    try:
        roots = _parse_tree(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return [*problems, f"unparseable: {exc}"]
    if len(roots) != 1 or roots[0].name != "VCALENDAR":
        return [*problems, "body must be exactly one VCALENDAR"]
    cal = roots[0]

    for name, wanted in (
        ("VERSION", "2.0"),
        ("PRODID", None),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("NAME", None),
        ("X-WR-CALNAME", None),
        ("REFRESH-INTERVAL", None),
        ("X-PUBLISHED-TTL", None),
    ):
        props = cal.all(name)
        if len(props) != 1:
            problems.append(f"VCALENDAR must have exactly one {name}, has {len(props)}")
        elif wanted is not None and props[0][2] != wanted:
            problems.append(f"{name} must be {wanted}, is {props[0][2]}")
    for prop in cal.all("REFRESH-INTERVAL"):
        if prop[1].get("VALUE") != "DURATION":
            problems.append("REFRESH-INTERVAL needs ;VALUE=DURATION (RFC 7986)")
    for banned in ("X-WR-TIMEZONE", "SOURCE"):
        if cal.all(banned):
            problems.append(f"{banned} must not be emitted")
    if not cal.children:
        problems.append("VCALENDAR needs at least one component (RFC 5545 §3.6)")

    zones = [c for c in cal.children if c.name == "VTIMEZONE"]
    tzids = [z.value("TZID") for z in zones]
    if len(set(tzids)) != len(tzids) or tzids != sorted(tzids):
        problems.append(f"VTIMEZONEs must be unique and sorted: {tzids}")
    for zone in zones:
        kinds = [c.name for c in zone.children]
        for kind in ("STANDARD", "DAYLIGHT"):
            if kinds.count(kind) > 1:
                problems.append(
                    f"{zone.value('TZID')}: {kinds.count(kind)} {kind} blocks (Outlook wants <= 1)"
                )
        if not kinds:
            problems.append(f"{zone.value('TZID')}: no observance")
        for observance in zone.children:
            for name in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"):
                if len(observance.all(name)) != 1:
                    problems.append(f"{zone.value('TZID')} {observance.name}: needs one {name}")
            if any("," in value for _, _, value in observance.all("RDATE")):
                problems.append(
                    f"{zone.value('TZID')}: multi-value RDATE (ical.js reads only the first)"
                )
            for _, _, rrule in observance.all("RRULE"):
                parts = dict(part.split("=", 1) for part in rrule.split(";"))
                if (
                    parts.get("FREQ") != "YEARLY"
                    or "," in parts.get("BYDAY", ",")
                    or "," in parts.get("BYMONTH", ",")
                ):
                    problems.append(
                        f"{zone.value('TZID')}: RRULE {rrule} is not Outlook's yearly nth-weekday form"
                    )

    used_tzids = {p[1]["TZID"] for c in cal.walk() for p in c.props if "TZID" in p[1]}
    for missing in sorted(used_tzids - set(tzids)):
        problems.append(f"TZID {missing} has no VTIMEZONE")

    events = [c for c in cal.children if c.name == "VEVENT"]
    masters: dict[str, _Component] = {}
    for event in events:
        uid = event.value("UID")
        label = uid or "<no UID>"
        for name in ("UID", "DTSTAMP", "DTSTART"):
            if len(event.all(name)) != 1:
                problems.append(f"{label}: needs exactly one {name}")
        if not (event.value("DTSTAMP") or "").endswith("Z"):
            problems.append(f"{label}: DTSTAMP must be UTC")
        if event.all("DTEND") and event.all("DURATION"):
            problems.append(f"{label}: both DTEND and DURATION")
        if event.all("RECURRENCE-ID"):
            continue
        if uid in masters:
            problems.append(f"{label}: UID used by two series")
        masters[uid or ""] = event
        start = event.value("DTSTART") or ""
        for _, _, rrule in event.all("RRULE"):
            if start and _weekday(start) not in _byday(rrule):
                problems.append(f"{label}: DTSTART {start} is not on BYDAY of {rrule}")
    for event in events:
        for _, params, recurrence_id in event.all("RECURRENCE-ID"):
            master = masters.get(event.value("UID") or "")
            label = f"{event.value('UID')} RECURRENCE-ID {recurrence_id}"
            if master is None:
                problems.append(f"{label}: no master VEVENT")
                continue
            _, master_params, master_start = master.all("DTSTART")[0]
            rrule = master.value("RRULE") or ""
            if (
                params.get("TZID") != master_params.get("TZID")
                or recurrence_id[8:] != master_start[8:]
                or recurrence_id < master_start
                or _weekday(recurrence_id) not in _byday(rrule)
            ):
                problems.append(f"{label}: not an occurrence of the master")
    text = body.decode("utf-8", "replace")
    if _EMAIL.search(text):
        problems.append("looks like an e-mail address in the feed")
    for secret in secrets:
        if secret and secret in text:
            problems.append("a secret (e.g. the feed token) appears in the body")
    return problems
