"""Validation of submitted meetings at the edge: BMLT's and the Meeting Guide spec's rules.

Pure functions over plain mappings, shared by the HTML form and the JSON API. Text is kept as
typed (HTML included: templates escape it on output); only surrounding space is trimmed.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from finder.enums import N_, Attendance, Fellowship
from finder.submissions.recurring import PatternError, check_pattern
from finder.weekly import DAY_NAMES, length_minutes
from importers.normalize import (
    clean_phone,
    conference_provider,
    parse_time,
    valid_timezone,
    web_url,
)
from importers.types import canonical_type

KINDS = ("new", "change", "closure", "temporary_closure")
ATTENDANCE_CHOICES = (Attendance.IN_PERSON.value, Attendance.HYBRID.value, Attendance.ONLINE.value)

# Longest accepted value of each text field (the spec allows 255 for a name; columns bound the rest).
LIMITS: dict[str, int] = {
    "name": 255, "location": 255, "address": 200, "city": 100, "state": 100, "postal_code": 20,
    "country": 100, "location_notes": 2000, "notes": 2000, "conference_url": 2000,
    "conference_url_notes": 500, "conference_phone": 100, "conference_phone_notes": 500,
    "group": 255, "url": 2000, "contact": 255, "note": 2000,
}
TEXT_FIELDS = (
    "name", "location", "address", "city", "state", "postal_code", "country", "location_notes",
    "notes", "conference_url", "conference_url_notes", "conference_phone",
    "conference_phone_notes", "group", "url",
)
_DAY_ALIASES = {name.lower()[:3]: i for i, name in enumerate(DAY_NAMES)} | {
    name.lower(): i for i, name in enumerate(DAY_NAMES)
} | {name: i for i, name in enumerate(
    ("domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"))}
MAX_MINUTES = 6 * 60  # longer than this reads as a mistyped end time, not a meeting
LONG_MINUTES = 2 * 60  # TSML UI warns above two hours

# Given names common enough that "<Given> <Capitalised>" most likely names a person.
GIVEN_NAMES = frozenset("""
aaron adam alan albert alex alice amanda amy andrew angela ann anna anne anthony barbara betty
bill billy bob brian carl carol carlos catherine charles chris christopher cynthia dan daniel
david deborah dennis diana donald donna dorothy edward elizabeth emily eric frank gary george
gregory helen henry jack james jane janet jason jeff jennifer jessica jim joe john jose joseph
joshua juan julie karen kate kathy kelly kenneth kevin laura linda lisa luis margaret maria mark
mary matthew michael michelle mike nancy patricia patrick paul peter rachel raymond rebecca
richard robert ronald ruth ryan sandra sarah scott sharon stephen steve steven susan thomas tim
timothy tom william
""".split())
_CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z]+)\s+(?=([A-Z][a-z]+)\b)")  # overlapping pairs
# Second words that make "<Given> <Word>" a place or a meeting, not a surname.
_NOT_SURNAMES = frozenset("""
avenue ave boulevard chapel church center centre club community fellowship group hall house
lane library meeting road room school street step steps study way
""".split())
_PERSON_FIELDS = ("name", "group", "location", "notes", "location_notes", "conference_url_notes",
                  "conference_phone_notes")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# "zoom.us/j/123" or "www.example.org/meetings": a host name with a dot, then a path or nothing.
_BARE_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:[/?#]\S*)?$", re.IGNORECASE)


@dataclass
class Checked:
    """The cleaned values of a submission, with errors and warnings keyed by field."""

    fields: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing blocks the submission (warnings do not)."""
        return not self.errors

    def error(self, name: str, message: str) -> None:
        """Record the first error of field ``name``."""
        self.errors.setdefault(name, message)


def clean_text(value: object) -> str | None:
    """Trimmed text without control characters, or None when empty or not a scalar."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    out = _CONTROL.sub("", str(value)).strip()
    return out or None


def with_scheme(url: str | None) -> str | None:
    """``url`` with ``https://`` put in front when it was typed without one (``zoom.us/j/1``)."""
    if url and "://" not in url and _BARE_HOST.match(url):
        return "https://" + url
    return url


def parse_day(value: object) -> int | None:
    """0 = Sunday .. 6 = Saturday from an int, a digit string or a day name; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= 6 else None
    raw = (clean_text(value) or "").lower()
    if raw.isascii() and raw.isdigit():
        return int(raw) if 0 <= int(raw) <= 6 else None
    return _DAY_ALIASES.get(raw)


def looks_like_full_name(value: str | None) -> bool:
    """True if ``value`` holds a given name followed by a capitalised word, e.g. "John Smith"."""
    for given, second in _CAPITALISED_PAIR.findall(value or ""):
        if given.lower() in GIVEN_NAMES and second.lower() not in _NOT_SURNAMES:
            return True
    return False


def type_codes(value: object) -> list[str]:
    """A list of type codes from a list or a comma-separated string."""
    if isinstance(value, str):
        return [code.strip() for code in value.split(",") if code.strip()]
    if isinstance(value, (list, tuple)):
        return [str(code).strip() for code in value if str(code).strip()]
    return []


def formatted_address(fields: Mapping[str, Any], *, street: bool = True) -> str | None:
    """``street, city, state postal_code, country`` (the spec's order), leaving out blanks."""
    state_zip = " ".join(p for p in (fields.get("state"), fields.get("postal_code")) if p)
    parts = [fields.get("address") if street else None, fields.get("city"), state_zip,
             fields.get("country")]
    return ", ".join(p for p in parts if p) or None


def check_meeting(data: Mapping[str, Any]) -> Checked:
    """Check the fields of a new or changed meeting."""
    checked = Checked()
    out = checked.fields
    for name in TEXT_FIELDS:
        out[name] = clean_text(data.get(name))
        if out[name] and len(out[name]) > LIMITS[name]:
            checked.error(name, f"Keep this under {LIMITS[name]} characters.")
    out["conference_url"], out["url"] = with_scheme(out["conference_url"]), with_scheme(out["url"])
    if not out["name"]:
        checked.error("name", N_("Give the meeting's name."))

    fellowship = clean_text(data.get("fellowship")) or Fellowship.AA.value
    if fellowship not in {f.value for f in Fellowship}:
        checked.error("fellowship", N_("Choose a fellowship from the list."))
    out["fellowship"] = fellowship

    _check_when(data, checked)
    try:
        out["recurrence"] = check_pattern(data.get("recurrence"), out["day"])
    except PatternError as error:
        checked.error("recurrence", error.message)
    _check_types(data, checked)
    _check_place_and_link(data, checked)

    if out["url"] and web_url(out["url"]) is None:
        checked.error("url", N_("Give a web address that starts with http:// or https://."))
    for name in _PERSON_FIELDS:
        if looks_like_full_name(out.get(name)):
            checked.warnings.setdefault(
                name, N_("This looks like a person's full name. Public listings use first names "
                         "and last initials only (anonymity).")
            )
    return checked


def _check_when(data: Mapping[str, Any], checked: Checked) -> None:
    out = checked.fields
    out["day"] = parse_day(data.get("day"))
    if out["day"] is None:
        checked.error("day", N_("Choose a day of the week."))
    raw_time, raw_end = clean_text(data.get("time")), clean_text(data.get("end_time"))
    out["time"] = parse_time(raw_time) if raw_time else None
    if out["time"] is None:
        checked.error("time", N_("Give the start time as HH:MM, for example 19:30."))
    out["end_time"] = parse_time(raw_end) if raw_end else None
    if raw_end and out["end_time"] is None:
        checked.error("end_time", N_("Give the end time as HH:MM, for example 20:30."))
    if out["time"] and out["end_time"]:
        minutes = length_minutes(out["time"], out["end_time"])
        if minutes == 0 or minutes > MAX_MINUTES:
            checked.error("end_time", N_("The end time must come after the start time."))
        elif minutes > LONG_MINUTES:
            checked.warnings["end_time"] = f"This meeting lasts {minutes // 60} h {minutes % 60:02d}."
    out["timezone"] = valid_timezone(clean_text(data.get("timezone")))
    if out["timezone"] is None:
        checked.error("timezone", N_("Choose the meeting's time zone from the list."))


def _check_types(data: Mapping[str, Any], checked: Checked) -> None:
    codes: list[str] = []
    for code in type_codes(data.get("types")):
        canonical = canonical_type(code)
        if canonical is None:
            checked.error("types", f"{code[:20]!r} is not a meeting type code.")
        elif canonical not in codes:
            codes.append(canonical)
    checked.fields["types"] = sorted(codes)


def _check_place_and_link(data: Mapping[str, Any], checked: Checked) -> None:
    out = checked.fields
    attendance = clean_text(data.get("attendance_option"))
    if attendance not in ATTENDANCE_CHOICES:
        checked.error("attendance_option", N_("Choose in person, hybrid or online."))
        return
    out["attendance_option"] = attendance
    in_person = attendance in ("in_person", "hybrid")
    online = attendance in ("online", "hybrid")

    url, phone = out["conference_url"], out["conference_phone"]
    if url and conference_provider(url) is None:
        checked.error("conference_url", N_("Use a direct meeting link on a known service "
                      "(Zoom, Google Meet, Teams, Jitsi, Webex, …)."))
    if phone:
        out["conference_phone"] = clean_phone(phone)
        if out["conference_phone"] is None:
            checked.error("conference_phone", N_("A dial-in number needs at least 10 digits."))
    if online and not (url or phone):
        checked.error("conference_url", N_("An online or hybrid meeting needs a meeting link or a "
                      "dial-in phone number."))
    if not online and (url or phone):
        checked.error("attendance_option", N_("You gave a meeting link or phone: choose hybrid."))

    if in_person:
        if not out["address"]:
            checked.error("address", N_("An in-person or hybrid meeting needs a street address."))
        if not (out["city"] or out["postal_code"]):
            checked.error("city", N_("Give the city or the postal code."))
    elif out["address"]:
        checked.error("address", N_("An online meeting has no street address: leave it out, or "
                      "choose hybrid."))
    elif not (out["city"] or out["postal_code"] or out["country"]):
        checked.warnings["city"] = N_("Give a city so apps can suggest the meeting to people nearby.")


def check_submission(kind: object, data: Mapping[str, Any], *, meeting_known: bool) -> Checked:
    """Check a whole submission: its kind, meeting, fields, contact and note."""
    if kind not in KINDS:
        checked = Checked()
        checked.error("kind", N_("Choose a new meeting, a change, a closure or a temporary closure."))
    elif kind in ("new", "change"):
        checked = check_meeting(data)
    else:
        checked = Checked()
    if kind == "new" and data.get("meeting_id") not in (None, ""):
        checked.error("meeting_id", N_("A new meeting cannot name an existing one."))
    if kind in ("change", "closure", "temporary_closure") and not meeting_known:
        checked.error("meeting_id", N_("Choose an existing meeting."))

    contact = clean_text(data.get("contact"))
    if not contact:
        checked.error("contact", N_("Give an email or phone so a moderator can reach you. "
                      "It is never shown publicly."))
    elif len(contact) > LIMITS["contact"]:
        checked.error("contact", f"Keep this under {LIMITS['contact']} characters.")
    elif "@" not in contact and sum(ch.isdigit() for ch in contact) < 7:
        checked.error("contact", N_("Give an email address or a phone number."))
    note = clean_text(data.get("note"))
    if note and len(note) > LIMITS["note"]:
        checked.error("note", f"Keep this under {LIMITS['note']} characters.")
    checked.fields["contact"], checked.fields["note"] = contact, note
    return checked


def public_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The meeting fields of a checked submission, without the private contact and note."""
    return {k: v for k, v in fields.items() if k not in ("contact", "note")}


FORM_ORDER = (
    "kind", "meeting_id", "fellowship", "name", "day", "time", "end_time", "timezone", "recurrence",
    "attendance_option", "location", "address", "city", "state", "postal_code", "country",
    "location_notes", "conference_url", "conference_url_notes", "conference_phone",
    "conference_phone_notes", "types", "group", "notes", "url", "note", "contact",
)
