"""Field cleaners shared by every importer: text, times, zones, coordinates, conference details."""
from __future__ import annotations

import html
import re
import unicodedata
from datetime import UTC, datetime
from functools import cache, lru_cache
from urllib.parse import urlsplit

from finder.enums import Attendance
from finder.zones import zone_name

# The Meeting Guide app's provider list (TSML `$tsml_conference_providers`, "matches Meeting
# Guide app"): a conference URL must launch directly into a meeting on one of these hosts.
CONFERENCE_PROVIDERS: dict[str, str] = {
    "bluejeans.com": "Bluejeans", "discord.gg": "Discord", "freeconference.com": "Free Conference",
    "freeconferencecall.com": "FreeConferenceCall", "goto.com": "GoTo", "gotomeet.me": "GoTo",
    "gotomeeting.com": "GoTo", "horizon.meta.com": "Virtual Reality",
    "maps.secondlife.com": "Virtual Reality", "slurl.com": "Virtual Reality",
    "vrchat.com": "Virtual Reality", "meet.google.com": "Google Meet", "meet.jit.si": "Jitsi",
    "meetings.dialpad.com": "Dialpad", "signal.group": "Signal", "skype.com": "Skype",
    "teams.live.com": "Teams", "teams.microsoft.com": "Teams", "webex.com": "WebEx",
    "zoho.com": "Zoho", "zoom.us": "Zoom",
}

_TIME_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?\s*$")
_BLOCK_TAG_RE = re.compile(r"<\s*(br|/p|/div|/li)\b[^>]*>", re.IGNORECASE)
_PHONE_JUNK_RE = re.compile(r"[^\d,+#*]")

#: How much of a bad value a report quotes: enough to find it in the feed, not the whole of it.
QUOTE_LIMIT = 80


def storable(value: str) -> str:
    """``value`` without what no database can hold: NUL bytes and lone surrogates."""
    if value.isascii() and "\x00" not in value:
        return value
    return _unstorable().sub("", value)


@cache
def _unstorable() -> re.Pattern[str]:
    # Compiled at the first text past ASCII: its surrogate range takes 2 M instructions, which
    # every finder import of an ASCII feed paid at start-up.
    return re.compile("[\x00\ud800-\udfff]")


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)`` for a report, cut to ``limit`` characters with an ellipsis."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[:limit - 1] + "…"


def text(value: object, *, limit: int | None = None) -> str | None:
    """A trimmed string, or None for missing, empty or non-scalar values."""
    if value.__class__ is str:  # nearly always: skip the checks below
        out = value.strip()  # type: ignore[attr-defined]
    elif value is None or isinstance(value, (dict, list, bool)):
        return None
    else:
        out = str(value).strip()
    if not out:
        return None
    return out[:limit] if limit else out


def strip_html(value: object) -> str | None:
    """Plain text from a field that may hold HTML (the spec says notes hold none)."""
    raw = text(value)
    if raw is None or "<" not in raw and "&" not in raw:
        return raw
    import nh3  # a large native library: loaded at the first markup, not for plain text

    cleaned = raw
    # Unescaping can make markup ("&lt;img onerror=…&gt;" becomes a tag), so strip until nothing
    # is left to strip: notes leave as plain text in every output, not only in our own pages.
    for _ in range(5):
        stripped = html.unescape(nh3.clean(_BLOCK_TAG_RE.sub("\n", cleaned), tags=set()))
        if stripped == cleaned:
            break
        cleaned = stripped
    else:  # escaped more deeply than any real feed: keep the words, not the angle brackets
        cleaned = cleaned.replace("<", "").replace(">", "")
    lines = [line.strip() for line in cleaned.replace("\r\n", "\n").split("\n")]
    return text("\n".join(lines).strip("\n")) or None


def parse_time(value: object) -> str | None:
    """``HH:MM`` from ``19:00``, ``19:00:00``, ``7:00 PM`` or ``7:00pm``; None if not a time."""
    if value is None:
        return None
    return _clock(str(value))


@lru_cache(maxsize=4096)
def _clock(shown: str) -> str | None:
    # Read once per distinct text: a feed has some sixty starts and ends for all its meetings.
    match = _TIME_RE.match(shown)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    meridiem = (match[4] or "").replace(".", "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def valid_timezone(name: object) -> str | None:
    """The trimmed ``name`` if it is an IANA zone this machine knows (finder/zones.py), else None."""
    return zone_name(text(name))


def conference_provider(url: str | None) -> str | None:
    """The provider's name if ``url`` is an http(s) URL on a known conferencing host."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return None
    # The host or a parent domain of it (no provider's domain ends another's, so one matches).
    labels = host.split(".")
    for start in range(len(labels)):
        label = CONFERENCE_PROVIDERS.get(".".join(labels[start:]))
        if label is not None:
            return label
    return None


def clean_phone(value: object) -> str | None:
    """A dialable phone (digits, ``+``, and ``,*#`` for one-tap), or None with under 10 digits."""
    raw = text(value)
    if raw is None:
        return None
    phone = _PHONE_JUNK_RE.sub("", raw)
    digits = sum(ch.isdigit() for ch in phone)
    return phone if digits >= 10 else None


def web_url(value: object) -> str | None:
    """``value`` if it is an absolute http(s) URL: the one test for links we store or put in an href."""
    url = text(value, limit=2000)
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and the like
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def derive_attendance(*, online: bool, in_person: bool) -> Attendance:
    """Hybrid when both, online or in person when one, inactive when neither."""
    if online and in_person:
        return Attendance.HYBRID
    if online:
        return Attendance.ONLINE
    if in_person:
        return Attendance.IN_PERSON
    return Attendance.INACTIVE


def looks_approximate(formatted_address: str | None) -> bool:
    """True for a place-level address ("Orange County, CA, USA") rather than a street one.

    TSML UI counts fewer than four comma parts as approximate; a first part with a house
    number is a street address even when the feed leaves the country out.
    """
    if not formatted_address:
        return True
    parts = [p.strip() for p in formatted_address.split(",") if p.strip()]
    return len(parts) < 4 and not any(ch.isdigit() for ch in parts[0])


def parse_updated(value: object) -> datetime | None:
    """A UTC datetime from the spec's ``YYYY-MM-DD HH:MM:SS`` (or ISO 8601), else None."""
    raw = text(value)
    if raw is None:
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # "9999-12-31T23:00:00-05:00" is past year 9999 in UTC
        return None


_SLUG_JUNK_RE = re.compile(r"[^a-z0-9]+")


def slugify(value: str, *, limit: int = 150) -> str:
    """A lowercase ASCII slug: ``"Schritte schreib Meeting"`` -> ``schritte-schreib-meeting``."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return _SLUG_JUNK_RE.sub("-", ascii_text.lower()).strip("-")[:limit].rstrip("-") or "meeting"
