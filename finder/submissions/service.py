"""Storing submissions: the local source, prefilled values from a meeting, and the client hash."""
from __future__ import annotations

from typing import Any

from flask import current_app

from finder.enums import Fellowship
from finder.extensions import db
from finder.models import Meeting, Source
from finder.submissions.models import (
    Submission,
    SubmissionContact,
    SubmissionKind,
    new_reference,
)
from finder.submissions.place import zone_of_address
from finder.submissions.ratelimit import SubmissionLimitReached, client_hash, take_submission_slot
from finder.submissions.recurring import form_fields
from finder.submissions.rules import Checked, check_submission, clean_text, public_fields

LOCAL_SOURCE = "local"


def local_source() -> Source:
    """The source that owns meetings created here, made on first use."""
    source = db.session.execute(
        db.select(Source).where(Source.name == LOCAL_SOURCE)
    ).scalar_one_or_none()
    if source is None:
        source = Source(name=LOCAL_SOURCE, url="local", format="local", fellowship=Fellowship.OTHER)
        db.session.add(source)
        db.session.flush()
    return source


def is_local(meeting: Meeting) -> bool:
    """True if this app owns ``meeting`` (an imported source would overwrite local edits)."""
    return meeting.source.format == LOCAL_SOURCE


def feedback_address(meeting: Meeting) -> str | None:
    """Where changes to an imported meeting go: its feedback URL, its source's, or the feed's URL.

    A source read from a local file has no public address: None then (never a server path).
    """
    for address in (meeting.feedback_url, meeting.source.feedback_url, meeting.source.url):
        if address and address.startswith(("http://", "https://", "mailto:")):
            return address
    return None


def create_submission(
    kind: str, checked: Checked, meeting: Meeting | None, client: str
) -> Submission:
    """A pending submission from checked values; its contact goes to the private table."""
    proposed = public_fields(checked.fields) if kind in ("new", "change") else {}
    submission = Submission(
        reference=new_reference(),
        kind=SubmissionKind(kind),
        meeting=meeting,
        proposed=proposed,
        warnings=[f"{name}: {text}" for name, text in checked.warnings.items()],
        note=checked.fields.get("note"),
        client_hash=client,
    )
    submission.contact = SubmissionContact(contact=checked.fields["contact"])
    db.session.add(submission)
    return submission


def split_address(formatted: str | None) -> dict[str, str]:
    """Best-effort parts of ``street, city, state postal, country`` for prefilling the form."""
    parts = [p.strip() for p in (formatted or "").split(",") if p.strip()]
    if len(parts) < 3 or not any(ch.isdigit() for ch in parts[0]):
        # Not a street address: keep it whole as the city line so nothing is lost.
        return {"city": ", ".join(parts)} if parts else {}
    out = {"address": parts[0], "city": parts[1]}
    words = parts[2].split()
    postal = [w for w in words if any(ch.isdigit() for ch in w)]
    out["state"] = " ".join(w for w in words if w not in postal)
    out["postal_code"] = " ".join(postal)
    if len(parts) > 3:
        out["country"] = ", ".join(parts[3:])
    return {k: v for k, v in out.items() if v}


def form_values(meeting: Meeting) -> dict[str, Any]:
    """A meeting's current values in the submission form's field names."""
    online_only = meeting.attendance_option.value == "online"
    values: dict[str, Any] = {
        "fellowship": meeting.fellowship.value,
        "name": meeting.name,
        "day": meeting.day,
        "time": meeting.time,
        "end_time": meeting.end_time or "",
        "timezone": meeting.timezone,
        "attendance_option": (
            meeting.attendance_option.value
            if meeting.attendance_option.value != "inactive" else "in_person"
        ),
        "types": list(meeting.types),
        "location": meeting.location or "",
        "location_notes": meeting.location_notes or "",
        "notes": meeting.notes or "",
        "conference_url": meeting.conference_url or "",
        "conference_url_notes": meeting.conference_url_notes or "",
        "conference_phone": meeting.conference_phone or "",
        "conference_phone_notes": meeting.conference_phone_notes or "",
        "group": meeting.group or "",
        "url": meeting.url or "",
        "recurrence": meeting.recurrence.to_json() if meeting.recurrence else None,
    } | form_fields(meeting.recurrence.to_json() if meeting.recurrence else None)
    address = split_address(meeting.formatted_address)
    if online_only:
        address.pop("address", None)
    return values | {k: address.get(k, "") for k in ("address", "city", "state", "postal_code",
                                                      "country")}


def with_zone(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the zone of its address filled in when none was chosen (in person, hybrid)."""
    if clean_text(data.get("timezone")) or data.get("attendance_option") not in ("in_person", "hybrid"):
        return data
    zone = zone_of_address({name: clean_text(data.get(name)) for name in
                            ("city", "state", "postal_code", "country")})
    return data | {"timezone": zone} if zone else data


def submit(kind: str, data: dict[str, Any], meeting: Meeting | None) -> tuple[Checked, Submission | None]:
    """Check ``data`` and store a pending submission if it passes; the caller commits."""
    if kind in ("new", "change"):
        data = with_zone(data)
    checked = check_submission(kind, data, meeting_known=meeting is not None and meeting.is_listed)
    if not checked.ok:
        return checked, None
    if not take_submission_slot():  # counted here, atomically, so parallel requests cannot all pass
        raise SubmissionLimitReached
    submission = create_submission(kind, checked, meeting, client_hash())
    # The reference and kind only: the contact and the note never go to a log.
    current_app.logger.info("submission %s (%s) stored", submission.reference, kind)
    return checked, submission
