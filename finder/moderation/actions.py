"""What a moderator's decision does: apply to a local meeting, forward, or reject; and the diff."""
from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale, gettext, lazy_gettext, pgettext

from finder.enums import Attendance, Fellowship
from finder.extensions import db
from finder.models import Meeting, utcnow
from finder.pattern import Recurrence
from finder.submissions.models import AuditRecord, Moderator, Submission, SubmissionStatus
from finder.submissions.place import place
from finder.submissions.recurring import check_pattern, sentence
from finder.submissions.rules import FORM_ORDER, formatted_address
from finder.submissions.service import feedback_address, form_values, is_local, local_source
from finder.web.i18n import DAY_NAMES
from finder.web.templating import ATTENDANCE_NAMES, FELLOWSHIP_NAMES
from finder.web.type_names import type_name
from importers.base import ImportOptions, Placed
from importers.common import finish_record
from importers.normalize import derive_attendance, slugify
from importers.record import MeetingRecord

#: The submission form's own labels, so the moderator reads the fields as the secretary did.
FIELD_LABELS = {
    "fellowship": lazy_gettext("Fellowship"), "name": lazy_gettext("Name"),
    "day": lazy_gettext("Day"), "time": lazy_gettext("Starts"), "end_time": lazy_gettext("Ends"),
    "timezone": lazy_gettext("Time zone"), "attendance_option": lazy_gettext("How people attend"),
    "location": lazy_gettext("Building or place name"),
    "address": lazy_gettext("Street address"), "city": lazy_gettext("City"),
    "state": lazy_gettext("State or province"), "postal_code": lazy_gettext("Postal code"),
    "country": lazy_gettext("Country"),
    "location_notes": lazy_gettext("Directions and notes about the place"),
    "conference_url": lazy_gettext("Meeting link"),
    "conference_url_notes": lazy_gettext("Link notes (e.g. passcode)"),
    "conference_phone": lazy_gettext("Dial-in phone"),
    "conference_phone_notes": lazy_gettext("Phone notes (e.g. meeting ID)"),
    "types": lazy_gettext("Meeting types"), "group": lazy_gettext("Group name"),
    "notes": lazy_gettext("Notes about this meeting"), "url": lazy_gettext("Web page"),
    "recurrence": lazy_gettext("How often"),
}


class DecisionError(ValueError):
    """A decision that cannot be made, e.g. on a submission already decided."""


@dataclass(frozen=True)
class DiffRow:
    """One field of a submission next to the current listing."""

    field: str
    label: str
    current: Any
    proposed: Any

    @property
    def changed(self) -> bool:
        """True if the submission changes this field."""
        return self.current != self.proposed


def diff(submission: Submission) -> list[DiffRow]:
    """The submission field by field against the meeting it names (empty for a new one)."""
    current = form_values(submission.meeting) if submission.meeting else {}
    proposed = submission.proposed or {}
    rows = [
        DiffRow(n, str(FIELD_LABELS[n]), sentence(current, gettext, pgettext) or "",
               sentence(proposed, gettext, pgettext) or "")
        if n == "recurrence" else
        DiffRow(n, str(FIELD_LABELS[n]), _shown(n, current.get(n)), _shown(n, proposed.get(n)))
        for n in FORM_ORDER if n in FIELD_LABELS
    ]
    return [row for row in rows if row.current != "" or row.proposed != ""]


def _shown(name: str, value: Any) -> str:
    """A value as a moderator reads it: day and type names rather than codes."""
    if value is None or value == "":
        return ""
    if name == "day":
        return str(DAY_NAMES[int(value)])
    if name == "types":
        return ", ".join(type_name(code, str(get_locale() or "en")) for code in value)
    if name == "fellowship":
        return str(FELLOWSHIP_NAMES.get(Fellowship(value), value))
    if name == "attendance_option":
        return str(ATTENDANCE_NAMES.get(Attendance(value), value))
    return str(value)


def approve(submission: Submission, moderator: Moderator) -> AuditRecord:
    """Apply ``submission`` (or forward it when an imported source owns the meeting)."""
    _pending(submission)
    now = utcnow()
    meeting = submission.meeting
    if meeting is not None and not is_local(meeting):
        submission.status = SubmissionStatus.FORWARDED
        action, detail = "forward", f"owned by source {meeting.source.name}: {feedback_address(meeting)}"
    else:
        submission.status = SubmissionStatus.APPROVED
        meeting = _apply(submission, now)
        submission.meeting = meeting
        action, detail = f"approve {submission.kind.value}", None
    submission.decided_at = now
    return _audit(moderator, action, submission, meeting, detail)


def edit_recurrence(submission: Submission, moderator: Moderator, value: object) -> AuditRecord:
    """Replace how often the proposed meeting meets (raises PatternError on a bad pattern)."""
    _pending(submission)
    if submission.kind.value not in ("new", "change") or not submission.proposed:
        raise DecisionError("Only a new meeting or a change says how often it meets.")
    proposed = dict(submission.proposed)
    proposed["recurrence"] = check_pattern(value, proposed.get("day"))
    submission.proposed = proposed  # a new dict, so the JSON column sees the change
    detail = sentence(proposed, lambda text: text)
    return _audit(moderator, "edit recurrence", submission, submission.meeting, detail)


def reject(submission: Submission, moderator: Moderator, reason: str) -> AuditRecord:
    """Refuse ``submission`` with a reason."""
    _pending(submission)
    if not reason.strip():
        raise DecisionError("Give a reason for rejecting.")
    submission.status = SubmissionStatus.REJECTED
    submission.reason = reason.strip()[:2000]
    submission.decided_at = utcnow()
    return _audit(moderator, "reject", submission, submission.meeting, submission.reason)


def _pending(submission: Submission) -> None:
    if submission.status != SubmissionStatus.PENDING:
        raise DecisionError(f"This submission was already {submission.status.value}.")


def _audit(moderator: Moderator, action: str, submission: Submission, meeting: Meeting | None,
           detail: str | None) -> AuditRecord:
    record = AuditRecord(moderator=moderator, action=action, submission=submission,
                         meeting_id=meeting.id if meeting else None, detail=detail)
    db.session.add(record)
    return record


def _apply(submission: Submission, now: Any) -> Meeting:
    kind = submission.kind.value
    meeting = submission.meeting
    if kind == "new":
        source = local_source()
        slug = _unique_slug(source.id, submission.proposed["name"])
        record = build_record(submission.proposed, slug=slug, previous=None)
        meeting = Meeting(source=source, **_stamped(record, now), created_at=now, sequence=0)
        db.session.add(meeting)
        db.session.flush()
        return meeting
    assert meeting is not None
    if kind == "closure":
        if meeting.removed_at is None:
            meeting.removed_at, meeting.changed_at = now, now
            meeting.sequence += 1
        return meeting
    if kind == "temporary_closure":
        record = record_of(meeting)
        types = tuple(sorted({*record.types, "TC"}))
        online = bool(record.conference_url or record.conference_phone)
        record = dataclasses.replace(
            record, types=types, attendance_option=derive_attendance(online=online, in_person=False)
        )
    else:
        record = build_record(submission.proposed, slug=meeting.slug, previous=meeting)
    if record.content_hash() != meeting.content_hash or meeting.removed_at is not None:
        for name, value in _stamped(record, now).items():
            setattr(meeting, name, value)
        meeting.sequence += 1
        meeting.removed_at = None
    return meeting


def _stamped(record: MeetingRecord, now: Any) -> dict[str, Any]:
    # `updated` is part of the content, so it is set only once we know something changed.
    record = dataclasses.replace(record, updated=now.replace(microsecond=0))
    return record.columns() | {"content_hash": record.content_hash(), "changed_at": now}


def record_of(meeting: Meeting) -> MeetingRecord:
    """The stored meeting as the loader's record, so hashes match the loader's."""
    names = {f.name for f in dataclasses.fields(MeetingRecord)} - {"warnings", "raw"}
    return MeetingRecord(**{name: getattr(meeting, name) for name in names})


def build_record(fields: dict[str, Any], *, slug: str, previous: Meeting | None) -> MeetingRecord:
    """A meeting record from checked submission fields, through the importers' shared rules."""
    online_only = fields["attendance_option"] == "online"
    address = formatted_address(fields, street=not online_only)
    options = ImportOptions(fellowship=Fellowship(fields["fellowship"]), source_name="local",
                            geocode=None if online_only else _placer(previous, address))
    record = finish_record(
        options,
        source_key=slug if previous is None else previous.source_key,
        slug=slug,
        name=fields["name"],
        day=fields["day"],
        time=fields["time"],
        end_time=fields.get("end_time"),
        timezone=fields["timezone"],
        formatted_address=address,
        approximate=online_only,
        types=fields.get("types") or (),
        conference_url=fields.get("conference_url"),
        conference_url_notes=fields.get("conference_url_notes"),
        conference_phone=fields.get("conference_phone"),
        conference_phone_notes=fields.get("conference_phone_notes"),
        url=fields.get("url"),
        feedback_url=previous.feedback_url if previous else None,
        updated=previous.updated if previous else None,
        location=fields.get("location"),
        region=fields.get("city") or None,
        location_notes=fields.get("location_notes"),
        notes=fields.get("notes"),
        group=fields.get("group"),
        # What was chosen, weekly included: a phrase in the notes is not read over it.
        recurrence=Recurrence.from_json(fields.get("recurrence") or None),
    )
    return record


def _placer(previous: Meeting | None, address: str | None) -> Callable[[str], Placed | None]:
    """How the meeting's address is placed: where it was when the address is unchanged, else as
    an import places an address without coordinates (the same cache and geocoder).

    finish_record marks the meeting approximate when only its postal code or town was found.
    """
    if previous is not None and previous.formatted_address == address and previous.latitude is not None:
        kept = Placed(previous.latitude, previous.longitude, previous.approximate, "kept")
        return lambda _address: kept
    return place


def _unique_slug(source_id: int, name: str) -> str:
    """A URL-safe slug of at most 64 characters, unique in the local source."""
    base = slugify(name, limit=48)
    slug = base
    while db.session.execute(
        db.select(Meeting.id).where(Meeting.source_id == source_id, Meeting.source_key == slug)
    ).first():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug
