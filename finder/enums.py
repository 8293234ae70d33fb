"""Closed vocabularies shared by models, importers and views, with their English labels.

Labels are marked with ``N_`` for the translation catalogue and translated where they are shown
(``finder/web/``), so each has one definition and this module stays free of Flask.
"""
from __future__ import annotations

import enum


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark ``message`` for extraction; it is translated where it is shown (``_(message)``)."""
    return message


# Each vocabulary is an enum followed by its labels, so the two read alike by design.
class Attendance(enum.StrEnum):
    """How a meeting can be attended, derived from its address and conference details."""

    IN_PERSON = "in_person"
    HYBRID = "hybrid"
    ONLINE = "online"
    INACTIVE = "inactive"


ATTENDANCE_LABELS = {
    Attendance.IN_PERSON: N_("In person"),
    Attendance.HYBRID: N_("Hybrid"),
    Attendance.ONLINE: N_("Online"),
    Attendance.INACTIVE: N_("Inactive"),
}


class Fellowship(enum.StrEnum):
    """The fellowship a meeting belongs to."""

    AA = "aa"
    NA = "na"
    GA = "ga"
    CA = "ca"
    AL_ANON = "al-anon"
    GAM_ANON = "gam-anon"
    NAR_ANON = "nar-anon"
    OTHER = "other"


FELLOWSHIP_LABELS = {
    Fellowship.AA: N_("Alcoholics Anonymous"),
    Fellowship.NA: N_("Narcotics Anonymous"),
    Fellowship.GA: N_("Gamblers Anonymous"),
    Fellowship.CA: N_("Cocaine Anonymous"),
    Fellowship.AL_ANON: N_("Al-Anon"),
    Fellowship.GAM_ANON: N_("Gam-Anon"),
    Fellowship.NAR_ANON: N_("Nar-Anon"),
    Fellowship.OTHER: N_("Other fellowship"),
}


class RunStatus(enum.StrEnum):
    """Outcome of one import run."""

    OK = "ok"
    FAILED = "failed"
